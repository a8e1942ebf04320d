import { GraphCallError } from '../app/http/graph-error.js';
import { tenantBearer } from '../app/auth/app-tokens.js';
import type { BearerSource, ServiceClient } from '../../platform/http/http-client.js';
import type { Redactor } from '../../platform/redact.js';
import type { TenantTokens } from '../app/auth/app-tokens.js';
import { anchorMailbox, INLINE_RETRIES, MAX_INLINE_RETRY_AFTER_MS, MAX_PAGES_PER_CALL, PAGE_SIZE } from './exo-limits.js';

export type ExoObject = Record<string, unknown>;

export interface ExoClientOptions {
  /** The HTTP client made for the Exchange admin API (https://outlook.office365.com, or the simulator's stand-in). */
  http: ServiceClient;
  tenantId: string;
  /** A token for the tenant (cached); `refresh` after a 401 asks for a new one. */
  token: BearerSource;
  signal: AbortSignal;
  pageSize?: number;
}

/** Classifies an answer that is not a page, in the words of the cmdlet; `cause` is the client's error. */
export function exoFailure(status: number, text: string, cmdlet: string, retryAfterMs: number | undefined, cause?: unknown): GraphCallError {
  const options = cause === undefined ? undefined : { cause };
  if (status === 429) return new GraphCallError('Throttled', `the Exchange admin API is throttling ${cmdlet} in this tenant: ${text}`, { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }, options);
  if (status === 401 || status === 403) {
    return new GraphCallError(
      'AccessDenied',
      `the Exchange admin API refused ${cmdlet} in this tenant (HTTP ${status}): ${text}. The GDAP relationship needs the Exchange Administrator or Global Reader role (app-only: Exchange.ManageAsApp consented and an Entra role assigned to the app in the tenant)`,
      { status },
      options,
    );
  }
  if (status >= 500) return new GraphCallError('RemoteError', `the Exchange admin API failed (HTTP ${status}) on ${cmdlet}: ${text}`, { status, retryable: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }, options);
  if (status === 400) return new GraphCallError('InvalidParameter', `${cmdlet} was refused (HTTP 400): ${text}`, { status }, options);
  return new GraphCallError('RemoteError', `unexpected HTTP ${status} from ${cmdlet}: ${text}`, { status }, options);
}

/**
 * One customer tenant's Exchange admin API: POST <exchange>/adminapi/beta/{tenantId}/InvokeCommand
 * with the cmdlet and its parameters, every page of the answer (the same body POSTed to each
 * @odata.nextLink, never outside the Exchange base), through the HTTP client: a 401 is tried once
 * more with a new token; 429, 5xx and network failures wait (Retry-After) and are tried again
 * inside the attempt when the wait is short, else end it as a classified GraphCallError.
 */
export class ExoClient {
  /** Warnings the service attached (@adminapi.warnings), in order. */
  readonly warnings: string[] = [];

  constructor(private readonly options: ExoClientOptions) {}

  /** Every object the cmdlet returns, page by page. */
  async *invoke(cmdlet: string, parameters: Record<string, unknown>, select?: readonly string[]): AsyncGenerator<ExoObject[]> {
    const { http, tenantId, signal } = this.options;
    const query = select && select.length > 0 ? `?$select=${select.map(encodeURIComponent).join(',')}` : '';
    const first = `${http.base}/adminapi/beta/${encodeURIComponent(tenantId)}/InvokeCommand${query}`;
    const request = {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        accept: 'application/json',
        prefer: `odata.maxpagesize=${this.options.pageSize ?? PAGE_SIZE}`,
        'x-anchormailbox': anchorMailbox(tenantId),
      },
      body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
      bearer: this.options.token,
      signal,
      retry: { retries: INLINE_RETRIES, maxWaitMs: MAX_INLINE_RETRY_AFTER_MS },
    };
    try {
      for await (const page of http.pages(first, request, MAX_PAGES_PER_CALL)) {
        const value = page.value;
        if (!Array.isArray(value)) throw new GraphCallError('RemoteError', `${cmdlet}: the answer has no value array`);
        for (const warning of Array.isArray(page['@adminapi.warnings']) ? page['@adminapi.warnings'] : []) this.warnings.push(String(warning));
        yield value.filter((v): v is ExoObject => typeof v === 'object' && v !== null && !Array.isArray(v));
      }
    } catch (error) {
      throw cmdletFailure(http, error, cmdlet);
    }
  }

  /** Every object of the cmdlet at once (small answers: accepted domains, the mailboxes to go through). */
  async all(cmdlet: string, parameters: Record<string, unknown>, select?: readonly string[]): Promise<ExoObject[]> {
    const objects: ExoObject[] = [];
    for await (const page of this.invoke(cmdlet, parameters, select)) objects.push(...page);
    return objects;
  }
}

/** A failure of the client in the cmdlet's words: an answer classified for the cmdlet, anything else naming it; a token's failure as it is. */
function cmdletFailure(http: ServiceClient, error: unknown, cmdlet: string): unknown {
  if (!http.owns(error)) return error;
  const { status, serviceText, retryAfterMs } = error.details;
  if (status !== undefined) return exoFailure(status, serviceText || `HTTP ${status}`, cmdlet, retryAfterMs, error);
  return new GraphCallError(error.category, `${cmdlet}: ${error.message}`, error.details, { cause: error });
}

/** What a client of one tenant needs besides the tenant: the service, the tokens of its scope, and the run's tools. */
export interface ExoServiceOptions {
  /** The HTTP client made for the Exchange admin API. */
  http: ServiceClient;
  tokens: TenantTokens;
  redactor: Redactor;
  now?: () => number;
  pageSize?: number;
}

/** A client of one tenant whose token comes from the cache, a new one after the service refused the last (401). */
export function tenantClient(service: ExoServiceOptions, tenantId: string, signal: AbortSignal): ExoClient {
  const { http, tokens, pageSize } = service;
  return new ExoClient({ http, tenantId, token: tenantBearer(tokens, tenantId, signal), signal, ...(pageSize ? { pageSize } : {}) });
}
