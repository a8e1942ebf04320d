import { SESSION_IDLE_EXPIRY_SECONDS } from '../../common/exchange-limits.js';
import { transientCategories, type FailureCategory } from '../../common/failure-category.js';

export interface RetryPolicy {
  /** Further attempts after the first one, for transient failures (session-limit answers aside). */
  retries: number;
  /** Of those, at most this many after a timeout: a tenant that hung once mostly hangs again. */
  timeoutRetries: number;
  /**
   * A session-limit answer uses no retry: the tenant waits and tries again while a session it does
   * not hold can still be open, this long after its first such answer.
   */
  sessionLimitPatienceMs: number;
  /** First delay; doubled each attempt. */
  baseDelayMs: number;
  /** A SessionLimit failure means sessions leaked by an earlier run are still open: wait longer. */
  sessionLimitBaseDelayMs: number;
  maxDelayMs: number;
  /** 0 ≤ random() < 1; injectable for tests. */
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 4,
  timeoutRetries: 1,
  sessionLimitPatienceMs: (SESSION_IDLE_EXPIRY_SECONDS + 60) * 1000,
  baseDelayMs: 2_000,
  sessionLimitBaseDelayMs: 15_000,
  maxDelayMs: 120_000,
  random: Math.random,
};

export function isRetryable(category: FailureCategory | undefined): boolean {
  return category !== undefined && transientCategories.has(category);
}

/**
 * Exponential backoff with jitter, the one formula of both retries (the scheduler's across attempts,
 * the HTTP client's inside a call): the n-th retry waits between half and all of base·2^(n-1),
 * capped at maxMs. `random` gives 0 ≤ r < 1.
 */
export function backoffMs(baseMs: number, maxMs: number, retry: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** The scheduler's wait before the n-th retry of a tenant (a session limit waits longer). */
export function retryDelayMs(policy: RetryPolicy, category: FailureCategory, retry: number): number {
  const base = category === 'SessionLimit' ? policy.sessionLimitBaseDelayMs : policy.baseDelayMs;
  return backoffMs(base, policy.maxDelayMs, retry, policy.random);
}
