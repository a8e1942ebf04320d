/**
 * Every customer is accounted for on the app's backends: a customer whose GDAP relationship is not
 * active fails with its own category and the relationship's end date (it is not dropped), and a
 * tenant whose report hides user names is flagged with what to change.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../runtime/run/summary.js';
import { buildGraphWorld } from '../../simulator/world/graph-world.js';
import { buildWorld, loadScenario } from '../../simulator/index.js';
import { defaultScenarioPath } from '../../simulator/world/paths.js';
import { tempDir } from './fakes.js';
import { graphWorld, runGraph, writeScenario } from './graph-harness.js';

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const records = (path: string) => parse(readFileSync(path, 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>;

describe('every customer accounted for', () => {
  it('the default scenario: every customer is in the summary; those without an active relationship fail with its status and end date', async () => {
    const cwd = tempDir();
    const run = await runGraph(['run', '--simulate', '--backend', 'graph', '--quiet'], { cwd, realCatalog: true });
    expect(run.error).toBeUndefined();
    const scenario = loadScenario(JSON.parse(readFileSync(defaultScenarioPath, 'utf8')));
    const world = buildWorld(scenario);
    const graph = buildGraphWorld(world, Date.now());
    const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    expect(summary.totals.tenants).toBe(world.tenants.length);
    const inactive = graph.relationships.filter((r) => !['active', 'expiring'].includes(r.status));
    expect(inactive.length).toBeGreaterThan(0);
    const expected: Record<string, string> = { expired: 'RelationshipExpired', terminated: 'RelationshipTerminated', terminating: 'RelationshipTerminated', terminationRequested: 'RelationshipTerminated' };
    for (const relationship of inactive) {
      const tenant = summary.tenants.find((t) => t.tenantId === relationship.customer.tenantId.toLowerCase())!;
      expect(tenant).toMatchObject({ status: 'failed', attempts: 0, category: expected[relationship.status] ?? 'RelationshipPending' });
      if (relationship.endDateTime) expect(tenant.message).toContain(relationship.endDateTime);
    }
    const errors = records(join(cwd, 'ReportOutput.csv.errors.csv'));
    expect(errors.filter((e) => (e.Category ?? '').startsWith('Relationship')).map((e) => e.TenantId).sort()).toEqual(inactive.map((r) => r.customer.tenantId.toLowerCase()).sort());
    expect(run.exitCode).toBe(1);
  });

  it('concealed user names are flagged per tenant in the summary and the errors file, with what to change', async () => {
    const cwd = tempDir();
    const scenario = graphWorld({ graph: { concealUserNames: true } });
    const run = await runGraph(['run', '--simulate', writeScenario(cwd, scenario), '--backend', 'graph', '--report', 'MailboxUsageDetail', '--quiet'], { cwd });
    expect(run.error).toBeUndefined();
    expect(run.exitCode).toBe(0);
    const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    const succeeded = summary.tenants.filter((t) => t.status === 'succeeded');
    expect(succeeded.length).toBeGreaterThan(0);
    for (const tenant of succeeded) expect(tenant.warning).toMatchObject({ code: 'ConcealedNames', message: expect.stringMatching(/displayConcealedNames/) });
    expect(summary.totals.warnings).toEqual({ ConcealedNames: succeeded.length });
    const flagged = records(join(cwd, 'ReportOutput.csv.errors.csv')).filter((e) => e.Category === 'ConcealedNames');
    expect(flagged.map((e) => e.TenantId).sort()).toEqual(succeeded.map((t) => t.tenantId).sort());
  });

  it('names that are not concealed raise no warning', async () => {
    const cwd = tempDir();
    const run = await runGraph(['run', '--simulate', writeScenario(cwd, graphWorld()), '--backend', 'graph', '--report', 'MailboxUsageDetail', '--quiet'], { cwd });
    expect(run.exitCode).toBe(0);
    const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    expect(summary.tenants.some((t) => t.warning)).toBe(false);
    expect(summary.totals.warnings).toEqual({});
  });
});
