import { setTimeout as delay } from 'node:timers/promises';
import type { FailureCategory } from '../../../common/failure-category.js';
import type { Redactor } from '../redact.js';
import { backoffMs } from '../retry-policy.js';
import type { FetchLike } from './fetch-like.js';
import { fetchFollowingRedirects, RedirectError } from './follow-redirects.js';
import { parseRetryAfter } from './retry-after.js';
import { responseWords, ServiceCallError } from './service-error.js';
import { PLAIN_HTTP_ON_LOOPBACK, plainHttpAllowed } from './url-safety.js';

/**
 * The one HTTP client of the runtime: every call to a service (Graph, the Exchange admin API, the
 * login host) goes through a ServiceClient made for that service, over a FetchLike transport.
 *
 * Two retries, kept apart:
 * - here, inside one call: a 429, a 5xx, a network failure or a timeout is tried again a few times
 *   (Retry-After honoured, else exponential backoff with jitter), as long as the wait is short
 *   (`maxWaitMs`); a longer one ends the call with the classified error, its wait in `retryAfterMs`;
 * - across attempts of a tenant, the scheduler's retry policy (runtime/platform/retry-policy.ts):
 *   an attempt that ended Throttled, Timeout or retryable is run again later, after that wait.
 *
 * What every call gets: answers classified into the failure categories with the service's own
 * words (service-error.ts); messages redacted; the error beneath kept as `cause`; a bearer token
 * only to the service's own origin and only over https (url-safety.ts's one switch aside); one
 * fresh token after a 401; redirects only through the one follower (follow-redirects.ts);
 * @odata.nextLink followed only under the service's base, a bounded number of pages.
 */

/** A bearer token; `refresh` (after the service refused the last one with 401) asks for a fresh one. */
export type BearerSource = (refresh: boolean) => Promise<string>;

export interface InCallRetry {
  /** Further tries of a request after 429, 5xx, a network failure or a timeout. */
  retries: number;
  /** The first backoff when the service names no wait; doubled each retry, with jitter, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest wait taken inside the call; a longer one ends it (the scheduler waits it out). */
  maxWaitMs: number;
}

export const defaultInCallRetry: InCallRetry = { retries: 4, baseDelayMs: 1_000, maxDelayMs: 30_000, maxWaitMs: 30_000 };

export interface ServiceClientOptions {
  /** The service as messages name it: 'Graph', 'the Exchange admin API', 'the login host'. */
  service: string;
  /** The service's base URL: its origin is where a bearer token may go, @odata.nextLink must stay under it. */
  base: string;
  transport: FetchLike;
  /** Cleans every message; every bearer token sent is added to it. */
  redactor?: Redactor;
  retry?: Partial<InCallRetry>;
  /** Waits ms unless the signal aborts (then rejects); injectable for tests. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  /** 0 ≤ random() < 1, the backoff's jitter; injectable for tests. */
  random?(): number;
  now?(): number;
  /** Plain http to a loopback host allowed for a bearer token (url-safety.ts's switch by default). */
  loopbackHttp?: boolean;
}

export interface ServiceRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The bearer token to send (only to the service's origin over https). */
  bearer?: BearerSource;
  signal?: AbortSignal;
  /** How long one try may take; longer is a Timeout. */
  timeoutMs?: number;
  /** Follows redirects through the one follower (no credentials after the first hop). */
  followRedirects?: boolean;
  retry?: Partial<InCallRetry>;
  /** Answers (besides 2xx) the caller reads itself, unclassified; `hops` counts the redirects followed. */
  accept?(status: number, hops: number): boolean;
}

export interface ServiceAnswer {
  response: Response;
  /** The URL that answered. */
  url: string;
  /** Redirects followed to it. */
  hops: number;
}

/** True when `link` (an @odata.nextLink) is under `base` (same origin, path below), so the service's token may go with it. */
export function isUnderBase(link: string, base: string): boolean {
  try {
    const url = new URL(link);
    const root = new URL(`${base.replace(/\/+$/, '')}/`);
    return url.origin === root.origin && url.pathname.startsWith(root.pathname);
  } catch {
    return false;
  }
}

