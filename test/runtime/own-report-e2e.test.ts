// A user's own report end to end, as the README tells a user to do it: a definition for an Exchange
// cmdlet the built-in catalog lacks, written outside the project; `dap-gen --reports` turns it into
// a module of its own (./dap-module, module/ untouched); dap-report runs it on the embedded
// simulator through pwsh (remote sessions) and over the Exchange admin API; the module runs it
// through the pipeline, Export-DapAggregateReport and its standalone script. Every path must give
// the rows the simulator answers for that cmdlet.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { buildWorld, catalogCmdletSpecs, loadCatalogFile, loadScenario, type TenantRecord } from '../../simulator/index.js';
import { answerDeclared } from '../../simulator/world/declared-rows.js';
import type { SimulatorStats } from '../../simulator/simulator-types.js';
import { pwsh } from '../helpers/powershell.js';
import { tempDir } from './fakes.js';

const user = 'admin@contoso.onmicrosoft.com';
const report = 'MobileDeviceReport';
/** A second report, whose cmdlet runs once per object of another (input, forEach). */
const groupReport = 'GroupMemberReport';

const definition = `
import type { ReportDefinition } from 'dap-reporting/generator';

export const mobileDeviceReport = {
  name: '${report}',
  summary: 'Lists the mobile devices that synchronise with the mailboxes of every tenant.',
  description: 'Runs Get-MobileDevice in each customer tenant: one row per device partnership.',
  source: [
    { kind: 'exchange', cmdlet: 'Get-MobileDevice' },
    { kind: 'exchangeRest', cmdlet: 'Get-MobileDevice', parameters: { ResultSize: 'Unlimited' } },
  ],
  parameters: [
    { name: 'StartDate', type: 'Date', help: 'Devices first synchronised on or after this day.' },
    { name: 'EndDate', type: 'Date', help: 'Devices first synchronised on or before this day.' },
  ],
  columns: [
    { name: 'UserPrincipalName', type: 'string' },
    { name: 'DeviceId', type: 'string' },
    { name: 'DeviceModel', type: 'string' },
    { name: 'FirstSyncTime', type: 'Date' },
    { name: 'IsManaged', type: 'boolean' },
  ],
  examples: [{ code: 'Get-DapCustomer | Get-DapMobileDeviceReport -Credential $credential', description: 'Every customer tenant.' }],
  links: ['https://learn.microsoft.com/powershell/module/exchange/get-mobiledevice'],
} satisfies ReportDefinition;

export const groupMemberReport = {
  name: '${groupReport}',
  summary: 'Lists the members of every distribution group.',
  description: 'Pipes Get-DistributionGroup into Get-DistributionGroupMember in each customer tenant.',
  source: [
    { kind: 'exchange', cmdlet: 'Get-DistributionGroupMember', input: { cmdlet: 'Get-DistributionGroup', parameters: { ResultSize: 'Unlimited' } } },
    {
      kind: 'exchangeRest',
      cmdlet: 'Get-DistributionGroupMember',
      forEach: { cmdlet: 'Get-DistributionGroup', parameters: { ResultSize: 'Unlimited' }, property: 'Identity', parameter: 'Identity' },
    },
  ],
  columns: [
    { name: 'Name', type: 'string' },
    { name: 'PrimarySmtpAddress', type: 'string' },
    { name: 'RecipientType', type: 'string' },
  ],
  examples: [{ code: 'Get-DapCustomer | Get-DapGroupMemberReport -Credential $credential', description: 'Every customer tenant.' }],
} satisfies ReportDefinition;
`;

type Row = Record<string, string>;
const rowsOf = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as Row[];
/** The devices of a CSV as "<tenant id> <device id>", sorted: what every path must agree on. */
const devicesOf = (rows: readonly Row[]) => rows.map((r) => `${r.TenantId} ${r.DeviceId}`).sort();

/** A group member as "<tenant id> <name> <address> <type>". */
const memberOf = (r: Row) => `${r.TenantId} ${r.Name} ${r.PrimarySmtpAddress} ${r.RecipientType}`;

const node = (args: string[], cwd: string) => execa(process.execPath, args, { cwd, reject: false });
const bin = (tool: string) => join(projectRoot, 'bin', `${tool}.js`);

