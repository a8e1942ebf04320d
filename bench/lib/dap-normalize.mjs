// The spool's per-tenant step, for the merge benchmark: normalises each worker-written part (what
// Spool.commitPart does as each tenant finishes) and writes parts.json for dap-merge.mjs.
// node dap-normalize.mjs <raw-parts.json> <out-dir> <parts.json>
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { normalizePart } from '../../dist/runtime/csv-files.js';

const [rawList, outDir, list] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const parts = [];
for (const raw of JSON.parse(readFileSync(rawList, 'utf8'))) {
  const path = join(outDir, basename(raw.path));
  const { rows } = await normalizePart(raw.path, path, raw);
  parts.push({ tenantId: raw.tenantId, domain: raw.domain, path, rows });
}
writeFileSync(list, JSON.stringify(parts));
