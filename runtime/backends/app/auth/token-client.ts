/**
 * The token endpoint of the Microsoft identity platform (`POST /{tenant}/oauth2/v2.0/token`), for
 * any scope (Graph, Exchange Online): client credentials with a client secret or a certificate
 * (client assertion), or a refresh token (delegated, e.g. from a device-code sign-in), which
 * rotates: each redeem that answers a new refresh token makes it the one used from then on, and
 * saves it to the token store.
 */
import type { FetchLike } from '../../../platform/http/fetch-like.js';
import { ServiceClient } from '../../../platform/http/http-client.js';
import { parseRetryAfter } from '../../../platform/http/retry-after.js';
import { GraphCallError, errorText } from '../http/graph-error.js';
import { tokenUrl } from '../http/graph-urls.js';
import type { ClientCertificate } from './certificate.js';
import { buildClientAssertion, CLIENT_ASSERTION_TYPE } from './client-assertion.js';

/** Where a rotated refresh token is kept (runtime/backends/app/auth/token-file.ts). */
export interface RefreshTokenStore {
  save(refreshToken: string): Promise<void>;
}

/**
 * The app's credential. The client authenticates with a certificate (preferred) or a client
 * secret, or not at all (a public client redeeming a device-code refresh token). With a refresh
 * token the grant is refresh_token, else client_credentials. `refreshToken` is replaced in place
 * when the service rotates it, so every backend sharing this object uses the newest one.
 */
export interface AppCredential {
  clientId: string;
  clientSecret?: string;
  certificate?: ClientCertificate;
  refreshToken?: string;
  tokenStore?: RefreshTokenStore;
}

/** The older name, kept for the Graph backend's types. */
export type GraphCredential = AppCredential;

export interface IssuedToken {
  accessToken: string;
  /** Lifetime the service gave (expires_in), in ms. */
  lifetimeMs: number;
}

export type { FetchLike };

export interface TokenRequest {
  loginBase: string;
  /** The tenant the token is for: a customer's TenantId, or the partner's own tenant for discovery. */
  tenant: string;
  /** The resource scope, e.g. https://graph.microsoft.com/.default or https://outlook.office365.com/.default. */
  scope: string;
  credential: AppCredential;
  /** 'partner': a failure means the app itself cannot sign in; 'customer': it may be just this tenant. */
  role: 'partner' | 'customer';
  fetch: FetchLike;
  signal?: AbortSignal;
  now?: () => number;
  /** Called with each new secret the answer carries (a rotated refresh token), to keep it out of messages. */
  onSecret?(secret: string): void;
}

const consent = /AADSTS65001|AADSTS650051|not consented|consent/i;
const notInTenant = /AADSTS700016|AADSTS90002|AADSTS500011|AADSTS90072|AADSTS50020|not found in the directory|was not found/i;

/**
 * Classifies a token endpoint refusal. A missing consent is ConsentMissing, the app not known in
 * that tenant AccessDenied, for that tenant only; a wrong or expired client secret or certificate,
 * or a refresh token that no longer works, is AuthenticationFailed (it would fail for every
 * tenant: the run stops).
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
    return new GraphCallError('AuthenticationFailed', `the app's credential was refused (client id, client secret, certificate or refresh token): ${detail}`, { status });
  }
  return new GraphCallError('AccessDenied', `no token for this tenant: ${detail}`, { status });
}

/**
 * Adds the client's authentication to a token request form: a fresh client assertion for a
 * certificate (its audience is the token URL it goes to), else the client secret, else nothing
 * (a public client).
 */
export function addClientAuthentication(form: URLSearchParams, credential: AppCredential, url: string, now?: number): void {
  if (credential.certificate) {
    form.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
    form.set('client_assertion', buildClientAssertion({ clientId: credential.clientId, audience: url, certificate: credential.certificate, ...(now !== undefined ? { now } : {}) }));
  } else if (credential.clientSecret) {
    form.set('client_secret', credential.clientSecret);
  }
}

/**
 * POSTs a form to a login host endpoint through the HTTP client, once (a throttled token endpoint
 * is waited for by whoever asked for the token): every answer is the caller's to read; network
 * failures become a retryable RemoteError.
 */
export async function postForm(fetch: FetchLike, url: string, form: URLSearchParams, signal?: AbortSignal): Promise<Response> {
  const login = new ServiceClient({ service: 'the login host', base: new URL(url).origin, transport: fetch });
  const { response } = await login.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    retry: { retries: 0 },
    accept: () => true,
    ...(signal ? { signal } : {}),
  });
  return response;
}

/**
 * Takes a rotated refresh token: used from now on by every holder of the credential, and saved.
 * The store reports its own write failures (token-file.ts): the run goes on with the new token in
 * memory rather than failing a tenant for a file it could not write.
 */
async function adoptRefreshToken(credential: AppCredential, refreshToken: string, onSecret?: (secret: string) => void): Promise<void> {
  if (refreshToken === credential.refreshToken) return;
  onSecret?.(refreshToken);
  credential.refreshToken = refreshToken;
  await credential.tokenStore?.save(refreshToken);
}

/** POST /{tenant}/oauth2/v2.0/token with client credentials or a refresh token, for `scope`. */
export async function requestToken(request: TokenRequest): Promise<IssuedToken> {
  const { credential } = request;
  const url = tokenUrl(request.loginBase, request.tenant);
  // the refresh token sent, so that a rotation seen meanwhile by another request is not undone
  const refreshToken = credential.refreshToken;
  const form = new URLSearchParams({ client_id: credential.clientId, scope: request.scope });
  if (refreshToken) {
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', refreshToken);
  } else {
    form.set('grant_type', 'client_credentials');
  }
  addClientAuthentication(form, credential, url, request.now?.());
  const response = await postForm(request.fetch, url, form, request.signal);
  if (!response.ok) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), request.now?.() ?? Date.now());
    throw classifyTokenFailure(response.status, await errorText(response), request.role, retryAfterMs);
  }
  const body = await tokenAnswer(response);
  if (refreshToken && typeof body.refresh_token === 'string' && body.refresh_token !== '' && credential.refreshToken === refreshToken) {
    await adoptRefreshToken(credential, body.refresh_token, request.onSecret);
  }
  return { accessToken: body.access_token, lifetimeMs: body.expires_in * 1000 };
}

export interface TokenAnswer {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
}

/** The JSON of a successful token answer, checked. */
export async function tokenAnswer(response: Response): Promise<TokenAnswer> {
  let body: { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new GraphCallError('RemoteError', 'the token endpoint answered something that is not JSON', { retryable: true });
  }
  const seconds = Number(body.expires_in);
  if (typeof body.access_token !== 'string' || body.access_token === '' || !(seconds > 0)) {
    throw new GraphCallError('RemoteError', 'the token endpoint answered without access_token or expires_in', { retryable: true });
  }
  return { access_token: body.access_token, expires_in: seconds, ...(typeof body.refresh_token === 'string' ? { refresh_token: body.refresh_token } : {}) };
}
