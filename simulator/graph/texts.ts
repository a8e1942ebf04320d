/**
 * The bodies of Microsoft Graph and of the report download storage (the login host's are in
 * login/texts.ts), as the real services answer them (reference §4). Where no source
 * confirmed a text, the comment says "guess".
 */
import { randomUUID } from 'node:crypto';

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
  /** A `$batch` body that is not JSON, has no requests, or a request without id, method or url (the wording Graph uses for an empty batch). */
  badBatch: (now: number) => graphError(400, 'BadRequest', 'Invalid batch payload format.', now),
  /** (guess at the wording) more requests in one `$batch` than Graph takes. */
  batchTooLarge: (max: number, count: number, now: number) =>
    graphError(400, 'BadRequest', `The batch contains ${count} requests; a JSON batch may contain at most ${max} requests.`, now),
  /** Two requests of one `$batch` with the same id (ids compare case-insensitively). */
  duplicateBatchId: (id: string, now: number) => graphError(400, 'BadRequest', `Request Id ${id} has to be unique in a batch.`, now),
  /** (guess at the wording) a request of a `$batch` whose dependsOn request did not succeed: 424, and it is not run. */
  failedDependency: (dependency: string, now: number) =>
    graphError(424, 'FailedDependency', `The request was not run because request '${dependency}' it depends on failed.`, now),
  /** (guess at the wording) an absolute URL in a `$batch`: Graph takes only URLs relative to the version. */
  absoluteBatchUrl: (url: string, now: number) => graphError(400, 'BadRequest', `Invalid request URL '${url}': a request of a batch must use a URL relative to the version, e.g. /users.`, now),
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
