import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DapError } from '../../common/dap-error.js';
import { buildWorld, defaultScenarioPath, loadScenario } from '../../simulator/index.js';
import { runCommand } from '../../simulator/remoting/run-command.js';

const dir = mkdtempSync(join(tmpdir(), 'dap-sim-scenario-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

function expectInvalid(load: () => unknown, fieldPath: string) {
  let caught: unknown;
  try {
    load();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DapError);
  const error = caught as DapError;
  expect(error.code).toBe('SCENARIO_INVALID');
  expect(error.exitCode).toBe(2);
  expect(error.message).toContain(fieldPath);
}

describe('scenario validation', () => {
  it.each([
    ['an unknown fault type', { faults: [{ type: 'meteorStrike', tenants: ['a'] }] }, 'faults.0.type'],
    ['a negative latency', { latency: { commandMs: -5 } }, 'latency.commandMs'],
    ['a duplicate tenant domain', { tenants: [{ name: 'A', initialDomain: 'a.onmicrosoft.com' }, { name: 'B', initialDomain: 'A.onmicrosoft.com' }] }, 'tenants.1.initialDomain'],
    ['a duplicate tenant name', { tenants: [{ name: 'Same' }, { name: 'same' }] }, 'tenants.1.name'],
    ['an unknown field', { tenantCount: 2, colour: 'blue' }, "'colour'"],
    ['a fault on an unknown tenant', { tenantCount: 1, faults: [{ type: 'noData', tenants: ['nowhere.onmicrosoft.com'] }] }, 'faults.0.tenants.0'],
    ['a fault without tenants or rate', { tenantCount: 1, faults: [{ type: 'hang' }] }, 'faults.0'],
    ['a rate above 1', { faults: [{ type: 'slow', rate: 2 }] }, 'faults.0.rate'],
    ['no accounts', { accounts: [] }, 'accounts'],
    ['a bad user name', { accounts: [{ userName: 'admin', password: 'x' }] }, 'accounts.0.userName'],
    ['a bad tenant domain', { tenants: [{ name: 'A', initialDomain: 'not a domain' }] }, 'tenants.0.initialDomain'],
    ['a bad date', { now: 'yesterday-ish' }, 'now'],
  ])('rejects %s, naming the field', (_name, scenario, fieldPath) => {
    expectInvalid(() => buildWorld(loadScenario(scenario)), fieldPath);
  });

  it.each([
    ['malformed JSON', () => file('broken.json', '{ "seed": 1,, }'), 'not valid JSON'],
    ['a missing file', () => join(dir, 'absent.json'), 'does not exist'],
    ['a JSON file with a bad field', () => file('bad.json', '{"limits":{"maxSessionsPerAccount":0}}'), 'limits.maxSessionsPerAccount'],
  ])('rejects %s', (_name, path, text) => {
    expectInvalid(() => loadScenario(path()), text);
  });

  it('loads the shipped default: the documentation admin, about 25 tenants, no faults, zero latency', () => {
    const scenario = loadScenario(defaultScenarioPath);
    expect(scenario.accounts[0]?.userName).toBe('admin@contoso.onmicrosoft.com');
    expect(scenario.faults).toEqual([]);
    expect(scenario.latency).toEqual({ signInMs: 0, sessionOpenMs: 0, commandMs: 0, jitterMs: 0 });
    const world = buildWorld(scenario);
    expect(world.tenants).toHaveLength(25);
    expect(world.tenants.some((t) => t.mailboxes.length === 0)).toBe(true);
    for (const tenant of world.tenants) {
      expect(tenant.domains.filter((d) => d.isInitial)).toHaveLength(1);
      expect(tenant.domains.filter((d) => d.isDefault)).toHaveLength(1);
      expect(tenant.initialDomain).toMatch(/^[a-z0-9]+\.onmicrosoft\.com$/);
      expect(tenant.tenantId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(['SupportPartnerContract', 'ResellerPartnerContract']).toContain(tenant.contractType);
    }
  });
});

describe('determinism', () => {
  const scenario = (seed: string) => loadScenario({ seed, tenantCount: 30, faults: [{ type: 'noData', rate: 0.3 }, { type: 'hang', rate: 0.1 }] });
  const snapshot = (seed: string) => {
    const world = buildWorld(scenario(seed));
    const data = world.tenants.map((tenant) =>
      ['Get-MailboxActivityReport', 'Get-MailboxUsageDetailReport', 'Get-StaleMailboxDetailReport', 'Get-ConnectionByClientTypeReport', 'Get-Mailbox'].map(
        (cmdlet) => runCommand(world, tenant, cmdlet, { StartDate: '2015-03-01T00:00:00', EndDate: '2015-03-18T00:00:00', ResultSize: 'Unlimited' }),
      ),
    );
    const faults = [...world.tenantFaults.entries()].map(([domain, list]) => [domain, list.map((f) => f.spec.type)]);
    return JSON.stringify({ tenants: world.tenants, data, faults });
  };

  it('gives byte-identical tenants, report data and fault placement for the same seed', () => {
    expect(snapshot('seed-one')).toBe(snapshot('seed-one'));
  });

  it('gives different tenants and data for a different seed', () => {
    expect(snapshot('seed-one')).not.toBe(snapshot('seed-two'));
  });

  it('places random-rate faults on some tenants, reproducibly', () => {
    const a = buildWorld(scenario('seed-one'));
    const hit = [...a.tenantFaults.keys()];
    expect(hit.length).toBeGreaterThan(0);
    expect(hit.length).toBeLessThan(30);
    expect([...buildWorld(scenario('seed-one')).tenantFaults.keys()]).toEqual(hit);
  });

  it('answers the documentation example date (18 March 2015) with rows for tenants that have mailboxes', () => {
    const world = buildWorld(loadScenario(defaultScenarioPath));
    for (const tenant of world.tenants) {
      const result = runCommand(world, tenant, 'Get-MailboxActivityReport', { ReportType: 'Daily', StartDate: '2015-03-18T00:00:00', EndDate: '2015-03-18T00:00:00' });
      expect(result.errors).toEqual([]);
      expect(result.rows).toHaveLength(tenant.mailboxes.length > 0 ? 1 : 0);
      if (result.rows[0]) {
        expect(Object.keys(result.rows[0])).toEqual(['TenantGuid', 'TenantName', 'Date', 'TotalNumberOfActiveMailboxes', 'AccountCreated', 'AccountDeleted']);
        expect(result.rows[0]).toMatchObject({ TenantGuid: tenant.tenantId, TenantName: tenant.initialDomain, Date: '2015-03-18T00:00:00' });
      }
    }
  });
});
