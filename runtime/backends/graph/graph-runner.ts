import { promises as fs } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { ServiceClient } from '../../platform/http/http-client.js';
import { defaultGraphPeriod } from '../../../common/graph-periods.js';
import type { TenantJob, TenantOutcome, TenantRunner, TenantWarning } from '../contract/runner-types.js';
import { callFailureOutcome, GraphCallError, errorText } from '../app/http/graph-error.js';
import { MAX_INLINE_LIMIT_WAIT_MS, MAX_REPORT_REREQUESTS } from '../app/http/graph-limits.js';
import { reportUrl } from '../app/http/graph-urls.js';
import { RedirectError } from '../../platform/http/follow-redirects.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';
import type { Redactor } from '../../platform/redact.js';
import { parseRetryAfter } from '../../platform/http/retry-after.js';
import { tenantBearer } from '../app/auth/app-tokens.js';
import { writeReportPart } from './report-csv.js';
import type { TenantTokens } from '../app/auth/app-tokens.js';

export interface GraphRunnerOptions {
  /** The HTTP client made for Graph. */
  http: ServiceClient;
  tokens: TenantTokens;
  limiter: SlidingWindowLimiter;
  redactor: Redactor;
  now?: () => number;
  /** Waits ms unless the signal aborts (then rejects); injectable for tests. */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

/** What a call asks for: the period, or a day when the report has a Date parameter and it is given. */
export function reportWindow(job: Pick<TenantJob, 'report' | 'parameters'>): { period: string } | { date: string } {
  const date = job.parameters.find((p) => p.name.toLowerCase() === 'date');
  if (date && typeof date.value === 'string' && date.value !== '') return { date: date.value.slice(0, 10) };
  const period = job.parameters.find((p) => p.name.toLowerCase() === 'period');
  if (period && typeof period.value === 'string') return { period: period.value };
  const fallback = job.report.parameters.find((p) => p.name.toLowerCase() === 'period')?.default;
  return { period: typeof fallback === 'string' ? fallback : defaultGraphPeriod };
}

/** A tenant whose report came back with concealed user names, and what to change. */
export const concealedNamesWarning: TenantWarning = {
  code: 'ConcealedNames',
  message:
    "the report's user names are concealed (32 hex digits): the tenant's report setting hides them. To see names, an admin of the tenant turns off 'Display concealed user, group, and site names in all reports' (Microsoft 365 admin center, Settings, Org settings, Reports), or sets displayConcealedNames to false with PATCH /v1.0/admin/reportSettings (ReportSettings.ReadWrite.All), then runs the report again",
};

/** Classifies an answer of the report endpoint that is neither a redirect nor the CSV. */
function reportFailure(status: number, text: string, retryAfterMs: number | undefined, fn: string): GraphCallError {
  const detail = text || `HTTP ${status}`;
  if (status === 429) return new GraphCallError('Throttled', `Graph is throttling ${fn} in this tenant: ${detail}`, { status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  if (status === 401 || status === 403) {
    return new GraphCallError('AccessDenied', `Graph refused ${fn} in this tenant (HTTP ${status}; the app needs Reports.Read.All consented there): ${detail}`, { status });
  }
  if (status === 400 || status === 404) return new GraphCallError('InvalidParameter', `Graph did not accept the ${fn} request (HTTP ${status}): ${detail}`, { status });
  if (status >= 500) {
    return new GraphCallError('RemoteError', `Graph failed (HTTP ${status}) on ${fn}: ${detail}`, { status, retryable: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
  return new GraphCallError('RemoteError', `unexpected HTTP ${status} from ${fn}: ${detail}`, { status });
}

/**
 * Runs one tenant against Microsoft Graph through the HTTP client: a token for the tenant (cached,
 * a fresh one after a 401), the report request and the download of the pre-authenticated Location
 * it redirects to, every hop checked and none with the Authorization header (follow-redirects.ts),
 * the CSV streamed into the tenant's part. Failures of the tenant resolve as outcomes; 429 carries
 * the Retry-After for the scheduler; 5xx are marked retryable.
 */
export class GraphTenantRunner implements TenantRunner {
  constructor(private readonly options: GraphRunnerOptions) {}

  async run(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    try {
      return await this.runReport(job, signal);
    } catch (error) {
      if (signal.aborted) return { status: 'failed', rows: 0, category: 'Interrupted', message: 'the attempt was stopped' };
      if (error instanceof GraphCallError) return callFailureOutcome(error, (text) => this.options.redactor.clean(text));
      const message = error instanceof Error ? error.message : String(error);
      if (/CSV_|Invalid Record Length|Quote Not Closed|Invalid Opening Quote/i.test(message) || (error as { code?: string }).code?.startsWith('CSV_')) {
        return { status: 'failed', rows: 0, category: 'InvalidData', message: this.options.redactor.clean(`the report's CSV does not parse: ${message}`), cause: error };
      }
      return { status: 'failed', rows: 0, category: 'RemoteError', retryable: true, message: this.options.redactor.clean(`the report could not be fetched: ${message}`), cause: error };
    }
  }

  async close(): Promise<void> {}

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return this.options.sleep ? this.options.sleep(ms, signal) : delay(ms, undefined, { signal });
  }

  /** Takes a slot of the per-tenant, per-report limit, waiting a little, or ends the attempt as Throttled. */
  private async takeSlot(job: TenantJob, fn: string, signal: AbortSignal): Promise<void> {
    const key = `${job.tenantId.toLowerCase()}/${fn}`;
    for (;;) {
      const wait = this.options.limiter.reserve(key);
      if (wait === 0) return;
      if (wait > MAX_INLINE_LIMIT_WAIT_MS) {
        throw new GraphCallError(
          'Throttled',
          `the limit of ${this.options.limiter.limit} ${fn} requests per ${Math.round(this.options.limiter.windowMs / 60_000)} minutes for this tenant is used up; next slot in ${Math.ceil(wait / 1000)} s`,
          { retryAfterMs: wait },
        );
      }
      await this.sleep(wait, signal);
    }
  }

  private async runReport(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    const source = job.report.sources.find((s) => s.kind === 'graph');
    if (!source) throw new GraphCallError('InvalidParameter', `${job.report.name} is not a Microsoft Graph report`);
    const fn = source.function;
    let url: string;
    try {
      url = reportUrl(this.options.http.base, fn, reportWindow(job));
    } catch (error) {
      throw new GraphCallError('InvalidParameter', (error as Error).message, {}, { cause: error });
    }
    const { http } = this.options;
    const bearer = tenantBearer(this.options.tokens, job.tenantId, signal);
    let rerequests = 0;
    for (;;) {
      await this.takeSlot(job, fn, signal);
      // the report answers 302 to a pre-authenticated download URL: followed hop by hop, never
      // with the Authorization header. Each request counts against the report limit, so the
      // client does not try it again itself: the scheduler does, after the wait.
      const { response: csv, hops } = await http
        .request(url, { headers: { accept: 'text/csv, application/json' }, bearer, signal, followRedirects: true, retry: { retries: 0 }, accept: (_status, hops) => hops > 0 })
        .catch((error: unknown) => {
          throw reportCallFailure(http, error, fn);
        });
      if (hops > 0 && !csv.ok) {
        if ((csv.status === 403 || csv.status === 404 || csv.status === 410) && rerequests < MAX_REPORT_REREQUESTS) {
          // the download URL has expired: ask for the report again
          await csv.body?.cancel();
          rerequests += 1;
          continue;
        }
        const retryAfterMs = parseRetryAfter(csv.headers.get('retry-after'), this.now());
        const text = http.clean(await errorText(csv));
        if (csv.status === 429) throw new GraphCallError('Throttled', `the report download is throttled: ${text || 'HTTP 429'}`, { status: 429, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
        throw new GraphCallError('RemoteError', `the report download failed (HTTP ${csv.status}${rerequests ? ` after ${rerequests} new request(s)` : ''}): ${text}`, {
          status: csv.status,
          retryable: true,
        });
      }
      const { rows, concealed } = await writeReportPart(csv.body, job.outPath, { tenantId: job.tenantId, domain: job.domain }, signal);
      if (rows === 0) {
        await fs.rm(job.outPath, { force: true });
        return { status: 'noData', rows: 0 };
      }
      return { status: 'succeeded', rows, partPath: job.outPath, ...(concealed ? { warning: concealedNamesWarning } : {}) };
    }
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

/**
 * A report request that failed in the client, in the report's words: an answer of the report
 * endpoint classified for the report, a redirect not followed naming the hop; a network failure,
 * a token's failure (or an abort) as it is.
 */
function reportCallFailure(http: ServiceClient, error: unknown, fn: string): unknown {
  if (!http.owns(error)) return error;
  if (error.cause instanceof RedirectError) return new GraphCallError('RemoteError', `${fn}: ${error.message}`, error.details, { cause: error });
  const { status, serviceText, retryAfterMs } = error.details;
  if (status === undefined) return error;
  const failure = reportFailure(status, serviceText ?? '', retryAfterMs, fn);
  return new GraphCallError(failure.category, failure.message, failure.details, { cause: error });
}
