/**
 * The login host's client authentication and its device code grant, kept apart from the token
 * route (graph-state.ts issueToken) so each concern stays small: a client proves itself with its
 * secret or with a client assertion signed by a certificate uploaded to the app (checked: RS256
 * with x5t or PS256 with x5t#S256 naming that certificate, its signature, x5c when sent, aud = the
 * token URL, iss = sub = the client id, nbf and exp with 5 minutes of skew); a device code is
 * approved after a scenario-given number of polls.
 */
import { createHash, randomBytes, randomInt, X509Certificate } from 'node:crypto';
import { compactVerify } from 'jose';
import { assertionErrors, deviceCodeErrors, type LoginFailure } from './texts.js';
import type { Scenario } from '../world/scenario-schema.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** The short form MSAL sends, which Entra ID takes as well. */
export const DEVICE_CODE_GRANT_SHORT = 'device_code';
/** The clock skew Entra ID allows around nbf and exp. */
const SKEW_MS = 5 * 60 * 1000;
const VERIFICATION_URI = 'https://microsoft.com/devicelogin';

/** An app's certificates by thumbprint: x5t (base64url SHA-1 of the DER) and x5t#S256 (SHA-256). */
export interface AppCertificates {
  x5t: Map<string, X509Certificate>;
  x5tS256: Map<string, X509Certificate>;
}

export function certificatesByThumbprint(pems: readonly string[]): AppCertificates {
  const certs = pems.map((pem) => new X509Certificate(pem));
  const by = (hash: 'sha1' | 'sha256') => new Map(certs.map((cert) => [createHash(hash).update(cert.raw).digest('base64url'), cert]));
  return { x5t: by('sha1'), x5tS256: by('sha256') };
}

export interface LoginClient {
  clientId: string;
  clientSecret: string;
  certificates: AppCertificates;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
const hexThumbprint = (thumbprint: string) => Buffer.from(thumbprint, 'base64url').toString('hex').toUpperCase();

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Which thumbprint header each algorithm names its certificate by (Entra ID's certificate credentials). */
const thumbprintHeader = { RS256: 'x5t', PS256: 'x5t#S256' } as const;

/**
 * Checks a client assertion; undefined when it is good. `audiences`: the token endpoint URLs its
 * `aud` may name (this host's URL of the endpoint, by the tenant as sent or by its id, v2.0 or v1).
 */
export async function verifyClientAssertion(client: LoginClient, assertion: string, audiences: readonly string[], now: number): Promise<LoginFailure | undefined> {
  const parts = assertion.split('.');
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (parts.length !== 3 || !header || !claims) return assertionErrors.invalidJwt('The client assertion is not a JWS compact serialization.', now);
  const alg = header.alg;
  if (alg !== 'RS256' && alg !== 'PS256') return assertionErrors.invalidJwt(`The token's signing algorithm '${String(alg)}' is not supported.`, now);
  const named = thumbprintHeader[alg];
  const thumbprint = header[named];
  if (typeof thumbprint !== 'string' || thumbprint === '') {
    const other = alg === 'RS256' ? header['x5t#S256'] : header.x5t;
    return typeof other === 'string' && other !== '' ? assertionErrors.thumbprintKind(alg, named, now) : assertionErrors.noThumbprint(now);
  }
  const cert = (alg === 'RS256' ? client.certificates.x5t : client.certificates.x5tS256).get(thumbprint);
  if (!cert) return assertionErrors.keyNotFound(hexThumbprint(thumbprint), client.clientId, now);
  if (header.x5c !== undefined) {
    // a certificate chain may come along (subject name + issuer sign-in); its leaf must be the named certificate
    const leaf = Array.isArray(header.x5c) && typeof header.x5c[0] === 'string' ? Buffer.from(header.x5c[0], 'base64') : undefined;
    if (!leaf?.equals(cert.raw)) return assertionErrors.x5cMismatch(now);
  }
  try {
    await compactVerify(assertion, cert.publicKey, { algorithms: [alg] });
  } catch {
    return assertionErrors.badSignature(hexThumbprint(thumbprint), cert.validFrom, cert.validTo, now);
  }
  if (String(claims.iss).toLowerCase() !== client.clientId.toLowerCase() || String(claims.sub).toLowerCase() !== client.clientId.toLowerCase()) {
    return assertionErrors.invalidJwt("The 'iss' and 'sub' claims must both be the application's client id.", now);
  }
  const aud = typeof claims.aud === 'string' ? claims.aud.toLowerCase() : undefined;
  if (aud === undefined || !audiences.some((a) => a.toLowerCase() === aud)) return assertionErrors.audience(now);
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
export async function authenticateClient(
  client: LoginClient,
  form: URLSearchParams,
  audiences: readonly string[],
  publicAllowed: boolean,
  now: number,
): Promise<LoginFailure | undefined> {
  const assertion = form.get('client_assertion');
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) return assertionErrors.badAssertionType(now);
    return verifyClientAssertion(client, assertion, audiences, now);
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
