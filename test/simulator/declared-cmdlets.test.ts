// The cmdlets a report catalog declares that the simulator has no data of its own for: what the
// simulator makes of a catalog, and how the remoting session and the admin API answer them.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog, type Catalog } from '../../common/catalog.js';
import { projectRoot } from '../../common/project-paths.js';
import { buildWorld, catalogCmdletSpecs, loadCatalogFile, parseScenario, startSimulator, type RunningSimulator, type TenantRecord } from '../../simulator/index.js';
import { ADMIN, client } from './helpers.js';
import { exoClient, exoScenario } from './exo-helpers.js';

const fixture = join(projectRoot, 'test', 'fixtures', 'catalogs', 'own-reports.catalog.json');
const catalog = loadCatalogFile(fixture);
const dir = mkdtempSync(join(tmpdir(), 'dap-sim-catalogs-'));
const scenario = exoScenario({ accounts: [{ userName: ADMIN, password: 'admin-pw' }], tenants: [...(exoScenario().tenants as object[]), { name: 'Hollow', initialDomain: 'hollow.onmicrosoft.com', mailboxes: 0 }] });
const world = buildWorld(parseScenario(scenario));
const byName = (name: string) => world.tenants.find((t) => t.name === name) as TenantRecord;
const alpha = byName('Alpha');
const beta = byName('Beta');

const expectCatalogInvalid = (run: () => unknown, text: string | RegExp) => {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toMatchObject({ code: 'CATALOG_INVALID', exitCode: 2 });
  expect((caught as Error).message).toMatch(text);
};

describe('catalogCmdletSpecs', () => {
  const specs = catalogCmdletSpecs([catalog]);
  const spec = (name: string) => specs.find((s) => s.name === name)!;

  it('declares each cmdlet the simulator lacks, from every kind of source, and leaves the built-in ones alone', () => {
    expect(specs.map((s) => s.name)).toEqual(['Get-MobileDevice', 'Get-DistributionGroupMember', 'Get-DistributionGroup']);
    // every cmdlet of the built-in catalog is one the simulator serves with data of its own
    expect(catalogCmdletSpecs([readCatalog()])).toEqual([]);
  });

  it("takes the report's parameters typed as declared, the fixed and per-object ones, and Identity and ResultSize", () => {
    expect(spec('Get-MobileDevice').parameters.map((p) => `${p.name}:${p.type}`)).toEqual([
      'Identity:string', 'ResultSize:string', 'StartDate:datetime', 'EndDate:datetime', 'DeviceType:string', 'MaxDevices:integer', 'ActiveOnly:boolean',
    ]);
    expect(spec('Get-MobileDevice').parameters[0]).toMatchObject({ name: 'Identity', pipeline: true });
    expect(spec('Get-DistributionGroup').parameters.map((p) => p.name)).toEqual(['Identity', 'ResultSize']);
  });

  it('serves the columns the reports read: not the bytes columns the runtime fills, and the parent columns of an input or forEach cmdlet', () => {
    expect(spec('Get-MobileDevice').columns.map((c) => c.name)).toEqual([
      'UserPrincipalName', 'DeviceId', 'DeviceModel', 'FirstSyncTime', 'IsManaged', 'FolderCount', 'PercentSynced', 'StorageUsed',
    ]);
    expect(spec('Get-MobileDevice').columns.find((c) => c.name === 'StorageUsed')).toMatchObject({ bytes: true });
    expect(spec('Get-DistributionGroup').columns.map((c) => c.name)).toEqual(['Identity', 'Name', 'DisplayName', 'PrimarySmtpAddress']);
    expect(spec('Get-DistributionGroupMember').reports).toEqual(['DistributionGroupMemberReport (catalog 1)']);
  });

  it('refuses a cmdlet name that is not Verb-Noun, a bad parameter name and a catalog that is not one (exit 2)', () => {
    const report = catalog.reports[0]!;
    const withSource = (cmdlet: string) => ({ ...catalog, reports: [{ ...report, sources: [{ kind: 'exchange' as const, cmdlet }] }] });
    expectCatalogInvalid(() => catalogCmdletSpecs([withSource('Get-Mobile Device; Remove-Item')]), /MobileDeviceReport \(catalog 1\): 'Get-Mobile Device; Remove-Item' is not a cmdlet name/);
    const badParameter = { ...catalog, reports: [{ ...report, parameters: [{ ...report.parameters[0]!, name: '$x' }] }] };
    expectCatalogInvalid(() => catalogCmdletSpecs([badParameter]), /'\$x' \(a parameter of Get-MobileDevice\) is not a parameter name/);
    expectCatalogInvalid(() => catalogCmdletSpecs([{ reports: [{ name: 'X' }] } as unknown as Catalog]), /catalog 1 is not a report catalog[\s\S]*reports\.0\.sources/);
  });

  it('reads a catalog file; a missing, non-JSON or malformed file is CATALOG_INVALID (exit 2)', () => {
    expect(catalog.reports.map((r) => r.name)).toEqual(['MobileDeviceReport', 'DistributionGroupMemberReport', 'OwnMailboxReport']);
    expectCatalogInvalid(() => loadCatalogFile(join(dir, 'absent.json')), /cannot read catalog file .*absent\.json: the file does not exist/);
    writeFileSync(join(dir, 'broken.json'), '{ "reports": [');
    expectCatalogInvalid(() => loadCatalogFile(join(dir, 'broken.json')), /catalog file .*broken\.json is not valid JSON/);
    writeFileSync(join(dir, 'shape.json'), JSON.stringify({ reports: [{ name: 'R', sources: [{ kind: 'exchange' }], parameters: [], columns: [] }] }));
    expectCatalogInvalid(() => loadCatalogFile(join(dir, 'shape.json')), /shape\.json is not a report catalog[\s\S]*reports\.0\.sources\.0\.cmdlet/);
    // the folder dap-gen writes names its catalog; a folder without one is refused
    const out = join(dir, 'dap-module');
    mkdirSync(join(out, 'DapReporting'), { recursive: true });
    copyFileSync(fixture, join(out, 'DapReporting', 'DapReporting.catalog.json'));
    expect(loadCatalogFile(out)).toEqual(catalog);
    expect(loadCatalogFile(join(out, 'DapReporting'))).toEqual(catalog);
    expectCatalogInvalid(() => loadCatalogFile(dir), /the folder .* holds no catalog: expected .*DapReporting\.catalog\.json/);
  });
});

