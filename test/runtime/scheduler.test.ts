import { describe, expect, it } from 'vitest';
import type { FailureCategory } from '../../common/failure-category.js';
import { defaultRetryPolicy, retryDelayMs } from '../../runtime/platform/retry-policy.js';
import { Scheduler, type ScheduledTenant, type SchedulerOptions } from '../../runtime/run/scheduler.js';
import type { TenantJob, TenantOutcome, TenantRunner } from '../../runtime/backends/contract/runner-types.js';
import { FakeRunner, tempDir, tenantId, type FakeRunnerOptions } from './fakes.js';
import { join } from 'node:path';
import { readCatalog } from '../../common/catalog.js';
import { fixtureCatalog } from './fakes.js';

const report = readCatalog(fixtureCatalog).reports[0]!;
const dir = tempDir();

function tenants(n: number, accounts: string[]): ScheduledTenant[] {
  return Array.from({ length: n }, (_, i) => ({ tenantId: tenantId(i), domain: `t${String(i).padStart(3, '0')}.onmicrosoft.com`, account: accounts[i % accounts.length]! }));
}

/** A scheduler whose waits between attempts take no real time: they move a clock it reads instead. */
function scheduler(runner: TenantRunner, accounts: Array<[string, number]>, extra: Partial<SchedulerOptions> = {}) {
  const delays: Array<{ ms: number }> = [];
  const clock = { ms: 0 };
  const s = new Scheduler({
    runner,
    accounts: accounts.map(([userName, maxSessions]) => ({ userName, maxSessions })),
    policy: { ...defaultRetryPolicy, retries: 3, random: () => 0.5 },
    timeoutMs: 60_000,
    makeJob: (t, attempt): TenantJob => ({ ...t, report, parameters: [], outPath: join(dir, `${t.tenantId}.${attempt}.csv`), attempt }),
    sleep: async (ms) => {
      delays.push({ ms });
      clock.ms += ms;
    },
    now: () => clock.ms,
    ...extra,
  });
  return { s, delays, clock };
}

const fake = (options: FakeRunnerOptions = {}) => new FakeRunner({ delayMs: 5, ...options });

