import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { tempPathFor } from './atomic-file.js';
import { readCsvHeader } from './csv-files.js';
import { compareTenants } from './manifest.js';

export interface MergePart {
  tenantId: string;
  domain: string;
  path: string;
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

/** Columns that remoting adds to every object; they never reach the output. */
export const remotingColumns: ReadonlySet<string> = new Set(['PSComputerName', 'RunspaceId', 'PSShowComputerName']);

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

/**
 * Merges per-tenant CSV parts into one file by streaming: only the headers are read up front (to
 * know the union of columns), then each part is parsed record by record and written out, so memory
 * does not grow with the number of rows. Parts are taken in a fixed order (domain, then TenantId),
 * making the output byte-identical for the same inputs. The file is written under a temporary
 * name and renamed, so `outPath` is either the previous file or the complete new one.
 */
export async function mergeParts(parts: readonly MergePart[], outPath: string, options: MergeOptions = {}): Promise<MergeResult> {
  const ordered = [...parts].sort(compareTenants);
  const headers: string[][] = [];
  for (const part of ordered) headers.push(await readCsvHeader(part.path));
  const columns = unionColumns(headers);

  const temp = tempPathFor(outPath);
  const output = createWriteStream(temp);
  const stringifier = stringify({ header: true, columns, record_delimiter: 'windows', quote_record_delimiter: true });
  let rows = 0;
  try {
    if (options.bom) output.write('\uFEFF');
    const written = pipeline(stringifier, output);
    written.catch(() => undefined); // awaited below; on failure the catch block cleans up
    for (const part of ordered) {
      const parser = createReadStream(part.path).pipe(parse({ bom: true, columns: true }));
      for await (const record of parser as AsyncIterable<Record<string, string>>) {
        const row = columns.map((column) => {
          let value = record[column] ?? '';
          if (value === '' && column === 'TenantId') value = part.tenantId;
          if (value === '' && column === 'TenantDomain') value = part.domain;
          return options.excelSafe ? excelSafeCell(value) : value;
        });
        rows += 1;
        if (!stringifier.write(row)) await once(stringifier, 'drain');
      }
    }
    stringifier.end();
    await written;
    const handle = await fs.open(temp, 'r+');
    await handle.sync();
    await handle.close();
    await fs.rename(temp, outPath);
  } catch (error) {
    stringifier.destroy();
    output.destroy();
    await fs.rm(temp, { force: true });
    throw error;
  }
  return { columns, rows };
}
