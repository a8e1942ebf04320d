/**
 * `dap-report run --backend exo` end to end against the simulator's Exchange admin API (no pwsh):
 * every shipped Exchange REST report over every tenant of the default scenario, row by row against
 * the simulator's world; then a fault run (429s, a server error, a missing role, a missing consent,
 * inactive relationships, paging) that ends with the right categories and nothing lost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../common/catalog.js';
import { bytesText, cellText, isoDateText } from '../../runtime/backends/app/cells.js';
import type { RunSummary } from '../../runtime/run/summary.js';
import { acceptedDomainObjects, casMailboxObjects, inboxRuleObjects, mailboxStatisticsObject, messageTraceV2Objects } from '../../simulator/world/exchange-objects.js';
import { buildGraphWorld } from '../../simulator/world/graph-world.js';
import { buildWorld, loadScenario } from '../../simulator/index.js';
import { defaultScenarioPath } from '../../simulator/world/paths.js';
import { todayMs } from '../../simulator/remoting/run-command.js';
import type { TenantRecord, World } from '../../simulator/world/world.js';
import { tempDir } from './fakes.js';
import { runGraph, writeScenario } from './graph-harness.js';

const DAY = 86_400_000;
const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const records = (path: string) => parse(readFileSync(path, 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>;

/** The default scenario with a fixed "now", so rows do not move under the test. */
const NOW = '2026-11-20T12:00:00Z';
function defaultWorld(): { scenario: Record<string, unknown>; world: World; active: TenantRecord[] } {
  const scenario = { ...(JSON.parse(readFileSync(defaultScenarioPath, 'utf8')) as Record<string, unknown>), now: NOW };
  const world = buildWorld(loadScenario(scenario));
  const graph = buildGraphWorld(world, Date.parse(NOW));
  const usable = new Set(graph.relationships.filter((r) => ['active', 'expiring'].includes(r.status)).map((r) => r.customer.tenantId.toLowerCase()));
  return { scenario, world, active: world.tenants.filter((t) => usable.has(t.tenantId.toLowerCase())) };
}

async function runExo(scenario: Record<string, unknown>, report: string, ...more: string[]) {
  const cwd = tempDir('dap-exo-');
  const run = await runGraph(['run', '--simulate', writeScenario(cwd, scenario), '--backend', 'exo', '--report', report, '--quiet', ...more], { cwd, realCatalog: true });
  expect(run.error).toBeUndefined();
  const out = join(cwd, 'ReportOutput.csv');
  return { run, rows: records(out), summary: readJson<RunSummary>(`${out}.summary.json`), errors: records(`${out}.errors.csv`) };
}

/** Rows of the output for one tenant, without the key columns. */
function rowsOf(rows: Array<Record<string, string>>, tenant: TenantRecord): Array<Record<string, string>> {
  return rows.filter((r) => r.TenantId === tenant.tenantId.toLowerCase()).map(({ TenantId: _, TenantDomain: __, CustomerName: ___, ...rest }) => rest);
}

const columnsOf = (report: string) => readCatalog().reports.find((r) => r.name === report)!.columns;

/** What a declared column's cell holds for a simulator object (the cell rule, stated independently). */
function expectedCells(report: string, object: Record<string, unknown>, derived: Record<string, string> = {}): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const column of columnsOf(report)) {
    if (column.name in derived) cells[column.name] = derived[column.name]!;
    else if (column.bytesOf) cells[column.name] = bytesText(object[column.bytesOf]);
    else if (column.type === 'datetime') cells[column.name] = isoDateText(object[column.name]);
    else cells[column.name] = cellText(object[column.name]);
  }
  return cells;
}

