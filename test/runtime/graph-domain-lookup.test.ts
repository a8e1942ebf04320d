/**
 * The default domain of relationship-discovered customers (findTenantInformationByTenantId):
 * lookupDomains on its own with a scripted fetch, then whole runs against the simulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { lookupDomains, tenantInformationUrl } from '../../runtime/backends/app/partner-app/domain-lookup.js';
import { Redactor } from '../../runtime/platform/redact.js';
import type { FetchLike } from '../../runtime/platform/http/fetch-like.js';
import { ServiceClient } from '../../runtime/platform/http/http-client.js';
import type { DiscoveredTenant } from '../../runtime/backends/contract/runner-types.js';
import type { RunSummary } from '../../runtime/run/summary.js';
import { buildWorld, loadScenario } from '../../simulator/index.js';
import { tempDir } from './fakes.js';
import { graphWorld, runGraph, simulatorTransport, stopKept, writeScenario } from './graph-harness.js';

const GRAPH = 'https://graph.example.test';
const TOKEN = 'partner-access-token-1234';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const customer = (n: number, more: Partial<DiscoveredTenant> = {}): DiscoveredTenant => ({
  tenantId: id(n),
  name: `Customer ${n}`,
  defaultDomainName: '',
  initialDomain: '',
  contractType: 'DelegatedAdminRelationship',
  ...more,
});
const info = (tenantId: string, domain: string | null) =>
  new Response(JSON.stringify({ '@odata.context': 'x', tenantId, displayName: 'n', defaultDomainName: domain, federationBrandName: null }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
const graphError = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code, message: `${code} happened` } }), { status, headers: { 'content-type': 'application/json', ...headers } });
const tenantOf = (url: string) => /tenantId='([^']+)'/.exec(url)?.[1] ?? '';

function lookup(tenants: DiscoveredTenant[], answer: (tenantId: string, call: number) => Response | Promise<Response>, more: { concurrency?: number } = {}) {
  const calls: string[] = [];
  const waits: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch: FetchLike = async (url, init) => {
    expect(new Headers(init?.headers).get('authorization')).toBe(`Bearer ${TOKEN}`);
    calls.push(url);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      const tenant = tenantOf(url);
      return await answer(tenant, calls.filter((c) => tenantOf(c) === tenant).length);
    } finally {
      inFlight -= 1;
    }
  };
  const redactor = new Redactor();
  redactor.add(TOKEN);
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  // random () => 1: the backoff's jitter at its top, base·2^(n-1)
  const http = new ServiceClient({ service: 'Graph', base: GRAPH, transport: fetch, redactor, sleep, random: () => 1 });
  const result = lookupDomains(tenants, { http, partnerToken: async () => TOKEN, ...more });
  return { result, calls, waits, maxInFlight: () => maxInFlight };
}

describe('lookupDomains', () => {
  it('builds the function URL and refuses anything but a GUID in it', () => {
    expect(tenantInformationUrl(GRAPH, id(1))).toBe(`${GRAPH}/v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='${id(1)}')`);
    expect(() => tenantInformationUrl(GRAPH, "x') or (1")).toThrow(/not a tenant id/);
  });

  it('fills defaultDomainName (lower-cased), at most 8 at once, skipping tenants that have a domain or no GUID', async () => {
    const tenants = [...Array.from({ length: 20 }, (_, i) => customer(i + 1)), customer(99, { defaultDomainName: 'known.example' }), customer(0, { tenantId: 'not-a-guid' })];
    const run = lookup(tenants, (t) => info(t, `Tenant-${t.slice(-2)}.Example.COM`));
    const { tenants: out, failed, firstProblem } = await run.result;
    expect(failed).toBe(0);
    expect(firstProblem).toBeUndefined();
    expect(out.slice(0, 20).map((t) => t.defaultDomainName)).toEqual(tenants.slice(0, 20).map((t) => `tenant-${t.tenantId.slice(-2)}.example.com`));
    expect(out[20]!.defaultDomainName).toBe('known.example');
    expect(out[21]!.defaultDomainName).toBe('');
    expect(run.calls).toHaveLength(20);
    expect(run.maxInFlight()).toBeGreaterThan(1);
    expect(run.maxInFlight()).toBeLessThanOrEqual(8);
    expect(tenants[0]!.defaultDomainName).toBe(''); // the input is not changed
  });

  it("honours a 429's Retry-After, retries 5xx at most twice, and gives up on a wait longer than a minute", async () => {
    const tenants = [customer(1), customer(2), customer(3)];
    const run = lookup(
      tenants,
      (t, call) => {
        if (t === id(1)) return call === 1 ? graphError(429, 'TooManyRequests', { 'retry-after': '2' }) : info(t, 'one.example');
        if (t === id(2)) return graphError(503, 'ServiceUnavailable');
        return graphError(429, 'TooManyRequests', { 'retry-after': '3600' });
      },
      { concurrency: 1 },
    );
    const { tenants: out, failed, firstProblem } = await run.result;
    expect(out.map((t) => t.defaultDomainName)).toEqual(['one.example', '', '']);
    expect(failed).toBe(2);
    expect(firstProblem).toMatch(/HTTP 503: ServiceUnavailable/);
    expect(run.calls.filter((u) => tenantOf(u) === id(1))).toHaveLength(2);
    expect(run.calls.filter((u) => tenantOf(u) === id(2))).toHaveLength(3); // one try and two retries
    expect(run.calls.filter((u) => tenantOf(u) === id(3))).toHaveLength(1);
    expect(run.waits).toEqual([2000, 1000, 2000]);
  });

  it('a 404, another tenant answering, or an unusable domain fail only that tenant', async () => {
    const tenants = [customer(1), customer(2), customer(3), customer(4)];
    const run = lookup(tenants, (t) => {
      if (t === id(1)) return graphError(404, 'Request_ResourceNotFound');
      if (t === id(2)) return info(id(9), 'other.example');
      if (t === id(3)) return info(t, null);
      return info(t, 'four.example');
    });
    const { tenants: out, failed } = await run.result;
    expect(out.map((t) => t.defaultDomainName)).toEqual(['', '', '', 'four.example']);
    expect(failed).toBe(3);
    expect(run.waits).toEqual([]);
  });

  it('a 403 (no CrossTenantInformation.ReadBasic.All) stops the remaining lookups; the token never shows', async () => {
    const tenants = Array.from({ length: 5 }, (_, i) => customer(i + 1));
    const run = lookup(tenants, () => graphError(403, 'Authorization_RequestDenied', {}), { concurrency: 1 });
    const { failed, firstProblem } = await run.result;
    expect(failed).toBe(5);
    expect(run.calls).toHaveLength(1);
    expect(firstProblem).toMatch(/HTTP 403.*CrossTenantInformation\.ReadBasic\.All/);
    expect(firstProblem).not.toContain(TOKEN);
  });

  it('a network failure is retried, then the tenant keeps no domain', async () => {
    const run = lookup([customer(1)], () => {
      throw new TypeError('fetch failed');
    });
    const { failed, firstProblem } = await run.result;
    expect(failed).toBe(1);
    expect(firstProblem).toMatch(/could not be reached: fetch failed/);
    expect(run.calls).toHaveLength(3);
  });
});

const records = (path: string) => parse(readFileSync(path, 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>;
const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const runArgs = (scenario: string, ...more: string[]) => ['run', '--simulate', scenario, '--backend', 'graph', '--report', 'MailboxUsageDetail', '--quiet', ...more];

/** Named tenants whose default domain is a custom domain (not the initial one), a fault on Delta, generated ones after them. */
function domainWorld(faults: unknown[] = []) {
  const base = graphWorld({ tenants: 4, faults });
  const named = (base.tenants as Array<Record<string, unknown>>).map((t) =>
    t.name === 'Alpha' || t.name === 'Beta' ? { ...t, name: `${String(t.name)} Studios`, customDomains: [`${String(t.name).toLowerCase()}-studios.example`] } : t,
  );
  return { ...base, tenants: named };
}
const worldOf = (scenario: Record<string, unknown>) => buildWorld(loadScenario(scenario)).tenants;
const isLookup = (url: string) => url.includes('findTenantInformationByTenantId');

