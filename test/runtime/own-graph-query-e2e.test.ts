// A user's own Graph query report end to end: a definition of kind graphQuery written outside the
// project; `dap-gen --reports` makes a module of its own (./dap-module); dap-report runs it from
// that catalog on the embedded simulator; the module's function gives the same rows in pwsh.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { buildWorld, loadCatalogFile, loadScenario, startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { buildGraphWorld } from '../../simulator/world/graph-world.js';
import { subscribedSkuObjects } from '../../simulator/world/directory-objects.js';
import { pwsh } from '../helpers/powershell.js';
import { tempDir } from './fakes.js';

const report = 'LicenceUsageReport';

const definition = `
import type { ReportDefinition } from 'dap-reporting/generator';

export const licenceUsageReport = {
  name: '${report}',
  summary: 'How much of each licence every customer uses.',
  description: 'Reads the subscribed SKUs of each customer tenant: the part number, the units bought, the share in use.',
  source: { kind: 'graphQuery', path: 'subscribedSkus', select: ['skuId', 'skuPartNumber', 'consumedUnits', 'prepaidUnits'], permission: 'LicenseAssignment.Read.All' },
  columns: [
    { name: 'Licence', type: 'string', from: 'skuPartNumber' },
    { name: 'Bought', type: 'integer', from: 'prepaidUnits.enabled' },
    { name: 'InUse', type: 'number', percent: { of: 'consumedUnits', over: 'prepaidUnits.enabled' } },
  ],
  examples: [{ code: 'Get-DapGraphToken -TenantId $id -ClientId $appId -ClientSecret $secret | Get-DapLicenceUsageReport', description: 'One customer.' }],
} satisfies ReportDefinition;
`;

type Row = Record<string, string>;
const rowsOf = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as Row[];
const line = (r: Row) => `${r.TenantId!.toLowerCase()} ${r.Licence} ${r.Bought} ${r.InUse}`;
const node = (args: string[], cwd: string) => execa(process.execPath, args, { cwd, reject: false });
const bin = (tool: string) => join(projectRoot, 'bin', `${tool}.js`);

describe("a user's own Graph query report, from its definition to offline runs", () => {
  let dir: string;
  let expected: string[];
  let sim: RunningSimulator;

  beforeAll(async () => {
    dir = tempDir();
    writeFileSync(join(dir, 'licences.ts'), definition);
    const generate = await node([bin('dap-gen'), '--reports', 'licences.ts'], dir);
    expect(generate.stderr).toBe('');
    expect(generate.exitCode).toBe(0);
    const world = buildWorld(loadScenario());
    const graph = buildGraphWorld(world, Date.now());
    expected = world.tenants
      .filter((t) => ['active', 'expiring'].includes(graph.relationshipsByTenant.get(t.tenantId.toLowerCase())!.status))
      .flatMap((t) =>
        subscribedSkuObjects(world.seed, t).map((s) => {
          const enabled = (s.prepaidUnits as { enabled: number }).enabled;
          // a share of nothing is no number: the cell is empty
          const share = enabled === 0 ? '' : String(Math.round(((s.consumedUnits as number) * 10_000) / enabled) / 100);
          return `${t.tenantId.toLowerCase()} ${s.skuPartNumber} ${enabled} ${share}`;
        }),
      )
      .sort();
    expect(expected.length).toBeGreaterThan(20);
    sim = await startSimulator({});
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it("dap-gen wrote it into the catalog of ./dap-module as a graphQuery report, with its standalone script", () => {
    const entry = loadCatalogFile(join(dir, 'dap-module')).reports.find((r) => r.name === report);
    expect(entry).toMatchObject({ function: `Get-Dap${report}`, sources: [{ kind: 'graphQuery', path: 'subscribedSkus', version: 'v1.0' }] });
    expect(entry?.script).toBe(`scripts/${report}.ps1`);
  });

  it('dap-report runs it from that catalog on --backend graph: every licence of every customer with an active relationship', async () => {
    const run = await node([bin('dap-report'), 'run', '--simulate', '--catalog', 'dap-module', '--report', report, '--out', 'own.csv', '--quiet'], dir);
    expect(run.exitCode).toBe(1); // the customers without an active relationship
    const rows = rowsOf(join(dir, 'own.csv'));
    expect(Object.keys(rows[0]!)).toEqual(['TenantId', 'TenantDomain', 'CustomerName', 'Licence', 'Bought', 'InUse']);
    expect(rows.map(line).sort()).toEqual(expected);
    const errors = rowsOf(join(dir, 'own.csv.errors.csv'));
    expect(errors.every((e) => /^Relationship(Expired|Pending|Terminated)$/.test(e.Category!))).toBe(true);
  }, 120_000);

  it("the module's function gives the same rows in pwsh", async () => {
    const out = join(dir, 'module.json');
    const result = await execa(
      pwsh.path,
      ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(projectRoot, 'test/fixtures/pwsh/graph-query-report.ps1'),
        '-ModuleManifest', join(dir, 'dap-module', 'DapReporting', 'DapReporting.psd1'), '-Report', report, '-OutFile', out],
      { env: sim.env, reject: false },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const got = JSON.parse(readFileSync(out, 'utf8')) as { Rows: Array<{ Row: Row }>; Errors: unknown[] };
    expect(got.Errors).toEqual([]);
    expect(got.Rows.map((r) => line(r.Row)).sort()).toEqual(expected);
  }, 120_000);
});
