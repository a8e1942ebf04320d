/**
 * The scheduler's attempt events, from which the summary's `attempts` and the run page's timeline
 * are written: one per attempt, a slot per lane that no two running attempts share, the outcome
 * after finalize, the wait before a retry.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../common/catalog.js';
import { defaultRetryPolicy } from '../../runtime/platform/retry-policy.js';
import { Scheduler, type AttemptEvent, type ScheduledTenant, type SchedulerOptions } from '../../runtime/run/scheduler.js';
import type { TenantJob, TenantOutcome, TenantRunner } from '../../runtime/backends/contract/runner-types.js';
import { FakeRunner, fixtureCatalog, tempDir, tenantId } from './fakes.js';

const report = readCatalog(fixtureCatalog).reports[0]!;
const dir = tempDir();

function tenants(n: number, accounts: string[]): ScheduledTenant[] {
  return Array.from({ length: n }, (_, i) => ({ tenantId: tenantId(i), domain: `t${String(i).padStart(3, '0')}.onmicrosoft.com`, account: accounts[i % accounts.length]! }));
}

function scheduler(runner: TenantRunner, accounts: Array<[string, number]>, extra: Partial<SchedulerOptions> = {}) {
  const waits: number[] = [];
  return {
    waits,
    s: new Scheduler({
      runner,
      accounts: accounts.map(([userName, maxSessions]) => ({ userName, maxSessions })),
      policy: { ...defaultRetryPolicy, retries: 2, baseDelayMs: 5, random: () => 0.5 },
      timeoutMs: 60_000,
      makeJob: (t, attempt): TenantJob => ({ ...t, report, parameters: [], outPath: join(dir, `${t.tenantId}.${attempt}.csv`), attempt }),
      sleep: async (ms) => {
        waits.push(ms);
        await new Promise((r) => setTimeout(r, 5));
      },
      ...extra,
    }),
  };
}

/** The most attempts of `events` running at one moment. */
function mostAtOnce(events: readonly AttemptEvent[]): number {
  const points = events.flatMap((e) => [
    { t: e.startMs, d: 1 },
    { t: e.endMs, d: -1 },
  ]);
  points.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let most = 0;
  for (const p of points) most = Math.max(most, (open += p.d));
  return most;
}

describe('Scheduler attempt events', () => {
  it('one event per attempt, slots below the cap and never shared at once, outcomes and waits as they happened', async () => {
    const runner = new FakeRunner({
      delayMs: 8,
      behaviour: (domain, attempt) => (domain.startsWith('t00') && attempt === 1 ? 'Throttled' : domain.startsWith('t01') ? 'AccessDenied' : domain.startsWith('t02') ? 'noData' : 'ok'),
    });
    const accounts: Array<[string, number]> = [
      ['a@p.onmicrosoft.com', 3],
      ['b@p.onmicrosoft.com', 2],
    ];
    const { s, waits } = scheduler(runner, accounts, { epochMs: Date.now() - 1000 });
    const outcome = await s.run(tenants(30, accounts.map(([a]) => a)));
    const events = s.attempts;
    expect(events).toHaveLength(outcome.results.reduce((n, r) => n + r.attempts, 0));
    // times count from the epoch given
    expect(Math.min(...events.map((e) => e.startMs))).toBeGreaterThanOrEqual(1000);
    for (const result of outcome.results) {
      const mine = events.filter((e) => e.tenantId === result.tenantId);
      expect(mine.map((e) => e.attempt)).toEqual(Array.from({ length: result.attempts }, (_, i) => i + 1));
      expect(mine.at(-1)).toMatchObject({ status: result.status, account: result.account });
      if (result.category) expect(mine.at(-1)!.category).toBe(result.category);
    }
    // the retried attempts carry the wait the scheduler slept
    expect(events.filter((e) => e.waitMs !== undefined).map((e) => e.waitMs)).toEqual(waits);
    expect(events.filter((e) => e.waitMs !== undefined).every((e) => e.status === 'failed' && e.category === 'Throttled')).toBe(true);
    for (const [account, cap] of accounts) {
      const mine = events.filter((e) => e.account === account);
      expect(mostAtOnce(mine)).toBe(cap);
      expect(new Set(mine.map((e) => e.slot))).toEqual(new Set(Array.from({ length: cap }, (_, i) => i)));
      for (let slot = 0; slot < cap; slot += 1) expect(mostAtOnce(mine.filter((e) => e.slot === slot)), `${account} slot ${slot}`).toBe(1);
    }
    for (const e of events) expect(e.endMs).toBeGreaterThanOrEqual(e.startMs);
  });

  it('an attempt that does not stop keeps its slot until it ends: its event ends then, and the next attempt takes that slot only after', async () => {
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runner: TenantRunner = {
      async run(job): Promise<TenantOutcome> {
        if (job.domain.startsWith('t000') && job.attempt === 1) await stuck; // ignores the abort
        return { status: 'noData', rows: 0 };
      },
      async close() {},
    };
    const { s } = scheduler(runner, [['a@p.onmicrosoft.com', 1]], { timeoutMs: 20, stopGraceMs: 20 });
    const running = s.run(tenants(2, ['a@p.onmicrosoft.com']));
    await new Promise((r) => setTimeout(r, 150));
    release();
    await running;
    const [first, ...rest] = s.attempts;
    expect(first).toMatchObject({ attempt: 1, slot: 0, status: 'failed', category: 'Timeout' });
    expect(first!.endMs - first!.startMs).toBeGreaterThanOrEqual(140);
    for (const e of rest) {
      expect(e.slot).toBe(0);
      expect(e.startMs).toBeGreaterThanOrEqual(first!.endMs);
    }
  });
});
