/**
 * The login host's endpoints, at the root of its own listener as on login.microsoftonline.com: the
 * token endpoint (`POST /{tenant}/oauth2/v2.0/token`), the device code endpoint (`.../devicecode`),
 * a tenant's OpenID configuration (`GET /{tenant}/v2.0/.well-known/openid-configuration`), the JWKS
 * (`GET /{tenant}/discovery/v2.0/keys`) and instance discovery (`GET /common/discovery/instance`).
 * Nothing here logs a request, a code or a token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceBases } from '../http/service-hosts.js';
import { readBodyText } from '../http/request-body.js';
import type { LoginState } from './login-state.js';
import { loginErrors, type LoginFailure } from './texts.js';

const MAX_FORM = 64_000;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store' });
  res.end(text);
}

function sendFailure(res: ServerResponse, failure: LoginFailure): void {
  send(res, failure.status, failure.body);
}

/** The form fields of a request body, or undefined past MAX_FORM. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const text = await readBodyText(req, MAX_FORM);
  return text === undefined ? undefined : new URLSearchParams(text);
}

/** The tenant segment of the path, decoded; kept as sent when it does not decode. */
function tenantSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Answers a request for the login host; false when the path is not one of its endpoints.
 * `path` is the pathname without a trailing slash.
 */
export async function handleLoginRequest(state: LoginState, bases: ServiceBases, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  const method = req.method ?? 'GET';
  const rest = path;
  // the one base every URL of the login host starts from (issuer, endpoints, assertion audiences)
  const base = bases.login;

  const getOnly = (): boolean => {
    if (method === 'GET') return false;
    send(res, 405, { error: 'invalid_request', error_description: `The endpoint only accepts GET requests. Received a ${method} request.` });
    return true;
  };
  if (/^\/common\/discovery\/instance$/i.test(rest)) {
    if (getOnly()) return true;
    const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const result = state.instanceDiscovery(base, query.get('authorization_endpoint'));
    if (result.ok) send(res, 200, result.body);
    else sendFailure(res, result.failure);
    return true;
  }
  const configMatch = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/i.exec(rest);
  if (configMatch) {
    if (getOnly()) return true;
    const result = state.openidConfiguration(base, tenantSegment(configMatch[1] as string));
    if (result.ok) send(res, 200, result.body);
    else sendFailure(res, result.failure);
    return true;
  }
  if (/^\/[^/]+\/discovery\/v2\.0\/keys$/i.test(rest)) {
    if (getOnly()) return true;
    send(res, 200, state.jwks());
    return true;
  }

  const tokenMatch = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i.exec(rest);
  if (tokenMatch) {
    if (method !== 'POST') {
      sendFailure(res, loginErrors.onlyPost(method, state.now()));
      return true;
    }
    const form = await readForm(req);
    if (!form) {
      sendFailure(res, loginErrors.missingField('grant_type', state.now()));
      return true;
    }
    const result = await state.issueToken(tenantSegment(tokenMatch[1] as string), form, base);
    if (result.ok) send(res, 200, result.body);
    else sendFailure(res, result.failure);
    return true;
  }

  const deviceCodeMatch = /^\/([^/]+)\/oauth2\/v2\.0\/devicecode$/i.exec(rest);
  if (deviceCodeMatch) {
    if (method !== 'POST') {
      send(res, 400, loginErrors.onlyPost(method, state.now()).body);
      return true;
    }
    const form = await readForm(req);
    if (!form) {
      send(res, 400, loginErrors.missingField('client_id', state.now()).body);
      return true;
    }
    const result = state.startDeviceCode(tenantSegment(deviceCodeMatch[1] as string), form);
    if (result.ok) send(res, 200, result.body);
    else sendFailure(res, result.failure);
    return true;
  }
  return false;
}
