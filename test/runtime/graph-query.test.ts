/**
 * Graph query reports on --backend graph, row by row against the simulator's world over every
 * tenant of the default scenario: licences per tenant, admin role holders, Secure Score; each
 * tenant within its throttling class's budget (the simulator's counters); a refusal names the
 * permission to grant.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { graphThrottleTable } from '../../common/graph-throttling.js';
import { buildWorld, loadScenario } from '../../simulator/index.js';
import { roleAssignmentObjects, roleDefinitionObjects, secureScoreObjects, subscribedSkuObjects } from '../../simulator/world/directory-objects.js';
import { buildGraphWorld } from '../../simulator/world/graph-world.js';
import { defaultScenarioPath } from '../../simulator/world/paths.js';
import { tempDir } from './fakes.js';
import { graphWorld, runGraph, writeScenario } from './graph-harness.js';

const records = (path: string) => parse(readFileSync(path, 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>;

function defaultWorld() {
  const world = buildWorld(loadScenario(JSON.parse(readFileSync(defaultScenarioPath, 'utf8'))));
  const graph = buildGraphWorld(world, Date.now());
  const active = world.tenants.filter((t) => ['active', 'expiring'].includes(graph.relationshipsByTenant.get(t.tenantId.toLowerCase())!.status));
  return { world, graph, active };
}

async function runReport(report: string) {
  const cwd = tempDir();
  const run = await runGraph(['run', '--simulate', '--backend', 'graph', '--report', report, '--quiet', '--out', 'out.csv'], { cwd, realCatalog: true });
  expect(run.error).toBeUndefined();
  return { run, rows: records(join(cwd, 'out.csv')) };
}

describe('Graph query reports over the default scenario', () => {
  it('TenantLicenseReport: every subscribed SKU of every runnable tenant, units as the service counts them', async () => {
    const { world, active } = defaultWorld();
    const { run, rows } = await runReport('TenantLicenseReport');
    const expected = active.flatMap((t) =>
      subscribedSkuObjects(world.seed, t).map((s) => {
        const units = s.prepaidUnits as Record<string, number>;
        return {
          TenantId: t.tenantId.toLowerCase(),
          SkuPartNumber: s.skuPartNumber,
          SkuId: s.skuId,
          CapabilityStatus: s.capabilityStatus,
          EnabledUnits: String(units.enabled),
          ConsumedUnits: String(s.consumedUnits),
          WarningUnits: String(units.warning),
          SuspendedUnits: String(units.suspended),
          AppliesTo: 'User',
        };
      }),
    );
    const got = rows.map(({ TenantDomain: _d, CustomerName: _c, ...row }) => ({ ...row, TenantId: row.TenantId!.toLowerCase() }));
    const key = (r: Record<string, unknown>) => `${r.TenantId}|${r.SkuId}`;
    expect(got.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(expected.sort((a, b) => key(a).localeCompare(key(b))));
    // subscribedSkus costs 3 units per request (reference §4c): within the directory budget of every tenant
    for (const t of active) {
      const counts = run.stats!.graph.classesPerTenant[t.tenantId.toLowerCase()]!.directory!;
      expect(counts).toMatchObject({ requests: 1, units: 3, throttled: 0 });
      expect(counts.maxInWindow).toBeLessThanOrEqual(graphThrottleTable.directory.limit);
    }
  });

  it('AdminRoleHolderReport: every role assignment with its role name (from roleDefinitions) and its principal', async () => {
    const { world, active } = defaultWorld();
    const { rows } = await runReport('AdminRoleHolderReport');
    const names = new Map(roleDefinitionObjects().map((r) => [r.id as string, r.displayName as string]));
    const expected = active.flatMap((t) =>
      roleAssignmentObjects(world.seed, t).map((a) => {
        const principal = a.principal as Record<string, string>;
        return [t.tenantId.toLowerCase(), names.get(a.roleDefinitionId as string), a.roleDefinitionId, '/', principal['@odata.type'], a.principalId, principal.displayName, principal.userPrincipalName ?? ''].join('|');
      }),
    );
    const got = rows.map((r) =>
      [r.TenantId!.toLowerCase(), r.RoleName, r.RoleDefinitionId, r.DirectoryScopeId, r.PrincipalType, r.PrincipalId, r.PrincipalDisplayName, r.PrincipalUserPrincipalName].join('|'),
    );
    expect(got.sort()).toEqual(expected.sort());
    expect(rows.some((r) => r.RoleName === 'Global Administrator')).toBe(true);
    expect(rows.some((r) => r.PrincipalType === '#microsoft.graph.servicePrincipal')).toBe(true);
  });

  it('SecureScoreReport: the latest score per tenant, its maximum and percentage, the date in ISO 8601', async () => {
    const { world, graph, active } = defaultWorld();
    const { run, rows } = await runReport('SecureScoreReport');
    expect(rows).toHaveLength(active.length);
    for (const t of active) {
      const latest = secureScoreObjects(world.seed, t, graph.today)[0]!;
      const row = rows.find((r) => r.TenantId!.toLowerCase() === t.tenantId.toLowerCase())!;
      expect(row).toMatchObject({
        CreatedDateTime: new Date(graph.today).toISOString().slice(0, 10),
        CurrentScore: String(latest.currentScore),
        MaxScore: String(latest.maxScore),
        Percentage: String(Math.round(((latest.currentScore as number) * 10_000) / (latest.maxScore as number)) / 100),
        ActiveUserCount: String(latest.activeUserCount),
        LicensedUserCount: String(latest.licensedUserCount),
      });
      expect(run.stats!.graph.classesPerTenant[t.tenantId.toLowerCase()]!.secureScore).toMatchObject({ requests: 1, throttled: 0 });
    }
  });
});

describe('Graph query faults', () => {
  it('dap-report check reads one page of the query: a missing permission is found before the run, naming it', async () => {
    const cwd = tempDir();
    const app = { clientId: '3c1f9a52-7d4e-4b8a-9c21-6e5f4d3b2a10', clientSecret: 'Graph-Test-Secret~1' };
    const denied = graphWorld({ graph: { apps: [{ ...app, roles: { graph: ['Reports.Read.All', 'DelegatedAdminRelationship.Read.All'], exchange: [] } }] } });
    const refused = await runGraph(['check', '--simulate', writeScenario(cwd, denied), '--backend', 'graph', '--report', 'SecureScoreReport', '--json'], { cwd, realCatalog: true });
    expect(refused.exitCode).toBe(1);
    const tenants = (JSON.parse(refused.stdout) as { tenants: Array<{ status: string; category?: string; message?: string }> }).tenants;
    expect(tenants).toHaveLength(6);
    for (const t of tenants) expect(t).toMatchObject({ status: 'failed', category: 'AccessDenied', message: expect.stringContaining('SecurityEvents.Read.All') });
    const granted = await runGraph(['check', '--simulate', writeScenario(cwd, graphWorld(), 'granted.json'), '--backend', 'graph', '--report', 'SecureScoreReport', '--json'], { cwd, realCatalog: true });
    expect(granted.exitCode).toBe(0);
    // one cheap read per tenant: the query's first object
    for (const counts of Object.values(granted.stats!.graph.classesPerTenant)) expect(counts.secureScore).toMatchObject({ requests: 1 });
  });

  it('an app without the permission: every tenant fails AccessDenied, the message naming the permission to grant', async () => {
    const cwd = tempDir();
    const scenario = graphWorld({ graph: { apps: [{ clientId: '3c1f9a52-7d4e-4b8a-9c21-6e5f4d3b2a10', clientSecret: 'Graph-Test-Secret~1', roles: { graph: ['Reports.Read.All', 'DelegatedAdminRelationship.Read.All'], exchange: [] } }] } });
    const run = await runGraph(['run', '--simulate', writeScenario(cwd, scenario), '--backend', 'graph', '--report', 'TenantLicenseReport', '--quiet'], { cwd, realCatalog: true });
    expect(run.exitCode).toBe(1);
    const errors = records(join(cwd, 'ReportOutput.csv.errors.csv'));
    expect(errors).toHaveLength(6);
    for (const e of errors) {
      expect(e.Category).toBe('AccessDenied');
      expect(e.Message).toContain('Authorization_RequestDenied');
      expect(e.Message).toContain('LicenseAssignment.Read.All');
    }
  });
});
