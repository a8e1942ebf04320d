/** The token scopes the backends ask for: every application permission the app holds on that resource. */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const EXCHANGE_SCOPE = 'https://outlook.office365.com/.default';
/** Added to a delegated sign-in's scope so that the answer carries a refresh token. */
export const OFFLINE_ACCESS = 'offline_access';

/** A cached token is used until this long before it expires … */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** … or this share of its lifetime before, whichever is shorter (short-lived tokens). */
export const TOKEN_REFRESH_MARGIN_SHARE = 0.1;
