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
  const parser = createReadStream(path).pipe(parse({ bom: true, columns: (header) => {
        columns = header;
        return header;
      }, relax_column_count: true }));
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

/**
 * Fingerprints of several files, each in a Node process of its own, `parallel` at a time (parsing is
 * the slow part and one process uses one core). Answers them in the order of `paths`.
 */
export async function fingerprintFiles(paths, parallel = 2) {
  const { execFile } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const self = fileURLToPath(import.meta.url);
  const one = (path) =>
    new Promise((resolve, reject) =>
      execFile(process.execPath, [self, path], { maxBuffer: 1 << 20 }, (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout)))),
    );
  const results = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const index = next++;
      results[index] = await one(paths[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, paths.length) }, worker));
  return results;
}

// node compare-csv.mjs <file.csv>: prints the file's fingerprint as JSON (for fingerprintFiles)
if (process.argv[1] && (await import('node:url')).fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(JSON.stringify(await fingerprintCsv(process.argv[2])));
}
