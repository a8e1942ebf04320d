import { promises as fs } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import PQueue from 'p-queue';
import type { CatalogColumn } from '../../../common/catalog.js';
import { failedAttemptOutcome, GraphCallError } from '../app/http/graph-error.js';
import type { JobParameter, TenantJob, TenantOutcome, TenantRunner } from '../contract/runner-types.js';
import { bytesText, cellText, isoDateText } from '../app/cells.js';
import { type ExoClient, type ExoObject, type ExoServiceOptions, tenantClient } from './exo-client.js';
import { applyRowRule, type RuleContext } from './exo-rules.js';
import { restSourceOf, type ExchangeRestCatalogSource } from './exo-source.js';
import { createNewFile } from '../../../common/output-path.js';

const DAY_MS = 86_400_000;

export interface ExoRunnerOptions extends ExoServiceOptions {
  /** Requests at once within one tenant (per-object calls). */
  tenantConcurrency: number;
}

/** A report parameter's value as the cmdlet takes it (dates as ISO text). */
function parameterValue(p: JobParameter): unknown {
  return p.value;
}

/** The date windows of [start, end], at most `days` long, newest first. */
export function dateWindows(startMs: number, endMs: number, days: number): Array<{ start: number; end: number }> {
  const windows: Array<{ start: number; end: number }> = [];
  for (let end = endMs; end > startMs; end -= days * DAY_MS) windows.push({ start: Math.max(startMs, end - days * DAY_MS), end });
  return windows.length > 0 ? windows : [{ start: startMs, end: endMs }];
}

/** The key a row is known by when calls overlap (continueWith): every value. */
const rowKey = (row: ExoObject) => JSON.stringify(row);

/**
 * Runs one tenant over the Exchange admin REST API as the report's source declares: one cmdlet,
 * or one per object of another (forEach, `tenantConcurrency` at once, rows in the objects' order),
 * over date windows (dateWindow), again from the last row while a call comes back full
 * (continueWith); then the row rule, then the cells (the one cell-text rule, ISO dates, sizes in
 * bytes), written as the tenant's part: TenantId, TenantDomain, the declared columns.
 */
export class ExoTenantRunner implements TenantRunner {
  constructor(private readonly options: ExoRunnerOptions) {}

  async run(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    try {
      return await this.runReport(job, signal);
    } catch (error) {
      return failedAttemptOutcome(error, job.outPath, signal, this.options.redactor, 'the Exchange admin API call');
    }
  }

  async close(): Promise<void> {}

  private async runReport(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    const source = restSourceOf(job.report);
    if (!source) throw new GraphCallError('InvalidParameter', `${job.report.name} has no Exchange REST source`);
    const client = tenantClient(this.options, job.tenantId, signal);
    const now = this.options.now?.() ?? Date.now();
    const context: RuleContext = { nowMs: now };
    const consumed = new Set<string>();
    if (source.rows?.kind === 'inactiveFor') {
      const days = job.parameters.find((p) => p.name === (source.rows as { daysParameter: string }).daysParameter);
      context.days = Number(days?.value ?? 0);
      consumed.add(source.rows.daysParameter);
    }
    if (source.rows?.kind === 'externalRecipients') {
      const domains = await client.all('Get-AcceptedDomain', {}, ['DomainName']);
      context.acceptedDomains = new Set(domains.map((d) => cellText(d.DomainName).toLowerCase()).filter(Boolean));
    }
    if (source.dateWindow) {
      consumed.add(source.dateWindow.start);
      consumed.add(source.dateWindow.end);
    }
    const parameters: Record<string, unknown> = { ...source.parameters };
    for (const p of job.parameters) if (!consumed.has(p.name)) parameters[p.name] = parameterValue(p);

    // a new file of the run's own (output-path.ts): a name that exists already is never opened
    const part = await createNewFile(job.outPath);
    let rows = 0;
    try {
      const columns = job.report.columns;
      await part.write(stringify([['TenantId', 'TenantDomain', ...columns.map((c) => c.name)]], { quoted: true, record_delimiter: 'unix' }));
      const write = async (batch: Array<{ row: ExoObject; parent?: ExoObject }>) => {
        const records: string[][] = [];
        for (const { row, parent } of batch) {
          const derived = source.rows ? applyRowRule(source.rows, row, context) : {};
          if (!derived) continue;
          records.push([job.tenantId, job.domain, ...columns.map((c) => cell(c, row, parent, derived))]);
        }
        if (records.length === 0) return;
        rows += records.length;
        await part.write(stringify(records, { quoted: true, record_delimiter: 'unix' }));
      };
      for await (const batch of this.batches(client, source, parameters, job, signal)) await write(batch);
    } finally {
      await part.close();
    }
    if (rows === 0) {
      await fs.rm(job.outPath, { force: true });
      return { status: 'noData', rows: 0 };
    }
    return { status: 'succeeded', rows, partPath: job.outPath };
  }