describe('dap-report run --backend exo, the default scenario, every report row by row', () => {
  const { scenario, world, active } = defaultWorld();
  const today = todayMs(world);

  it('every catalog report with an Exchange REST source is among those tested here', () => {
    const rest = readCatalog().reports.filter((r) => r.sources.some((s) => s.kind === 'exchangeRest')).map((r) => r.name);
    expect(rest.sort()).toEqual(['CasMailboxProtocolReport', 'InboxRuleExternalForwardingReport', 'MailboxStatisticsReport', 'MessageTraceV2Report', 'UnusedMailboxReport']);
  });

  it('MailboxStatisticsReport: one row per mailbox, equal to the simulator; every customer accounted for', async () => {
    const { run, rows, summary } = await runExo(scenario, 'MailboxStatisticsReport');
    expect(summary.totals.tenants).toBe(world.tenants.length);
    expect(summary.tenants.filter((t) => t.category?.startsWith('Relationship'))).toHaveLength(world.tenants.length - active.length);
    expect(run.exitCode).toBe(world.tenants.length === active.length ? 0 : 1);
    for (const tenant of active) {
      const want = tenant.mailboxes.map((m) => expectedCells('MailboxStatisticsReport', mailboxStatisticsObject(world.seed, tenant, m, today)));
      expect(rowsOf(rows, tenant), tenant.initialDomain).toEqual(want);
    }
    // the same TenantDomain as the Graph backend: the customer's default domain
    for (const tenant of active) if (tenant.mailboxes.length) expect(rows.find((r) => r.TenantId === tenant.tenantId.toLowerCase())!.TenantDomain).toBe(tenant.defaultDomain.toLowerCase());
  });

  it('UnusedMailboxReport: the mailboxes without user action for InactiveDays, with the days', async () => {
    const { rows } = await runExo(scenario, 'UnusedMailboxReport', '--param', 'InactiveDays=30');
    const now = Date.now();
    let kept = 0;
    for (const tenant of active) {
      const want = tenant.mailboxes.flatMap((m) => {
        const stats = mailboxStatisticsObject(world.seed, tenant, m, today);
        const last = stats.LastUserActionTime ? Date.parse(String(stats.LastUserActionTime)) : undefined;
        const days = last === undefined ? undefined : Math.floor((now - last) / DAY);
        if (days !== undefined && days < 30) return [];
        return [expectedCells('UnusedMailboxReport', stats, { DaysInactive: days === undefined ? '' : String(days) })];
      });
      kept += want.length;
      expect(rowsOf(rows, tenant), tenant.initialDomain).toEqual(want);
    }
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(active.reduce((n, t) => n + t.mailboxes.length, 0));
  });

  it('InboxRuleExternalForwardingReport: only rules sending outside the tenant, with those addresses', async () => {
    const { rows } = await runExo(scenario, 'InboxRuleExternalForwardingReport');
    let found = 0;
    for (const tenant of active) {
      const accepted = new Set(acceptedDomainObjects(tenant).map((d) => String(d.DomainName).toLowerCase()));
      const want = tenant.mailboxes.flatMap((m) =>
        inboxRuleObjects(world.seed, tenant, m).flatMap((rule) => {
          const outside = [rule.ForwardTo, rule.RedirectTo, rule.ForwardAsAttachmentTo]
            .flatMap((v) => (Array.isArray(v) ? v : v ? [v] : []))
            .flatMap((entry) => [...String(entry).matchAll(/\[SMTP:([^\]]+)\]/gi)].map((x) => x[1]!.toLowerCase()))
            .filter((address) => !accepted.has(address.slice(address.indexOf('@') + 1)));
          return outside.length ? [expectedCells('InboxRuleExternalForwardingReport', rule, { ExternalRecipients: [...new Set(outside)].join('; ') })] : [];
        }),
      );
      found += want.length;
      expect(rowsOf(rows, tenant), tenant.initialDomain).toEqual(want);
    }
    expect(found).toBeGreaterThan(0);
    for (const row of rows) expect(`${row.ForwardTo}${row.RedirectTo}${row.ForwardAsAttachmentTo}`).not.toMatch(/\[object Object\]|System\.Object\[\]/);
  });

  it('CasMailboxProtocolReport: every mailbox with its protocols', async () => {
    const { rows } = await runExo(scenario, 'CasMailboxProtocolReport');
    for (const tenant of active) {
      expect(rowsOf(rows, tenant), tenant.initialDomain).toEqual(casMailboxObjects(world.seed, tenant).map((o) => expectedCells('CasMailboxProtocolReport', o)));
    }
    expect(new Set(rows.map((r) => r.PopEnabled))).toEqual(new Set(['True', 'False']));
  });

  it('MessageTraceV2Report over 12 days: 10-day windows, sets of 5,000 followed, every message once, newest first', async () => {
    const start = Date.parse('2026-11-08T00:00:00Z');
    const end = Date.parse('2026-11-20T00:00:00Z');
    // the two busiest customers (past the 5,000-row cap in one window) and the quietest
    const bySize = [...active].filter((t) => t.mailboxes.length > 0).sort((a, b) => b.mailboxes.length - a.mailboxes.length);
    const chosen = [bySize[0]!, bySize[1]!, bySize.at(-1)!];
    const { rows, run } = await runExo(
      scenario,
      'MessageTraceV2Report',
      '--param',
      'StartDate=2026-11-08',
      '--param',
      'EndDate=2026-11-20',
      ...chosen.flatMap((t) => ['--tenant', t.tenantId]),
    );
    let big = 0;
    for (const tenant of chosen) {
      const want: Array<Record<string, unknown>> = [];
      for (let day = Math.floor(end / DAY); day >= Math.floor(start / DAY); day -= 1) {
        for (const row of messageTraceV2Objects(world.seed, tenant, day)) {
          const at = Date.parse(String(row.Received));
          if (at >= start && at <= end) want.push(row);
        }
      }
      const got = rowsOf(rows, tenant);
      expect(got.length, tenant.initialDomain).toBe(want.length);
      expect(got, tenant.initialDomain).toEqual(want.map((o) => expectedCells('MessageTraceV2Report', o)));
      if (want.filter((o) => Date.parse(String(o.Received)) > end - 10 * DAY).length > 5000) big += 1;
    }
    expect(big).toBeGreaterThan(0);
    // two windows per tenant, and more than one set where a window passed 5,000 rows
    expect(run.stats!.exo.requests).toBeGreaterThan(chosen.length * 2);
  }, 120_000);
});

