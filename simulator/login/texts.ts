/**
 * The login host's answers for certificate credentials and the device code flow, as Entra ID words
 * them (texts from public error reports; "guess" where none confirmed the code or the words).
 */
import { loginError } from '../graph/texts.js';

const certDocs = 'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .';

export const assertionErrors = {
  /** Neither a secret nor an assertion came with a confidential client's request. */
  noCredential: (now: number) =>
    loginError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", now),
  /** (guess at the code) the client_assertion_type is not the jwt-bearer one. */
  badAssertionType: (now: number) =>
    loginError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_assertion_type'.", now),
  /** Not a JWT, alg not RS256/PS256, or iss/sub not the client id (the last: guess at the words). */
  invalidJwt: (why: string, now: number) => loginError(401, 'invalid_client', 50027, `Invalid JWT token. ${why}`, now),
  noThumbprint: (now: number) => loginError(401, 'invalid_client', 50027, 'Invalid JWT token. No certificate thumbprint specified in token header.', now),
  keyNotFound: (thumbprint: string, clientId: string, now: number) =>
    loginError(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
      now,
    ),
  badSignature: (thumbprint: string, notBefore: string, notAfter: string, now: number) =>
    loginError(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}', Found key 'Start=${notBefore}, End=${notAfter}']`,
      now,
    ),
  timeRange: (current: string, validFrom: string, expiry: string, now: number) =>
    loginError(401, 'invalid_client', 700024, `Client assertion is not within its valid time range. Current time: ${current}, assertion valid from ${validFrom}, expiry time of assertion ${expiry}. ${certDocs}`, now),
  /** The wording of an older answer (AADSTS50012 as part of AADSTS70002); today's code may differ. */
  audience: (now: number) => loginError(401, 'invalid_client', 50012, 'Client assertion audience claim does not match Realm issuer.', now),
};

export const deviceCodeErrors = {
  pending: (now: number) =>
    loginError(400, 'authorization_pending', 70016, 'The provided request has not yet been authorized by the user. The user must input their code.', now),
  /** (guess) Entra ID is not known to send slow_down; RFC 8628 clients must honour it. */
  slowDown: (now: number) => loginError(400, 'slow_down', 70016, 'The client is polling too quickly and should back off.', now),
  expired: (now: number) => loginError(400, 'expired_token', 70019, 'Verification code expired.', now),
  /** (guess at the code and words) the user declined on the sign-in page. */
  declined: (now: number) => loginError(400, 'authorization_declined', 70020, 'The end user denied the authorization request.', now),
  /** (guess at the code) a device_code the host never issued. */
  badCode: (now: number) => loginError(400, 'bad_verification_code', 70000, "The provided value for the input parameter 'device_code' is not valid.", now),
};
