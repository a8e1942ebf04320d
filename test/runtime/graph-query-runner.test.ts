// The Graph query runner over a scripted Graph: the request it sends, paging only on the Graph
// base, lookups, the cell rule, and each tenant kept within its throttling class's budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { CatalogReport } from '../../common/catalog.js';
import { graphThrottleClassOf, directoryReadCost } from '../../common/graph-throttling.js';
import { AppTokens } from '../../runtime/backends/app/auth/app-tokens.js';
import { GRAPH_SCOPE } from '../../runtime/backends/app/auth/scopes.js';
import type { TenantJob } from '../../runtime/backends/contract/runner-types.js';
import { GraphQueryRunner } from '../../runtime/backends/graph/graph-query-runner.js';
import { SlidingWindowLimiter } from '../../runtime/backends/graph/rate-limiter.js';
import { ServiceClient } from '../../runtime/platform/http/http-client.js';
import { Redactor } from '../../runtime/platform/redact.js';
import { tempDir } from './fakes.js';

const report: CatalogReport = {
  name: 'UserLicences',
  function: 'Get-DapUserLicences',
  summary: 's',
  definitionFile: 'x.ts',
  sources: [
    {
      kind: 'graphQuery',
      path: 'users',
      version: 'v1.0',
      select: ['id', 'userPrincipalName', 'assignedLicenses', 'signInActivity'],
      filter: "userType eq 'Member'",
      top: 2,
      count: true,
      permission: 'User.Read.All',
      lookups: [{ name: 'sku', path: 'subscribedSkus', version: 'v1.0', key: 'skuId' }],
    },
  ],
  parameters: [],
  columns: [
    { name: 'UserPrincipalName', type: 'string', from: 'userPrincipalName' },
    { name: 'Licences', type: 'string', from: 'assignedLicenses.skuId', lookup: 'sku.skuPartNumber' },
    { name: 'LastSignIn', type: 'datetime', from: 'signInActivity.lastSignInDateTime' },
  ],
};

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

function runner(pages: Record<string, unknown>, budgets?: (c: string) => SlidingWindowLimiter, sleeps: number[] = []) {
  const calls: Array<{ url: string; headers: Record<string, string> }> = [];
  const transport = async (url: string, init?: RequestInit) => {
    calls.push({ url, headers: { ...(init?.headers as Record<string, string>) } });
    const key = Object.keys(pages).find((k) => url.startsWith(k));
    return key ? json(pages[key]) : new Response('{"error":{"code":"NotFound","message":"no"}}', { status: 404 });
  };
  const http = new ServiceClient({ service: 'Graph', base: 'https://graph.example', transport });
  const tokens = new AppTokens({ issue: async () => 'tok' }).forScope(GRAPH_SCOPE);
  const limiters = new Map<string, SlidingWindowLimiter>();
  const budget = budgets ?? ((c: string) => limiters.get(c) ?? limiters.set(c, new SlidingWindowLimiter({ limit: 1000, windowMs: 10_000, now: () => 0 })).get(c)!);
  const run = new GraphQueryRunner({ http, tokens, budgets: budget as never, redactor: new Redactor(), sleep: async (ms) => void sleeps.push(ms) });
  return { run, calls };
}

const job = (tenantId = '00000000-0000-4000-8000-00000000abcd'): TenantJob => ({ tenantId, domain: 'contoso.com', account: 'app', report, parameters: [], outPath: join(tempDir(), 'part.csv'), attempt: 1 });