describe('dap-report run --backend exo under faults', () => {
  it('429s, a server error, a missing role, a missing consent, inactive relationships: the right categories, the rest intact', async () => {
    const scenario = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'simulator', 'scenarios', 'exo-faults.json'), 'utf8')) as Record<string, unknown>;
    const world = buildWorld(loadScenario(scenario));
    const { run, rows, summary, errors } = await runExo(scenario, 'MailboxStatisticsReport', '--tenant-concurrency', '3', '--concurrency', '4');
    expect(run.exitCode).toBe(1);
    const byName = (name: string) => summary.tenants.find((t) => t.name === name)!;
    expect(byName('No Role Travel')).toMatchObject({ status: 'failed', category: 'AccessDenied', message: expect.stringMatching(/not allowed to call.*Exchange Administrator or Global Reader/) });
    expect(byName('Unconsented Bank')).toMatchObject({ status: 'failed', category: 'ConsentMissing', message: expect.stringMatching(/adminconsent\?client_id=/) });
    expect(byName('Former Client')).toMatchObject({ status: 'failed', category: 'RelationshipExpired', attempts: 0 });
    for (const name of ['Throttled One', 'Throttled Two', 'Flaky Foods', 'Busy Traders', 'Adatum Exchange']) expect(byName(name), name).toMatchObject({ status: 'succeeded' });
    // every healthy tenant's mailboxes are all there
    const failed = new Set(summary.tenants.filter((t) => t.status === 'failed').map((t) => t.tenantId));
    for (const tenant of world.tenants.filter((t) => !failed.has(t.tenantId.toLowerCase()))) {
      expect(rows.filter((r) => r.TenantId === tenant.tenantId.toLowerCase()), tenant.initialDomain).toHaveLength(tenant.mailboxes.length);
    }
    expect(errors.map((e) => e.Category).sort()).toEqual(
      summary.tenants
        .filter((t) => t.status !== 'succeeded' || t.warning)
        .map((t) => (t.status === 'noData' ? 'NoData' : (t.category ?? t.warning!.code)))
        .sort(),
    );
    const exo = run.stats!.exo;
    expect(exo.throttled).toBeGreaterThanOrEqual(4);
    expect(exo.serverErrors).toBeGreaterThanOrEqual(1);
    // --tenant-concurrency held in every tenant, --concurrency x --tenant-concurrency overall
    for (const n of Object.values(exo.maxConcurrentPerTenant)) expect(n).toBeLessThanOrEqual(3);
    expect(exo.maxConcurrent).toBeLessThanOrEqual(12);
  });

  it('a small page size from the service is followed page by page', async () => {
    const faults = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'simulator', 'scenarios', 'exo-faults.json'), 'utf8')) as Record<string, unknown>;
    const scenario = { ...faults, limits: { exoPageSize: 7 } };
    const world = buildWorld(loadScenario(scenario));
    const { rows, run } = await runExo(scenario, 'CasMailboxProtocolReport', '--tenant', 'busytraders.onmicrosoft.com');
    const busy = world.tenants.find((t) => t.initialDomain === 'busytraders.onmicrosoft.com')!;
    expect(rows).toHaveLength(busy.mailboxes.length);
    expect(run.stats!.exo.pages).toBe(Math.ceil(busy.mailboxes.length / 7));
  });
});
