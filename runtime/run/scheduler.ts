import type { AccountLimit } from '../backends/contract/run-backend.js';
import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import PQueue from 'p-queue';
import { MAX_SESSIONS_PER_ACCOUNT, SESSION_IDLE_EXPIRY_SECONDS } from '../../common/exchange-limits.js';
import type { FailureCategory } from '../../common/failure-category.js';
import { isRetryable, retryDelayMs, type RetryPolicy } from '../platform/retry-policy.js';
import type { TenantJob, TenantOutcome, TenantRunner, TenantWarning } from '../backends/contract/runner-types.js';

export interface ScheduledTenant {
  tenantId: string;
  domain: string;
  /** Where it differs from domain: the initial domain the Exchange backend connects to. */
  initialDomain?: string;
  account: string;
}

export type { AccountLimit };

export type TenantResultStatus = 'succeeded' | 'noData' | 'failed' | 'interrupted';

export interface TenantResult {
  tenantId: string;
  domain: string;
  account: string;
  status: TenantResultStatus;
  rows: number;
  attempts: number;
  durationMs: number;
  category?: FailureCategory;
  message?: string;
  partPath?: string;
  warning?: TenantWarning;
}

export interface AccountCounters {
  maxSessions: number;
  maxConcurrentSessions: number;
  attempts: number;
  sessionLimitErrors: number;
  /** Attempts that did not stop when asked: each held one of the account's slots until it ended. */
  stuckAttempts: number;
}

/** A tenant whose attempt is running now. */
export interface RunningTenant {
  domain: string;
  account: string;
  attempt: number;
  startedAt: number;
}

/**
 * One attempt as it happened: the run page's timeline and the summary's `attempts` are written
 * from these. `slot` is the lowest slot number of the lane free when the attempt started (a slot
 * stays taken until the attempt has really ended), so two attempts of one lane never share a slot.
 */
export interface AttemptEvent {
  tenantId: string;
  domain: string;
  /** The lane: a partner account, or the app. */
  account: string;
  slot: number;
  attempt: number;
  /** Milliseconds since the run's start (SchedulerOptions.epochMs). */
  startMs: number;
  endMs: number;
  /** The attempt's outcome once checked (finalize); 'interrupted' when the run stopped it or never settled it. */
  status: TenantResultStatus;
  category?: FailureCategory;
  /** The wait before this tenant's next attempt, when it was retried. */
  waitMs?: number;
}

export interface SchedulerOutcome {
  results: TenantResult[];
  accounts: Record<string, AccountCounters>;
  /** Set when an authentication failure stopped the run. */
  fatal?: TenantResult;
  /** True when stop() or abort() ended the run early. */
  stopped: boolean;
}

export interface SchedulerOptions {
  runner: TenantRunner;
  accounts: readonly AccountLimit[];
  policy: RetryPolicy;
  /** Bound on one attempt; the attempt is aborted and counts as Timeout. */
  timeoutMs: number;
  /** Builds the job for an attempt (paths in the spool, parameters …). */
  makeJob(tenant: ScheduledTenant, attempt: number): TenantJob;
  /** Checks and commits a runner's result (e.g. renames the part file); may turn it into a failure. */
  finalize?(tenant: ScheduledTenant, job: TenantJob, outcome: TenantOutcome): Promise<TenantOutcome>;
  /** Called once per tenant when it is finished (not when interrupted); awaited. */
  onResult?(result: TenantResult): Promise<void> | void;
  onAttempt?(tenant: ScheduledTenant, attempt: number): void;
  onRetry?(tenant: ScheduledTenant, outcome: TenantOutcome, delayMs: number): void;
  /** Injectable for tests: waits ms unless the signal aborts (then rejects). */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  now?(): number;
  /**
   * How long an aborted attempt (timeout, interrupt) may take to stop. One that takes longer is
   * reported at once, and its slot stays taken until it ends or the service would have dropped
   * its session (SESSION_IDLE_EXPIRY_SECONDS), whichever comes first.
   */
  stopGraceMs?: number;
  /** How long a held slot waits at most; tests shorten it. */
  slotHoldMaxMs?: number;
  /**
   * The most attempts an account (lane) may run at once, whatever its maxSessions says:
   * MAX_SESSIONS_PER_ACCOUNT (the Exchange session limit) unless a backend without that limit says otherwise.
   */
  laneCap?: number;
  /** What attempt times count from (ms, as now() answers); default: when the scheduler was made. */
  epochMs?: number;
}