describe('Scheduler', () => {
  it('never has more than 3 sessions open per account, and reaches the cap', async () => {
    const runner = fake();
    const { s } = scheduler(runner, [['a@p.onmicrosoft.com', 3]]);
    const outcome = await s.run(tenants(20, ['a@p.onmicrosoft.com']));
    expect(runner.maxOpen.get('a@p.onmicrosoft.com')).toBe(3);
    expect(outcome.accounts['a@p.onmicrosoft.com']?.maxConcurrentSessions).toBe(3);
    expect(outcome.results.every((r) => r.status === 'succeeded')).toBe(true);
  });

  it.each([
    [1, 1],
    [2, 2],
    [3, 3],
    [9, 3],
  ])('a cap of %i gives at most %i sessions (never above 3)', async (cap, expected) => {
    const runner = fake();
    const { s } = scheduler(runner, [['a@p.onmicrosoft.com', cap]]);
    await s.run(tenants(10, ['a@p.onmicrosoft.com']));
    expect(runner.maxOpen.get('a@p.onmicrosoft.com')).toBe(expected);
  });

  it('gives every account its own cap', async () => {
    const runner = fake();
    const accounts = ['a@p.onmicrosoft.com', 'b@p.onmicrosoft.com'];
    const { s } = scheduler(runner, [
      [accounts[0]!, 3],
      [accounts[1]!, 2],
    ]);
    const outcome = await s.run(tenants(24, accounts));
    expect(runner.maxOpen.get(accounts[0]!)).toBe(3);
    expect(runner.maxOpen.get(accounts[1]!)).toBe(2);
    expect(outcome.accounts[accounts[1]!]?.maxConcurrentSessions).toBe(2);
    // both accounts ran at the same time: 5 in flight in all at some point is possible only with independent caps
    expect(runner.attempts.length).toBe(24);
  });

  it('retries SessionLimit with growing backoff and succeeds', async () => {
    const runner = fake({ behaviour: (domain, attempt) => (domain.startsWith('t000') && attempt <= 2 ? 'SessionLimit' : 'ok') });
    const { s, delays } = scheduler(runner, [['a@p.onmicrosoft.com', 3]]);
    const outcome = await s.run(tenants(3, ['a@p.onmicrosoft.com']));
    const first = outcome.results.find((r) => r.domain.startsWith('t000'))!;
    expect(first.status).toBe('succeeded');
    expect(first.attempts).toBe(3);
    expect(delays.map((d) => d.ms)).toEqual([retryDelayMs({ ...defaultRetryPolicy, random: () => 0.5 }, 'SessionLimit', 1), retryDelayMs({ ...defaultRetryPolicy, random: () => 0.5 }, 'SessionLimit', 2)]);
    expect(delays[1]!.ms).toBeGreaterThan(delays[0]!.ms);
    expect(outcome.accounts['a@p.onmicrosoft.com']?.sessionLimitErrors).toBe(2);
  });

  it.each<[FailureCategory, number]>([
    ['Throttled', 4],
    // a tenant that hung once mostly hangs again: one more try, not --retries more
    ['Timeout', 2],
    ['WorkerCrashed', 4],
    ['AccessDenied', 1],
    ['InvalidParameter', 1],
    ['RemoteError', 1],
  ])('%s is tried %i time(s) with --retries 3', async (category, attempts) => {
    const runner = fake({ behaviour: () => category });
    const { s } = scheduler(runner, [['a@p.onmicrosoft.com', 3]]);
    const outcome = await s.run(tenants(1, ['a@p.onmicrosoft.com']));
    expect(outcome.results[0]).toMatchObject({ status: 'failed', category, attempts });
  });

  it('SessionLimit uses no retry: the tenant tries again for as long as a session it does not hold can stay open, then fails', async () => {
    const runner = fake({ behaviour: (domain) => (domain.startsWith('t000') ? 'SessionLimit' : 'ok') });
    const { s, clock } = scheduler(runner, [['a@p.onmicrosoft.com', 3]], { policy: { ...defaultRetryPolicy, retries: 0, random: () => 0.5 } });
    const outcome = await s.run(tenants(3, ['a@p.onmicrosoft.com']));
    const first = outcome.results.find((r) => r.domain.startsWith('t000'))!;
    expect(first).toMatchObject({ status: 'failed', category: 'SessionLimit' });
    expect(first.attempts).toBeGreaterThan(5);
    expect(clock.ms).toBeGreaterThanOrEqual(defaultRetryPolicy.sessionLimitPatienceMs);
    expect(outcome.results.filter((r) => r.status === 'succeeded')).toHaveLength(2);
  });

  it('session-limit answers from sessions held elsewhere never fail a healthy tenant, even with --retries 0; the account runs fewer at once, then recovers', async () => {
    // every tenant's first two attempts find the account's slots taken
    const runner = fake({ behaviour: (_domain, attempt) => (attempt <= 2 ? 'SessionLimit' : 'ok') });
    const { s } = scheduler(runner, [['a@p.onmicrosoft.com', 3]], { policy: { ...defaultRetryPolicy, retries: 0, random: () => 0.5 } });
    const outcome = await s.run(tenants(12, ['a@p.onmicrosoft.com']));
    expect(outcome.results.every((r) => r.status === 'succeeded' && r.attempts === 3)).toBe(true);
    expect(outcome.accounts['a@p.onmicrosoft.com']?.sessionLimitErrors).toBe(24);
    expect(runner.maxOpen.get('a@p.onmicrosoft.com')).toBeLessThanOrEqual(3);
  });

  it('an attempt that does not stop when aborted is reported at once, and its slot stays taken until it ends', async () => {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runner: TenantRunner = {
      async run(job): Promise<TenantOutcome> {
        events.push(`start ${job.domain}#${job.attempt}`);
        if (job.domain.startsWith('t000') && job.attempt === 1) await stuck; // ignores the abort
        return { status: 'noData', rows: 0 };
      },
      async close() {},
    };
    const { s } = scheduler(runner, [['a@p.onmicrosoft.com', 1]], { timeoutMs: 20, stopGraceMs: 20 });
    const running = s.run(tenants(2, ['a@p.onmicrosoft.com']));
    await new Promise((r) => setTimeout(r, 150));
    // the timeout was reported and the tenant's retry is due, yet nothing else started in the held slot
    expect(events).toEqual(['start t000.onmicrosoft.com#1']);
    events.push('released');
    release();
    const outcome = await running;
    expect(events.slice(0, 2)).toEqual(['start t000.onmicrosoft.com#1', 'released']);
    expect(outcome.results.every((r) => r.status === 'noData')).toBe(true);
    expect(outcome.accounts['a@p.onmicrosoft.com']).toMatchObject({ stuckAttempts: 1, maxConcurrentSessions: 1 });
  });

  it('a held slot is given back after slotHoldMaxMs at the latest', async () => {
    const runner: TenantRunner = {
      async run(job): Promise<TenantOutcome> {
        if (job.domain.startsWith('t000') && job.attempt === 1) await new Promise(() => undefined); // never ends
        return { status: 'noData', rows: 0 };
      },
      async close() {},
    };
    const { s } = scheduler(runner, [['a@p.onmicrosoft.com', 1]], { timeoutMs: 20, stopGraceMs: 20, slotHoldMaxMs: 100 });
    const outcome = await s.run(tenants(2, ['a@p.onmicrosoft.com']));
    const first = outcome.results.find((r) => r.domain.startsWith('t000'))!;
    expect(first).toMatchObject({ status: 'noData', attempts: 2 });
    expect(outcome.accounts['a@p.onmicrosoft.com']?.stuckAttempts).toBe(1);
  });

  it('stops everything at the first AuthenticationFailed: no further attempt starts', async () => {
    const runner = fake({ behaviour: (domain) => (domain.startsWith('t000') ? 'AuthenticationFailed' : 'ok'), delayMs: 20 });
    const { s } = scheduler(runner, [['a@p.onmicrosoft.com', 1]]);
    const outcome = await s.run(tenants(10, ['a@p.onmicrosoft.com']));
    expect(outcome.fatal).toMatchObject({ category: 'AuthenticationFailed', domain: 't000.onmicrosoft.com' });
    expect(runner.attempts).toHaveLength(1);
    expect(outcome.results.filter((r) => r.status === 'interrupted')).toHaveLength(9);
  });

  it('bounds a hanging tenant with the timeout, then retries it (Timeout is transient)', async () => {
    const runner = fake({ behaviour: (domain, attempt) => (domain.startsWith('t001') && attempt === 1 ? 'hang' : 'ok') });
    const { s } = scheduler(runner, [['a@p.onmicrosoft.com', 3]], { timeoutMs: 50 });
    const outcome = await s.run(tenants(3, ['a@p.onmicrosoft.com']));
    expect(outcome.results.find((r) => r.domain.startsWith('t001'))).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('reports a runner that throws as WorkerCrashed and retries it', async () => {
    let calls = 0;
    const runner = fake();
    const original = runner.run.bind(runner);
    runner.run = async (job, signal) => {
      calls += 1;
      if (calls === 1) throw new Error('pwsh exited with code 139');
      return original(job, signal);
    };
    const { s } = scheduler(runner, [['a@p.onmicrosoft.com', 1]]);
    const outcome = await s.run(tenants(1, ['a@p.onmicrosoft.com']));
    expect(outcome.results[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('stop() lets running tenants finish and starts no new ones; abort() interrupts running ones', async () => {
    const runner = fake({ delayMs: 30 });
    const { s } = scheduler(runner, [['a@p.onmicrosoft.com', 2]]);
    const running = s.run(tenants(10, ['a@p.onmicrosoft.com']));
    await new Promise((r) => setTimeout(r, 10));
    s.stop();
    const outcome = await running;
    expect(outcome.stopped).toBe(true);
    expect(outcome.results.filter((r) => r.status === 'succeeded')).toHaveLength(2);
    expect(outcome.results.filter((r) => r.status === 'interrupted')).toHaveLength(8);

    const hanging = fake({ behaviour: () => 'hang' });
    const second = scheduler(hanging, [['a@p.onmicrosoft.com', 2]]);
    const run2 = second.s.run(tenants(4, ['a@p.onmicrosoft.com']));
    await new Promise((r) => setTimeout(r, 10));
    second.s.abort();
    const outcome2 = await run2;
    expect(outcome2.results.every((r) => r.status === 'interrupted')).toBe(true);
    expect(hanging.attempts).toHaveLength(2);
  });

  it('retry delays grow exponentially with jitter and are capped', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 1000, maxDelayMs: 5000 };
    expect(retryDelayMs({ ...policy, random: () => 0 }, 'Throttled', 1)).toBe(500);
    expect(retryDelayMs({ ...policy, random: () => 0.999999 }, 'Throttled', 1)).toBe(1000);
    expect(retryDelayMs({ ...policy, random: () => 0 }, 'Throttled', 2)).toBe(1000);
    expect(retryDelayMs({ ...policy, random: () => 0 }, 'Throttled', 3)).toBe(2000);
    expect(retryDelayMs({ ...policy, random: () => 0.999999 }, 'Throttled', 10)).toBe(5000);
  });
});
