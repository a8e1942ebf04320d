import { promises as fs } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { stringify } from 'csv-stringify/sync';
import type { GraphQueryCatalogCall, GraphQueryCatalogSource } from '../../../common/catalog.js';
import { graphRequestUnits, graphThrottleClassOf, graphThrottleTable } from '../../../common/graph-throttling.js';
import { createNewFile } from '../../../common/output-path.js';
import type { ServiceClient } from '../../platform/http/http-client.js';
import type { Redactor } from '../../platform/redact.js';
import { cellText } from '../app/cells.js';
import { failedAttemptOutcome, GraphCallError } from '../app/http/graph-error.js';
import { MAX_INLINE_LIMIT_WAIT_MS } from '../app/http/graph-limits.js';
import { tenantBearer, type TenantTokens } from '../app/auth/app-tokens.js';
import type { TenantJob, TenantOutcome, TenantRunner } from '../contract/runner-types.js';
import { type GraphObject, graphQueryCell, graphQueryHeaders, graphQueryUrl, type Lookups, valueAt } from './graph-query.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';

/** The most pages one query reads; a service that keeps handing out links is stopped there. */
export const MAX_QUERY_PAGES = 10_000;

export interface GraphQueryRunnerOptions {
  http: ServiceClient;
  tokens: TenantTokens;
  /** One limiter per throttling class (its limit and window from common/graph-throttling.ts), keyed by tenant. */
  budgets: (throttleClass: ReturnType<typeof graphThrottleClassOf>) => SlidingWindowLimiter;
  redactor: Redactor;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

/** The source of a Graph query report, if it is one. */
export function graphQuerySourceOf(job: Pick<TenantJob, 'report'>): GraphQueryCatalogSource | undefined {
  return job.report.sources.find((s): s is GraphQueryCatalogSource => s.kind === 'graphQuery');
}

/**
 * Runs one tenant's Graph query: the lookups, then every page of the query (the HTTP client follows
 * @odata.nextLink on the Graph host only, at most MAX_QUERY_PAGES), each page within the tenant's
 * budget of the path's throttling class; one row per object, the declared columns by the one
 * cell-text rule. A refusal (403) names the permission the source declares.
 */
export class GraphQueryRunner implements TenantRunner {
  constructor(private readonly options: GraphQueryRunnerOptions) {}

  async run(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    try {
      return await this.runQuery(job, signal);
    } catch (error) {
      return failedAttemptOutcome(error, job.outPath, signal, this.options.redactor, 'the Graph query');
    }
  }

  async close(): Promise<void> {}

  private async runQuery(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    const source = graphQuerySourceOf(job);
    if (!source) throw new GraphCallError('InvalidParameter', `${job.report.name} is not a Microsoft Graph query report`);
    const lookups: Lookups = new Map();
    for (const lookup of source.lookups ?? []) {
      const byKey = new Map<string, GraphObject>();
      for await (const page of this.pages(job, source, lookup, signal)) {
        for (const object of page) byKey.set(cellText(valueAt(object, lookup.key)).toLowerCase(), object);
      }
      lookups.set(lookup.name, byKey);
    }
    const part = await createNewFile(job.outPath);
    let rows = 0;
    try {
      const columns = job.report.columns;
      await part.write(stringify([['TenantId', 'TenantDomain', ...columns.map((c) => c.name)]], { quoted: true, record_delimiter: 'unix' }));
      for await (const page of this.pages(job, source, source, signal)) {
        if (page.length === 0) continue;
        rows += page.length;
        await part.write(stringify(page.map((object) => [job.tenantId, job.domain, ...columns.map((c) => graphQueryCell(c, object, lookups))]), { quoted: true, record_delimiter: 'unix' }));
      }
    } finally {
      await part.close();
    }
    if (rows === 0) {
      await fs.rm(job.outPath, { force: true });
      return { status: 'noData', rows: 0 };
    }
    return { status: 'succeeded', rows, partPath: job.outPath };
  }

  /** Every page's objects of one call (only the first page with `first`), each page within the budget. */
  private async *pages(job: TenantJob, source: GraphQueryCatalogSource, call: GraphQueryCatalogCall, signal: AbortSignal): AsyncGenerator<GraphObject[]> {
    const { http } = this.options;
    const url = graphQueryUrl(http.base, call);
    const units = graphRequestUnits(call.path, { select: call.select !== undefined, expand: call.expand !== undefined, ...(call.first ?? call.top ? { top: call.first ?? call.top } : {}) });
    const request = { headers: graphQueryHeaders(call), bearer: tenantBearer(this.options.tokens, job.tenantId, signal), signal };
    const iterator = http.pages(url, request, call.first !== undefined ? 1 : MAX_QUERY_PAGES);
    // a page's budget is taken only when a request will go: the first, and each next link
    let requestAhead = true;
    for (;;) {
      if (requestAhead) await this.takeBudget(job, call.path, units, signal);
      let next: IteratorResult<Record<string, unknown>>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw queryFailure(http, error, source, call);
      }
      if (next.done) return;
      const link = next.value['@odata.nextLink'];
      requestAhead = typeof link === 'string' && link !== '';
      const value = next.value.value;
      if (!Array.isArray(value)) throw new GraphCallError('InvalidData', `Graph answered ${call.version}/${call.path} without a 'value' list`);
      const objects = value.filter((o): o is GraphObject => o !== null && typeof o === 'object' && !Array.isArray(o));
      yield call.first !== undefined ? objects.slice(0, call.first) : objects;
      if (call.first !== undefined) return;
    }
  }

  /** Takes `units` of the tenant's budget in the path's class, waiting a little, or ends the attempt as Throttled. */
  private async takeBudget(job: TenantJob, path: string, units: number, signal: AbortSignal): Promise<void> {
    const throttleClass = graphThrottleClassOf(path);
    const limiter = this.options.budgets(throttleClass);
    const key = job.tenantId.toLowerCase();
    for (let taken = 0; taken < units; ) {
      const wait = limiter.reserve(key);
      if (wait === 0) {
        taken += 1;
        continue;
      }
      if (wait > MAX_INLINE_LIMIT_WAIT_MS) {
        const budget = graphThrottleTable[throttleClass];
        throw new GraphCallError('Throttled', `this tenant's budget for ${budget.label} (${budget.limit} ${budget.units ? 'resource units' : 'requests'} per ${budget.windowMs / 1000} s) is used up; next slot in ${Math.ceil(wait / 1000)} s`, {
          retryAfterMs: wait,
        });
      }
      await (this.options.sleep ? this.options.sleep(wait, signal) : delay(wait, undefined, { signal }));
    }
  }
}

/** A query's failure in the report's words: a refusal names the permission to grant. */
export function queryFailure(http: ServiceClient, error: unknown, source: GraphQueryCatalogSource, call: GraphQueryCatalogCall): unknown {
  if (!http.owns(error)) return error;
  const { status, serviceText } = error.details;
  const what = `GET ${call.version}/${call.path}`;
  if (status === 403 && /Authorization_RequestDenied|Insufficient privileges/i.test(serviceText ?? '')) {
    return new GraphCallError(
      'AccessDenied',
      `Graph refused ${what} in this tenant (HTTP 403): ${serviceText}. Grant the app the application permission ${source.permission} (admin consent in the customer tenant); through GDAP, a role that covers the read (Global Reader covers it)`,
      error.details,
      { cause: error },
    );
  }
  return new GraphCallError(error.category, `${what}: ${error.message}`, error.details, { cause: error });
}
