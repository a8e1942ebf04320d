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
