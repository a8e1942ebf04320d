import { MAX_RETRY_AFTER_SECONDS } from '../../../common/http-limits.js';

/** The longest Retry-After honoured; a longer one is cut to this (common/http-limits.ts, shared with the module). */
export const MAX_RETRY_AFTER_MS = MAX_RETRY_AFTER_SECONDS * 1000;

/**
 * The wait a Retry-After header asks for, in ms: delta-seconds ("30") or an HTTP date
 * ("Wed, 21 Oct 2015 07:28:00 GMT"), never negative, at most MAX_RETRY_AFTER_MS. Undefined when
 * the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(MAX_RETRY_AFTER_MS, Math.round(Number(text) * 1000));
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
}
