// Checks a contender's CSV against the simulator's world: one row count per tenant with data,
// found by the tenant id column (TenantId in the project's outputs, TenantGuid in the rows the
// baseline appends as the service returns them).
import { createReadStream, existsSync } from 'node:fs';
import { parse } from 'csv-parse';
import { buildWorld, loadScenario } from '../../dist/simulator/index.js';
import { runCommand } from '../../dist/simulator/remoting/run-command.js';
import { reportDay } from './bench-scenarios.mjs';

/** Rows the benchmark's report gives per tenant id (lower case), with the tenant's initial domain. */
export function expectedRows(scenario) {
  const world = buildWorld(loadScenario(scenario));
  const expected = new Map();
  for (const tenant of world.tenants) {
    const result = runCommand(world, tenant, 'Get-MailboxActivityReport', { ReportType: 'Daily', StartDate: reportDay, EndDate: reportDay });
    expected.set(tenant.tenantId.toLowerCase(), { domain: tenant.initialDomain, rows: result.rows.length });
  }
  return expected;
}

const sample = (list) => (list.length > 3 ? `${list.slice(0, 3).join(', ')}, …` : list.join(', '));

/** @returns {Promise<{ ok: boolean, text: string, rows: number }>} */
export async function checkOutput(path, expected) {
  if (!existsSync(path)) return { ok: false, text: 'no output file', rows: 0 };
  const counts = new Map();
  let rows = 0;
  let key;
  const parser = createReadStream(path).pipe(parse({ bom: true, columns: true, relax_column_count: true }));
  for await (const record of parser) {
    key ??= ['TenantId', 'TenantGuid'].find((name) => name in record);
    if (!key) return { ok: false, text: 'no TenantId or TenantGuid column', rows: 0 };
    rows += 1;
    const id = String(record[key] ?? '').toLowerCase();
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const withData = [...expected].filter(([, e]) => e.rows > 0);
  const missing = withData.filter(([id]) => !counts.has(id)).map(([, e]) => e.domain);
  const miscounted = withData.filter(([id, e]) => counts.has(id) && counts.get(id) !== e.rows).map(([, e]) => e.domain);
  const unexpected = [...counts.keys()].filter((id) => !(expected.get(id)?.rows > 0));
  const problems = [];
  if (missing.length) problems.push(`${missing.length} of ${withData.length} tenants with data missing (${sample(missing)})`);
  if (miscounted.length) problems.push(`${miscounted.length} tenants with another row count (${sample(miscounted)})`);
  if (unexpected.length) problems.push(`rows for ${unexpected.length} tenants without data or unknown (${sample(unexpected)})`);
  return problems.length
    ? { ok: false, text: problems.join('; '), rows }
    : { ok: true, text: `all ${withData.length} tenants with data, ${rows} rows`, rows };
}
