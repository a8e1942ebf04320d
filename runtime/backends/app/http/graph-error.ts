import type { FailureCategory } from '../../../../common/failure-category.js';
import type { TenantOutcome } from '../../contract/runner-types.js';
import { MAX_ERROR_TEXT } from './graph-limits.js';

/** A failed call to the token endpoint or Graph, already classified; `cause` is what failed beneath it (a fetch's TypeError …). */
export class GraphCallError extends Error {
  override readonly name = 'GraphCallError';
  constructor(
    readonly category: FailureCategory,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; retryable?: boolean } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The service's own words from an error body: Graph {error:{code,message}}, token {error, error_description}, else text. */
export async function errorText(response: Response): Promise<string> {
  let body = '';
  try {
    body = await response.text();
  } catch {
    return '';
  }
  try {
    const json = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    if (typeof json.error === 'object' && json.error !== null) {
      const e = json.error as { code?: unknown; message?: unknown };
      return short(`${String(e.code ?? '')}: ${String(e.message ?? '')}`);
    }
    if (typeof json.error === 'string') return short(`${json.error}: ${String(json.error_description ?? '')}`);
  } catch {
    // not JSON
  }
  return short(body);
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_ERROR_TEXT ? `${line.slice(0, MAX_ERROR_TEXT)}…` : line;
}

/** A classified call failure as the tenant's outcome: its category, its message without secrets, and when to try again. */
export function callFailureOutcome(error: GraphCallError, clean: (text: string) => string): TenantOutcome {
  const outcome: TenantOutcome = { status: 'failed', rows: 0, category: error.category, message: clean(error.message), cause: error };
  if (error.details.retryAfterMs !== undefined) outcome.retryAfterMs = error.details.retryAfterMs;
  if (error.details.retryable) outcome.retryable = true;
  return outcome;
}
