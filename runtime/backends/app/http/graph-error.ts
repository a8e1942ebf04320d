import { promises as fs } from 'node:fs';
import type { Redactor } from '../../../platform/redact.js';
import type { TenantOutcome } from '../../contract/runner-types.js';
import { ServiceCallError } from '../../../platform/http/service-error.js';

/**
 * A failed call to the token endpoint, Graph or the Exchange admin API, already classified: the
 * HTTP client's error (runtime/platform/http/service-error.ts), by the name the app backends know it.
 */
export { ServiceCallError as GraphCallError };

/** The service's own words from an error body: Graph {error:{code,message}}, token {error, error_description}, else text. */
export { responseWords as errorText } from '../../../platform/http/service-error.js';

/** A classified call failure as the tenant's outcome: its category, its message without secrets, and when to try again. */
export function callFailureOutcome(error: ServiceCallError, clean: (text: string) => string): TenantOutcome {
  const outcome: TenantOutcome = { status: 'failed', rows: 0, category: error.category, message: clean(error.message), cause: error };
  if (error.details.retryAfterMs !== undefined) outcome.retryAfterMs = error.details.retryAfterMs;
  if (error.details.retryable) outcome.retryable = true;
  return outcome;
}

/**
 * How an HTTP backend's attempt ends when it threw: its part removed (a later attempt writes it
 * whole), a stop as Interrupted, a classified call failure as its outcome, a file system error
 * thrown on (it would fail every tenant: the run stops), anything else a retryable RemoteError
 * saying what failed (`what`, e.g. 'the Graph query').
 */
export async function failedAttemptOutcome(error: unknown, outPath: string, signal: AbortSignal, redactor: Redactor, what: string): Promise<TenantOutcome> {
  await fs.rm(outPath, { force: true }).catch(() => undefined);
  if (signal.aborted) return { status: 'failed', rows: 0, category: 'Interrupted', message: 'the attempt was stopped' };
  if (error instanceof ServiceCallError) return callFailureOutcome(error, (text) => redactor.clean(text));
  if ((error as NodeJS.ErrnoException).code && /^E[A-Z]+$/.test((error as NodeJS.ErrnoException).code!)) throw error;
  return { status: 'failed', rows: 0, category: 'RemoteError', retryable: true, message: redactor.clean(`${what} failed: ${(error as Error).message}`), cause: error };
}
