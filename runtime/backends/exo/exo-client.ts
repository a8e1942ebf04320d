import { setTimeout as delay } from 'node:timers/promises';
import { GraphCallError } from '../app/http/graph-error.js';
import { MAX_ERROR_TEXT } from '../app/http/graph-limits.js';
import { isUnderBase } from '../app/http/graph-urls.js';
import type { Redactor } from '../../platform/redact.js';
import { parseRetryAfter } from '../app/http/retry-after.js';
import type { TenantTokens } from '../app/auth/app-tokens.js';
import type { FetchLike } from '../../platform/http/fetch-like.js';
import { anchorMailbox, INLINE_RETRIES, MAX_INLINE_RETRY_AFTER_MS, MAX_PAGES_PER_CALL, PAGE_SIZE } from './exo-limits.js';

export type ExoObject = Record<string, unknown>;

export interface ExoClientOptions {
  /** https://outlook.office365.com (or the simulator's stand-in). */
  exchangeBase: string;
  tenantId: string;
  /** A token for the tenant (cached); `refresh` after a 401 asks for a new one. */
  token(refresh: boolean): Promise<string>;
  fetch: FetchLike;
  redactor: Redactor;
  signal: AbortSignal;
  now?: () => number;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  pageSize?: number;
}

/** The service's own words from an Exchange admin API error body (details first, then the inner exception, then the message). */
export function exoErrorText(body: string, status: number): string {
  let text = body;
  try {
    const json = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; details?: Array<{ message?: unknown }>; innererror?: { internalException?: { message?: unknown } } } };
    const e = json.error;
    if (e && typeof e === 'object') {
      const detail = e.details?.find((d) => typeof d?.message === 'string')?.message ?? e.innererror?.internalException?.message;
      const message = typeof detail === 'string' && detail ? detail : String(e.message ?? '');
      text = e.code ? `${String(e.code)}: ${message}` : message;
    }
  } catch {
    // not JSON: the text as it came
  }
  const line = text.replace(/\s+/g, ' ').trim() || `HTTP ${status}`;
  return line.length > MAX_ERROR_TEXT ? `${line.slice(0, MAX_ERROR_TEXT)}…` : line;
}

