/**
 * MSAL's network client (`system.networkClient`) over the runtime's one HTTP client (a
 * ServiceClient made for the login host, over the run's FetchLike transport), so that every
 * sign-in request meets the same transport, trust and redaction as the runtime's other calls.
 *
 * Hand-written because MSAL asks for exactly this seam (INetworkModule). What it adds to a plain
 * adapter, each kept because MSAL would otherwise hide it:
 * - no retry inside the call: MSAL's own are off too, and a throttled token endpoint is waited for
 *   by whoever asked for the token (the runtime's scheduler, with the answer's Retry-After);
 * - a 429 or 5xx answer, and a login host that cannot be reached, are thrown here as a
 *   TokenEndpointFailure carrying the HTTP client's classified error (status, Retry-After, the
 *   service's words, the fetch error beneath); MSAL's handling would drop Retry-After and block
 *   the same request for up to an hour in its throttling cache.
 */
import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import type { ServiceClient } from '../../../platform/http/http-client.js';
import { ServiceCallError } from '../../../platform/http/service-error.js';

/** How long one request to the login host may take. */
export const LOGIN_REQUEST_TIMEOUT_MS = 60_000;

/** A login host request that failed beneath MSAL, as the HTTP client classified it (its `cause`). */
export class TokenEndpointFailure extends AuthError {
  constructor(readonly failure: ServiceCallError) {
    super(failure.details.status === undefined ? 'network_error' : 'server_unavailable', failure.message);
    this.name = 'TokenEndpointFailure';
    (this as { cause?: unknown }).cause = failure;
    Object.setPrototypeOf(this, TokenEndpointFailure.prototype);
  }
}

export interface MsalNetworkOptions {
  timeoutMs?: number;
}

export function msalNetworkClient(login: ServiceClient, options: MsalNetworkOptions = {}): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, request?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    let response: Response;
    try {
      ({ response } = await login.request(url, {
        method,
        headers: { accept: 'application/json', ...request?.headers },
        ...(method === 'POST' ? { body: request?.body ?? '' } : {}),
        timeoutMs: timeout ?? options.timeoutMs ?? LOGIN_REQUEST_TIMEOUT_MS,
        retry: { retries: 0 },
        // every refusal but a passing one is MSAL's to read (OAuth errors, authorization_pending …)
        accept: (status) => status !== 429 && status < 500,
      }));
    } catch (error) {
      if (error instanceof ServiceCallError) throw new TokenEndpointFailure(error);
      throw error;
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    let body: T;
    try {
      body = (await login.json(response)) as T;
    } catch (error) {
      if (error instanceof ServiceCallError) throw new TokenEndpointFailure(error);
      throw error;
    }
    return { headers, body, status: response.status };
  };
  return {
    sendGetRequestAsync: (url, request, timeout) => send('GET', url, request, timeout),
    sendPostRequestAsync: (url, request) => send('POST', url, request),
  };
}