describe('declared cmdlets over HTTP', () => {
  let sim: RunningSimulator;
  let remoting: ReturnType<typeof client>;
  let exo: ReturnType<typeof exoClient>;
  beforeAll(async () => {
    sim = await startSimulator({ scenario, catalogs: [catalog] });
    remoting = client(sim);
    exo = exoClient(sim);
  });
  afterAll(async () => {
    await sim.stop();
  });

  const session = async (domain: string) => {
    const opened = await remoting.open(domain);
    expect(opened.status).toBe(201);
    return opened.body;
  };

  it('lists the declared cmdlets and their parameters when a session opens', async () => {
    const opened = await session(alpha.initialDomain);
    expect(opened.declaredCmdlets.map((c: { name: string }) => c.name)).toEqual(['Get-MobileDevice', 'Get-DistributionGroupMember', 'Get-DistributionGroup']);
    expect(opened.declaredCmdlets[0].parameters).toContainEqual({ name: 'ResultSize', type: 'string', array: false, pattern: '^(?i:unlimited|[1-9][0-9]*)$' });
    await remoting.close(opened.sessionId);
  });

  it("answers a declared cmdlet in the remoting session with rows of the report's columns and types, dates inside StartDate/EndDate", async () => {
    const opened = await session(alpha.initialDomain);
    const answer = await remoting.run(opened.sessionId, 'Get-MobileDevice', { StartDate: '2026-10-01T00:00:00', EndDate: '2026-10-31T00:00:00', DeviceType: 'Phone', MaxDevices: 2, ActiveOnly: true });
    await remoting.close(opened.sessionId);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toEqual([]);
    expect(answer.body.columns).toEqual([
      { name: 'UserPrincipalName', type: 'string' }, { name: 'DeviceId', type: 'string' }, { name: 'DeviceModel', type: 'string' },
      { name: 'FirstSyncTime', type: 'datetime' }, { name: 'IsManaged', type: 'bool' }, { name: 'FolderCount', type: 'long' },
      { name: 'PercentSynced', type: 'double' }, { name: 'StorageUsed', type: 'string' },
    ]);
    const rows = answer.body.rows as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThanOrEqual(Math.ceil(alpha.mailboxes.length / 4));
    expect(rows.length).toBeLessThanOrEqual(alpha.mailboxes.length);
    const addresses = new Set(alpha.mailboxes.map((m) => m.userPrincipalName));
    for (const row of rows) {
      expect(addresses.has(row.UserPrincipalName as string)).toBe(true);
      expect(row.DeviceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.FirstSyncTime).toMatch(/^2026-10-(0[1-9]|[12]\d|3[01])T\d{2}:\d{2}:\d{2}$/);
      expect(typeof row.IsManaged).toBe('boolean');
      expect(Number.isInteger(row.FolderCount)).toBe(true);
      expect(typeof row.PercentSynced).toBe('number');
      expect(row.StorageUsed).toMatch(/^[\d.]+ (GB|MB|KB) \([\d,]+ bytes\)$/);
    }
    const dates = rows.map((r) => r.FirstSyncTime as string);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it("refuses an unknown parameter with PowerShell's text, a value of the wrong type with 400, and keeps built-in cmdlets their own", async () => {
    const opened = await session(alpha.initialDomain);
    const unknown = await remoting.run(opened.sessionId, 'Get-MobileDevice', { Colour: 'blue' });
    const badValue = await remoting.run(opened.sessionId, 'Get-MobileDevice', { MaxDevices: 'many' });
    const builtIn = await remoting.run(opened.sessionId, 'Get-Mailbox', {});
    await remoting.close(opened.sessionId);
    expect(unknown.body.rows).toEqual([]);
    expect(unknown.body.errors).toEqual([
      {
        exceptionType: 'System.Management.Automation.ParameterBindingException',
        message: "A parameter cannot be found that matches parameter name 'Colour'.",
        errorId: 'NamedParameterNotFound,Get-MobileDevice',
        category: 'InvalidArgument',
        targetObject: 'Colour',
      },
    ]);
    expect(badValue.status).toBe(400);
    expect(badValue.body.error.message).toBe("MaxDevices: The value must be a whole number. Received 'many'.");
    expect(builtIn.body.columns.map((c: { name: string }) => c.name)).toEqual(['Identity', 'DisplayName', 'UserPrincipalName', 'PrimarySmtpAddress', 'ExchangeGuid']);
  });

  it('answers a parent (input) cmdlet with objects whose Identity the declared cmdlet takes, 0 to 3 rows per object', async () => {
    const opened = await session(alpha.initialDomain);
    const groups = await remoting.run(opened.sessionId, 'Get-DistributionGroup', { ResultSize: 'Unlimited' });
    const identities = (groups.body.rows as Array<{ Identity: string }>).map((g) => g.Identity);
    expect(identities.length).toBeGreaterThan(0);
    const counts: number[] = [];
    for (const identity of identities) {
      const members = await remoting.run(opened.sessionId, 'Get-DistributionGroupMember', { Identity: identity });
      counts.push(members.body.rows.length);
    }
    await remoting.close(opened.sessionId);
    expect(Math.max(...counts)).toBeLessThanOrEqual(3);
  });

  it('has no rows in a tenant without mailboxes, like every report there', async () => {
    const opened = await session('hollow.onmicrosoft.com');
    const answer = await remoting.run(opened.sessionId, 'Get-MobileDevice', {});
    await remoting.close(opened.sessionId);
    expect(answer.status).toBe(200);
    expect(answer.body.rows).toEqual([]);
  });

  it('answers the same cmdlet over the admin API (InvokeCommand) with the same rows, dates in the API form', async () => {
    const token = await exo.accessToken(alpha.tenantId);
    const parameters = { StartDate: '2026-10-01T00:00:00', EndDate: '2026-10-31T00:00:00', DeviceType: 'Phone', MaxDevices: 2, ActiveOnly: true };
    const { values } = await exo.invokeAll(alpha.tenantId, token, 'Get-MobileDevice', parameters);
    const opened = await session(alpha.initialDomain);
    const remote = await remoting.run(opened.sessionId, 'Get-MobileDevice', parameters);
    await remoting.close(opened.sessionId);
    expect(values.length).toBe(remote.body.rows.length);
    expect(values.map((v) => v.DeviceId)).toEqual(remote.body.rows.map((r: { DeviceId: string }) => r.DeviceId));
    expect(values.map((v) => v.FirstSyncTime)).toEqual(remote.body.rows.map((r: { FirstSyncTime: string }) => `${r.FirstSyncTime}Z`));
    const selected = await exo.invoke(alpha.tenantId, token, 'Get-MobileDevice', {}, { select: 'DeviceId' });
    expect(Object.keys(selected.body.value[0])).toEqual(['DeviceId']);
  });

  it('refuses over the admin API an unknown parameter and a bad value with its own errors', async () => {
    const token = await exo.accessToken(alpha.tenantId);
    const unknown = await exo.invoke(alpha.tenantId, token, 'Get-MobileDevice', { Colour: 'blue' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].message).toBe(
      '|Microsoft.Exchange.AdminApi.CommandInvocation.AmbiguousParameterSetException|Parameter set cannot be resolved using the specified named parameters. Invalid cmdlet parameters specified. Colour',
    );
    const badDate = await exo.invoke(alpha.tenantId, token, 'Get-MobileDevice', { StartDate: 'yesterday' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.details[0].message).toBe(
      `|Microsoft.Exchange.AdminApi.CommandInvocation.ParameterTransformationException|Cannot process argument transformation on parameter 'StartDate'. Cannot convert value "yesterday". Error: "String was not recognized as a valid DateTime."`,
    );
    const badSize = await exo.invoke(alpha.tenantId, token, 'Get-MobileDevice', { ResultSize: 0 });
    expect(badSize.status).toBe(400);
  });

  it('answers per object for a forEach target (Identity of each parent) and cuts at ResultSize with the warning', async () => {
    const token = await exo.accessToken(alpha.tenantId);
    const { values: groups } = await exo.invokeAll(alpha.tenantId, token, 'Get-DistributionGroup', { ResultSize: 'Unlimited' }, { select: 'PrimarySmtpAddress' });
    expect(groups.length).toBeGreaterThan(0);
    const members = await exo.invokeAll(alpha.tenantId, token, 'Get-DistributionGroupMember', { Identity: 'some-group' });
    expect(members.values.length).toBeLessThanOrEqual(3);
    const cut = await exo.invoke(alpha.tenantId, token, 'Get-MobileDevice', { ResultSize: 1 });
    expect(cut.body.value).toHaveLength(1);
    expect(cut.body['@adminapi.warnings']).toEqual(['There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.']);
  });
});

describe('seeded rows', () => {
  const rowsOf = async (sim: RunningSimulator, tenant: TenantRecord) => {
    const c = exoClient(sim);
    return (await c.invokeAll(tenant.tenantId, await c.accessToken(tenant.tenantId), 'Get-MobileDevice', {})).values;
  };

  it('are the same for the same seed, differ between tenants and between seeds', async () => {
    const first = await startSimulator({ scenario, catalogs: [catalog] });
    const second = await startSimulator({ scenario, catalogs: [catalog] });
    const reseeded = await startSimulator({ scenario: { ...scenario, seed: 'another-seed' }, catalogs: [catalog] });
    try {
      const alphaRows = await rowsOf(first, alpha);
      expect(alphaRows.length).toBeGreaterThan(0);
      expect(await rowsOf(second, alpha)).toEqual(alphaRows);
      expect(await rowsOf(first, beta)).not.toEqual(alphaRows);
      const reseededWorld = buildWorld(parseScenario({ ...scenario, seed: 'another-seed' }));
      const alphaAgain = reseededWorld.tenants.find((t) => t.name === 'Alpha')!;
      expect(await rowsOf(reseeded, alphaAgain)).not.toEqual(alphaRows);
    } finally {
      await Promise.all([first.stop(), second.stop(), reseeded.stop()]);
    }
  });

  it('stay the same from call to call when the scenario sets no now', async () => {
    const sim = await startSimulator({ scenario: { seed: 'no-now', tenants: [{ name: 'Clockless', mailboxes: 6 }] }, catalogs: [catalog] });
    try {
      const c = client(sim);
      const opened = await c.open('clockless.onmicrosoft.com', 'admin@contoso.onmicrosoft.com', 'Simulated-Pa55word!');
      const first = await c.run(opened.body.sessionId, 'Get-MobileDevice');
      await new Promise((resolve) => setTimeout(resolve, 20));
      const second = await c.run(opened.body.sessionId, 'Get-MobileDevice');
      await c.close(opened.body.sessionId);
      expect(first.body.rows.length).toBeGreaterThan(0);
      expect(second.body.rows).toEqual(first.body.rows);
    } finally {
      await sim.stop();
    }
  });

  it('are absent without the catalog: the cmdlet is unknown', async () => {
    const sim = await startSimulator({ scenario });
    try {
      const c = exoClient(sim);
      const answer = await c.invoke(alpha.tenantId, await c.accessToken(alpha.tenantId), 'Get-MobileDevice', {});
      expect(answer.status).toBe(400);
      expect(answer.body.error.details[0].message).toContain("The term 'Get-MobileDevice' is not recognized");
    } finally {
      await sim.stop();
    }
  });
});
