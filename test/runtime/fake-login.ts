/**
 * A scripted login host behind a FetchLike: what MSAL sends (method, URL, form, headers) is kept,
 * and each request is answered as the Microsoft identity platform answers it (token, device code,
 * errors with AADSTS codes), or by a test's own script.
 */
import type { FetchLike } from '../../runtime/platform/http/fetch-like.js';

export interface SeenRequest {
  method: string;
  url: string;
  /** The path without the query MSAL adds (client-request-id). */
  path: string;
  /** The tenant segment of the path. */
  tenant: string;
  form: URLSearchParams;
  headers: Headers;
}

export type Scripted = { status: number; body: unknown; headers?: Record<string, string> } | Error;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function aadError(status: number, error: string, code: number, description: string): Scripted {
  return { status, body: { error, error_description: `AADSTS${code}: ${description} Trace ID: 0 Correlation ID: 0 Timestamp: 2026-01-01 00:00:00Z`, error_codes: [code], timestamp: '2026-01-01 00:00:00Z', trace_id: '0', correlation_id: '0' } };
}

export interface FakeLoginOptions {
  /** Answers for the token endpoint, in order, before the default answers. */
  token?: Scripted[];
  /** Polls answered authorization_pending before the device code sign-in succeeds. */
  pendingPolls?: number;
  /** Whether delegated answers name the account (id_token, client_info), as the real service does. */
  idToken?: boolean;
}

export function fakeLogin(options: FakeLoginOptions = {}) {
  const seen: SeenRequest[] = [];
  const script = [...(options.token ?? [])];
  let pending = options.pendingPolls ?? 0;
  let n = 0;
  const answer = (scripted: Scripted): Response => {
    if (scripted instanceof Error) throw scripted;
    return new Response(JSON.stringify(scripted.body), { status: scripted.status, headers: { 'content-type': 'application/json', ...scripted.headers } });
  };
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    const form = new URLSearchParams(typeof init?.body === 'string' ? init.body : '');
    seen.push({ method: init?.method ?? 'GET', url: input, path: `${url.origin}${url.pathname}`, tenant: url.pathname.split('/')[1] ?? '', form, headers: new Headers(init?.headers) });
    if (url.pathname.endsWith('/devicecode')) {
      return answer({ status: 200, body: { device_code: 'DC-1', user_code: 'ABCDEFGHJ', verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900, interval: 0, message: 'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCDEFGHJ to authenticate.' } });
    }
    if (!url.pathname.endsWith('/oauth2/v2.0/token')) return answer({ status: 404, body: { error: 'not_found' } });
    const next = script.shift();
    if (next) return answer(next);
    const grant = form.get('grant_type');
    if (grant === 'device_code' && pending > 0) {
      pending -= 1;
      return answer(aadError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.'));
    }
    n += 1;
    const tenant = url.pathname.split('/')[1] ?? '';
    const body: Record<string, unknown> = { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: `AT-${n}-${tenant}`, scope: form.get('scope') };
    if (grant === 'device_code' || grant === 'refresh_token') {
      body.refresh_token = `RT-${n}`;
      if (options.idToken !== false) {
        const tid = /^[0-9a-f-]{36}$/.test(tenant) ? tenant : '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
        body.id_token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ aud: form.get('client_id'), iss: `${url.origin}/${tid}/v2.0`, tid, oid: 'admin-oid', sub: 'admin-sub', preferred_username: 'admin@partner.example', name: 'Partner Admin', ver: '2.0', iat: 1, nbf: 1, exp: 4102444800 })}.`;
        body.client_info = b64({ uid: 'admin-oid', utid: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' });
      }
    }
    return answer({ status: 200, body });
  };
  return { fetch, seen, tokenRequests: () => seen.filter((r) => r.path.endsWith('/oauth2/v2.0/token')) };
}
