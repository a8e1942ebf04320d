/**
 * The Graph backend end to end against the simulator's Graph endpoints: no pwsh involved.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../common/catalog.js';
import type { Manifest } from '../../runtime/run/manifest.js';
import type { RunSummary } from '../../runtime/run/summary.js';
import { REPORT_REQUESTS_PER_WINDOW } from '../../runtime/backends/app/http/graph-limits.js';
import { buildWorld, loadScenario, startSimulator } from '../../simulator/index.js';
import { tempDir } from './fakes.js';
import { APP_ID, PARTNER_TENANT, fetchReportDirectly, graphWorld, runGraph, stopKept, writeScenario } from './graph-harness.js';
import { readCsvHeader } from '../../runtime/platform/files/csv-files.js';

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const records = (path: string) => parse(readFileSync(path, 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>;
const runArgs = (scenario: string, ...more: string[]) => ['run', '--simulate', scenario, '--backend', 'graph', '--report', 'MailboxUsageDetail', '--quiet', ...more];

function tenantsOf(scenario: Record<string, unknown>) {
  return buildWorld(loadScenario(scenario)).tenants;
}

describe('dap-report run --backend graph against the simulator', () => {
  it('merges every tenant: rows equal what the simulator serves each tenant, TenantId/TenantDomain first', async () => {
    const cwd = tempDir();
    const scenario = graphWorld({ tenants: 14 });
    const run = await runGraph(runArgs(writeScenario(cwd, scenario)), { cwd, keepSimulator: true });
    try {
      expect(run.error).toBeUndefined();
      expect(run.exitCode).toBe(0);
      const out = join(cwd, 'ReportOutput.csv');
      const header = await readCsvHeader(out);
      expect(header.slice(0, 5)).toEqual(['TenantId', 'TenantDomain', 'CustomerName', 'Report Refresh Date', 'User Principal Name']);
      const rows = records(out);
      const tenants = tenantsOf(scenario);
      expect(new Set(rows.map((r) => r.TenantId))).toEqual(new Set(tenants.filter((t) => t.mailboxes.length > 0).map((t) => t.tenantId.toLowerCase())));
      for (const tenant of tenants) {
        const direct = parse(await fetchReportDirectly(run.simulator!, tenant.tenantId, 'getMailboxUsageDetail'), { columns: true }) as Array<Record<string, string>>;
        const mine = rows.filter((r) => r.TenantId === tenant.tenantId.toLowerCase());
        expect(mine.map(({ TenantId: _id, TenantDomain: _domain, CustomerName: _name, ...rest }) => rest), tenant.name).toEqual(direct);
        // the customer's name, as the relationship gives it
        for (const row of mine) expect(row.CustomerName).toBe(tenant.name);
        // relationships carry no domain: TenantDomain is the default domain looked up for the customer
        for (const row of mine) expect(row.TenantDomain).toBe(tenant.defaultDomain.toLowerCase());
      }
      const summary = readJson<RunSummary>(`${out}.summary.json`);
      expect(summary.totals).toMatchObject({ tenants: tenants.length, failed: 0, rows: rows.length });
      expect(summary.accounts[APP_ID]?.maxConcurrentSessions).toBeLessThanOrEqual(8);
      expect(run.stats!.graph.reportRequests).toBe(tenants.length); // one request per tenant (before the direct ones)
      expect(readFileSync(join(cwd, 'ReportOutput.csv.errors.csv'), 'utf8')).toBe('TenantDomain,TenantId,Category,Message\r\n');
      expect(run.deps.exchange.resolvePwsh).not.toHaveBeenCalled();
      expect(run.deps.exchange.openExchangeHost).not.toHaveBeenCalled();
    } finally {
      await stopKept(run);
    }
  });

  it('without --simulate: explicit loopback bases, a refresh token from the environment, --partner-tenant', async () => {
    const cwd = tempDir();
    const refreshToken = 'Partner-Refresh-Token-77a1';
    const sim = await startSimulator({ scenario: graphWorld({ graph: { apps: [{ clientId: APP_ID, clientSecret: 'S-1', refreshTokens: [refreshToken] }] } }) });
    try {
      const run = await runGraph(
        ['run', '--report', 'MailboxUsageDetail', '--quiet', '--graph-url', sim.env.DAP_GRAPH_URL!, '--login-url', sim.env.DAP_LOGIN_URL!, '--partner-tenant', PARTNER_TENANT, '--json'],
        { cwd, env: { DAP_GRAPH_CLIENT_ID: APP_ID, DAP_GRAPH_CLIENT_SECRET: 'S-1', DAP_GRAPH_REFRESH_TOKEN: refreshToken } },
      );
      expect(run.error).toBeUndefined();
      expect(run.exitCode).toBe(0);
      const grants = run.fetches.filter((f) => f.url.includes('/oauth2/')).map((f) => new URLSearchParams(String(f.init?.body)).get('grant_type'));
      expect(new Set(grants)).toEqual(new Set(['refresh_token']));
      expect(grants).toHaveLength(7); // the partner and each of the 6 customers, once
      expect(JSON.parse(run.stdout)).toMatchObject({ backend: 'graph', totals: { tenants: 6, succeeded: 6 } });
      expect(run.stdout).not.toContain(refreshToken);
      expect(sim.stats().graph.reportRequests).toBe(6);
    } finally {
      await sim.stop();
    }
  });

  it('`reports` lists Graph reports with their source', async () => {
    const run = await runGraph(['reports']);
    expect(run.stdout).toMatch(/MailboxUsageDetail\s+\(Get-DapMailboxUsageDetail, Graph getMailboxUsageDetail\)/);
    expect(run.stdout).toMatch(/--param Period=<string> D7\|D30\|D90\|D180 \(default D7\)/);
  });

  it('--discovery contracts: TenantDomain is the default domain', async () => {
    const cwd = tempDir();
    const scenario = graphWorld();
    const run = await runGraph(runArgs(writeScenario(cwd, scenario), '--discovery', 'contracts', '--report', 'MailboxUsageMailboxCounts', '--param', 'Period=D30'), { cwd });
    expect(run.exitCode).toBe(0);
    const rows = records(join(cwd, 'ReportOutput.csv'));
    const tenants = tenantsOf(scenario);
    expect(new Set(rows.map((r) => r.TenantDomain))).toEqual(new Set(tenants.map((t) => t.defaultDomain.toLowerCase())));
    expect(Object.keys(rows[0]!)).toEqual(['TenantId', 'TenantDomain', 'CustomerName', 'Report Refresh Date', 'Total', 'Active', 'Report Date', 'Report Period']);
    expect(rows.filter((r) => r.TenantDomain === 'alpha.onmicrosoft.com')).toHaveLength(30);
  });

  it('429: waits the advertised Retry-After, then succeeds (attempts counted, Throttled bounded by --retries)', async () => {
    const cwd = tempDir();
    const scenario = graphWorld({ faults: [{ type: 'graphThrottle', tenants: ['beta.onmicrosoft.com'], failures: 2, retryAfterSeconds: 1 }] });
    const run = await runGraph(runArgs(writeScenario(cwd, scenario)), { cwd });
    expect(run.exitCode).toBe(0);
    expect(run.retryWaits).toEqual([1000, 1000]);
    const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    expect(summary.tenants.find((t) => t.name === 'Beta')).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(run.stats!.graph.throttled).toBe(2);
    expect(records(join(cwd, 'ReportOutput.csv')).some((r) => r.TenantDomain === 'beta.onmicrosoft.com')).toBe(true);

    // with fewer retries than 429s the tenant fails as Throttled
    const cwd2 = tempDir();
    const again = await runGraph(runArgs(writeScenario(cwd2, scenario), '--retries', '1'), { cwd: cwd2 });
    expect(again.exitCode).toBe(1);
    const errors = records(join(cwd2, 'ReportOutput.csv.errors.csv'));
    expect(errors).toEqual([expect.objectContaining({ TenantDomain: 'beta.onmicrosoft.com', Category: 'Throttled' })]);
    expect(again.retryWaits).toEqual([1000]);
  });

  it('an expired download URL: the report is requested again within the attempt', async () => {
    const cwd = tempDir();
    const scenario = graphWorld({ faults: [{ type: 'expiredDownload', tenants: ['gamma.onmicrosoft.com'] }] });
    const run = await runGraph(runArgs(writeScenario(cwd, scenario)), { cwd });
    expect(run.exitCode).toBe(0);
    expect(run.stats!.graph.expiredDownloads).toBe(1);
    const gamma = tenantsOf(scenario).find((t) => t.name === 'Gamma')!;
    expect(run.stats!.graph.requestsPerTenant[gamma.tenantId]).toEqual({ getMailboxUsageDetail: 2 });
    const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    expect(summary.tenants.find((t) => t.name === 'Gamma')).toMatchObject({ status: 'succeeded', attempts: 1, rows: gamma.mailboxes.length });
    // the download never carries the Authorization header; Graph calls always do
    const downloads = run.fetches.filter((f) => f.url.startsWith(`${run.simulator!.urls.download}/`));
    const graphCalls = run.fetches.filter((f) => f.url.startsWith(`${run.simulator!.urls.graph}/`));
    expect(downloads.length).toBeGreaterThan(0);
    expect(graphCalls.length).toBeGreaterThan(0);
    for (const f of downloads) expect(new Headers(f.init?.headers).has('authorization')).toBe(false);
    for (const f of graphCalls) expect(new Headers(f.init?.headers).get('authorization')).toMatch(/^Bearer /);
    // every call the runtime made went over https
    expect(run.fetches.filter((f) => !f.url.startsWith('https://'))).toEqual([]);
  });

  it('a tenant without consent is ConsentMissing in the errors file with its admin-consent URL (not retried); the others are intact; exit 1', async () => {
    const cwd = tempDir();
    const scenario = graphWorld({ faults: [{ type: 'notConsented', tenants: ['delta.onmicrosoft.com'] }, { type: 'graphNoData', tenants: ['zeta.onmicrosoft.com'] }] });
    const run = await runGraph(runArgs(writeScenario(cwd, scenario)), { cwd });
    expect(run.exitCode).toBe(1);
    const errors = records(join(cwd, 'ReportOutput.csv.errors.csv'));
    const delta = tenantsOf(scenario).find((t) => t.name === 'Delta')!;
    expect(errors).toEqual([
      { TenantDomain: 'delta.onmicrosoft.com', TenantId: delta.tenantId.toLowerCase(), Category: 'ConsentMissing', Message: expect.stringMatching(new RegExp(`not consented.*/${delta.tenantId.toLowerCase()}/adminconsent\\?client_id=`)) },
      { TenantDomain: 'zeta.onmicrosoft.com', TenantId: expect.any(String), Category: 'NoData', Message: expect.any(String) },
    ]);
    const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    expect(summary.tenants.find((t) => t.name === 'Delta')).toMatchObject({ status: 'failed', attempts: 1, category: 'ConsentMissing' });
    expect(run.stats!.graph.requestsPerTenant[delta.tenantId]).toBeUndefined();
    const domains = new Set(records(join(cwd, 'ReportOutput.csv')).map((r) => r.TenantDomain));
    expect(domains).toEqual(new Set(['alpha.onmicrosoft.com', 'beta.onmicrosoft.com', 'gamma.onmicrosoft.com', 'epsilon.onmicrosoft.com']));
  });

  it('a 503 is retried with the service-advertised wait', async () => {
    const cwd = tempDir();
    const scenario = graphWorld({ faults: [{ type: 'graphServerError', tenants: ['epsilon.onmicrosoft.com'], failures: 1 }] });
    const run = await runGraph(runArgs(writeScenario(cwd, scenario)), { cwd });
    expect(run.exitCode).toBe(0);
    const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    expect(summary.tenants.find((t) => t.name === 'Epsilon')).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('pages over 350 relationships (300 a page) and runs every customer once', async () => {
    const cwd = tempDir();
    const scenario = graphWorld({ tenants: 344, extra: { emptyTenantRate: 0.2 } });
    const run = await runGraph(runArgs(writeScenario(cwd, scenario), '--concurrency', '32', '--report', 'MailboxUsageMailboxCounts'), { cwd });
    expect(run.exitCode).toBe(0);
    expect(run.stats!.graph.relationshipPages).toBe(2);
    const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    expect(summary.totals.tenants).toBe(350);
    expect(new Set(summary.tenants.map((t) => t.tenantId)).size).toBe(350);
    expect(Object.keys(run.stats!.graph.requestsPerTenant)).toHaveLength(350);
    expect(summary.accounts[APP_ID]!.maxConcurrentSessions).toBeGreaterThan(3); // the Exchange cap does not apply
    expect(summary.accounts[APP_ID]!.maxConcurrentSessions).toBeLessThanOrEqual(32);
  });

  it('customers whose relationship is not active are listed as not runnable (tenants --backend graph)', async () => {
    const cwd = tempDir();
    const scenario = graphWorld({ extra: { tenants: [{ name: 'Alpha', initialDomain: 'alpha.onmicrosoft.com', mailboxes: 2 }, { name: 'Old', mailboxes: 2, relationshipStatus: 'terminated' }] } });
    const run = await runGraph(['tenants', '--simulate', writeScenario(cwd, scenario), '--backend', 'graph', '--json'], { cwd });
    expect(run.error).toBeUndefined();
    const listed = JSON.parse(run.stdout) as Array<{ name: string; domain: string; runnable: boolean }>;
    expect(listed.map((t) => [t.name, t.runnable])).toEqual([['Alpha', true], ['Old', false]]);
    expect(listed[0]).toMatchObject({ domain: 'alpha.onmicrosoft.com', runnable: true });
  });

  it('a wrong client secret is fatal (exit 3) before any tenant: no report request, no output', async () => {
    const cwd = tempDir();
    const run = await runGraph(runArgs(writeScenario(cwd, graphWorld()), '--client-secret-stdin'), { cwd, stdin: 'Not-The-Secret-0001\n' });
    expect(run.error).toMatchObject({ code: 'AUTHENTICATION_FAILED', exitCode: 3 });
    expect((run.error as Error).message).toMatch(/AADSTS7000215/);
    expect((run.error as Error).message).not.toContain('Not-The-Secret-0001');
    expect(run.stats!.graph.reportRequests).toBe(0);
    expect(existsSync(join(cwd, 'ReportOutput.csv'))).toBe(false);
    expect(existsSync(join(cwd, 'ReportOutput.csv.dap-run'))).toBe(false);
  });

  it('keeps the per-tenant report limit across runs: a tenant whose 14 requests are used is not asked again', async () => {
    const cwd = tempDir();
    const scenario = graphWorld();
    const alpha = tenantsOf(scenario).find((t) => t.name === 'Alpha')!;
    const runDir = join(cwd, 'ReportOutput.csv.dap-run');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(runDir, { recursive: true });
    const recent = Array.from({ length: REPORT_REQUESTS_PER_WINDOW }, (_, i) => Date.now() - 60_000 + i);
    writeFileSync(join(runDir, 'graph-requests.json'), JSON.stringify({ format: 1, requests: { [`${alpha.tenantId.toLowerCase()}/getMailboxUsageDetail`]: recent } }));
    const run = await runGraph(runArgs(writeScenario(cwd, scenario), '--retries', '0'), { cwd });
    expect(run.exitCode).toBe(1);
    expect(records(join(cwd, 'ReportOutput.csv.errors.csv'))).toEqual([expect.objectContaining({ TenantDomain: 'alpha.onmicrosoft.com', Category: 'Throttled', Message: expect.stringMatching(/limit of 14/) })]);
    expect(run.stats!.graph.requestsPerTenant[alpha.tenantId]).toBeUndefined();
    const log = readJson<{ requests: Record<string, number[]> }>(join(runDir, 'graph-requests.json'));
    expect(Object.keys(log.requests)).toHaveLength(6);
  });

  it('SIGINT after k tenants, then --resume: only the rest run, output byte-identical to an uninterrupted run', async () => {
    const scenario = graphWorld({ tenants: 4 });
    const reference = tempDir();
    const whole = await runGraph(runArgs(writeScenario(reference, scenario), '--concurrency', '1'), { cwd: reference });
    expect(whole.exitCode).toBe(0);
    const expected = readFileSync(join(reference, 'ReportOutput.csv'));

    const cwd = tempDir();
    const path = writeScenario(cwd, scenario);
    let downloads = 0;
    const signals = new (await import('node:events')).EventEmitter();
    const interrupted: ReturnType<typeof runGraph> | undefined = runGraph(runArgs(path, '--concurrency', '1'), {
      cwd,
      deps: { signals },
      onFetch: (url) => {
        // a download: the storage host's one-segment path (Graph's are under /v1.0/, the login host's under /<tenant>/oauth2/)
        if (/^\/[A-Za-z0-9_-]+$/.test(new URL(url).pathname) && ++downloads === 3) setImmediate(() => signals.emit('SIGINT'));
      },
    });
    const first = await interrupted;
    expect(first.exitCode).toBe(130);
    expect(first.stderr).toMatch(/--resume/);
    expect(existsSync(join(cwd, 'ReportOutput.csv'))).toBe(false);
    const manifest = readJson<Manifest>(join(cwd, 'ReportOutput.csv.dap-run', 'manifest.json'));
    const done = manifest.tenants.filter((t) => t.state !== 'pending').length;
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(10);

    const resumed = await runGraph([...runArgs(path, '--concurrency', '1'), '--resume'], { cwd });
    expect(resumed.exitCode).toBe(0);
    expect(Object.keys(resumed.stats!.graph.requestsPerTenant)).toHaveLength(10 - done);
    expect(readFileSync(join(cwd, 'ReportOutput.csv')).equals(expected)).toBe(true);
    expect(readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json')).totals).toMatchObject({ reused: done, succeeded: 10 });
  });
});

const projectCatalogHasGraph = (() => {
  try {
    return readCatalog().reports.some((r) => r.name === 'MailboxUsageDetail' && r.sources[0]?.kind === 'graph');
  } catch {
    return false;
  }
})();

describe('with the generated catalog', () => {
  // runs as soon as dap-gen has written the Graph reports into module/DapReporting/DapReporting.catalog.json
  it.skipIf(!projectCatalogHasGraph)('`dap-report run --simulate --backend graph --report MailboxUsageDetail` works as typed', async () => {
    const cwd = tempDir();
    const run = await runGraph(['run', '--simulate', '--backend', 'graph', '--report', 'MailboxUsageDetail'], { cwd, realCatalog: true });
    expect(run.error).toBeUndefined();
    expect([0, 1]).toContain(run.exitCode);
    const rows = records(join(cwd, 'ReportOutput.csv'));
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0]!).slice(0, 4)).toEqual(['TenantId', 'TenantDomain', 'CustomerName', 'Report Refresh Date']);
    expect(run.stderr).toMatch(/MailboxUsageDetail: \d+ tenants/);
  });

  it.skipIf(!projectCatalogHasGraph)('`dap-report reports` shows the Graph reports with their source', async () => {
    const run = await runGraph(['reports'], { realCatalog: true });
    for (const fn of ['getMailboxUsageDetail', 'getEmailActivityUserDetail', 'getMailboxUsageMailboxCounts', 'getOffice365ActiveUserDetail']) expect(run.stdout).toContain(`Graph ${fn}`);
  });
});

describe('secrets stay out of everything the Graph backend writes', () => {
  it('a marker client secret and the tokens appear in no file, no output, no argv (nothing is spawned)', async () => {
    const marker = 'Marker-Secret-5d1e7c0b9a';
    const cwd = tempDir();
    const scenario = graphWorld({
      secret: marker,
      faults: [
        { type: 'notConsented', tenants: ['delta.onmicrosoft.com'] },
        { type: 'graphThrottle', tenants: ['beta.onmicrosoft.com'], failures: 5, retryAfterSeconds: 0 },
        { type: 'expiredDownload', tenants: ['gamma.onmicrosoft.com'] },
      ],
    });
    const { spawnSpy, spawnLog } = await import('./spawn-spy.js');
    const spy = spawnSpy();
    // the spy sees what the runtime's modules would start
    (await import('node:child_process')).execFileSync(process.execPath, ['-e', '']);
    expect(spawnLog(spy)).toEqual([`execFileSync ${process.execPath} -e `]);
    spy.calls.length = 0;
    const tokens: string[] = [];
    let run: Awaited<ReturnType<typeof runGraph>>;
    try {
      run = await runGraph([...runArgs(writeScenario(cwd, scenario), '--retries', '1', '--json'), '--errors', join(cwd, 'errs.csv')], {
        cwd,
        onFetch: (url, _init, response) => {
          if (url.includes('/oauth2/')) void response.clone().json().then((b) => {
            const token = (b as { access_token?: string }).access_token;
            if (token) tokens.push(token);
          });
        },
      });
    } finally {
      spy.restore();
    }
    expect(run.exitCode).toBe(1);
    expect(spawnLog(spy)).toEqual([]);
    expect(tokens.length).toBeGreaterThan(0);
    const secrets = [marker, ...tokens];
    for (const text of [run.stdout, run.stderr]) for (const s of secrets) expect(text).not.toContain(s);
    const files = readdirSync(cwd, { recursive: true }).map(String).filter((f) => statSync(join(cwd, f)).isFile() && !f.endsWith('scenario.json'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = readFileSync(join(cwd, file), 'utf8');
      for (const s of secrets) expect(text, file).not.toContain(s);
      // no download URL (the storage host, a signed id) is written anywhere
      expect(text, file).not.toContain(`${run.simulator!.urls.download}/`);
    }
  });
});