describe('run --backend graph with relationships discovery: TenantDomain is the looked-up default domain', () => {
  it('output, errors file and summary carry each tenant default domain; one lookup per tenant, no notice', async () => {
    const cwd = tempDir();
    const scenario = domainWorld([{ type: 'notConsented', tenants: ['delta.onmicrosoft.com'] }]);
    const run = await runGraph(runArgs(writeScenario(cwd, scenario)), { cwd, keepSimulator: true });
    try {
      expect(run.error).toBeUndefined();
      expect(run.exitCode).toBe(1); // Delta is not consented
      const tenants = worldOf(scenario);
      expect(tenants.find((t) => t.name === 'Alpha Studios')!.defaultDomain).toBe('alpha-studios.example');
      const expected = new Map(tenants.map((t) => [t.tenantId.toLowerCase(), t.defaultDomain.toLowerCase()]));
      const rows = records(join(cwd, 'ReportOutput.csv'));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.TenantDomain).toBe(expected.get(row.TenantId!));
      expect(new Set(rows.map((r) => r.TenantDomain))).toContain('beta-studios.example');
      // what the lookup endpoint itself answers for a tenant
      const partner = await (await simulatorTransport())(`${run.simulator!.env.DAP_LOGIN_URL}/${run.simulator!.env.DAP_GRAPH_TENANT_ID}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: run.simulator!.env.DAP_GRAPH_CLIENT_ID!, client_secret: run.simulator!.env.DAP_GRAPH_CLIENT_SECRET!, scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' }),
      });
      const token = ((await partner.json()) as { access_token: string }).access_token;
      const alpha = tenants.find((t) => t.name === 'Alpha Studios')!;
      const answer = await (await simulatorTransport())(`${run.simulator!.env.DAP_GRAPH_URL}/v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='${alpha.tenantId}')`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(((await answer.json()) as { defaultDomainName: string }).defaultDomainName).toBe(rows.find((r) => r.TenantId === alpha.tenantId.toLowerCase())!.TenantDomain);

      const delta = tenants.find((t) => t.name === 'Delta')!;
      expect(records(join(cwd, 'ReportOutput.csv.errors.csv'))).toEqual([expect.objectContaining({ TenantDomain: 'delta.onmicrosoft.com', TenantId: delta.tenantId.toLowerCase(), Category: 'ConsentMissing' })]);
      const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
      expect(summary.tenants.map((t) => t.domain).sort()).toEqual([...expected.values()].sort());
      expect(run.stats!.graph.tenantLookups).toBe(tenants.length);
      expect(run.fetches.filter((f) => isLookup(f.url))).toHaveLength(tenants.length);
      expect(run.stderr).not.toMatch(/display name/);
    } finally {
      await stopKept(run);
    }
  });

  it('--tenant <domain> selects exactly that tenant; --exclude <domain> leaves it out; TenantId still works', async () => {
    const cwd = tempDir();
    const path = writeScenario(cwd, domainWorld());
    const tenants = worldOf(domainWorld());
    const beta = tenants.find((t) => t.name === 'Beta Studios')!;

    const only = await runGraph(runArgs(path, '--tenant', 'BETA-Studios.example'), { cwd });
    expect(only.exitCode).toBe(0);
    expect(only.stderr).not.toMatch(/matched no customer/);
    const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    expect(summary.tenants.map((t) => [t.domain, t.tenantId])).toEqual([['beta-studios.example', beta.tenantId.toLowerCase()]]);
    expect(Object.keys(only.stats!.graph.requestsPerTenant)).toEqual([beta.tenantId]);
    expect(new Set(records(join(cwd, 'ReportOutput.csv')).map((r) => r.TenantDomain))).toEqual(new Set(['beta-studios.example']));

    const cwd2 = tempDir();
    const rest = await runGraph(runArgs(writeScenario(cwd2, domainWorld()), '--exclude', 'beta-studios.example', '--exclude', tenants.find((t) => t.name === 'Gamma')!.tenantId), { cwd: cwd2 });
    expect(rest.exitCode).toBe(0);
    const left = readJson<RunSummary>(join(cwd2, 'ReportOutput.csv.summary.json')).tenants.map((t) => t.domain);
    expect(left).toHaveLength(tenants.length - 2);
    expect(left).not.toContain('beta-studios.example');
    expect(left).not.toContain('gamma.onmicrosoft.com');
  });

  it('a failed lookup (404 for one tenant) keeps its display name, says so once, and the run succeeds', async () => {
    const cwd = tempDir();
    const scenario = domainWorld();
    const tenants = worldOf(scenario);
    const beta = tenants.find((t) => t.name === 'Beta Studios')!;
    const fetch: FetchLike = async (url, init) => {
      if (isLookup(url) && url.includes(beta.tenantId)) {
        return graphError(404, 'Request_ResourceNotFound');
      }
      return (await simulatorTransport())(url, init);
    };
    const run = await runGraph(runArgs(writeScenario(cwd, scenario)), { cwd, deps: { fetch } });
    expect(run.error).toBeUndefined();
    expect(run.exitCode).toBe(0);
    const rows = records(join(cwd, 'ReportOutput.csv'));
    expect(new Set(rows.filter((r) => r.TenantId === beta.tenantId.toLowerCase()).map((r) => r.TenantDomain))).toEqual(new Set(['Beta Studios']));
    expect(new Set(rows.filter((r) => r.TenantId !== beta.tenantId.toLowerCase()).map((r) => r.TenantDomain))).not.toContain('Alpha Studios');
    expect(run.stderr.match(/kept/g)).toHaveLength(1);
    expect(run.stderr).toMatch(/1 tenant kept its display name as TenantDomain: domain lookup failed \(first: HTTP 404: Request_ResourceNotFound/);
    // the display-named tenant is still selectable by its TenantId
    const cwd2 = tempDir();
    const again = await runGraph(runArgs(writeScenario(cwd2, scenario), '--tenant', beta.tenantId), { cwd: cwd2, deps: { fetch } });
    expect(again.exitCode).toBe(0);
    expect(readJson<RunSummary>(join(cwd2, 'ReportOutput.csv.summary.json')).tenants.map((t) => t.domain)).toEqual(['Beta Studios']);
  });

  it('lookups refused for every tenant (403): one notice for all, display names, the run still succeeds', async () => {
    const cwd = tempDir();
    const scenario = domainWorld();
    const fetch: FetchLike = async (url, init) => (isLookup(url) ? graphError(403, 'Authorization_RequestDenied') : (await simulatorTransport())(url, init));
    const run = await runGraph(runArgs(writeScenario(cwd, scenario)), { cwd, deps: { fetch } });
    expect(run.exitCode).toBe(0);
    const tenants = worldOf(scenario);
    expect(new Set(records(join(cwd, 'ReportOutput.csv')).map((r) => r.TenantDomain))).toEqual(new Set(tenants.filter((t) => t.mailboxes.length > 0).map((t) => t.name)));
    expect(run.stderr.match(/kept their display name/g)).toHaveLength(1);
    expect(run.stderr).toContain(`${tenants.length} tenants kept their display name`);
    expect(run.stderr).toMatch(/CrossTenantInformation\.ReadBasic\.All/);
  });

  it('--no-domain-lookup keeps the display names and makes no lookup; --discovery contracts needs none', async () => {
    const cwd = tempDir();
    const scenario = domainWorld();
    const tenants = worldOf(scenario);
    const run = await runGraph(runArgs(writeScenario(cwd, scenario), '--no-domain-lookup'), { cwd });
    expect(run.exitCode).toBe(0);
    const rows = records(join(cwd, 'ReportOutput.csv'));
    const names = new Map(tenants.map((t) => [t.tenantId.toLowerCase(), t.name]));
    for (const row of rows) expect(row.TenantDomain).toBe(names.get(row.TenantId!));
    expect(run.stats!.graph.tenantLookups).toBe(0);
    expect(run.fetches.some((f) => isLookup(f.url))).toBe(false);
    expect(run.stderr).not.toMatch(/display name/);

    const cwd2 = tempDir();
    const contracts = await runGraph(runArgs(writeScenario(cwd2, scenario), '--discovery', 'contracts'), { cwd: cwd2 });
    expect(contracts.exitCode).toBe(0);
    expect(contracts.stats!.graph.tenantLookups).toBe(0);
    expect(new Set(records(join(cwd2, 'ReportOutput.csv')).map((r) => r.TenantDomain))).toContain('alpha-studios.example');
  });

  it('tenants --backend graph lists the looked-up domains (and display names with --no-domain-lookup)', async () => {
    const cwd = tempDir();
    const path = writeScenario(cwd, domainWorld());
    const listed = await runGraph(['tenants', '--simulate', path, '--backend', 'graph', '--json', '--tenant', 'alpha-studios.example'], { cwd });
    expect(listed.error).toBeUndefined();
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ domain: 'alpha-studios.example', name: 'Alpha Studios', runnable: true })]);
    const plain = await runGraph(['tenants', '--simulate', path, '--backend', 'graph', '--json', '--no-domain-lookup', '--tenant', 'alpha-studios.example'], { cwd });
    // without the lookup no customer has that domain: a selection that matches nothing is a usage error
    expect(plain.error).toMatchObject({ code: 'NO_TENANT_SELECTED', exitCode: 2, message: expect.stringMatching(/alpha-studios\.example matched no customer/) });
    expect(plain.stdout).toBe('');
  });
});