/** Why a bearer token may not go to `url` for the service at `base`, or undefined when it may. */
export function bearerRefusal(url: string, base: string, loopbackHttp: boolean = PLAIN_HTTP_ON_LOOPBACK): string | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return 'a URL that does not parse';
  }
  if (target.username || target.password) return 'a URL with a user name or password';
  if (target.origin !== new URL(base).origin) return "another origin than the service's";
  if (target.protocol !== 'https:' && !plainHttpAllowed(target, loopbackHttp)) return 'plain http (not https)';
  return undefined;
}

/** The category of an HTTP answer that is not a success (a 401 after the fresh token included). */
export function statusCategory(status: number): { category: FailureCategory; retryable?: true } {
  if (status === 429) return { category: 'Throttled' };
  if (status === 408) return { category: 'Timeout', retryable: true };
  if (status === 401 || status === 403) return { category: 'AccessDenied' };
  if (status === 400 || status === 404) return { category: 'InvalidParameter' };
  if (status >= 500) return { category: 'RemoteError', retryable: true };
  return { category: 'RemoteError' };
}

/** Worth another try inside the call: throttled, timed out, or marked retryable (5xx, network). */
function isTransient(error: ServiceCallError): boolean {
  return error.category === 'Throttled' || error.category === 'Timeout' || error.details.retryable === true;
}

export class ServiceClient {
  readonly service: string;
  readonly base: string;
  private readonly retry: InCallRetry;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  /** The errors this client made, as against those it passed on (a bearer source's own). */
  private readonly made = new WeakSet<Error>();

