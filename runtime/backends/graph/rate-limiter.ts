import { REPORT_REQUESTS_PER_WINDOW, REPORT_WINDOW_MS } from '../app/http/graph-limits.js';

export interface RateLimiterOptions {
  /** Requests allowed per window and key. */
  limit?: number;
  windowMs?: number;
  now?: () => number;
  /** Requests already made (e.g. by an earlier run), per key, as times in ms. */
  initial?: Record<string, number[]>;
  /** Called after every reservation with the key's current log (for persisting it). */
  onChange?(log: Record<string, number[]>): void;
}

/**
 * A sliding-window limit per key (tenant and report function): at most `limit` requests in any
 * `windowMs`. The service's own limit for CSV reports is 14 per 10 minutes per tenant per report;
 * keeping to it here means a resume or a retry storm is refused before it is sent.
 */
export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly log = new Map<string, number[]>();

  constructor(private readonly options: RateLimiterOptions = {}) {
    this.limit = options.limit ?? REPORT_REQUESTS_PER_WINDOW;
    this.windowMs = options.windowMs ?? REPORT_WINDOW_MS;
    for (const [key, times] of Object.entries(options.initial ?? {})) {
      if (Array.isArray(times)) this.log.set(key, times.filter((t) => Number.isFinite(t)).sort((a, b) => a - b));
    }
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private recent(key: string, now: number): number[] {
    const times = (this.log.get(key) ?? []).filter((t) => t > now - this.windowMs && t <= now + this.windowMs);
    if (times.length > 0) this.log.set(key, times);
    else this.log.delete(key);
    return times;
  }

  /**
   * Takes a slot for one request now and answers 0, or answers how many ms until a slot frees
   * (taking nothing).
   */
  reserve(key: string): number {
    const now = this.now();
    const times = this.recent(key, now);
    if (times.length >= this.limit) {
      const oldest = times[times.length - this.limit]!;
      return Math.max(1, oldest + this.windowMs - now);
    }
    times.push(now);
    this.log.set(key, times);
    this.options.onChange?.(this.snapshot());
    return 0;
  }

  /** Requests made in the current window for a key. */
  used(key: string): number {
    return this.recent(key, this.now()).length;
  }

  /** Every key's requests still inside the window. */
  snapshot(): Record<string, number[]> {
    const now = this.now();
    const result: Record<string, number[]> = {};
    for (const key of [...this.log.keys()].sort()) {
      const times = this.recent(key, now);
      if (times.length > 0) result[key] = [...times];
    }
    return result;
  }
}
