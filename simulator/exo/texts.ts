/**
 * The answers of the Exchange Online admin API (outlook.office365.com/adminapi/beta) when a call
 * fails, in the shapes the real service uses (reference §4b). Sources: a captured 400 for an
 * unknown parameter (code BadRequest, message "Invalid Operation", details "|<type>|<text>",
 * innererror.internalexception); "Error executing cmdlet" with "Ex6F9304|<type>|<text>" details for
 * a missing object; the 401 "User is not allowed to call <cmdlet>" (ODataServiceException) of a
 * caller without an Exchange role; the outlook.office365.com 401 InvalidAudienceForResource of a
 * token issued for another resource. Where no source confirmed a text, the comment says "guess".
 */
import { randomUUID } from 'node:crypto';

export interface ExoErrorBody {
  error: {
    code: string;
    message: string;
    details?: Array<{ code: string; target: string; message: string }>;
    innererror?: { message: string; type: string; stacktrace: string; internalexception?: { message: string; type: string; stacktrace: string } };
  };
  'adminapi.warnings@odata.type': '#Collection(String)';
  '@adminapi.warnings': string[];
}

export interface ExoFailure {
  status: number;
  body: ExoErrorBody;
  headers?: Record<string, string>;
}

const odataException = 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException';

function failure(status: number, code: string, message: string, extra: Omit<ExoErrorBody['error'], 'code' | 'message'> = {}, headers?: Record<string, string>): ExoFailure {
  return {
    status,
    body: { error: { code, message, ...extra }, 'adminapi.warnings@odata.type': '#Collection(String)', '@adminapi.warnings': [] },
    ...(headers ? { headers } : {}),
  };
}

/** A cmdlet that ran and failed (validation, parameters): 400 "Invalid Operation", the real text in details and innererror. */
function invalidOperation(exceptionType: string, text: string): ExoFailure {
  return failure(400, 'BadRequest', 'Invalid Operation', {
    details: [{ code: 'Client', target: '', message: `|${exceptionType}|${text}` }],
    innererror: { message: 'Invalid Operation', type: odataException, stacktrace: '', internalexception: { message: text, type: exceptionType, stacktrace: '' } },
  });
}

const wwwAuthenticate = (error: string) =>
  `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="${error}"`;

