// dap-report's merge step alone, for the merge benchmark: node dap-merge.mjs <out.csv> <parts.json>
// parts.json lists the spooled parts as the run's manifest does: [{ tenantId, domain, path, rows }].
import { readFileSync } from 'node:fs';
import { mergeParts } from '../../dist/runtime/merge.js';

const [out, list] = process.argv.slice(2);
const result = await mergeParts(JSON.parse(readFileSync(list, 'utf8')), out);
process.stdout.write(`${result.rows} rows, ${result.columns.length} columns\n`);
