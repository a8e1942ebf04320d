/**
 * The login host's client authentication and its device code grant, kept apart from the token
 * route (graph-state.ts issueToken) so each concern stays small: a client proves itself with its
 * secret or with a client assertion signed by a certificate uploaded to the app (checked: RS256
 * signature with that certificate's key, x5t, aud = the token URL, iss = sub = the client id, nbf
 * and exp with 5 minutes of skew); a device code is approved after a scenario-given number of polls.
 */
import { createHash, randomBytes, randomInt, verify, X509Certificate } from 'node:crypto';
import { assertionErrors, deviceCodeErrors, type LoginFailure } from './texts.js';
import type { Scenario } from '../world/scenario-schema.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** The clock skew Entra ID allows around nbf and exp. */
const SKEW_MS = 5 * 60 * 1000;
const VERIFICATION_URI = 'https://microsoft.com/devicelogin';

/** An app's certificates by x5t (base64url SHA-1 of the DER). */
export function certificatesByX5t(pems: readonly string[]): Map<string, X509Certificate> {
  return new Map(
    pems.map((pem) => {
      const cert = new X509Certificate(pem);
      return [createHash('sha1').update(cert.raw).digest('base64url'), cert];
    }),
  );
}

export interface LoginClient {
  clientId: string;
  clientSecret: string;
  certificates: Map<string, X509Certificate>;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
const hexThumbprint = (x5t: string) => Buffer.from(x5t, 'base64url').toString('hex').toUpperCase();

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Checks a client assertion; undefined when it is good. */
export function verifyClientAssertion(client: LoginClient, assertion: string, audience: string, now: number): LoginFailure | undefined {
  const parts = assertion.split('.');
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (parts.length !== 3 || !header || !claims) return assertionErrors.invalidJwt('The client assertion is not a JWS compact serialization.', now);
  if (header.alg !== 'RS256' && header.alg !== 'PS256') return assertionErrors.invalidJwt(`The token's signing algorithm '${String(header.alg)}' is not supported.`, now);
  if (typeof header.x5t !== 'string' || header.x5t === '') return assertionErrors.noThumbprint(now);
  const cert = client.certificates.get(header.x5t);
  if (!cert) return assertionErrors.keyNotFound(hexThumbprint(header.x5t), client.clientId, now);
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2] ?? '', 'base64url');
  const padding = header.alg === 'PS256' ? { padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 } : {};
  if (!verify('sha256', signed, { key: cert.publicKey, ...padding }, signature)) {
    return assertionErrors.badSignature(hexThumbprint(header.x5t), cert.validFrom, cert.validTo, now);
  }
  if (String(claims.iss).toLowerCase() !== client.clientId.toLowerCase() || String(claims.sub).toLowerCase() !== client.clientId.toLowerCase()) {
    return assertionErrors.invalidJwt("The 'iss' and 'sub' claims must both be the application's client id.", now);
  }
  if (typeof claims.aud !== 'string' || claims.aud.toLowerCase() !== audience.toLowerCase()) return assertionErrors.audience(now);
  const exp = Number(claims.exp) * 1000;
  const nbf = claims.nbf === undefined ? 0 : Number(claims.nbf) * 1000;
  if (!(exp > 0) || now - SKEW_MS >= exp || now + SKEW_MS < nbf) return assertionErrors.timeRange(iso(now), iso(nbf), iso(Math.max(exp, 0)), now);
  return undefined;
}

/**
 * The client's proof: an assertion when one is sent, else the secret. `publicAllowed`: a request
 * with neither is a public client's (device code and refresh grants of an app that allows public
 * client flows, as the partner's sign-in app does).
 */
export function authenticateClient(client: LoginClient, form: URLSearchParams, audience: string, publicAllowed: boolean, now: number): LoginFailure | undefined {
  const assertion = form.get('client_assertion');
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) return assertionErrors.badAssertionType(now);
    return verifyClientAssertion(client, assertion, audience, now);
  }
  const secret = form.get('client_secret');
  if (secret === null) return publicAllowed ? undefined : assertionErrors.noCredential(now);
  return undefined; // the secret itself is compared by the caller (its refusal text is the caller's)
}

interface PendingCode {
  clientId: string;
  tenantId: string;
  scope: string;
  expiresAt: number;
  polls: number;
}

export type DeviceCodePoll = { ok: true; user: string } | { ok: false; failure: LoginFailure };

/** The device codes handed out by /devicecode and their polls. */
export class DeviceCodes {
  private readonly codes = new Map<string, PendingCode>();
  constructor(private readonly settings: Scenario['graph']['deviceCode']) {}

  /** POST /{tenant}/oauth2/v2.0/devicecode: the answer body. */
  start(clientId: string, tenantId: string, scope: string, now: number) {
    const deviceCode = randomBytes(48).toString('base64url');
    const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const userCode = Array.from({ length: 9 }, () => letters[randomInt(letters.length)]).join('');
    const { intervalSeconds, expiresInSeconds } = this.settings;
    this.codes.set(deviceCode, { clientId: clientId.toLowerCase(), tenantId, scope, expiresAt: now + expiresInSeconds * 1000, polls: 0 });
    return {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: VERIFICATION_URI,
      expires_in: expiresInSeconds,
      interval: intervalSeconds,
      message: `To sign in, use a web browser to open the page ${VERIFICATION_URI} and enter the code ${userCode} to authenticate.`,
    };
  }

  /** The scope a device code was handed out for (its token request names none). */
  scopeOf(deviceCode: string | null): string | null {
    return (deviceCode !== null && this.codes.get(deviceCode)?.scope) || null;
  }

  /** One poll with grant_type=device_code: pending, slow_down, expired, declined, or the signed-in user. */
  poll(deviceCode: string, clientId: string, now: number): DeviceCodePoll {
    const code = this.codes.get(deviceCode);
    if (!code || code.clientId !== clientId.toLowerCase()) return { ok: false, failure: deviceCodeErrors.badCode(now) };
    if (now >= code.expiresAt) return { ok: false, failure: deviceCodeErrors.expired(now) };
    code.polls += 1;
    const { approveAfterPolls, slowDownPolls, outcome, user } = this.settings;
    if (code.polls <= approveAfterPolls) {
      return { ok: false, failure: code.polls <= slowDownPolls ? deviceCodeErrors.slowDown(now) : deviceCodeErrors.pending(now) };
    }
    if (outcome === 'decline') return { ok: false, failure: deviceCodeErrors.declined(now) };
    if (outcome === 'expire') return { ok: false, failure: deviceCodeErrors.expired(now) };
    // a device code is redeemed once
    this.codes.delete(deviceCode);
    return { ok: true, user };
  }
}
