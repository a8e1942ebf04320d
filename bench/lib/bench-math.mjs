// The arithmetic of the makespan (B1) and overhead (B2) benchmarks: the ideal makespan, the
// ratios and which targets were met. Pure functions over medians, so they are tested on their own.
import { median } from './measure.mjs';

/** ceil(N / (sessions × accounts)) rounds of one tenant per session, each `perTenantSeconds` long. */
export function idealSeconds(tenants, accounts, { sessionsPerAccount = 3, perTenantSeconds = 0.5 } = {}) {
  return Math.ceil(tenants / (sessionsPerAccount * accounts)) * perTenantSeconds;
}

/**
 * B1 rows: for each contender with samples, its median, its ideal (for its number of accounts),
 * how many times faster than the baseline it was (baseline median / its median) and its median
 * over its ideal. A contender without samples gets nulls.
 * @param {{ tenants: number, baseline: string, contenders: Array<{ id: string, accounts: number, seconds: number[] }>, sessionsPerAccount?: number, perTenantSeconds?: number }} input
 */
export function makespanRows({ tenants, baseline, contenders, sessionsPerAccount = 3, perTenantSeconds = 0.5 }) {
  const base = contenders.find((c) => c.id === baseline);
  const baseMedian = base?.seconds.length ? median(base.seconds) : null;
  return contenders.map((c) => {
    const ideal = idealSeconds(tenants, c.accounts, { sessionsPerAccount, perTenantSeconds });
    const m = c.seconds.length ? median(c.seconds) : null;
    return {
      id: c.id,
      accounts: c.accounts,
      median: m,
      ideal,
      speedup: m !== null && baseMedian !== null && m > 0 ? baseMedian / m : null,
      vsIdeal: m !== null ? m / ideal : null,
    };
  });
}

/**
 * B2 rows: tenants per second and milliseconds per tenant from the median wall time. With no
 * simulated latency, all of a run's time is the tool's own: start-up, sign-in, discovery, the
 * per-tenant work and the merge, spread over the tenants.
 */
export function overheadRows({ tenants, contenders }) {
  return contenders.map((c) => {
    const m = c.seconds.length ? median(c.seconds) : null;
    return {
      id: c.id,
      median: m,
      tenantsPerSecond: m !== null && m > 0 ? tenants / m : null,
      msPerTenant: m !== null ? (m * 1000) / tenants : null,
    };
  });
}

/**
 * Targets as { text, met, value }: `met` is null when the value could not be measured.
 * @param {Array<{ text: string, value: number | null | undefined, atMost?: number, atLeast?: number, format?: (v: number) => string }>} targets
 */
export function checkTargets(targets) {
  return targets.map((t) => {
    const value = t.value ?? null;
    let met = null;
    if (value !== null && Number.isFinite(value)) {
      met = (t.atMost === undefined || value <= t.atMost) && (t.atLeast === undefined || value >= t.atLeast);
    }
    const shown = value === null || !Number.isFinite(value) ? 'not measured' : t.format ? t.format(value) : value.toFixed(2);
    return { text: t.text, met, value, shown };
  });
}

/** The B1 targets: (d) within 1.10 × its ideal and ≥ 2.7 × faster than (a); (e) ≥ 7 × faster than (a). */
export function makespanTargets(rows) {
  const d = rows.find((r) => r.id === 'd');
  const e = rows.find((r) => r.id === 'e');
  const times = (v) => `${v.toFixed(2)}×`;
  return checkTargets([
    { text: '(d) within 1.10 × ideal', value: d?.vsIdeal, atMost: 1.1, format: times },
    { text: '(d) ≥ 2.7 × faster than (a)', value: d?.speedup, atLeast: 2.7, format: times },
    { text: '(e) ≥ 7 × faster than (a)', value: e?.speedup, atLeast: 7, format: times },
  ]);
}

/** The B2 target: (d) ≤ 15 ms of overhead per tenant. */
export function overheadTargets(rows) {
  const d = rows.find((r) => r.id === 'd');
  return checkTargets([{ text: '(d) ≤ 15 ms of overhead per tenant', value: d?.msPerTenant, atMost: 15, format: (v) => `${v.toFixed(1)} ms` }]);
}

/** "met: …; not met: …; not measured: …" for a targets line. */
export function describeTargets(checked) {
  const list = (filter) => checked.filter(filter).map((t) => `${t.text} (${t.shown})`);
  const parts = [];
  const met = list((t) => t.met === true);
  const missed = list((t) => t.met === false);
  const unmeasured = list((t) => t.met === null);
  if (met.length) parts.push(`met: ${met.join('; ')}`);
  if (missed.length) parts.push(`not met: ${missed.join('; ')}`);
  if (unmeasured.length) parts.push(`not measured: ${unmeasured.map((t) => t.replace(/ \(not measured\)$/, '')).join('; ')}`);
  return parts.join('. ');
}
