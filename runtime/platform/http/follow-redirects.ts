import { MAX_REDIRECTS } from '../../../common/http-limits.js';
import type { FetchLike } from './fetch-like.js';
import { urlRefusal } from './url-safety.js';

/**
 * The one place the runtime follows HTTP redirects. fetch's own `redirect: 'follow'` checks no
 * hop: a signed download could bounce on to plain http or to this machine's network and its body
 * be taken as a tenant's data. Here every hop is asked with `redirect: 'manual'`, its Location
 * read against the hop that sent it and judged by the one URL rule (url-safety.ts), the hops are
 * bounded, and credentials never leave the first request.
 */

export { MAX_REDIRECTS };

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** Headers that belong to the first request only: a redirect target never gets them. */
const credentialHeaders = ['authorization', 'cookie', 'proxy-authorization'];

/** A redirect not followed; `hop` counts from 1 (the first Location). */
export class RedirectError extends Error {
  override readonly name = 'RedirectError';
  constructor(
    readonly reason: 'no-location' | 'refused' | 'too-many',
    readonly hop: number,
    message: string,
  ) {
    super(message);
  }
}

export interface FollowedResponse {
  /** The answer that is not a redirect. */
  response: Response;
  /** The URL that gave it. */
  url: string;
  /** How many redirects led there (0: the first URL answered). */
  hops: number;
}

/**
 * Fetches `url` with `init` and follows its redirects one by one. The first URL is the caller's
 * and is not judged; each Location is. A redirect without a Location, to a refused URL, or beyond
 * `maxHops` rejects with a RedirectError; network errors and aborts reject as fetch's do.
 */
export async function fetchFollowingRedirects(fetch: FetchLike, url: string, init: RequestInit = {}, maxHops = MAX_REDIRECTS): Promise<FollowedResponse> {
  let current = url;
  let request: RequestInit = { ...init, redirect: 'manual' };
  for (let hops = 0; ; hops += 1) {
    const response = await fetch(current, request);
    if (!redirectStatuses.has(response.status)) return { response, url: current, hops };
    await response.body?.cancel();
    const hop = hops + 1;
    const location = response.headers.get('location');
    if (location === null) throw new RedirectError('no-location', hop, `redirect ${hop} (HTTP ${response.status}) has no Location`);
    if (hop > maxHops) throw new RedirectError('too-many', hop, `more than ${maxHops} redirects`);
    const refusal = urlRefusal(location, current);
    if (refusal) throw new RedirectError('refused', hop, `redirect ${hop} refused: ${refusal}`);
    request = nextRequest(request, response.status);
    current = new URL(location, current).toString();
  }
}

/** The request for the next hop: no credentials; 303 (and 301/302 after a POST) as a GET without body, as browsers do. */
function nextRequest(request: RequestInit, status: number): RequestInit {
  const headers = new Headers(request.headers);
  for (const name of credentialHeaders) headers.delete(name);
  const next: RequestInit = { ...request, headers };
  const method = (request.method ?? 'GET').toUpperCase();
  if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
    next.method = method === 'HEAD' ? 'HEAD' : 'GET';
    delete next.body;
    headers.delete('content-type');
    headers.delete('content-length');
  }
  return next;
}
