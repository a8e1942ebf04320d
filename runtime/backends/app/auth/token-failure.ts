/**
 * MSAL's errors in the runtime's failure categories, with the service's own words. The categories
 * and the AADSTS codes behind them are the project's (a tenant's failure must not stop a run, a bad
 * app credential must), so this mapping is ours; MSAL only hands over the codes.
 */
import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { GraphCallError } from '../http/graph-error.js';
import { MAX_ERROR_TEXT } from '../../../platform/http/service-error.js';
import { TokenEndpointFailure } from './msal-network.js';

/** 'partner': a failure means the app itself cannot sign in; 'customer': it may be just this tenant. */
export type TokenRole = 'partner' | 'customer';

const consent = /AADSTS65001|AADSTS650051|not consented|consent/i;
const notInTenant = /AADSTS700016|AADSTS90002|AADSTS500011|AADSTS90072|AADSTS50020|not found in the directory|was not found/i;

/**
 * Classifies a token endpoint refusal from its status and text ("<error>: <description>"). A
 * missing consent is ConsentMissing, the app not known in that tenant AccessDenied, for that tenant
 * only; a wrong or expired client secret or certificate, or a refresh token that no longer works,
 * is AuthenticationFailed (it would fail for every tenant: the run stops).
 */
export function classifyTokenFailure(status: number, text: string, role: TokenRole, retryAfterMs?: number, cause?: unknown): GraphCallError {
  const detail = text || `HTTP ${status}`;
  const withCause = cause === undefined ? undefined : { cause };
  if (status === 429) return new GraphCallError('Throttled', `the token endpoint is throttling: ${detail}`, { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }, withCause);
  if (status >= 500) return new GraphCallError('RemoteError', `the token endpoint failed (HTTP ${status}): ${detail}`, { status, retryable: true }, withCause);
  const details = status > 0 ? { status } : {};
  if (role === 'customer' && consent.test(text)) {
    return new GraphCallError('ConsentMissing', `no token for this tenant: the app is not consented in it: ${detail}`, details, withCause);
  }
  if (consent.test(text) || notInTenant.test(text)) {
    return new GraphCallError(
      role === 'customer' ? 'AccessDenied' : 'AuthenticationFailed',
      role === 'customer' ? `no token for this tenant: the app is not consented (or not present) in it: ${detail}` : `the app cannot get a token in the partner tenant: ${detail}`,
      details,
      withCause,
    );
  }
  if (/^invalid_client\b|^invalid_grant\b|^unauthorized_client\b|^interaction_required\b/.test(text) || status === 401 || role === 'partner') {
    if (role === 'customer' && /^unauthorized_client\b/.test(text)) return new GraphCallError('AccessDenied', `no token for this tenant: ${detail}`, details, withCause);
    return new GraphCallError('AuthenticationFailed', `the app's credential was refused (client id, client secret, certificate or refresh token): ${detail}`, details, withCause);
  }
  return new GraphCallError('AccessDenied', `no token for this tenant: ${detail}`, details, withCause);
}

/** The description a ServerError carries inside MSAL's "Error(s): … - Description: … - Correlation ID: …" text. */
function serviceWords(error: AuthError): string {
  const message = error.errorMessage || '';
  const described = /Description: ([\s\S]*?) - Correlation ID:/.exec(message)?.[1];
  const words = (described ?? message).replace(/\s+/g, ' ').trim();
  return words.length > MAX_ERROR_TEXT ? `${words.slice(0, MAX_ERROR_TEXT)}…` : words;
}

/** Device code outcomes MSAL reports as post_request_failed (the error code in its message) or as its own codes. */
function deviceCodeFailure(error: AuthError): GraphCallError | undefined {
  const code = error.errorCode === 'post_request_failed' ? error.errorMessage.trim() : error.errorCode;
  const failed = (message: string) => new GraphCallError('AuthenticationFailed', message, {}, { cause: error });
  switch (code) {
    case 'expired_token':
    case 'device_code_expired':
      return failed('the device code expired before the sign-in was completed; run again and sign in within the time the message gives');
    case 'authorization_declined':
    case 'access_denied':
      return failed(`the sign-in was declined: ${code}`);
    case 'bad_verification_code':
    case 'slow_down':
      return failed(`the device code sign-in failed: ${code}`);
    case 'device_code_polling_cancelled':
      return failed('the device code sign-in was stopped');
    default:
      return undefined;
  }
}

/** Any error of an MSAL call as a GraphCallError of the runtime's categories. */
export function tokenFailure(error: unknown, role: TokenRole): GraphCallError {
  if (error instanceof GraphCallError) return error;
  if (error instanceof TokenEndpointFailure) {
    const { failure } = error;
    const { status, serviceText, retryAfterMs } = failure.details;
    // a 429 or 5xx in the token endpoint's categories; no answer, or no JSON, as the HTTP client said
    if (status !== undefined && (status === 429 || status >= 500)) return classifyTokenFailure(status, serviceText ?? '', role, retryAfterMs, failure);
    return failure;
  }
  if (error instanceof ServerError || (error instanceof InteractionRequiredAuthError && error.errorCode !== 'no_tokens_found')) {
    const text = `${error.errorCode}: ${serviceWords(error)}`;
    return classifyTokenFailure((error instanceof ServerError ? error.status : undefined) ?? 400, text, role, undefined, error);
  }
  if (error instanceof AuthError) {
    const device = deviceCodeFailure(error);
    if (device) return device;
    if (error.errorCode === 'network_error' || error.errorCode === 'openid_config_error' || error.errorCode === 'endpoints_resolution_error') {
      return new GraphCallError('RemoteError', `the login host could not be used: ${error.errorCode}: ${serviceWords(error)}`, { retryable: true }, { cause: error });
    }
    return new GraphCallError('AuthenticationFailed', `the sign-in failed: ${error.errorCode}: ${serviceWords(error)}`, {}, { cause: error });
  }
  return new GraphCallError('RemoteError', `the sign-in failed: ${(error as Error)?.message ?? String(error)}`, { retryable: true }, { cause: error });
}
