/**
 * The bodies of the login host (Microsoft Entra ID token endpoint), of Microsoft Graph and of the
 * report download storage, as the real services answer them (reference §4). Where no source
 * confirmed a text, the comment says "guess".
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
};

/** The body of a failed Microsoft Graph call. */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export interface GraphFailure {
  status: number;
  body: GraphErrorBody;
  headers?: Record<string, string>;
}

function graphError(status: number, code: string, message: string, now: number, headers?: Record<string, string>): GraphFailure {
  const requestId = randomUUID();
  return {
    status,
    body: { error: { code, message, innerError: { date: new Date(now).toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId } } },
    ...(headers ? { headers } : {}),
  };
}

export const graphErrors = {
  noToken: (now: number) => graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', now),
  badToken: (now: number) => graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.', now),
  expiredToken: (now: number) => graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', now),
  /** (guess at the wording) a customer tenant's token on a partner-only API. */
  notPartnerToken: (tenantId: string, now: number) =>
    graphError(403, 'Forbidden', `Insufficient privileges to complete the operation. The token was issued for tenant '${tenantId}', expected a token of the partner tenant.`, now),
  /** (guess at the wording) the partner's own token on a customer report: the partner tenant has no customer data. */
  notCustomerToken: (tenantId: string, now: number) =>
    graphError(403, 'Forbidden', `Insufficient privileges to complete the operation. The token was issued for the partner tenant '${tenantId}', expected a token of the customer tenant whose report is requested.`, now),
  badRequest: (message: string, now: number) => graphError(400, 'BadRequest', message, now),
  /** (guess at the wording) findTenantInformationByTenantId for an id no tenant has. */
  tenantNotFound: (tenantId: string, now: number) =>
    graphError(404, 'Request_ResourceNotFound', `Resource '${tenantId}' does not exist or one of its queried reference-property objects are not present.`, now),
  topTooLarge: (max: number, top: string, now: number) =>
    graphError(400, 'BadRequest', `The limit of '${max}' for Top query has been exceeded. The value from the incoming request is '${top}'.`, now),
  notFound: (segment: string, now: number) => graphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`, now),
  methodNotAllowed: (now: number) => graphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.', now),
  tooManyRequests: (retryAfterSeconds: number, now: number) =>
    graphError(429, 'TooManyRequests', 'Too many requests are being made to the report API. Please try again later.', now, { 'retry-after': String(retryAfterSeconds) }),
  /** (guess at the wording) a transient failure of the reporting back end. */
  serviceUnavailable: (now: number) =>
    graphError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please try again later.', now, { 'retry-after': '1' }),
};

/** What the download storage answers for an expired pre-authenticated URL (Azure Storage, expired SAS). */
export function expiredDownloadXml(expiredAt: number, now: number): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code>' +
    '<Message>Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.\n' +
    `RequestId:${randomUUID()}\nTime:${new Date(now).toISOString().replace(/\.\d+Z$/, '.0000000Z')}</Message>` +
    `<AuthenticationErrorDetail>Signed expiry time [${new Date(expiredAt).toUTCString()}] must be after signed start time [${new Date(now).toUTCString()}]</AuthenticationErrorDetail></Error>`
  );
}

/** An unknown download id: the storage's answer for a blob that does not exist. */
export function unknownDownloadXml(now: number): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code>' +
    `<Message>The specified blob does not exist.\nRequestId:${randomUUID()}\nTime:${new Date(now).toISOString().replace(/\.\d+Z$/, '.0000000Z')}</Message></Error>`
  );
}
