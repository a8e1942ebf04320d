import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import PQueue from 'p-queue';
import type { FailureCategory } from '../common/failure-category.js';
import { isRetryable, retryDelayMs, type RetryPolicy } from './retry-policy.js';
import type { TenantJob, TenantOutcome, TenantRunner } from './runner-types.js';

/** The partner's limit: at most this many open Exchange sessions per account. */
export const MAX_SESSIONS_PER_ACCOUNT = 3;

export interface ScheduledTenant {
  tenantId: string;
  domain: string;
  account: string;
}

export interface AccountLimit {
  userName: string;
  maxSessions: number;
}

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
}

export interface AccountCounters {
  maxSessions: number;
  maxConcurrentSessions: number;
  attempts: number;
  sessionLimitErrors: number;
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
  /** How long to wait for an aborted runner to give its worker back. */
  abortSettleMs?: number;
  /**
   * The most attempts an account (lane) may run at once, whatever its maxSessions says:
   * MAX_SESSIONS_PER_ACCOUNT (the Exchange session limit) unless a backend without that limit says otherwise.
   */
  laneCap?: number;
}

const skipped = Symbol('skipped');

/**
 * Runs tenants through per-account queues (p-queue), never more than the account's cap at once,
 * retrying transient failures with exponential backoff and jitter, stopping everything at the
 * first authentication failure. Counts the concurrent sessions it opens per account itself.
 */
export class Scheduler {
  private readonly queues = new Map<string, PQueue>();
  private readonly counters: Record<string, AccountCounters> = {};
  private readonly open = new Map<string, number>();
  private readonly stopController = new AbortController();
  private readonly abortController = new AbortController();
  private fatal: TenantResult | undefined;
  private inFlightCount = 0;

  constructor(private readonly options: SchedulerOptions) {
    // every running attempt and every waiting retry listens on these: up to a lane's cap times the lanes, and all tenants
    setMaxListeners(0, this.stopController.signal, this.abortController.signal);
    for (const account of options.accounts) {
      const cap = Math.max(1, Math.min(options.laneCap ?? MAX_SESSIONS_PER_ACCOUNT, account.maxSessions));
      this.queues.set(account.userName, new PQueue({ concurrency: cap }));
      this.counters[account.userName] = { maxSessions: cap, maxConcurrentSessions: 0, attempts: 0, sessionLimitErrors: 0 };
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
      return value;
    };
    for (;;) {
      if (this.stopped) return result(undefined, 'interrupted');
      const attempt = attempts + 1;
      const outcome = await queue.add(() => this.attempt(queue, tenant, attempt));
      if (outcome === skipped || outcome === undefined) return result(undefined, 'interrupted');
      attempts = attempt;
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
      if ((isRetryable(outcome.category) || outcome.retryable === true) && attempts <= this.options.policy.retries && !this.stopped) {
        // the service's Retry-After, when it gave one, rather than the generic backoff
        const wait = outcome.retryAfterMs ?? retryDelayMs(this.options.policy, outcome.category ?? 'RemoteError', attempts);
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

  private async attempt(queue: PQueue, tenant: ScheduledTenant, attempt: number): Promise<TenantOutcome | typeof skipped> {
    if (this.stopped) return skipped;
    const counters = this.counters[tenant.account]!;
    const open = (this.open.get(tenant.account) ?? 0) + 1;
    this.open.set(tenant.account, open);
    counters.maxConcurrentSessions = Math.max(counters.maxConcurrentSessions, open);
    counters.attempts += 1;
    this.inFlightCount += 1;
    this.options.onAttempt?.(tenant, attempt);

    const controller = new AbortController();
    const onAbort = () => controller.abort('interrupted');
    this.abortController.signal.addEventListener('abort', onAbort);
    const timer = setTimeout(() => controller.abort('timeout'), this.options.timeoutMs);
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
        // let the runner give its (killed) worker back before the slot is reused
        await Promise.race([running, delay(this.options.abortSettleMs ?? 10_000, undefined, { ref: false })]);
        const timedOut = controller.signal.reason === 'timeout';
        outcome = {
          status: 'failed',
          rows: 0,
          category: timedOut ? 'Timeout' : 'Interrupted',
          message: timedOut
            ? `no answer within ${Math.round(this.options.timeoutMs / 1000)} s (--tenant-timeout); the worker was stopped`
            : 'the run was interrupted while this tenant was running',
        };
      } else if (this.options.finalize) {
        outcome = await this.options.finalize(tenant, job, outcome);
      }
      // stop before the queue hands this slot to the next tenant: no second sign-in attempt
      if (outcome.category === 'AuthenticationFailed') this.abort();
      this.adjustConcurrency(queue, counters, outcome);
      return outcome;
    } finally {
      clearTimeout(timer);
      this.abortController.signal.removeEventListener('abort', onAbort);
      this.open.set(tenant.account, (this.open.get(tenant.account) ?? 1) - 1);
      this.inFlightCount -= 1;
    }
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