/** Classifies an answer that is not a page. */
export function exoFailure(status: number, text: string, cmdlet: string, retryAfterMs: number | undefined): GraphCallError {
  if (status === 429) return new GraphCallError('Throttled', `the Exchange admin API is throttling ${cmdlet} in this tenant: ${text}`, { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  if (status === 401 || status === 403) {
    return new GraphCallError(
      'AccessDenied',
      `the Exchange admin API refused ${cmdlet} in this tenant (HTTP ${status}): ${text}. The GDAP relationship needs the Exchange Administrator or Global Reader role (app-only: Exchange.ManageAsApp consented and an Entra role assigned to the app in the tenant)`,
      { status },
    );
  }
  if (status >= 500) return new GraphCallError('RemoteError', `the Exchange admin API failed (HTTP ${status}) on ${cmdlet}: ${text}`, { status, retryable: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  if (status === 400) return new GraphCallError('InvalidParameter', `${cmdlet} was refused (HTTP 400): ${text}`, { status });
  return new GraphCallError('RemoteError', `unexpected HTTP ${status} from ${cmdlet}: ${text}`, { status });
}

/**
 * One customer tenant's Exchange admin API: POST <exchange>/adminapi/beta/{tenantId}/InvokeCommand
 * with the cmdlet and its parameters, every page of the answer (the same body POSTed to each
 * @odata.nextLink, never outside the Exchange base). A 401 is tried once more with a new token;
 * 429 and 5xx wait (Retry-After) and are tried again inside the attempt when the wait is short,
 * else end it as a classified GraphCallError.
 */
export class ExoClient {
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Warnings the service attached (@adminapi.warnings), in order. */
  readonly warnings: string[] = [];
  requests = 0;

  constructor(private readonly options: ExoClientOptions) {
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
  }

  /** Every object the cmdlet returns, page by page. */
  async *invoke(cmdlet: string, parameters: Record<string, unknown>, select?: readonly string[]): AsyncGenerator<ExoObject[]> {
    const { exchangeBase, tenantId } = this.options;
    const query = select && select.length > 0 ? `?$select=${select.map(encodeURIComponent).join(',')}` : '';
    let url: string | undefined = `${exchangeBase}/adminapi/beta/${encodeURIComponent(tenantId)}/InvokeCommand${query}`;
    const body = JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } });
    for (let pages = 0; url; pages += 1) {
      if (pages >= MAX_PAGES_PER_CALL) throw new GraphCallError('RemoteError', `${cmdlet}: stopped after ${MAX_PAGES_PER_CALL} pages`);
      const page = await this.page(url, body, cmdlet);
      const value = page.value;
      if (!Array.isArray(value)) throw new GraphCallError('RemoteError', `${cmdlet}: the answer has no value array`);
      for (const warning of Array.isArray(page['@adminapi.warnings']) ? page['@adminapi.warnings'] : []) this.warnings.push(String(warning));
      yield value.filter((v): v is ExoObject => typeof v === 'object' && v !== null && !Array.isArray(v));
      const next = page['@odata.nextLink'];
      if (typeof next === 'string' && next !== '') {
        if (!isUnderBase(next, exchangeBase)) throw new GraphCallError('RemoteError', `${cmdlet}: the next page is outside ${exchangeBase}; not following it`);
        url = next;
      } else url = undefined;
    }
  }

  /** Every object of the cmdlet at once (small answers: accepted domains, the mailboxes to go through). */
  async all(cmdlet: string, parameters: Record<string, unknown>, select?: readonly string[]): Promise<ExoObject[]> {
    const objects: ExoObject[] = [];
    for await (const page of this.invoke(cmdlet, parameters, select)) objects.push(...page);
    return objects;
  }

  private async page(url: string, body: string, cmdlet: string): Promise<Record<string, unknown>> {
    const { signal, redactor } = this.options;
    let refreshed = false;
    for (let attempt = 0; ; attempt += 1) {
      signal.throwIfAborted();
      const token = await this.options.token(refreshed);
      let response: Response;
      try {
        this.requests += 1;
        response = await this.options.fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json; charset=utf-8',
            accept: 'application/json',
            prefer: `odata.maxpagesize=${this.options.pageSize ?? PAGE_SIZE}`,
            'x-anchormailbox': anchorMailbox(this.options.tenantId),
          },
          body,
          redirect: 'manual',
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw error;
        if (attempt >= INLINE_RETRIES) throw new GraphCallError('RemoteError', `the Exchange admin API could not be reached: ${(error as Error).message}`, { retryable: true }, { cause: error });
        await this.sleep(Math.min(MAX_INLINE_RETRY_AFTER_MS, 1000 * 2 ** attempt), signal);
        continue;
      }
      if (response.ok) {
        try {
          return (await response.json()) as Record<string, unknown>;
        } catch {
          throw new GraphCallError('RemoteError', `${cmdlet}: the answer is not JSON`, { retryable: true });
        }
      }
      const text = redactor.clean(exoErrorText(await response.text().catch(() => ''), response.status));
      if (response.status === 401 && !refreshed) {
        refreshed = true;
        continue;
      }
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.options.now?.() ?? Date.now());
      const failure = exoFailure(response.status, text, cmdlet, retryAfterMs);
      const transient = response.status === 429 || response.status >= 500;
      const wait = retryAfterMs ?? Math.min(MAX_INLINE_RETRY_AFTER_MS, 1000 * 2 ** attempt);
      if (!transient || attempt >= INLINE_RETRIES || wait > MAX_INLINE_RETRY_AFTER_MS) throw failure;
      await this.sleep(wait, signal);
    }
  }
}

/** What a client of one tenant needs besides the tenant: the service, the tokens of its scope, and the run's tools. */
export interface ExoServiceOptions {
  exchangeBase: string;
  tokens: TenantTokens;
  fetch: FetchLike;
  redactor: Redactor;
  now?: () => number;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  pageSize?: number;
}

/** A client of one tenant whose token comes from the cache, a new one after the service refused the last (401). */
export function tenantClient(service: ExoServiceOptions, tenantId: string, signal: AbortSignal): ExoClient {
  const { tokens, exchangeBase, fetch, redactor, now, sleep, pageSize } = service;
  let last: string | undefined;
  return new ExoClient({
    exchangeBase,
    tenantId,
    token: async (refresh) => {
      if (refresh && last) tokens.invalidate(tenantId, last);
      last = await tokens.get(tenantId, signal);
      return last;
    },
    fetch,
    redactor,
    signal,
    ...(now ? { now } : {}),
    ...(sleep ? { sleep } : {}),
    ...(pageSize ? { pageSize } : {}),
  });
}