const skipped = Symbol('skipped');

interface AttemptEnd {
  outcome: TenantOutcome | typeof skipped;
  /** The runner's own answer (not an abort): finalize it, outside the slot. */
  job?: TenantJob;
  /** Set when the attempt did not stop when asked: the slot is free only once this settles. */
  held?: Promise<unknown>;
  event?: AttemptEvent;
}

/**
 * Runs tenants through per-account queues (p-queue), never more than the account's cap at once,
 * retrying transient failures with exponential backoff and jitter, stopping everything at the
 * first authentication failure. Counts the concurrent sessions it opens per account itself.
 *
 * A session-limit answer is not the tenant's fault: a slot of its account is taken by a session
 * this run does not hold (left open by another tool or an earlier run, or by an attempt that did
 * not stop). The account then runs one fewer at a time, the tenant waits and tries again without
 * using its retries, for as long as such a session can stay open; concurrency recovers as
 * attempts succeed.
 */
export class Scheduler {
  private readonly queues = new Map<string, PQueue>();
  private readonly counters: Record<string, AccountCounters> = {};
  private readonly open = new Map<string, number>();
  private readonly runningTenants = new Map<string, RunningTenant>();
  private readonly stopController = new AbortController();
  private readonly abortController = new AbortController();
  private fatal: TenantResult | undefined;
  private inFlightCount = 0;
  /** Per lane, the slot numbers taken now. */
  private readonly slotsTaken = new Map<string, Set<number>>();
  private readonly epochMs: number;
  /** Every attempt started so far, in start order. */
  readonly attempts: AttemptEvent[] = [];

  constructor(private readonly options: SchedulerOptions) {
    this.epochMs = options.epochMs ?? this.now();
    // every running attempt and every waiting retry listens on these: up to a lane's cap times the lanes, and all tenants
    setMaxListeners(0, this.stopController.signal, this.abortController.signal);
    for (const account of options.accounts) {
      const cap = Math.max(1, Math.min(options.laneCap ?? MAX_SESSIONS_PER_ACCOUNT, account.maxSessions));
      this.queues.set(account.userName, new PQueue({ concurrency: cap }));
      this.counters[account.userName] = { maxSessions: cap, maxConcurrentSessions: 0, attempts: 0, sessionLimitErrors: 0, stuckAttempts: 0 };
      this.open.set(account.userName, 0);
    }
  }

  get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  /** Tenants whose attempt is running right now. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /** The tenants running right now, longest-running first. */
  running(): RunningTenant[] {
    return [...this.runningTenants.values()].sort((a, b) => a.startedAt - b.startedAt);
  }

  /** Starts nothing new; running attempts finish (their retries do not). */
  stop(): void {
    if (!this.stopController.signal.aborted) this.stopController.abort();
  }

  /** Stops and aborts running attempts too. */
  abort(): void {
    this.stop();
    if (!this.abortController.signal.aborted) this.abortController.abort();
  }

