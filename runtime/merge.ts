import { createReadStream, createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { tempPathFor } from './atomic-file.js';
import { csvDialect, headerLine, readCsvHeader, remotingColumns } from './csv-files.js';
import { PadRecords } from './csv-record-padding.js';
import { compareTenants } from './manifest.js';
import { drained } from './stream-drain.js';
import { withPath } from '../common/machine-error.js';

export { remotingColumns } from './csv-files.js';

export interface MergePart {
  tenantId: string;
  domain: string;
  path: string;
  /** The part's row count, when known (the manifest records it); a part is copied as bytes only then. */
  rows?: number;
}

export interface MergeOptions {
  /** Start the file with a UTF-8 byte order mark, for Excel. */
  bom?: boolean;
  /** Prefix a single quote to cells starting with =, +, - or @, so spreadsheets do not run them. */
  excelSafe?: boolean;
}

export interface MergeResult {
  columns: string[];
  rows: number;
}

const leading = ['TenantId', 'TenantDomain'];

/** TenantId, TenantDomain, then every other column in the order it is first seen. */
export function unionColumns(headers: readonly string[][]): string[] {
  const seen = new Set<string>(leading);
  const columns = [...leading];
  for (const header of headers) {
    for (const column of header) {
      if (seen.has(column) || remotingColumns.has(column)) continue;
      seen.add(column);
      columns.push(column);
    }
  }
  return columns;
}

export function excelSafeCell(value: string): string {
  return /^[=+\-@]/.test(value) ? `'${value}` : value;
}

/** True when the file starts with exactly these bytes. */
async function startsWith(path: string, prefix: Buffer): Promise<boolean> {
  const handle = await fs.open(path, 'r');
  try {
    const head = Buffer.alloc(prefix.length);
    const { bytesRead } = await handle.read(head, 0, prefix.length, 0);
    return bytesRead === prefix.length && head.equals(prefix);
  } finally {
    await handle.close();
  }
}

/**
 * Appends the part's records after its header as bytes, each widened by `extra` empty fields
 * when the part has fewer columns than the output.
 */
async function copyRecords(path: string, headerBytes: number, extra: number, output: WriteStream): Promise<void> {
  const source = createReadStream(path, { start: headerBytes, highWaterMark: 1 << 20 });
  const records = extra === 0 ? source : source.pipe(new PadRecords(extra));
  for await (const chunk of records) {
    if (!output.write(chunk)) await drained(output);
  }
}

/** Appends the part's records re-encoded for the output's columns (missing cells empty). */
async function reencodeRecords(part: MergePart, columns: readonly string[], excelSafe: boolean, output: WriteStream): Promise<number> {
  const stringifier = stringify(csvDialect);
  const forwarded = (async () => {
    for await (const chunk of stringifier) if (!output.write(chunk)) await drained(output);
  })();
  let rows = 0;
  try {
    const parser = createReadStream(part.path).pipe(parse({ bom: true, columns: true }));
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      const row = columns.map((column) => {
        let value = record[column] ?? '';
        if (value === '' && column === 'TenantId') value = part.tenantId;
        if (value === '' && column === 'TenantDomain') value = part.domain;
        return excelSafe ? excelSafeCell(value) : value;
      });
      rows += 1;
      if (!stringifier.write(row)) await drained(stringifier);
    }
  } finally {
    stringifier.end();
    await forwarded;
  }
  return rows;
}

/**
 * Merges per-tenant CSV parts into one file by streaming: only the headers are read up front (to
 * know the union of columns), then each part's records are appended in turn, so memory does not
 * grow with the number of rows. A part written in the runtime's own dialect whose columns are the
 * first columns of the output (the usual case: parts are normalised when the spool commits them)
 * is copied as bytes, widened with empty fields where the output has more columns; any other part
 * (columns in another order or missing in the middle, --excel-safe, a foreign file) is parsed and
 * re-encoded, which gives the same bytes the copy would. Parts are taken in a fixed order (domain,
 * then TenantId), so the same inputs give byte-identical output. The file is written under a
 * temporary name and renamed, so `outPath` is either the previous file or the complete new one.
 */
export async function mergeParts(parts: readonly MergePart[], outPath: string, options: MergeOptions = {}): Promise<MergeResult> {
  const ordered = [...parts].sort(compareTenants);
  const headers: string[][] = [];
  for (const part of ordered) headers.push(await readCsvHeader(part.path));
  const columns = unionColumns(headers);
  const header = Buffer.from(headerLine(columns), 'utf8');

  const temp = tempPathFor(outPath);
  const output = createWriteStream(temp);
  const closed = once(output, 'close');
  closed.catch(() => undefined); // awaited below; a failed write rejects it before that
  let rows = 0;
  try {
    if (options.bom) output.write('\uFEFF');
    output.write(header);
    for (const [index, part] of ordered.entries()) {
      const own = headers[index]!;
      const isPrefix = own.every((column, i) => column === columns[i]);
      const ownHeader = Buffer.from(headerLine(own), 'utf8');
      if (!options.excelSafe && isPrefix && part.rows !== undefined && (await startsWith(part.path, ownHeader))) {
        await copyRecords(part.path, ownHeader.length, columns.length - own.length, output);
        rows += part.rows;
      } else {
        rows += await reencodeRecords(part, columns, options.excelSafe ?? false, output);
      }
    }
    output.end();
    await closed;
    const handle = await fs.open(temp, 'r+');
    await handle.sync();
    await handle.close();
    await fs.rename(temp, outPath);
  } catch (error) {
    output.destroy();
    await fs.rm(temp, { force: true });
    throw withPath(error, outPath);
  }
  return { columns, rows };
}
