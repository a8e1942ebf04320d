/**
 * The numbers of the Exchange admin REST backend, in one place (see
 * shared/reference/partner-environment.md §4b). Microsoft publishes no concurrency figure for this
 * path: the defaults below are settings, and 429 answers are honoured.
 */

/** The token scope: the app's permissions (or the admin's delegated rights) on Exchange Online. */
export const EXO_SCOPE = 'https://outlook.office365.com/.default';
export const DEFAULT_EXCHANGE_URL = 'https://outlook.office365.com';

/** The mailbox every InvokeCommand call is routed by, for a customer tenant. */
export function anchorMailbox(tenantId: string): string {
  return `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenantId}`;
}

/** Objects per page asked for (Prefer: odata.maxpagesize); the service's maximum. */
export const PAGE_SIZE = 1000;
/** Guard against a service that keeps handing out nextLinks. */
export const MAX_PAGES_PER_CALL = 100_000;

/** Requests at once within one tenant (the per-object calls of a report), default and bounds. */
export const DEFAULT_TENANT_CONCURRENCY = 4;
export const MAX_TENANT_CONCURRENCY = 16;

/** A 429 or 5xx answer is tried again inside the attempt at most this often … */
export const INLINE_RETRIES = 4;
/** … when its Retry-After is at most this long; a longer one ends the attempt as Throttled, retried by the scheduler after that wait. */
export const MAX_INLINE_RETRY_AFTER_MS = 30_000;