describe("a user's own report, from its definition to offline runs", () => {
  let dir: string;
  let moduleFolder: string;
  let expected: string[];
  let expectedMembers: string[];

  beforeAll(async () => {
    dir = tempDir();
    writeFileSync(join(dir, 'mobile-devices.ts'), definition);
    const generate = await node([bin('dap-gen'), '--reports', 'mobile-devices.ts'], dir);
    expect(generate.stderr).toBe('');
    expect(generate.exitCode).toBe(0);
    moduleFolder = join(dir, 'dap-module');
    // what the simulator answers for this cmdlet in every tenant of the default scenario
    const specs = catalogCmdletSpecs([loadCatalogFile(moduleFolder)]);
    expect(specs.map((s) => s.name).sort()).toEqual(['Get-DistributionGroup', 'Get-DistributionGroupMember', 'Get-MobileDevice']);
    const spec = (name: string) => specs.find((s) => s.name === name)!;
    const world = buildWorld(loadScenario(), specs);
    const answer = (tenant: TenantRecord, cmdlet: string, values: Record<string, unknown>) =>
      answerDeclared(world, tenant, spec(cmdlet), values, Date.now(), (ms) => new Date(ms).toISOString()).rows;
    expected = world.tenants.flatMap((tenant) => answer(tenant, 'Get-MobileDevice', {}).map((row) => `${tenant.tenantId} ${String(row.DeviceId)}`)).sort();
    expect(expected.length).toBeGreaterThan(20);
    // a member row per member of each group the tenant's Get-DistributionGroup answers
    expectedMembers = world.tenants
      .flatMap((tenant) =>
        answer(tenant, 'Get-DistributionGroup', { ResultSize: 'Unlimited' }).flatMap((group) =>
          answer(tenant, 'Get-DistributionGroupMember', { Identity: group.Identity }).map((row) => memberOf({ TenantId: tenant.tenantId, ...row } as Row)),
        ),
      )
      .sort();
    expect(expectedMembers.length).toBeGreaterThan(10);
  }, 120_000);

  it('dap-gen wrote the report beside the built-ins into ./dap-module and left module/ as it was', async () => {
    const catalog = loadCatalogFile(moduleFolder);
    const entry = catalog.reports.find((r) => r.name === report);
    expect(entry).toMatchObject({ function: 'Get-DapMobileDeviceReport', script: `scripts/${report}.ps1`, sources: [{ kind: 'exchange' }, { kind: 'exchangeRest' }] });
    expect(catalog.reports.length).toBeGreaterThan(10);
    const check = await node([bin('dap-gen'), '--check'], projectRoot);
    expect(check.exitCode).toBe(0);
  });

  it('dap-report runs it through pwsh remote sessions: every device of every tenant, the declared columns in order', async () => {
    const run = await node([bin('dap-report'), 'run', '--simulate', '--catalog', 'dap-module', '--report', report, '--out', 'remoting.csv', '--quiet'], dir);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const rows = rowsOf(join(dir, 'remoting.csv'));
    expect(Object.keys(rows[0]!)).toEqual(['TenantId', 'TenantDomain', 'CustomerName', 'UserPrincipalName', 'DeviceId', 'DeviceModel', 'FirstSyncTime', 'IsManaged']);
    expect(devicesOf(rows)).toEqual(expected);
    expect(rows.every((r) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z?)?$/.test(r.FirstSyncTime!))).toBe(true);
  }, 120_000);

  it('dap-report runs it over the Exchange admin API: the same devices, the customers without an active relationship failed by name', async () => {
    const run = await node([bin('dap-report'), 'run', '--simulate', '--backend', 'exo', '--catalog', 'dap-module', '--report', report, '--out', 'rest.csv', '--quiet'], dir);
    expect(run.exitCode).toBe(1);
    const errors = rowsOf(join(dir, 'rest.csv.errors.csv'));
    const failed = errors.filter((e) => e.Category !== 'NoData');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((e) => /^Relationship(Expired|Pending|Terminated)$/.test(e.Category!))).toBe(true);
    const failedIds = new Set(failed.map((e) => e.TenantId));
    expect(devicesOf(rowsOf(join(dir, 'rest.csv')))).toEqual(expected.filter((device) => !failedIds.has(device.split(' ')[0])));
  }, 120_000);

  it('a cmdlet run per object of another: dap-report pipes the groups into their members in the session, and calls it per group over the admin API', async () => {
    const remoting = await node([bin('dap-report'), 'run', '--simulate', '--catalog', 'dap-module', '--report', groupReport, '--out', 'members.csv', '--quiet'], dir);
    expect(remoting.stderr).toBe('');
    expect(remoting.exitCode).toBe(0);
    expect(rowsOf(join(dir, 'members.csv')).map(memberOf).sort()).toEqual(expectedMembers);
    const rest = await node([bin('dap-report'), 'run', '--simulate', '--backend', 'exo', '--catalog', 'dap-module', '--report', groupReport, '--out', 'members-rest.csv', '--quiet'], dir);
    expect(rest.exitCode).toBe(1);
    const failedIds = new Set(rowsOf(join(dir, 'members-rest.csv.errors.csv')).filter((e) => e.Category !== 'NoData').map((e) => e.TenantId));
    expect(rowsOf(join(dir, 'members-rest.csv')).map(memberOf).sort()).toEqual(expectedMembers.filter((member) => !failedIds.has(member.split(' ')[0])));
  }, 120_000);

  it('the module runs it: the pipeline, Export-DapAggregateReport and the standalone script give the same devices, within the session cap', async () => {
    const stats = join(dir, 'stats.json');
    const underSimulator = (args: string[]) =>
      node([bin('dap-sim'), 'run', '--catalog', moduleFolder, '--stats', stats, '--', pwsh.path, '-NoLogo', '-NoProfile', '-NonInteractive', '-File', ...args], dir);
    const module = await underSimulator([
      join(projectRoot, 'test', 'fixtures', 'pwsh', 'own-report.ps1'), '-ModuleManifest', join(moduleFolder, 'DapReporting', 'DapReporting.psd1'),
      '-UserName', user, '-Report', report, '-PipelineFile', 'pipeline.csv', '-AggregateFile', 'aggregate.csv',
    ]);
    expect(module.stderr).toBe('');
    expect(module.exitCode).toBe(0);
    expect(devicesOf(rowsOf(join(dir, 'pipeline.csv')))).toEqual(expected);
    expect(devicesOf(rowsOf(join(dir, 'aggregate.csv')))).toEqual(expected);

    const script = await underSimulator([join(moduleFolder, 'scripts', `${report}.ps1`), '-UserName', user, '-OutputFile', 'script.csv']);
    expect(script.stderr).toBe('');
    expect(script.exitCode).toBe(0);
    expect(devicesOf(rowsOf(join(dir, 'script.csv')))).toEqual(expected);
    const account = (JSON.parse(readFileSync(stats, 'utf8')) as SimulatorStats).accounts[user]!;
    expect(account.maxConcurrentSessions).toBeLessThanOrEqual(3);
    expect(account.sessionLimitRejections).toBe(0);
    expect(account.openSessionsAtEnd).toBe(0);
  }, 180_000);
});
