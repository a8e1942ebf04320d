// The generated Exchange functions and standalone scripts end to end: real pwsh, under dap-sim run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { noDataMessage } from '../../common/errors-file-format.js';
import { moduleDir, projectRoot } from '../../common/project-paths.js';
import { buildWorld, loadScenario } from '../../simulator/index.js';
import { dayOf, mailboxActivityRow } from '../../simulator/world/report-data.js';
import type { SimulatorStats } from '../../simulator/simulator-types.js';
import { pwsh } from '../helpers/powershell.js';
import { tempDir } from '../runtime/fakes.js';

const user = 'admin@contoso.onmicrosoft.com';
const manifest = join(moduleDir, 'DapReporting', 'DapReporting.psd1');

/** Runs pwsh with a script file under `dap-sim run` (default scenario); returns the exit code and the stats. */
async function underSimulator(dir: string, script: string, args: string[]) {
  const stats = join(dir, 'stats.json');
  const result = await execa(
    process.execPath,
    [join(projectRoot, 'bin', 'dap-sim.js'), 'run', '--stats', stats, '--', pwsh.path, '-NoLogo', '-NoProfile', '-NonInteractive', '-File', script, ...args],
    { reject: false },
  );
  return { ...result, stats: JSON.parse(readFileSync(stats, 'utf8')) as SimulatorStats };
}

/** Every tenant with data has exactly its simulated row for 2015-03-18, TenantId and TenantDomain first. */
function expectRowsMatchTheWorld(csv: string): void {
  const rows = parse(csv, { columns: true, bom: true }) as Array<Record<string, string>>;
  expect(Object.keys(rows[0] ?? {}).slice(0, 2)).toEqual(['TenantId', 'TenantDomain']);
  for (const column of ['PSComputerName', 'RunspaceId', 'PSShowComputerName']) expect(Object.keys(rows[0] ?? {})).not.toContain(column);
  const world = buildWorld(loadScenario());
  const day = dayOf(Date.UTC(2015, 2, 18));
  const withData = world.tenants.filter((t) => t.mailboxes.length > 0);
  expect(rows).toHaveLength(withData.length);
  for (const tenant of withData) {
    const row = rows.find((r) => r.TenantDomain === tenant.initialDomain);
    expect(row, tenant.initialDomain).toBeDefined();
    expect(row!.TotalNumberOfActiveMailboxes).toBe(String(mailboxActivityRow(world.seed, tenant, day).TotalNumberOfActiveMailboxes));
  }
}

/** The errors file (CSV) names each tenant without mailboxes as NoData, and nothing else (no tenant fails here). */
function expectNoDataLines(errors: string): void {
  const world = buildWorld(loadScenario());
  const empty = world.tenants.filter((t) => t.mailboxes.length === 0);
  expect(empty.length).toBeGreaterThan(0);
  const records = parse(errors, { columns: true }) as Array<Record<string, string>>;
  expect(records.map((r) => [r.TenantDomain, r.TenantId, r.Category, r.Message])).toEqual(
    empty.map((t) => [t.initialDomain, t.tenantId, 'NoData', noDataMessage]).sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );
}

function expectSessionsWithinTheCap(stats: SimulatorStats): void {
  const account = stats.accounts[user]!;
  expect(account.maxConcurrentSessions).toBeLessThanOrEqual(3);
  expect(account.sessionLimitRejections).toBe(0);
  expect(account.openSessionsAtEnd).toBe(0);
}

describe('the generated module and scripts against the simulator (full pwsh)', () => {
  it.each(['Pipeline', 'Aggregate'])('module, %s: every tenant with data, sessions within the cap', async (mode) => {
    const dir = tempDir();
    const out = join(dir, 'out.csv');
    const run = await underSimulator(dir, join(projectRoot, 'test/fixtures/pwsh/module-report.ps1'), [
      '-ModuleManifest', manifest, '-UserName', user, '-Mode', mode, '-OutputFile', out, '-ErrorFile', join(dir, 'errors.csv'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expectRowsMatchTheWorld(readFileSync(out, 'utf8'));
    if (mode === 'Aggregate') expectNoDataLines(readFileSync(join(dir, 'errors.csv'), 'utf8'));
    expectSessionsWithinTheCap(run.stats);
  });

  it('the standalone script MailboxActivityReport.ps1 does the whole job without the module', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.csv');
    const run = await underSimulator(dir, join(moduleDir, 'scripts', 'MailboxActivityReport.ps1'), [
      '-UserName', user, '-OutputFile', out, '-ReportType', 'Daily', '-StartDate', '2015-03-18', '-EndDate', '2015-03-18',
    ]);
    expect(run.exitCode).toBe(0);
    expectRowsMatchTheWorld(readFileSync(out, 'utf8'));
    expectNoDataLines(readFileSync(`${out}.errors.csv`, 'utf8'));
    expect(run.stdout).toMatch(/NoData\s*:\s*[1-9]/);
    expectSessionsWithinTheCap(run.stats);
  });
});
