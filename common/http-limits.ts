/**
 * Limits of the HTTP services (Microsoft Graph, the Exchange admin API) that the runtime and the
 * generated PowerShell both apply; the templates get them filled in by dap-gen.
 */

/** The longest Retry-After honoured; a longer one is cut to this. */
export const MAX_RETRY_AFTER_SECONDS = 15 * 60;

/** The most redirects followed from one request (a Graph report download: the runtime and the module). */
export const MAX_REDIRECTS = 5;