export const exoErrors = {
  /** (guess at the body) no Authorization header, or not a bearer token. */
  noToken: () => failure(401, 'InvalidAuthenticationToken', 'The access token is missing. Provide a bearer token in the Authorization header.', {}, { 'www-authenticate': wwwAuthenticate('invalid_token') }),
  /** (guess at the body) a token the login host never issued. */
  badToken: () => failure(401, 'InvalidAuthenticationToken', 'The access token is not valid.', {}, { 'www-authenticate': wwwAuthenticate('invalid_token') }),
  /** (guess at the body) an expired token. */
  expiredToken: () => failure(401, 'InvalidAuthenticationToken', 'The access token has expired.', {}, { 'www-authenticate': wwwAuthenticate('invalid_token') }),
  /** A token for another resource (a Graph token here): outlook.office365.com's 401. */
  wrongAudience: (audienceClaim: string, requestUrl: string) =>
    failure(401, 'InvalidAudienceForResource', `The audience claim value is invalid for current resource. Audience claim is '${audienceClaim}', request url is '${requestUrl}' and resource type is 'Exchange'.`, {}, { 'www-authenticate': wwwAuthenticate('invalid_token') }),
  /** (guess at the wording) a token of one tenant used on another tenant's path. */
  wrongTenant: (tokenTenant: string, pathTenant: string) =>
    failure(401, 'InvalidAuthenticationToken', `The access token was issued for tenant '${tokenTenant}' and cannot be used for tenant '${pathTenant}'.`, {}, { 'www-authenticate': wwwAuthenticate('invalid_token') }),
  /** The caller has no Exchange role in the tenant (roleMissing: the GDAP relationship lacks Exchange Administrator and Global Reader). */
  notAllowed: (cmdlet: string) =>
    failure(401, 'Unauthorized', `User is not allowed to call ${cmdlet}`, { innererror: { message: `User is not allowed to call ${cmdlet}`, type: odataException, stacktrace: '' } }),
  /** (guess at the wording) X-AnchorMailbox malformed, or naming a mailbox outside the tenant in the path. */
  badAnchor: (tenantId: string) =>
    failure(400, 'BadRequest', `The X-AnchorMailbox header is not valid. Set it to 'APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenantId}' or leave it out.`),
  /** (guess at the wording) a path that is neither InvokeCommand nor $batch, or a batched request to another path. */
  notInvokeCommand: (path: string) =>
    failure(404, 'NotFound', `No resource at '${path}'. The admin API answers POST /adminapi/beta/{tenantId}/InvokeCommand and POST /adminapi/beta/{tenantId}/$batch.`),
  /** (guess at the wording) a $batch body that is not {"requests":[…]} of InvokeCommand calls. */
  badBatch: (why: string) => failure(400, 'BadRequest', `The batch request is not valid: ${why}`),
  /** (guess at the wording) more calls in one $batch than the admin API takes. */
  batchTooLarge: (max: number, count: number) =>
    failure(400, 'BadRequest', `The batch request contains ${count} requests; the admin API takes at most ${max} requests in one batch.`),
  /** (guess at the wording) the body is not {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}. */
  badBody: (why: string) => failure(400, 'BadRequest', `The request body is not valid: ${why}`),
  /** (guess at the wording) the tenant id in the path is not an organization of this world. */
  unknownTenant: (tenantId: string) => failure(404, 'NotFound', `The organization '${tenantId}' was not found.`),
  /** (guess at the wording) the admin API has no such cmdlet. */
  unknownCmdlet: (cmdlet: string) =>
    invalidOperation('System.Management.Automation.CommandNotFoundException', `The term '${cmdlet}' is not recognized as a name of a cmdlet, function, script file, or executable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`),
  /** A parameter the cmdlet does not have (captured text). */
  unknownParameter: (names: string[]) =>
    invalidOperation('Microsoft.Exchange.AdminApi.CommandInvocation.AmbiguousParameterSetException', `Parameter set cannot be resolved using the specified named parameters. Invalid cmdlet parameters specified. ${names.join(', ')}`),
  /** (guess at the wording, PowerShell's own text) a mandatory parameter not given. */
  missingParameter: (name: string) =>
    invalidOperation('System.Management.Automation.ParameterBindingException', `Cannot process command because of one or more missing mandatory parameters: ${name}.`),
  /** (guess at the wording) a parameter value that does not convert or is out of range. */
  badValue: (parameter: string, value: string, why: string) =>
    invalidOperation('Microsoft.Exchange.AdminApi.CommandInvocation.ParameterTransformationException', `Cannot process argument transformation on parameter '${parameter}'. Cannot convert value "${value}". Error: "${why}"`),
  /** A validation failure inside the cmdlet (message trace windows, ResultSize). */
  validation: (exceptionType: string, text: string) => invalidOperation(exceptionType, text),
  /** The object named by -Identity / -Mailbox does not exist ("Error executing cmdlet", the real details form). */
  notFound: (identity: string, region: string) => {
    const text = `The operation couldn't be performed because object '${identity}' couldn't be found on '${region.toUpperCase()}A001DC001.${region.toUpperCase()}A001.PROD.OUTLOOK.COM'.`;
    return failure(404, 'NotFound', 'Error executing cmdlet', {
      details: [{ code: 'Context', target: '', message: `Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|${text}` }],
      innererror: { message: 'Error executing cmdlet', type: odataException, stacktrace: '', internalexception: { message: text, type: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException', stacktrace: '' } },
    });
  },
  /** (guess at the body) exoThrottle: 429 with Retry-After. */
  throttled: (retryAfterSeconds: number) =>
    failure(429, 'TooManyRequests', `The request was throttled. Please retry after ${retryAfterSeconds} seconds.`, {}, { 'retry-after': String(retryAfterSeconds) }),
  /** (guess at the body) exoServerError: a transient failure of the service. */
  serverError: () =>
    failure(500, 'InternalServerError', 'An internal server error occurred. The operation failed.', {
      innererror: { message: `An internal server error occurred. The operation failed. RequestId: ${randomUUID()}`, type: odataException, stacktrace: '' },
    }),
  methodNotAllowed: (method: string, endpoint = 'InvokeCommand') => failure(405, 'MethodNotAllowed', `The HTTP method '${method}' is not allowed for ${endpoint}; use POST.`),
};

/** Get-MessageTraceV2's answer when a set is cut at ResultSize: the command for the next set, as the service words it. */
export function traceMoreResultsWarning(startDate: string, endDate: string, startingRecipientAddress: string, resultSize: number): string {
  return `There are more results, use the following command to get more. Get-MessageTraceV2 -StartDate "${startDate}" -EndDate "${endDate}" -StartingRecipientAddress "${startingRecipientAddress}" -ResultSize ${resultSize}`;
}