describe('GraphQueryRunner (scripted Graph)', () => {
  it('sends $select, $filter, $top and $count with ConsistencyLevel: eventual; follows every page; resolves SKU ids through the lookup', async () => {
    const { run, calls } = runner({
      'https://graph.example/v1.0/subscribedSkus': { value: [{ skuId: 'S1', skuPartNumber: 'SPE_E3' }, { skuId: 's2', skuPartNumber: 'EMS' }] },
      'https://graph.example/v1.0/users?': {
        value: [{ userPrincipalName: 'a@x', assignedLicenses: [{ skuId: 's1' }, { skuId: 'S2' }, { skuId: 'gone' }], signInActivity: { lastSignInDateTime: '2024-05-01T10:00:00.123Z' } }],
        '@odata.nextLink': 'https://graph.example/v1.0/users/next',
      },
      'https://graph.example/v1.0/users/next': { value: [{ userPrincipalName: 'b@x', assignedLicenses: [], signInActivity: null }] },
    });
    const j = job();
    expect(await run.run(j, new AbortController().signal)).toEqual({ status: 'succeeded', rows: 2, partPath: j.outPath });
    const first = new URL(calls[1]!.url);
    expect(Object.fromEntries(first.searchParams)).toEqual({ $select: 'id,userPrincipalName,assignedLicenses,signInActivity', $filter: "userType eq 'Member'", $top: '2', $count: 'true' });
    expect(calls[1]!.headers).toMatchObject({ consistencylevel: 'eventual', authorization: 'Bearer tok' });
    expect(calls[0]!.headers.consistencylevel).toBeUndefined();
    expect(parse(readFileSync(j.outPath, 'utf8'), { columns: true })).toEqual([
      { TenantId: j.tenantId, TenantDomain: 'contoso.com', UserPrincipalName: 'a@x', Licences: 'SPE_E3; EMS; gone', LastSignIn: '2024-05-01T10:00:00Z' },
      { TenantId: j.tenantId, TenantDomain: 'contoso.com', UserPrincipalName: 'b@x', Licences: '', LastSignIn: '' },
    ]);
  });

  it('a next link off the Graph base is not followed (nor sent the token): the tenant fails, its part gone', async () => {
    const { run, calls } = runner({
      'https://graph.example/v1.0/subscribedSkus': { value: [] },
      'https://graph.example/v1.0/users?': { value: [{ userPrincipalName: 'a@x' }], '@odata.nextLink': 'https://evil.example/v1.0/users/next' },
    });
    const outcome = await run.run(job(), new AbortController().signal);
    expect(outcome).toMatchObject({ status: 'failed', category: 'RemoteError', message: expect.stringContaining('outside https://graph.example') });
    expect(calls.some((c) => c.url.startsWith('https://evil.example'))).toBe(false);
  });

  it("keeps a tenant within its class's budget: pages wait for room (short), another tenant does not wait, a long wait ends the attempt Throttled", async () => {
    let now = 0;
    const sleeps: number[] = [];
    // users costs 2 units ($select −1, $top < 20 −1, never below 1 → 1), subscribedSkus 3: a budget of 4 units per 2 s
    const directory = new SlidingWindowLimiter({ limit: 4, windowMs: 2_000, now: () => now });
    const { run } = runner(
      {
        'https://graph.example/v1.0/subscribedSkus': { value: [] },
        'https://graph.example/v1.0/users?': { value: [{ userPrincipalName: 'a@x' }], '@odata.nextLink': 'https://graph.example/v1.0/users/p2' },
        'https://graph.example/v1.0/users/p2': { value: [{ userPrincipalName: 'b@x' }] },
      },
      () => directory,
      sleeps,
    );
    // the sleep moves the clock: the wait is real time passing
    (run as unknown as { options: { sleep: (ms: number) => Promise<void> } }).options.sleep = async (ms) => {
      sleeps.push(ms);
      now += ms;
    };
    expect(directoryReadCost('subscribedSkus')).toBe(3);
    expect(directoryReadCost('users', { select: true, top: 2 })).toBe(1);
    expect(graphThrottleClassOf('users')).toBe('directory');
    expect(await run.run(job('00000000-0000-4000-8000-000000000001'), new AbortController().signal)).toMatchObject({ status: 'succeeded', rows: 2 });
    // 3 + 1 units fill the window; the second page waited for it to pass
    expect(sleeps).toEqual([2_000]);
    // another tenant has its own budget: no wait
    expect(await run.run(job('00000000-0000-4000-8000-000000000002'), new AbortController().signal)).toMatchObject({ status: 'succeeded', rows: 2 });
    expect(sleeps).toEqual([2_000, 2_000]);
    // a budget whose next slot is far off ends the attempt, with the wait for the scheduler
    const slow = new SlidingWindowLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    const { run: blocked } = runner({ 'https://graph.example/v1.0/subscribedSkus': { value: [] }, 'https://graph.example/v1.0/users?': { value: [] } }, () => slow);
    const outcome = await blocked.run(job('00000000-0000-4000-8000-000000000003'), new AbortController().signal);
    expect(outcome).toMatchObject({ status: 'failed', category: 'Throttled', message: expect.stringMatching(/budget for directory reads .* is used up/) });
    expect(outcome.retryAfterMs).toBeGreaterThan(5_000);
  });
});
