import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_REQUESTS_PER_WINDOW, REPORT_WINDOW_MS } from '../../runtime/backends/app/http/graph-limits.js';
import { SlidingWindowLimiter } from '../../runtime/backends/graph/rate-limiter.js';
import { RequestLogFile } from '../../runtime/backends/graph/request-log.js';
import { tempDir } from './fakes.js';

describe('SlidingWindowLimiter (fake clock)', () => {
  it('defaults to the service limit: 14 requests per 10 minutes per key', () => {
    const limiter = new SlidingWindowLimiter({ now: () => 0 });
    expect([limiter.limit, limiter.windowMs]).toEqual([REPORT_REQUESTS_PER_WINDOW, REPORT_WINDOW_MS]);
    expect([REPORT_REQUESTS_PER_WINDOW, REPORT_WINDOW_MS]).toEqual([14, 600_000]);
  });

  it('allows 14 in a window, refuses the 15th with the time until the oldest leaves, then allows again', () => {
    let now = 10_000;
    const limiter = new SlidingWindowLimiter({ now: () => now });
    for (let i = 0; i < 14; i += 1) {
      expect(limiter.reserve('t1/getMailboxUsageDetail')).toBe(0);
      now += 1_000;
    }
    // the first request was at 10 000; it leaves the window at 610 000
    expect(limiter.reserve('t1/getMailboxUsageDetail')).toBe(610_000 - now);
    expect(limiter.used('t1/getMailboxUsageDetail')).toBe(14); // a refusal takes nothing
    now = 610_000;
    expect(limiter.reserve('t1/getMailboxUsageDetail')).toBe(0);
    expect(limiter.reserve('t1/getMailboxUsageDetail')).toBe(611_000 - now);
  });

  it('counts each tenant and report function on its own', () => {
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 100, now: () => 0 });
    expect([limiter.reserve('a/f'), limiter.reserve('a/f'), limiter.reserve('a/f')]).toEqual([0, 0, 100]);
    expect(limiter.reserve('a/g')).toBe(0);
    expect(limiter.reserve('b/f')).toBe(0);
  });

  it('a retry storm never gets more than the limit through in any window', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter({ now: () => now });
    const sent: number[] = [];
    for (let step = 0; step < 5_000; step += 1) {
      if (limiter.reserve('k') === 0) sent.push(now);
      now += 997;
    }
    for (const [i, t] of sent.entries()) {
      const inWindow = sent.filter((u) => u > t - REPORT_WINDOW_MS && u <= t).length;
      expect(inWindow, `at request ${i}`).toBeLessThanOrEqual(14);
    }
    expect(sent.length).toBeGreaterThan(100);
  });

  it("starts from an earlier run's requests (ignoring those outside the window) and reports every change", () => {
    let now = 1_000_000;
    const changes: Array<Record<string, number[]>> = [];
    const limiter = new SlidingWindowLimiter({
      now: () => now,
      initial: { k: [...Array.from({ length: 13 }, (_, i) => now - 1000 + i), now - REPORT_WINDOW_MS - 1], other: [now - 2 * REPORT_WINDOW_MS] },
      onChange: (log) => changes.push(log),
    });
    expect(limiter.used('k')).toBe(13);
    expect(limiter.reserve('k')).toBe(0);
    expect(limiter.reserve('k')).toBeGreaterThan(0);
    expect(changes).toHaveLength(1);
    expect(Object.keys(changes[0]!)).toEqual(['k']);
    const last = now;
    now += REPORT_WINDOW_MS - 1;
    expect(limiter.snapshot()).toEqual({ k: [last] });
    now += 1;
    expect(limiter.snapshot()).toEqual({});
  });
});

describe('RequestLogFile', () => {
  it('round-trips the log and reads a missing or foreign file as empty', async () => {
    const dir = tempDir();
    const file = new RequestLogFile(join(dir, 'graph-requests.json'));
    expect(file.read()).toEqual({});
    void file.save({ a: [1] });
    void file.save({ a: [1, 2] });
    await file.flush();
    expect(file.read()).toEqual({ a: [1, 2] });
    expect(JSON.parse(readFileSync(file.path, 'utf8'))).toEqual({ format: 1, requests: { a: [1, 2] } });
    const other = new RequestLogFile(join(dir, 'nope.json'));
    expect(other.read()).toEqual({});
  });
});
