/**
 * Delegated sign-in by device code (RFC 8628 as Entra ID serves it), for a partner admin with MFA:
 * POST /{tenant}/oauth2/v2.0/devicecode, the service's `message` on stderr (the one line the user
 * acts on: open a page, enter a code), then the token endpoint polled with the device_code grant
 * every `interval` seconds until the user has signed in, declined, or the code expired.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code
 */
import { GraphCallError, errorText } from '../http/graph-error.js';
import { isTokenTenant } from '../http/graph-urls.js';
import { OFFLINE_ACCESS } from './scopes.js';
import { addClientAuthentication, postForm, tokenAnswer, type AppCredential, type FetchLike } from './token-client.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.5: slow_down adds 5 seconds to the interval, for this and all later polls. */
const SLOW_DOWN_STEP_SECONDS = 5;
/** The interval when the service names none (RFC 8628 §3.2). */
const DEFAULT_INTERVAL_SECONDS = 5;

export interface DeviceCodeSignIn {
  loginBase: string;
  /** The partner's tenant (id or domain) or organizations. */
  tenant: string;
  /** The resource scope; offline_access is added so that the answer carries a refresh token. */
  scope: string;
  /** Client id; a certificate or secret too when the app is a confidential client (usually it is public for this flow). */
  credential: AppCredential;
  fetch: FetchLike;
  /** Shows the service's message to the user (stderr). */
  notify(message: string): void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  now?: () => number;
  signal?: AbortSignal;
}

export interface DeviceCodeResult {
  refreshToken: string;
  accessToken: string;
  lifetimeMs: number;
}

interface DeviceCodeAnswer {
  device_code: string;
  message: string;
  expires_in: number;
  interval: number;
}

const failed = (message: string) => new GraphCallError('AuthenticationFailed', message);

function loginPath(loginBase: string, tenant: string, endpoint: 'devicecode' | 'token'): string {
  if (!isTokenTenant(tenant)) throw new Error(`'${tenant}' is not a tenant id, domain, 'organizations' or 'common'`);
  return `${loginBase}/${encodeURIComponent(tenant)}/oauth2/v2.0/${endpoint}`;
}

async function startDeviceCode(options: DeviceCodeSignIn): Promise<DeviceCodeAnswer> {
  const form = new URLSearchParams({ client_id: options.credential.clientId, scope: `${options.scope} ${OFFLINE_ACCESS}` });
  const response = await postForm(options.fetch, loginPath(options.loginBase, options.tenant, 'devicecode'), form, options.signal);
  if (!response.ok) throw failed(`the device code sign-in could not start: ${await errorText(response)}`);
  const body = (await response.json().catch(() => ({}))) as Partial<Record<keyof DeviceCodeAnswer, unknown>>;
  if (typeof body.device_code !== 'string' || typeof body.message !== 'string' || !(Number(body.expires_in) > 0)) {
    throw new GraphCallError('RemoteError', 'the devicecode endpoint answered without device_code, message or expires_in');
  }
  const interval = Number(body.interval);
  return { device_code: body.device_code, message: body.message, expires_in: Number(body.expires_in), interval: interval >= 0 ? interval : DEFAULT_INTERVAL_SECONDS };
}

/** The OAuth error code of a refusal ("authorization_pending", …) and its text. */
async function refusal(response: Response): Promise<{ code: string; text: string }> {
  const text = await errorText(response);
  return { code: /^([a-z_]+):/.exec(text)?.[1] ?? '', text };
}

/** Runs the sign-in; answers the refresh token (and the first access token, for `scope`). */
export async function signInWithDeviceCode(options: DeviceCodeSignIn): Promise<DeviceCodeResult> {
  const now = options.now ?? Date.now;
  const started = await startDeviceCode(options);
  options.notify(started.message);
  const deadline = now() + started.expires_in * 1000;
  let intervalSeconds = started.interval;
  const url = loginPath(options.loginBase, options.tenant, 'token');
  for (;;) {
    await options.sleep(intervalSeconds * 1000, options.signal);
    if (now() >= deadline) throw failed('the device code expired before the sign-in was completed; run again and sign in within the time the message gives');
    const form = new URLSearchParams({ grant_type: DEVICE_CODE_GRANT, client_id: options.credential.clientId, device_code: started.device_code });
    addClientAuthentication(form, options.credential, url, now());
    const response = await postForm(options.fetch, url, form, options.signal);
    if (response.ok) {
      const answer = await tokenAnswer(response);
      if (!answer.refresh_token) throw failed(`the sign-in answered no refresh token (is ${OFFLINE_ACCESS} allowed for the app?)`);
      return { refreshToken: answer.refresh_token, accessToken: answer.access_token, lifetimeMs: answer.expires_in * 1000 };
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      continue; // a passing failure: poll again at the same interval until the code expires
    }
    const { code, text } = await refusal(response);
    switch (code) {
      case 'authorization_pending':
        continue;
      case 'slow_down':
        intervalSeconds += SLOW_DOWN_STEP_SECONDS;
        continue;
      case 'expired_token':
        throw failed(`the device code expired before the sign-in was completed; run again: ${text}`);
      case 'authorization_declined':
      case 'access_denied':
        throw failed(`the sign-in was declined: ${text}`);
      default:
        throw failed(`the device code sign-in failed: ${text}`);
    }
  }
}
