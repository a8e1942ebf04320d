import { promises as fs } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { defaultGraphPeriod } from '../../../common/graph-periods.js';
import type { TenantJob, TenantOutcome, TenantRunner, TenantWarning } from '../contract/runner-types.js';
import { callFailureOutcome, GraphCallError, errorText } from '../app/http/graph-error.js';
import { MAX_INLINE_LIMIT_WAIT_MS, MAX_REPORT_REREQUESTS } from '../app/http/graph-limits.js';
import { reportUrl } from '../app/http/graph-urls.js';
import { fetchFollowingRedirects, RedirectError } from '../../platform/http/follow-redirects.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';
import type { Redactor } from '../../platform/redact.js';
import { parseRetryAfter } from '../app/http/retry-after.js';
import { writeReportPart } from './report-csv.js';
import type { TenantTokens } from '../app/auth/app-tokens.js';
import type { FetchLike } from '../../platform/http/fetch-like.js';

export interface GraphRunnerOptions {
  graphBase: string;
  tokens: TenantTokens;
  limiter: SlidingWindowLimiter;
  fetch: FetchLike;
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
 * Runs one tenant against Microsoft Graph: a token for the tenant (cached), the report request
 * and the download of the pre-authenticated Location it redirects to, every hop checked and none
 * with the Authorization header (follow-redirects.ts), the CSV streamed into the tenant's part. Failures of the tenant resolve as
 * outcomes; 429 carries the Retry-After for the scheduler; 5xx are marked retryable.
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
      url = reportUrl(this.options.graphBase, fn, reportWindow(job));
    } catch (error) {
      throw new GraphCallError('InvalidParameter', (error as Error).message, {}, { cause: error });
    }
    const { tokens, fetch } = this.options;
    let token = await tokens.get(job.tenantId, signal);
    let refreshed = false;
    let rerequests = 0;
    for (;;) {
      await this.takeSlot(job, fn, signal);
      // the report answers 302 to a pre-authenticated download URL: followed hop by hop, never
      // with the Authorization header
      const { response: csv, hops } = await this.call(fn, () =>
        fetchFollowingRedirects(fetch, url, { headers: { authorization: `Bearer ${token}`, accept: 'text/csv, application/json' }, signal }),
      );
      if (hops === 0 && csv.status === 401 && !refreshed) {
        // an expired or revoked token: one fresh token, one more try
        await csv.body?.cancel();
        tokens.invalidate(job.tenantId, token);
        token = await tokens.get(job.tenantId, signal);
        refreshed = true;
        continue;
      }
      if (hops > 0) {
        if ((csv.status === 403 || csv.status === 404 || csv.status === 410) && rerequests < MAX_REPORT_REREQUESTS) {
          // the download URL has expired: ask for the report again
          await csv.body?.cancel();
          rerequests += 1;
          continue;
        }
        if (!csv.ok) {
          const retryAfterMs = parseRetryAfter(csv.headers.get('retry-after'), this.now());
          const text = await errorText(csv);
          if (csv.status === 429) throw new GraphCallError('Throttled', `the report download is throttled: ${text || 'HTTP 429'}`, { status: 429, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
          throw new GraphCallError('RemoteError', `the report download failed (HTTP ${csv.status}${rerequests ? ` after ${rerequests} new request(s)` : ''}): ${text}`, {
            status: csv.status,
            retryable: true,
          });
        }
      } else if (!csv.ok) {
        const retryAfterMs = parseRetryAfter(csv.headers.get('retry-after'), this.now());
        throw reportFailure(csv.status, await errorText(csv), retryAfterMs, fn);
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

  /**
   * A fetch whose network failure is a retryable RemoteError (an abort stays an abort), and whose
   * redirect not followed is a RemoteError naming the hop (retryable only when the Location was missing).
   */
  private async call<T>(fn: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      if (error instanceof GraphCallError) throw error;
      if (error instanceof RedirectError) throw new GraphCallError('RemoteError', `${fn}: ${error.message}`, error.reason === 'no-location' ? { retryable: true } : {}, { cause: error });
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new GraphCallError('RemoteError', `Graph could not be reached: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { retryable: true }, { cause: error });
    }
  }
}
