// What a dap-report run pays for its rows, from the parts as the pwsh workers write them to the
// merged CSV: the spool's check of each part as its tenant finishes (inspectPart, what
// Spool.commitPart does), then the merge (mergeParts, which also fsyncs the output before renaming
// it). Prints the split as JSON: { checkSeconds, mergeSeconds, rows, columns }.
// node dap-merge.mjs <out.csv> <parts.json>   (parts.json: [{ tenantId, domain, path }])
import { readFileSync } from 'node:fs';
import { inspectPart } from '../../dist/runtime/platform/files/csv-files.js';
import { mergeParts } from '../../dist/runtime/run/merge.js';

const [out, list] = process.argv.slice(2);
const started = performance.now();
const parts = [];
for (const part of JSON.parse(readFileSync(list, 'utf8'))) {
  const { rows } = await inspectPart(part.path);
  parts.push({ tenantId: part.tenantId, domain: part.domain, path: part.path, rows });
}
const checked = performance.now();
const result = await mergeParts(parts, out);
const merged = performance.now();
process.stdout.write(`${JSON.stringify({ checkSeconds: (checked - started) / 1000, mergeSeconds: (merged - checked) / 1000, rows: result.rows, columns: result.columns.length })}\n`);
