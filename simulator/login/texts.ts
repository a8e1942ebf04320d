/**
 * The login host's answers (Microsoft Entra ID token and device code endpoints), as Entra ID words
 * them (texts from public error reports; "guess" where none confirmed the code or the words).
 */
import { randomUUID } from 'node:crypto';

/** The body of a failed token request (OAuth 2.0 error response with Entra ID's extra fields). */
export interface LoginErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

export interface LoginFailure {
  status: number;
  body: LoginErrorBody;
}

/** "2024-05-01 12:00:00Z", the timestamp format of Entra ID error bodies. */
function loginTimestamp(now: number): string {
  return `${new Date(now).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function loginError(status: number, error: string, code: number, text: string, now: number): LoginFailure {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = loginTimestamp(now);
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

export const loginErrors = {
  missingField: (field: string, now: number) =>
    loginError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${field}'.`, now),
  unsupportedGrant: (grant: string, now: number) =>
    loginError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`, now),
  badScope: (now: number) =>
    loginError(400, 'invalid_scope', 1002012, "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", now),
  unknownTenant: (tenant: string, now: number) =>
    loginError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`, now),
  unknownApp: (clientId: string, tenant: string, now: number) =>
    loginError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`, now),
  badSecret: (clientId: string, now: number) =>
    loginError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`, now),
  /** The app has no consent in the customer tenant (error code invalid_client for both grants: simplification). */
  notConsented: (clientId: string, appName: string, now: number) =>
    loginError(400, 'invalid_client', 65001, `The user or administrator has not consented to use the application with ID '${clientId}' named '${appName}'. Send an interactive authorization request for this user and resource.`, now),
  /** (guess at the code) the client-credentials grant on /organizations or /common, which name no tenant. */
  noTenant: (now: number) =>
    loginError(400, 'invalid_request', 50059, 'No tenant-identifying information found in either the request or implied by any provided credentials.', now),
  onlyPost: (method: string, now: number) =>
    loginError(400, 'invalid_request', 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`, now),
  /** A `/.default` scope of a resource the tenant does not have (any resource but Graph and Exchange here). */
  invalidResource: (resource: string, tenantName: string, now: number) =>
    loginError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`, now),
  /** The refresh grant (a partner user) on a customer whose GDAP relationship is not active: the partner user has no access there. */
  noDelegatedAccess: (partnerTenantId: string, tenantName: string, clientId: string, appName: string, now: number) =>
    loginError(400, 'invalid_grant', 50020, `User account '{EmailHidden}' from identity provider 'https://sts.windows.net/${partnerTenantId}/' does not exist in tenant '${tenantName}' and cannot access the application '${clientId}'(${appName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`, now),
  badRefreshToken: (now: number) =>
    loginError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.', now),
  /** A refresh token redeemed before and no longer taken (the scenario's refreshTokenReuseSeconds have passed). */
  refreshTokenExpired: (issuedAt: string, inactiveFor: string, now: number) =>
    loginError(400, 'invalid_grant', 700082, `The refresh token has expired due to inactivity. The token was issued on ${issuedAt} and was inactive for ${inactiveFor}.`, now),
  /** The OpenID configuration of a tenant the service does not know (its error is invalid_tenant there). */
  configUnknownTenant: (tenant: string, now: number) => {
    const failure = loginErrors.unknownTenant(tenant, now);
    return { ...failure, body: { ...failure.body, error: 'invalid_tenant' } };
  },
  /** Instance discovery for an authorization endpoint on another host than this one. */
  unknownInstance: (now: number) => loginError(400, 'invalid_instance', 50049, 'Unknown or invalid instance.', now),
};

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
  /** (guess at the words) PS256 without x5t#S256, or RS256 without x5t: the thumbprint kind does not go with the algorithm. */
  thumbprintKind: (alg: string, header: string, now: number) =>
    loginError(401, 'invalid_client', 50027, `Invalid JWT token. The '${alg}' algorithm requires the '${header}' header to name the certificate.`, now),
  /** (guess at the words) an x5c header whose first certificate is not the one the thumbprint names. */
  x5cMismatch: (now: number) => loginError(401, 'invalid_client', 50027, "Invalid JWT token. The certificate in the 'x5c' header does not match the certificate thumbprint in the token header.", now),
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
