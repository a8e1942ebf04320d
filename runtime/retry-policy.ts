import { transientCategories, type FailureCategory } from '../common/failure-category.js';

export interface RetryPolicy {
  /** Further attempts after the first one, for transient failures. */
  retries: number;
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
  baseDelayMs: 2_000,
  sessionLimitBaseDelayMs: 15_000,
  maxDelayMs: 120_000,
  random: Math.random,
};

export function isRetryable(category: FailureCategory | undefined): boolean {
  return category !== undefined && transientCategories.has(category);
}

/**
 * Exponential backoff with jitter: the n-th retry waits between half and all of
 * base·2^(n-1), capped at maxDelayMs.
 */
export function retryDelayMs(policy: RetryPolicy, category: FailureCategory, retry: number): number {
  const base = category === 'SessionLimit' ? policy.sessionLimitBaseDelayMs : policy.baseDelayMs;
  const ceiling = Math.min(policy.maxDelayMs, base * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * policy.random());
}
