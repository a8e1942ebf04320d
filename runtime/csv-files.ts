import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify, type Options as StringifyOptions } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { withPath } from '../common/machine-error.js';
import { drained } from './stream-drain.js';

/**
 * The one CSV dialect the runtime writes, for spooled parts and for the merged output alike
 * (RFC 4180: CRLF between records, fields quoted only when they must be). Because parts are
 * written in the output's own dialect, the merge can copy a part's rows as bytes when its header
 * is the output header.
 */
export const csvDialect = { record_delimiter: 'windows', quote_record_delimiter: true } as const satisfies StringifyOptions;

/** Columns that remoting adds to every object; they never reach a part or the output. */
export const remotingColumns: ReadonlySet<string> = new Set(['PSComputerName', 'RunspaceId', 'PSShowComputerName']);

/** The exact bytes of a header record in the runtime's dialect. */
export function headerLine(columns: readonly string[]): string {
  return stringifySync([[...columns]], csvDialect);
}

/** The first record of a CSV file (its header), read without loading the rest. */
export async function readCsvHeader(path: string): Promise<string[]> {
  const stream = createReadStream(path);
  const parser = stream.pipe(parse({ bom: true, to_line: 1, relax_column_count: true }));
  try {
    for await (const record of parser as AsyncIterable<string[]>) return record;
    return [];
  } finally {
    stream.destroy();
  }
}

/**
 * Streams a whole CSV file through the parser and counts its data rows; rejects when the file does
 * not parse (unbalanced quotes, rows with more fields than the header …).
 */
export async function countCsvRows(path: string): Promise<{ header: string[]; rows: number }> {
  const parser = createReadStream(path).pipe(parse({ bom: true }));
  let header: string[] = [];
  let rows = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (header.length === 0) header = record;
    else if (record.length !== header.length) {
      throw new Error(`${path}: row ${rows + 1} has ${record.length} fields, the header has ${header.length}`);
    } else rows += 1;
  }
  return { header, rows };
}

/**
 * Rewrites a tenant's rows as the runner produced them into the runtime's dialect: parsed
 * strictly (a row with a different number of fields than the header is an error), remoting
 * columns dropped, TenantId and TenantDomain first and never empty. Streams; returns the header
 * written and the number of rows.
 */
export async function normalizePart(
  source: string,
  target: string,
  tenant: { tenantId: string; domain: string },
): Promise<{ header: string[]; rows: number }> {
  const parser = createReadStream(source).pipe(parse({ bom: true }));
  const output = createWriteStream(target);
  const stringifier = stringify(csvDialect);
  const written = pipeline(stringifier, output);
  written.catch(() => undefined); // awaited below
  let header: string[] | undefined;
  /** For each output column, the index of the source column it comes from; TenantId, TenantDomain first. */
  let order: number[] = [];
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        const keep = record.map((name, index) => ({ name, index })).filter(({ name }) => !remotingColumns.has(name));
        const first = (name: string) => keep.filter((c) => c.name === name);
        const rest = keep.filter((c) => c.name !== 'TenantId' && c.name !== 'TenantDomain');
        const leading = [...first('TenantId'), ...first('TenantDomain')];
        if (leading.length !== 2) throw new Error(`the rows have no TenantId and TenantDomain columns (columns: ${record.join(', ')})`);
        order = [...leading, ...rest].map((c) => c.index);
        header = order.map((index) => record[index]!);
        if (!stringifier.write(header)) await drained(stringifier);
        continue;
      }
      // csv-parse already rejects a record whose field count differs from the header's
      const row = order.map((index) => record[index] ?? '');
      if (row[0] === '') row[0] = tenant.tenantId;
      if (row[1] === '') row[1] = tenant.domain;
      rows += 1;
      if (!stringifier.write(row)) await drained(stringifier);
    }
    stringifier.end();
    await written;
  } catch (error) {
    stringifier.destroy();
    output.destroy();
    await fs.rm(target, { force: true });
    throw withPath(error, target);
  }
  return { header: header ?? [], rows };
}
