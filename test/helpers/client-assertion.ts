/**
 * A client assertion as older clients send it (RFC 7523, RS256 with the SHA-1 `x5t`), built by the
 * tests to drive the simulator's login host directly; the runtime's own assertions are MSAL's
 * (PS256 with `x5t#S256`). Header {alg, typ, x5t}, claims aud = the token URL, iss = sub = the
 * client id, a fresh jti, nbf/iat now and exp a few minutes later.
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 */
import { randomUUID, sign } from 'node:crypto';
import type { ClientCertificate } from '../../runtime/backends/app/auth/certificate.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Entra ID refuses assertions valid for more than 10 minutes; each token request builds its own. */
export const ASSERTION_LIFETIME_SECONDS = 600;

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function buildClientAssertion(options: { clientId: string; audience: string; certificate: ClientCertificate; now?: number }): string {
  const seconds = Math.floor((options.now ?? Date.now()) / 1000);
  const header = { alg: 'RS256', typ: 'JWT', x5t: options.certificate.x5t };
  const claims = {
    aud: options.audience,
    iss: options.clientId,
    sub: options.clientId,
    jti: randomUUID(),
    nbf: seconds,
    iat: seconds,
    exp: seconds + ASSERTION_LIFETIME_SECONDS,
  };
  const signingInput = `${part(header)}.${part(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), options.certificate.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}
