/**
 * The limits of Exchange Online remote PowerShell, per partner user account
 * (../shared/reference/partner-environment.md §2). The runtime, the generated PowerShell and the
 * simulator's defaults all derive from these.
 */

/** At most this many open sessions per account; a further one is refused. */
export const MAX_SESSIONS_PER_ACCOUNT = 3;

/** A session that is not removed stays open (and holds a slot) about this long. */
export const SESSION_IDLE_EXPIRY_SECONDS = 15 * 60;