  constructor(private readonly options: ServiceClientOptions) {
    this.service = options.service;
    this.base = options.base.replace(/\/+$/, '');
    this.retry = { ...defaultInCallRetry, ...options.retry };
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, signal ? { signal } : {}));
    this.random = options.random ?? Math.random;
  }

  /**
   * True for an error this client made (an answer of its service, the network, a redirect, paging),
   * false for one it passed on as it was (a bearer source's failure to give a token).
   */
  owns(error: unknown): error is ServiceCallError {
    return error instanceof ServiceCallError && this.made.has(error);
  }

  /** Marks an error as made here (see owns). */
  private fail(error: ServiceCallError): ServiceCallError {
    this.made.add(error);
    return error;
  }

  /** A message without secrets. */
  clean(text: string): string {
    return this.options.redactor ? this.options.redactor.clean(text) : text;
  }

  /**
   * Runs `attempt` until it succeeds, tries again after a transient ServiceCallError (its
   * Retry-After, else backoff with jitter) at most `retries` times and while the wait is at most
   * `maxWaitMs`; anything else, or the last failure, is thrown as it is.
   */
  async retrying<T>(attempt: () => Promise<T>, retry?: Partial<InCallRetry>, signal?: AbortSignal): Promise<T> {
    const policy = { ...this.retry, ...retry };
    for (let tries = 0; ; tries += 1) {
      signal?.throwIfAborted();
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof ServiceCallError) || !isTransient(error) || tries >= policy.retries || signal?.aborted) throw error;
        const wait = error.details.retryAfterMs ?? backoffMs(policy.baseDelayMs, policy.maxDelayMs, tries + 1, this.random);
        if (wait > policy.maxWaitMs) throw error;
        await this.sleep(wait, signal);
      }
    }
  }

  /**
   * One call: the answer when it is a success (or one the caller accepts), else a classified
   * ServiceCallError, after the in-call retries. A 401 asks the bearer source once for a fresh token.
   */
  async request(url: string, request: ServiceRequest = {}): Promise<ServiceAnswer> {
    const state = { refreshed: false };
    return this.retrying(() => this.attempt(url, request, state), request.retry, request.signal);
  }

  /**
   * Every page of a listing: the JSON of each answer, following @odata.nextLink (with the same
   * request) only under the service's base, at most `maxPages` pages.
   */
  async *pages(first: string, request: ServiceRequest, maxPages: number): AsyncGenerator<Record<string, unknown>> {
    let url: string | undefined = first;
    for (let pages = 0; url; pages += 1) {
      if (pages >= maxPages) throw this.fail(new ServiceCallError('RemoteError', `stopped after ${maxPages} pages`));
      const { response } = await this.request(url, request);
      const page = await this.json(response);
      yield page;
      const next = page['@odata.nextLink'];
      if (typeof next === 'string' && next !== '') {
        if (!isUnderBase(next, this.base)) throw this.fail(new ServiceCallError('RemoteError', `the next page is outside ${this.base}; not following it`));
        url = next;
      } else url = undefined;
    }
  }

  /** The JSON object of an answer; anything else is a retryable RemoteError. */
  async json(response: Response): Promise<Record<string, unknown>> {
    let value: unknown;
    try {
      value = await response.json();
    } catch (error) {
      throw this.fail(new ServiceCallError('RemoteError', `${this.service} answered something that is not JSON`, { retryable: true }, { cause: error }));
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.fail(new ServiceCallError('RemoteError', `${this.service} answered JSON that is not an object`, { retryable: true }));
    return value as Record<string, unknown>;
  }

  private async attempt(url: string, request: ServiceRequest, state: { refreshed: boolean }): Promise<ServiceAnswer> {
    let refresh = false;
    for (;;) {
      const token = request.bearer ? await request.bearer(refresh) : undefined;
      const answer = await this.send(url, request, token);
      const { response, hops } = answer;
      if (response.status === 401 && hops === 0 && request.bearer && !state.refreshed) {
        // an expired or revoked token: one fresh token, one more try
        await response.body?.cancel();
        state.refreshed = true;
        refresh = true;
        continue;
      }
      if (response.ok || request.accept?.(response.status, hops)) return answer;
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.options.now?.() ?? Date.now());
      const words = this.clean(await responseWords(response));
      const { category, retryable } = statusCategory(response.status);
      throw this.fail(new ServiceCallError(category, `${this.service} answered HTTP ${response.status}${words ? `: ${words}` : ''}`, {
        status: response.status,
        hops,
        serviceText: words,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        ...(retryable ? { retryable } : {}),
      }));
    }
  }

  private async send(url: string, request: ServiceRequest, token: string | undefined): Promise<ServiceAnswer> {
    const headers: Record<string, string> = { ...request.headers };
    if (token !== undefined) {
      const refusal = bearerRefusal(url, this.base, this.options.loopbackHttp);
      if (refusal) throw this.fail(new ServiceCallError('RemoteError', `${this.service}: not sending the token to ${refusal}`));
      this.options.redactor?.add(token);
      headers.authorization = `Bearer ${token}`;
    }
    const timeout = request.timeoutMs !== undefined ? AbortSignal.timeout(request.timeoutMs) : undefined;
    const signals = [request.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
    const init: RequestInit = {
      method: request.method ?? 'GET',
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(signals.length > 0 ? { signal: signals.length === 1 ? signals[0]! : AbortSignal.any(signals) } : {}),
    };
    try {
      if (request.followRedirects) return await fetchFollowingRedirects(this.options.transport, url, init);
      return { response: await this.options.transport(url, { ...init, redirect: 'manual' }), url, hops: 0 };
    } catch (error) {
      if (request.signal?.aborted) throw error;
      if (timeout?.aborted) {
        throw this.fail(new ServiceCallError('Timeout', `${this.service} did not answer within ${Math.ceil(request.timeoutMs! / 1000)} s`, { retryable: true }, { cause: error }));
      }
      if (error instanceof RedirectError) throw this.fail(new ServiceCallError('RemoteError', this.clean(error.message), error.reason === 'no-location' ? { retryable: true } : {}, { cause: error }));
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw this.fail(new ServiceCallError('RemoteError', this.clean(`${this.service} could not be reached: ${reason}`), { retryable: true }, { cause: error }));
    }
  }
}