  async run(tenants: readonly ScheduledTenant[]): Promise<SchedulerOutcome> {
    const results = await Promise.all(tenants.map((tenant) => this.runTenant(tenant)));
    const outcome: SchedulerOutcome = { results, accounts: this.counters, stopped: this.stopped };
    if (this.fatal) outcome.fatal = this.fatal;
    return outcome;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private async runTenant(tenant: ScheduledTenant): Promise<TenantResult> {
    const queue = this.queues.get(tenant.account);
    if (!queue) throw new Error(`tenant ${tenant.domain} is assigned to ${tenant.account}, which is not an account of this run`);
    const started = this.now();
    let attempts = 0;
    const result = (outcome: TenantOutcome | undefined, status: TenantResultStatus): TenantResult => {
      const value: TenantResult = {
        tenantId: tenant.tenantId,
        domain: tenant.domain,
        account: tenant.account,
        status,
        rows: outcome?.rows ?? 0,
        attempts,
        durationMs: this.now() - started,
      };
      if (outcome?.category) value.category = outcome.category;
      if (outcome?.message) value.message = outcome.message;
      if (outcome?.partPath) value.partPath = outcome.partPath;
      if (outcome?.warning && status === 'succeeded') value.warning = outcome.warning;
      return value;
    };
    let retriesUsed = 0;
    let sessionLimitSince: number | undefined;
    let sessionLimitsInARow = 0;
    for (;;) {
      if (this.stopped) return result(undefined, 'interrupted');
      const attempt = attempts + 1;
      const end = await this.inSlot(queue, tenant, attempt);
      if (end.outcome === skipped) return result(undefined, 'interrupted');
      attempts = attempt;
      // checking and committing the rows needs no session: the slot is already free for the next tenant
      const outcome = end.job && this.options.finalize ? await this.options.finalize(tenant, end.job, end.outcome) : end.outcome;
      if (end.event) settleEvent(end.event, outcome);
      if (outcome.status !== 'failed') {
        const done = result(outcome, outcome.status);
        await this.options.onResult?.(done);
        return done;
      }
      if (outcome.category === 'Interrupted') return result(outcome, 'interrupted');
      if (outcome.category === 'AuthenticationFailed') {
        const failed = result(outcome, 'failed');
        this.fatal ??= failed;
        this.abort();
        return failed;
      }
      let wait: number | undefined;
      if (outcome.category === 'SessionLimit') {
        sessionLimitSince ??= this.now();
        sessionLimitsInARow += 1;
        if (this.now() - sessionLimitSince < this.options.policy.sessionLimitPatienceMs) {
          wait = retryDelayMs(this.options.policy, 'SessionLimit', sessionLimitsInARow);
        }
      } else {
        sessionLimitSince = undefined;
        sessionLimitsInARow = 0;
        const budget = outcome.category === 'Timeout' ? Math.min(this.options.policy.retries, this.options.policy.timeoutRetries) : this.options.policy.retries;
        if ((isRetryable(outcome.category) || outcome.retryable === true) && retriesUsed < budget) {
          retriesUsed += 1;
          // the service's Retry-After, when it gave one, rather than the generic backoff
          wait = outcome.retryAfterMs ?? retryDelayMs(this.options.policy, outcome.category ?? 'RemoteError', retriesUsed);
        }
      }
      if (wait !== undefined && !this.stopped) {
        if (end.event) end.event.waitMs = wait;
        this.options.onRetry?.(tenant, outcome, wait);
        try {
          await (this.options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal })))(wait, this.stopController.signal);
        } catch {
          return result(outcome, 'interrupted');
        }
        continue;
      }
      const failed = result(outcome, 'failed');
      await this.options.onResult?.(failed);
      return failed;
    }
  }

  /**
   * Runs one attempt in one of the account's slots and answers its outcome as soon as it is known;
   * the slot itself is given back only when the attempt has really ended.
   */
  private inSlot(queue: PQueue, tenant: ScheduledTenant, attempt: number): Promise<AttemptEnd> {
    return new Promise((resolve) => {
      void queue.add(async () => {
        const end = await this.attempt(queue, tenant, attempt).catch(
          (error: unknown): AttemptEnd => ({ outcome: { status: 'failed', rows: 0, category: 'WorkerCrashed', message: error instanceof Error ? error.message : String(error) } }),
        );
        resolve(end);
        await end.held;
      });
    });
  }

  private async attempt(queue: PQueue, tenant: ScheduledTenant, attempt: number): Promise<AttemptEnd> {
    if (this.stopped) return { outcome: skipped };
    const counters = this.counters[tenant.account]!;
    const open = (this.open.get(tenant.account) ?? 0) + 1;
    this.open.set(tenant.account, open);
    counters.maxConcurrentSessions = Math.max(counters.maxConcurrentSessions, open);
    counters.attempts += 1;
    this.inFlightCount += 1;
    this.runningTenants.set(tenant.tenantId, { domain: tenant.domain, account: tenant.account, attempt, startedAt: this.now() });
    const slot = this.takeSlot(tenant.account);
    const event: AttemptEvent = { tenantId: tenant.tenantId, domain: tenant.domain, account: tenant.account, slot, attempt, startMs: this.sinceEpoch(), endMs: -1, status: 'interrupted' };
    this.attempts.push(event);
    this.options.onAttempt?.(tenant, attempt);

    const controller = new AbortController();
    const onAbort = () => controller.abort('interrupted');
    this.abortController.signal.addEventListener('abort', onAbort);
    const timer = setTimeout(() => controller.abort('timeout'), this.options.timeoutMs);
    let held: Promise<unknown> | undefined;
    let finished: TenantJob | undefined;
    try {
      const job = this.options.makeJob(tenant, attempt);
      const running = Promise.resolve()
        .then(() => this.options.runner.run(job, controller.signal))
        .catch((error: unknown): TenantOutcome => ({
          status: 'failed',
          rows: 0,
          category: 'WorkerCrashed',
          message: error instanceof Error ? error.message : String(error),
        }));
      const aborted = new Promise<'aborted'>((resolve) => {
        if (controller.signal.aborted) resolve('aborted');
        controller.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
      });
      let outcome = await Promise.race([running, aborted]);
      if (outcome === 'aborted' || controller.signal.aborted) {
        // the runner stops the attempt (its remote session closes); give it time to say so
        const graceMs = this.options.stopGraceMs ?? 10_000;
        const stopped = await Promise.race([running.then(() => true), delay(graceMs, false, { ref: false })]);
        const timedOut = controller.signal.reason === 'timeout';
        let message = timedOut
          ? `no answer within ${Math.round(this.options.timeoutMs / 1000)} s (--tenant-timeout); the attempt was stopped`
          : 'the run was interrupted while this tenant was running; the attempt was stopped';
        if (!stopped) {
          counters.stuckAttempts += 1;
          const holdMs = this.options.slotHoldMaxMs ?? SESSION_IDLE_EXPIRY_SECONDS * 1000;
          held = Promise.race([running, delay(holdMs, undefined, { ref: false })]);
          message = `${message.replace(/; the attempt was stopped$/, '')}; the attempt did not stop within ${Math.round(graceMs / 1000)} s, so one of ${tenant.account}'s session slots stays taken until it ends (at most ${Math.round(holdMs / 60_000)} min, when the service drops an abandoned session)`;
        }
        outcome = { status: 'failed', rows: 0, category: timedOut ? 'Timeout' : 'Interrupted', message };
      } else {
        finished = job;
      }
      // stop before the queue hands this slot to the next tenant: no second sign-in attempt
      if (outcome.category === 'AuthenticationFailed') this.abort();
      this.adjustConcurrency(queue, counters, outcome);
      settleEvent(event, outcome);
      return { outcome, event, ...(finished ? { job: finished } : {}), ...(held ? { held } : {}) };
    } finally {
      clearTimeout(timer);
      this.abortController.signal.removeEventListener('abort', onAbort);
      this.inFlightCount -= 1;
      this.runningTenants.delete(tenant.tenantId);
      const release = () => {
        this.open.set(tenant.account, (this.open.get(tenant.account) ?? 1) - 1);
        // the bar ends when the slot is free again (later than the outcome for an attempt that did not stop)
        event.endMs = this.sinceEpoch();
        this.slotsTaken.get(tenant.account)?.delete(slot);
      };
      if (held) void held.finally(release);
      else release();
    }
  }

  private sinceEpoch(): number {
    return this.now() - this.epochMs;
  }

  /** The lowest slot number of the lane not taken now. */
  private takeSlot(account: string): number {
    let taken = this.slotsTaken.get(account);
    if (!taken) this.slotsTaken.set(account, (taken = new Set()));
    let slot = 0;
    while (taken.has(slot)) slot += 1;
    taken.add(slot);
    return slot;
  }

  /**
   * A SessionLimit answer means sessions this run does not know about (leaked by an earlier run)
   * hold slots: run one fewer at a time on that account until attempts succeed again.
   */
  private adjustConcurrency(queue: PQueue, counters: AccountCounters, outcome: TenantOutcome): void {
    if (outcome.category === 'SessionLimit') {
      counters.sessionLimitErrors += 1;
      queue.concurrency = Math.max(1, queue.concurrency - 1);
    } else if (outcome.status !== 'failed' && queue.concurrency < counters.maxSessions) {
      queue.concurrency += 1;
    }
  }
}

function settleEvent(event: AttemptEvent, outcome: TenantOutcome | typeof skipped): void {
  if (outcome === skipped) return;
  event.status = outcome.status;
  if (outcome.category) event.category = outcome.category;
  else delete event.category;
}
