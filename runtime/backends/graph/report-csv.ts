import { createWriteStream, promises as fs } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';

/** The column a concealed report hides user names in, and what a concealed name looks like (32 hex digits). */
const userColumn = 'User Principal Name';
const concealedName = /^[0-9A-F]{32}$/i;

/**
 * Streams a Graph report CSV (UTF-8, starting with a BOM) into a part file for the spool:
 * TenantId and TenantDomain first, then the report's own columns, one record at a time. Answers
 * the number of data rows, and whether its user names are concealed (every non-empty User Principal
 * Name is 32 hex digits, as with the tenant's "display concealed names" report setting). Rejects when the CSV does not parse (e.g. a row with more fields than
 * the header).
 */
export async function writeReportPart(
  body: ReadableStream<Uint8Array> | null,
  outPath: string,
  tenant: { tenantId: string; domain: string },
  signal?: AbortSignal,
): Promise<{ rows: number; columns: string[]; concealed: boolean }> {
  let rows = 0;
  let columns: string[] = [];
  let userIndex = -1;
  let names = 0;
  let hidden = 0;
  const prefix = new Transform({
    objectMode: true,
    transform(record: string[], _encoding, done) {
      if (columns.length === 0) {
        columns = record.map((c) => c.trim());
        userIndex = columns.indexOf(userColumn);
        done(null, ['TenantId', 'TenantDomain', ...columns]);
        return;
      }
      rows += 1;
      const user = userIndex >= 0 ? record[userIndex] : undefined;
      if (user) {
        names += 1;
        if (concealedName.test(user)) hidden += 1;
      }
      done(null, [tenant.tenantId, tenant.domain, ...record]);
    },
  });
  const source = body ? Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>) : Readable.from([]);
  try {
    await pipeline(
      source,
      parse({ bom: true, skip_empty_lines: true }),
      prefix,
      // the dialect Export-Csv writes in the pwsh backend: every field quoted, LF
      stringify({ quoted: true, record_delimiter: 'unix' }),
      // a new file of the run's own (output-path.ts): a name that exists already is never opened
      createWriteStream(outPath, { flags: 'wx' }),
      ...(signal ? [{ signal }] : []),
    );
  } catch (error) {
    await fs.rm(outPath, { force: true });
    throw error;
  }
  return { rows, columns, concealed: names > 0 && hidden === names };
}
