/**
 * The numbers of the Microsoft Graph backend, in one place (see shared/reference/partner-environment.md §4).
 */

/** CSV usage reports: at most this many requests … */
export const REPORT_REQUESTS_PER_WINDOW = 14;
/** … per this window, per tenant, per report function (the service counts per app per tenant). */
export const REPORT_WINDOW_MS = 10 * 60 * 1000;

/** How often an expired download URL (403/404 on the download) is answered by asking for the report again. */
export const MAX_REPORT_REREQUESTS = 2;

/** A client-side wait for the report limit at most this long happens inside the attempt; longer ones end it as Throttled. */
export const MAX_INLINE_LIMIT_WAIT_MS = 5_000;

/** Page size for delegatedAdminRelationships (the service's maximum). */
export const RELATIONSHIPS_PAGE_SIZE = 300;
/** Guard against a service that keeps handing out nextLinks. */
export const MAX_DISCOVERY_PAGES = 10_000;

/** Default and bounds of --concurrency. */
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 32;

export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com';
export const DEFAULT_LOGIN_URL = 'https://login.microsoftonline.com';
/** The partner tenant for discovery tokens when none is given (refresh tokens only). */
export const DEFAULT_PARTNER_TENANT = 'organizations';

/** Domain lookups (findTenantInformationByTenantId) at once after relationships discovery. */
export const DOMAIN_LOOKUP_CONCURRENCY = 8;
/** Further tries of one domain lookup after 429 / 5xx / network failures. */
export const DOMAIN_LOOKUP_RETRIES = 2;
/** How long one domain lookup may take. */
export const DOMAIN_LOOKUP_TIMEOUT_MS = 30_000;
/** A longer Retry-After on a domain lookup is not waited for: the tenant keeps its display name. */
export const MAX_DOMAIN_LOOKUP_WAIT_MS = 60_000;
