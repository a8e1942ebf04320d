import { remotingColumnNames } from '../../../common/output-columns.js';
import { CsvShapeError, decodeRecord, quoteField, readRecords } from './csv-records.js';

/**
 * The CSV the runtime writes (the merged output): RFC 4180 with CRLF between records. The header
 * and every field the merge writes itself are quoted; a part's fields are copied as the part
 * quotes them (Export-Csv quotes every field but an empty one from $null).
 */
export const recordEnd = '\r\n';

/** Columns that remoting adds to every object; they never reach the output. */
export const remotingColumns: ReadonlySet<string> = new Set(remotingColumnNames);

/** The exact bytes of a header record in the output's dialect. */
export function headerLine(columns: readonly string[]): string {
  return `${columns.map(quoteField).join(',')}${recordEnd}`;
}

/** The first record of a CSV file (its header), read without the rest; [] for an empty file. */
export async function readCsvHeader(path: string): Promise<string[]> {
  for await (const { chunk, bounds } of readRecords(path, 64 * 1024)) return decodeRecord(chunk, bounds, 0);
  return [];
}

/**
 * Checks a part as a runner wrote it (Export-Csv, or the Graph backend): it is well-formed CSV,
 * every record has as many fields as the header, and the header names TenantId and TenantDomain.
 * Reads the file once, at the speed of the record scanner; answers the header and the data rows.
 */
export async function inspectPart(path: string): Promise<{ header: string[]; rows: number }> {
  let header: string[] | undefined;
  let rows = 0;
  for await (const { chunk, bounds } of readRecords(path)) {
    let first = 0;
    if (!header) {
      header = decodeRecord(chunk, bounds, 0);
      for (const column of ['TenantId', 'TenantDomain']) {
        if (!header.includes(column)) throw new CsvShapeError(`the rows have no ${column} column (columns: ${header.join(', ')})`);
      }
      first = 1;
    }
    for (let r = first; r < bounds.records; r += 1) {
      if (bounds.fieldCount(r) !== header.length) {
        throw new CsvShapeError(`row ${rows + r - first + 1} has ${bounds.fieldCount(r)} fields, the header has ${header.length}`);
      }
    }
    rows += bounds.records - first;
  }
  if (!header) throw new CsvShapeError('the file is empty');
  return { header, rows };
}
