// The generated Graph query functions end to end: real pwsh, the module, the simulator's Graph
// side; the function and the standalone script give the same rows as dap-report's graph backend
// for the same world.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleDir, projectRoot } from '../../common/project-paths.js';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { pwsh } from '../helpers/powershell.js';
import { tempDir } from '../runtime/fakes.js';
import { runGraph } from '../runtime/graph-harness.js';

interface ModuleRun {
  Rows: Array<{ Type: string; Row: Record<string, string> }>;
  Errors: Array<{ Id: string; Target: string; Message: string }>;
}

async function moduleRows(sim: RunningSimulator, report: string): Promise<ModuleRun> {
  const out = join(tempDir(), 'out.json');
  const result = await execa(
    pwsh.path,
    ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(projectRoot, 'test/fixtures/pwsh/graph-query-report.ps1'),
      '-ModuleManifest', join(moduleDir, 'DapReporting', 'DapReporting.psd1'), '-Report', report, '-OutFile', out],
    { env: sim.env, reject: false },
  );
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as ModuleRun;
}

async function runtimeRows(report: string): Promise<Array<Record<string, string>>> {
  const cwd = tempDir();
  const run = await runGraph(['run', '--simulate', '--backend', 'graph', '--report', report, '--quiet', '--out', 'out.csv'], { cwd, realCatalog: true });
  expect(run.error).toBeUndefined();
  return parse(readFileSync(join(cwd, 'out.csv'), 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>;
}

describe('generated Graph query functions against the simulator (full pwsh)', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({});
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it.each(['TenantLicenseReport', 'AdminRoleHolderReport', 'SecureScoreReport'])('Get-Dap%s gives the rows dap-report gives, typed, over every active customer', async (report) => {
    const module = await moduleRows(sim, report);
    expect(module.Errors).toEqual([]);
    expect(new Set(module.Rows.map((r) => r.Type))).toEqual(new Set([`DapReporting.${report}`]));
    const fromRuntime = (await runtimeRows(report)).map(({ CustomerName: _name, TenantDomain: _domain, ...row }) => ({ ...row, TenantId: row.TenantId!.toLowerCase() }));
    const fromModule = module.Rows.map(({ Row: { TenantDomain: _domain, ...row } }) => ({ ...row, TenantId: row.TenantId!.toLowerCase() }));
    const key = (row: Record<string, string | undefined>) => JSON.stringify(row);
    expect(fromModule.length).toBeGreaterThan(0);
    expect(fromModule.map(key).sort()).toEqual(fromRuntime.map(key).sort());

    // the standalone script: every customer, one CSV, the same rows
    const dir = tempDir();
    const script = await execa(
      pwsh.path,
      ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(moduleDir, 'scripts', `${report}.ps1`), '-PartnerTenantId', sim.env.DAP_GRAPH_TENANT_ID!,
        '-ClientId', sim.env.DAP_GRAPH_CLIENT_ID!, '-OutputFile', join(dir, 'script.csv'), '-LoginUri', sim.env.DAP_LOGIN_URL!, '-GraphUri', sim.env.DAP_GRAPH_URL!],
      { env: sim.env, reject: false },
    );
    expect(script.stderr).toBe('');
    expect(script.exitCode).toBe(0);
    const fromScript = (parse(readFileSync(join(dir, 'script.csv'), 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>).map(
      ({ TenantDomain: _domain, ...row }) => ({ ...row, TenantId: row.TenantId!.toLowerCase() }),
    );
    expect(fromScript.map(key).sort()).toEqual(fromRuntime.map(key).sort());
  });
});