  /** The source's rows in order, a page (or one object's rows) at a time. */
  private async *batches(
    client: ExoClient,
    source: ExchangeRestCatalogSource,
    parameters: Record<string, unknown>,
    job: TenantJob,
    signal: AbortSignal,
  ): AsyncGenerator<Array<{ row: ExoObject; parent?: ExoObject }>> {
    if (source.forEach) {
      const each = source.forEach;
      const select = each.select && !each.select.includes(each.property) ? [...each.select, each.property] : each.select;
      const parents = await client.all(each.cmdlet, { ...each.parameters }, select);
      const queue = new PQueue({ concurrency: this.options.tenantConcurrency });
      // look ahead a few objects at a time, write in the objects' order
      const chunk = this.options.tenantConcurrency * 4;
      for (let i = 0; i < parents.length; i += chunk) {
        const slice = parents.slice(i, i + chunk);
        const results = await Promise.all(
          slice.map((parent) =>
            queue.add(
              async () => {
                const identity = parent[each.property];
                if (identity === undefined || identity === null || identity === '') return [];
                return (await client.all(source.cmdlet, { ...parameters, [each.parameter]: identity }, source.select)).map((row) => ({ row, parent }));
              },
              { signal },
            ),
          ),
        );
        for (const result of results) if (result && result.length > 0) yield result;
      }
      return;
    }
    const windows = source.dateWindow ? this.windows(source.dateWindow, job) : [undefined];
    for (const window of windows) {
      const call = { ...parameters, ...(window ?? {}) };
      if (!source.continueWith) {
        for await (const page of client.invoke(source.cmdlet, call, source.select)) yield page.map((row) => ({ row }));
        continue;
      }
      const { sizeParameter, size, from } = source.continueWith;
      let previous = new Set<string>();
      let next: Record<string, unknown> | undefined = { ...call, [sizeParameter]: size };
      while (next) {
        const objects = await client.all(source.cmdlet, next, source.select);
        const fresh = objects.filter((row) => !previous.has(rowKey(row)));
        if (fresh.length > 0) yield fresh.map((row) => ({ row }));
        const lastRow = objects.at(-1);
        if (objects.length < size || !lastRow || fresh.length === 0) break;
        previous = new Set(objects.map(rowKey));
        next = { ...next };
        for (const [parameter, property] of Object.entries(from)) next[parameter] = lastRow[property];
      }
    }
  }

  private windows(window: NonNullable<ExchangeRestCatalogSource['dateWindow']>, job: TenantJob): Array<Record<string, string>> {
    const value = (name: string) => job.parameters.find((p) => p.name === name)?.value;
    const start = Date.parse(String(value(window.start) ?? ''));
    const end = Date.parse(String(value(window.end) ?? ''));
    if (Number.isNaN(start) || Number.isNaN(end)) throw new GraphCallError('InvalidParameter', `${job.report.name} needs ${window.start} and ${window.end}`);
    if (start > end) throw new GraphCallError('InvalidParameter', `${window.start} is after ${window.end}`);
    return dateWindows(start, end, window.days).map((w) => ({ [window.start]: new Date(w.start).toISOString(), [window.end]: new Date(w.end).toISOString() }));
  }
}

/** One declared column's cell: derived by the row rule, a size in bytes, a date, or the value (the row's, else its parent object's). */
function cell(column: CatalogColumn, row: ExoObject, parent: ExoObject | undefined, derived: Record<string, string>): string {
  if (column.name in derived) return derived[column.name]!;
  const pick = (name: string) => (row[name] !== undefined ? row[name] : parent?.[name]);
  if (column.bytesOf) return bytesText(pick(column.bytesOf));
  return column.type === 'datetime' ? isoDateText(pick(column.name)) : cellText(pick(column.name));
}
