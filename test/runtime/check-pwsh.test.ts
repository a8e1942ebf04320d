/**
 * `dap-report check`, the pre-flight: every fault the simulator places that a partner could know
 * before a run is found, tenant by tenant, on each backend (wrong password, access denied, consent
 * missing, inactive relationship, missing role, concealed names), with exit 1, one line per
 * problem, the table, the estimate and the page; a world without problems exits 0.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import type { TenantSummary } from '../../runtime/run/summary.js';
import { buildWorld, loadScenario } from '../../simulator/index.js';
import { tempDir } from './fakes.js';
import { graphWorld, runGraph, writeScenario } from './graph-harness.js';

interface CheckJson {
  exitCode: number;
  estimate: { ready: number; atOnce: number; medianCheckMs: number; atLeastMs: number };
  tenants: TenantSummary[];
}

const bin = join(projectRoot, 'bin', 'dap-report.js');

describe('dap-report check', () => {
  it('graph: consent missing, relationship not active and concealed names are found before any report is asked for', async () => {
    const cwd = tempDir();
    const scenario = graphWorld({
      faults: [
        { type: 'notConsented', tenants: ['delta.onmicrosoft.com'] },
        { type: 'concealedNames', tenants: ['gamma.onmicrosoft.com'] },
      ],
      extra: { tenants: [...(graphWorld().tenants as object[]), { name: 'Gone', initialDomain: 'gone.onmicrosoft.com', mailboxes: 2, relationshipStatus: 'expired' }] },
    });
    const run = await runGraph(['check', '--simulate', writeScenario(cwd, scenario), '--backend', 'graph', '--report', 'MailboxUsageDetail', '--json'], { cwd });
    expect(run.error).toBeUndefined();
    expect(run.exitCode).toBe(1);
    const result = JSON.parse(run.stdout) as CheckJson;
    const byName = new Map(result.tenants.map((t) => [t.name, t]));
    expect(byName.get('Delta')).toMatchObject({ status: 'failed', category: 'ConsentMissing', message: expect.stringMatching(/adminconsent\?client_id=/) });
    expect(byName.get('Gone')).toMatchObject({ status: 'failed', category: 'RelationshipExpired', attempts: 0 });
    expect(byName.get('Gamma')).toMatchObject({ status: 'succeeded', warning: { code: 'ConcealedNames' } });
    for (const name of ['Alpha', 'Beta', 'Epsilon', 'Zeta']) expect(byName.get(name), name).toMatchObject({ status: 'succeeded' });
    expect(byName.get('Alpha')!.warning).toBeUndefined();
    // no report was asked for: a check reads settings, not reports
    expect(run.stats!.graph.reportRequests).toBe(0);
    expect(result.estimate).toMatchObject({ ready: 5, atOnce: 8 });
    const page = readFileSync(join(cwd, 'dap-check.html'), 'utf8');
    expect(page).toContain('check: MailboxUsageDetail');
    expect(page).toContain('5 of 7 tenants ready');
  });

  it('exo: the missing role, the missing consent and the expired relationship; throttled tenants are ready after their retries', async () => {
    const cwd = tempDir();
    const scenario = JSON.parse(readFileSync(join(projectRoot, 'simulator', 'scenarios', 'exo-faults.json'), 'utf8')) as Record<string, unknown>;
    const run = await runGraph(['check', '--simulate', writeScenario(cwd, scenario), '--backend', 'exo', '--report', 'MailboxStatisticsReport', '--no-page'], { cwd, realCatalog: true });
    expect(run.error).toBeUndefined();
    expect(run.exitCode).toBe(1);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('dap-report check: ') && / \([0-9a-f-]{36}\): /.test(l));
    expect(lines.map((l) => / \): ?([A-Za-z]+):|\): ([A-Za-z]+):/.exec(l)?.[2]).sort()).toEqual(['AccessDenied', 'ConsentMissing', 'RelationshipExpired']);
    expect(run.stderr).toMatch(/noroletravel\.onmicrosoft\.com .*AccessDenied: .*not allowed to call Get-AcceptedDomain/);
    const table = run.stdout.split('\n').filter(Boolean);
    expect(table[0]).toBe('TenantDomain,TenantId,Name,App,Ready,Category,Message');
    expect(table).toHaveLength(1 + buildWorld(loadScenario(scenario)).tenants.length);
    expect(table.find((l) => l.startsWith('throttledone.onmicrosoft.com'))).toMatch(/,yes,,$/);
    expect(existsSync(join(cwd, 'dap-check.html'))).toBe(false);
    expect(run.stats!.exo.throttled).toBeGreaterThan(0);
  });

  it('a world without problems: exit 0, every tenant ready', async () => {
    const cwd = tempDir();
    const run = await runGraph(['check', '--simulate', writeScenario(cwd, graphWorld()), '--backend', 'graph', '--report', 'MailboxUsageDetail', '--quiet'], { cwd });
    expect(run.error).toBeUndefined();
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n').filter((l) => l.includes(',yes,'))).toHaveLength(6);
  });

  it('exchange, through pwsh: access denied in one tenant, and a wrong password (every tenant would fail)', async () => {
    const cwd = tempDir();
    const denied = writeScenario(
      cwd,
      {
        seed: 'check-exchange',
        tenants: [
          { name: 'Open One', initialDomain: 'openone.onmicrosoft.com', mailboxes: 3 },
          { name: 'Closed', initialDomain: 'closed.onmicrosoft.com', mailboxes: 3 },
        ],
        tenantCount: 4,
        emptyTenantRate: 0,
        faults: [{ type: 'accessDenied', tenants: ['closed.onmicrosoft.com'] }],
      },
      'denied.json',
    );
    const world = buildWorld(loadScenario(JSON.parse(readFileSync(denied, 'utf8'))));
    const deniedDomains = world.tenants.filter((t) => (world.tenantFaults.get(t.initialDomain.toLowerCase()) ?? []).some((f) => f.spec.type === 'accessDenied')).map((t) => t.defaultDomain.toLowerCase());
    expect(deniedDomains.length).toBeGreaterThan(0);
    const first = await execa('node', [bin, 'check', '--simulate', denied, '--json'], { cwd, reject: false, env: { DAP_PASSWORD: '' } });
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.exitCode).toBe(1);
    const result = JSON.parse(first.stdout) as CheckJson;
    expect(result.tenants.filter((t) => t.status === 'failed').map((t) => t.domain).sort()).toEqual(deniedDomains.sort());
    for (const t of result.tenants.filter((x) => x.status === 'failed')) expect(t).toMatchObject({ category: 'AccessDenied', message: expect.stringMatching(/Access is denied/) });

    const wrong = writeScenario(cwd, { seed: 'check-exchange', tenantCount: 6, faults: [{ type: 'wrongPassword' }] }, 'wrong.json');
    const second = await execa('node', [bin, 'check', '--simulate', wrong], { cwd, reject: false, env: { DAP_PASSWORD: '' } });
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toMatch(/dap-report check: sign-in failed for .*; every tenant would fail/);
  }, 120_000);
});
