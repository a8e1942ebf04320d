/**
 * MSAL's network client (`system.networkClient`) over the runtime's FetchLike, so that every sign-in
 * request meets the same transport (trust, test doubles) as the runtime's other calls.
 *
 * Hand-written because MSAL asks for exactly this seam (INetworkModule). Two things it adds to a
 * plain adapter, each kept because MSAL would otherwise hide it:
 * - a 429 or 5xx answer is thrown here as a TokenEndpointFailure carrying the status, Retry-After and
 *   the service's words; MSAL's own handling would drop Retry-After and block the same request for
 *   up to an hour in its throttling cache, while the runtime's scheduler owns waits and retries;
 * - a request that never gets an answer (refused, reset, timed out) keeps its cause.
 */
import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import type { FetchLike } from '../../../platform/http/fetch-like.js';
import { errorText } from '../http/graph-error.js';
import { parseRetryAfter } from '../http/retry-after.js';

/** How long one request to the login host may take. */
export const LOGIN_REQUEST_TIMEOUT_MS = 60_000;

/** A login host request that failed beneath MSAL: no answer, a passing failure (429, 5xx), or an answer that is not JSON. */
export class TokenEndpointFailure extends AuthError {
  constructor(
    readonly kind: 'unreachable' | 'refused' | 'not-json',
    /** The service's own words, or what failed. */
    readonly description: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(kind === 'unreachable' ? 'network_error' : kind === 'refused' ? 'server_unavailable' : 'token_parsing_error', description);
    this.name = 'TokenEndpointFailure';
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
    Object.setPrototypeOf(this, TokenEndpointFailure.prototype);
  }
}

export interface MsalNetworkOptions {
  timeoutMs?: number;
  now?: () => number;
  /** Where a URL MSAL builds is sent (msal-app.ts loginRoute: a loopback http login host). */
  reach?: (url: string) => string;
}

export function msalNetworkClient(fetch: FetchLike, options: MsalNetworkOptions = {}): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, request?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    let response: Response;
    try {
      response = await fetch(options.reach ? options.reach(url) : url, {
        method,
        headers: { accept: 'application/json', ...request?.headers },
        ...(method === 'POST' ? { body: request?.body ?? '' } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeout ?? options.timeoutMs ?? LOGIN_REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new TokenEndpointFailure('unreachable', `the login host could not be reached: ${(error as Error).message}`, undefined, undefined, { cause: error });
    }
    if (response.status === 429 || response.status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now?.() ?? Date.now());
      throw new TokenEndpointFailure('refused', (await errorText(response)) || `HTTP ${response.status}`, response.status, retryAfterMs);
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    let body: T;
    try {
      body = (await response.json()) as T;
    } catch (error) {
      throw new TokenEndpointFailure('not-json', `the login host answered something that is not JSON (HTTP ${response.status})`, response.status, undefined, { cause: error });
    }
    return { headers, body, status: response.status };
  };
  return {
    sendGetRequestAsync: (url, request, timeout) => send('GET', url, request, timeout),
    sendPostRequestAsync: (url, request) => send('POST', url, request),
  };
}
