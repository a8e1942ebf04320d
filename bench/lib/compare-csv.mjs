// Compares merged CSV files by content, independent of row and column order: the set of columns,
// the number of rows, and an order-independent fingerprint of the rows (each row as its non-empty
// name=value pairs, so "missing" and "empty" compare equal, as unsparsify fills with empty).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export async function fingerprintCsv(path) {
  let rows = 0;
  let sum = 0n;
  let columns;
  const parser = createReadStream(path).pipe(parse({ bom: true, columns: (header) => ((columns = header), header), relax_column_count: true }));
  for await (const record of parser) {
    rows += 1;
    const pairs = Object.keys(record)
      .filter((k) => record[k] !== '' && record[k] !== undefined)
      .sort()
      .map((k) => `${k}\u0000${record[k]}`)
      .join('\u0001');
    const digest = createHash('sha1').update(pairs).digest();
    sum = (sum + digest.readBigUInt64BE(0)) & 0xffffffffffffffffn;
  }
  return { rows, columns: [...(columns ?? [])].sort(), fingerprint: sum.toString(16) };
}

/** Differences between two fingerprints, as short sentences; empty when they agree. */
export function describeDifferences(name, want, got) {
  const out = [];
  if (got.rows !== want.rows) out.push(`${name}: ${got.rows} rows, expected ${want.rows}`);
  const missing = want.columns.filter((c) => !got.columns.includes(c));
  const extra = got.columns.filter((c) => !want.columns.includes(c));
  if (missing.length) out.push(`${name}: missing columns ${missing.join(', ')}`);
  if (extra.length) out.push(`${name}: extra columns ${extra.join(', ')}`);
  if (got.fingerprint !== want.fingerprint && got.rows === want.rows) out.push(`${name}: same row count, different row contents`);
  return out;
}
