import type { FailureCategory } from '../../../common/failure-category.js';

/** Characters of a service's error body kept in a message. */
export const MAX_ERROR_TEXT = 300;

export interface ServiceCallDetails {
  /** The HTTP status of the answer, when there was one. */
  status?: number;
  /** The wait the service asked for (Retry-After), or the client's own limit asked for. */
  retryAfterMs?: number;
  /** Worth another attempt later (a 5xx, a network failure) besides the transient categories. */
  retryable?: boolean;
  /** How many redirects led to the answer (0: the URL asked answered itself). */
  hops?: number;
  /** The service's own words from the error body (serviceWords), redacted. */
  serviceText?: string;
}

/**
 * A failed call to a service (Graph, the Exchange admin API, the login host), already classified
 * into a failure category; `cause` is what failed beneath it (a fetch's TypeError, a redirect refused …).
 */
export class ServiceCallError extends Error {
  override readonly name = 'ServiceCallError';
  constructor(
    readonly category: FailureCategory,
    message: string,
    readonly details: ServiceCallDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The service's own words from an error body, on one line and short: Graph and the Exchange admin
 * API answer {error:{code,message}} (Exchange puts its real reason in details[].message or
 * innererror.internalException.message, taken first), the login host {error, error_description};
 * anything else is the text as it came.
 */
export function serviceWords(body: string): string {
  let text = body;
  try {
    const json = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    if (typeof json.error === 'object' && json.error !== null) {
      const e = json.error as { code?: unknown; message?: unknown; details?: unknown; innererror?: { internalException?: { message?: unknown } } };
      const details = Array.isArray(e.details) ? (e.details as Array<{ message?: unknown } | null>) : [];
      const detail = details.find((d) => typeof d?.message === 'string' && d.message !== '')?.message ?? e.innererror?.internalException?.message;
      const message = typeof detail === 'string' && detail ? detail : String(e.message ?? '');
      text = e.code ? `${String(e.code)}: ${message}` : message;
    } else if (typeof json.error === 'string') {
      text = `${json.error}: ${String(json.error_description ?? '')}`;
    }
  } catch {
    // not JSON: the text as it came
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_ERROR_TEXT ? `${line.slice(0, MAX_ERROR_TEXT)}…` : line;
}

/** The service's words from an answer's body ('' when the body cannot be read). */
export async function responseWords(response: Response): Promise<string> {
  try {
    return serviceWords(await response.text());
  } catch {
    return '';
  }
}
