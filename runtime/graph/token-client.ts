import { GraphCallError, errorText } from './graph-error.js';
import { GRAPH_SCOPE } from './graph-limits.js';
import { parseRetryAfter } from './retry-after.js';
import { tokenUrl } from './graph-urls.js';

/** The app's credential: a client secret (client credentials), a refresh token, or both (a confidential client redeeming a refresh token). */
export interface GraphCredential {
  clientId: string;
  clientSecret?: string;
  refreshToken?: string;
}

export interface IssuedToken {
  accessToken: string;
  /** Lifetime the service gave (expires_in), in ms. */
  lifetimeMs: number;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface TokenRequest {
  loginBase: string;
  /** The tenant the token is for: a customer's TenantId, or the partner's own tenant for discovery. */
  tenant: string;
  credential: GraphCredential;
  /** 'partner': a failure means the app itself cannot sign in; 'customer': it may be just this tenant. */
  role: 'partner' | 'customer';
  /** The resource's `.default` scope (Graph when absent). */
  scope?: string;
  fetch: FetchLike;
  signal?: AbortSignal;
  now?: () => number;
}

const consent = /AADSTS65001|AADSTS650051|not consented|consent/i;
const notInTenant = /AADSTS700016|AADSTS90002|AADSTS500011|AADSTS90072|AADSTS50020|not found in the directory|was not found/i;

/**
 * Classifies a token endpoint refusal. A missing consent is ConsentMissing, the app not known in
 * that tenant AccessDenied, for that tenant only; a wrong or expired client secret, or a refresh token that no
 * longer works, is AuthenticationFailed (it would fail for every tenant: the run stops).
 */
export function classifyTokenFailure(status: number, text: string, role: 'partner' | 'customer', retryAfterMs?: number): GraphCallError {
  const detail = text || `HTTP ${status}`;
  if (status === 429) return new GraphCallError('Throttled', `the token endpoint is throttling: ${detail}`, { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  if (status >= 500) return new GraphCallError('RemoteError', `the token endpoint failed (HTTP ${status}): ${detail}`, { status, retryable: true });
  if (role === 'customer' && consent.test(text)) {
    return new GraphCallError('ConsentMissing', `no token for this tenant: the app is not consented in it: ${detail}`, { status });
  }
  if (consent.test(text) || notInTenant.test(text)) {
    return new GraphCallError(
      role === 'customer' ? 'AccessDenied' : 'AuthenticationFailed',
      role === 'customer'
        ? `no token for this tenant: the app is not consented (or not present) in it: ${detail}`
        : `the app cannot get a token in the partner tenant: ${detail}`,
      { status },
    );
  }
  if (/^invalid_client\b|^invalid_grant\b|^unauthorized_client\b/.test(text) || status === 401 || role === 'partner') {
    if (role === 'customer' && /^unauthorized_client\b/.test(text)) return new GraphCallError('AccessDenied', `no token for this tenant: ${detail}`, { status });
    return new GraphCallError('AuthenticationFailed', `the app's credential was refused (client id, client secret or refresh token): ${detail}`, { status });
  }
  return new GraphCallError('AccessDenied', `no token for this tenant: ${detail}`, { status });
}

/** POST /{tenant}/oauth2/v2.0/token with client credentials or a refresh token. */
export async function requestToken(request: TokenRequest): Promise<IssuedToken> {
  const { credential } = request;
  const form = new URLSearchParams({ client_id: credential.clientId, scope: request.scope ?? GRAPH_SCOPE });
  if (credential.refreshToken) {
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', credential.refreshToken);
  } else {
    form.set('grant_type', 'client_credentials');
  }
  if (credential.clientSecret) form.set('client_secret', credential.clientSecret);
  let response: Response;
  try {
    response = await request.fetch(tokenUrl(request.loginBase, request.tenant), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      redirect: 'manual',
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw new GraphCallError('RemoteError', `the token endpoint could not be reached: ${(error as Error).message}`, { retryable: true });
  }
  if (!response.ok) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), request.now?.() ?? Date.now());
    throw classifyTokenFailure(response.status, await errorText(response), request.role, retryAfterMs);
  }
  let body: { access_token?: unknown; expires_in?: unknown };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new GraphCallError('RemoteError', 'the token endpoint answered something that is not JSON', { retryable: true });
  }
  const seconds = Number(body.expires_in);
  if (typeof body.access_token !== 'string' || body.access_token === '' || !(seconds > 0)) {
    throw new GraphCallError('RemoteError', 'the token endpoint answered without access_token or expires_in', { retryable: true });
  }
  return { accessToken: body.access_token, lifetimeMs: seconds * 1000 };
}
