import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CatalogReport } from '../../common/catalog.js';
import { readCatalog } from '../../common/catalog.js';
import { customersFromRelationships, GraphDiscovery } from '../../runtime/backends/app/partner-app/discovery.js';
import { MAX_REPORT_REREQUESTS } from '../../runtime/backends/app/http/graph-limits.js';
import { GraphTenantRunner, reportWindow } from '../../runtime/backends/graph/graph-runner.js';
import { checkBaseUrl } from '../../runtime/backends/app/http/graph-urls.js';
import { isLoopbackHost } from '../../runtime/platform/http/url-safety.js';
import { SlidingWindowLimiter } from '../../runtime/backends/graph/rate-limiter.js';
import { Redactor } from '../../runtime/platform/redact.js';
import { parseRetryAfter } from '../../runtime/platform/http/retry-after.js';
import { ServiceClient } from '../../runtime/platform/http/http-client.js';
import type { FetchLike } from '../../runtime/platform/http/fetch-like.js';
import { AppTokens } from '../../runtime/backends/app/auth/app-tokens.js';
import { GRAPH_SCOPE } from '../../runtime/backends/app/auth/scopes.js';
import type { TenantJob } from '../../runtime/backends/contract/runner-types.js';
import { tempDir } from './fakes.js';
import { graphCatalog } from './graph-harness.js';

/** The HTTP client made for a Graph at https://graph.example over a scripted transport. */
const graphClient = (transport: FetchLike, sleep?: (ms: number) => Promise<void>) => new ServiceClient({ service: 'Graph', base: 'https://graph.example', transport, ...(sleep ? { sleep } : {}) });

const report = (name: string): CatalogReport => readCatalog(graphCatalog).reports.find((r) => r.name === name)!;
const TENANT = '00000000-0000-4000-8000-00000000abcd';

describe('Retry-After', () => {
  const now = Date.parse('2024-05-20T09:00:00Z');
  it.each([
    ['30', 30_000],
    ['0', 0],
    ['1.5', 1_500],
    ['Mon, 20 May 2024 09:00:12 GMT', 12_000],
    ['Mon, 20 May 2024 08:00:00 GMT', 0],
    ['99999', 900_000],
  ])('%s → %i ms', (header, ms) => expect(parseRetryAfter(header, now)).toBe(ms));
  it.each([[null], [''], ['soon'], ['-5']])('%s → undefined', (header) => expect(parseRetryAfter(header, now)).toBeUndefined());
});

describe('base URLs', () => {
  it.each([
    ['https://graph.microsoft.com', 'https://graph.microsoft.com'],
    ['https://graph.microsoft.com/', 'https://graph.microsoft.com'],
    ['https://127.0.0.1:8080', 'https://127.0.0.1:8080'],
    ['https://127.9.9.9', 'https://127.9.9.9'],
    ['https://localhost:3000', 'https://localhost:3000'],
    ['https://[::1]:3000/x/', 'https://[::1]:3000/x'],
  ])('%s is accepted as %s', (raw, base) => expect(checkBaseUrl(raw)).toEqual({ base }));
  // plain http is refused on this machine too: the simulator serves https
  it.each([['http://graph.microsoft.com'], ['http://128.0.0.1'], ['http://127.0.0.1:8080'], ['http://localhost:3000'], ['http://[::1]:3000'], ['http://localhost.example.com'], ['ftp://x'], ['graph.microsoft.com'], ['https://u:p@graph.microsoft.com'], ['https://g.example?x=1']])(
    '%s is refused',
    (raw) => expect(checkBaseUrl(raw)).toHaveProperty('problem'),
  );
  it('loopback hosts', () => {
    expect(['127.0.0.1', 'localhost', '::1', '[::1]'].map(isLoopbackHost)).toEqual([true, true, true, true]);
    expect(['10.0.0.1', '::2', 'example.com'].map(isLoopbackHost)).toEqual([false, false, false]);
  });
});

describe('Redactor', () => {
  it('removes known secrets, bearer tokens, JWTs and signed query strings', () => {
    const r = new Redactor();
    r.add('Top-Secret-1');
    expect(r.clean('bad secret Top-Secret-1 given')).toBe('bad secret [redacted] given');
    expect(r.clean('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer [redacted]');
    expect(r.clean('https://x.blob/report.csv?sv=2020&sig=abc%2F&se=1')).toBe('https://x.blob/report.csv?sv=[redacted]&sig=[redacted]&se=[redacted]');
    expect(r.clean('token eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig here')).toBe('token [redacted] here');
  });
});

describe('discovery', () => {
  it('one customer per tenant id; a customer without an active relationship keeps its problem from the latest one', () => {
    const customers = customersFromRelationships([
      { status: 'active', customer: { tenantId: 'AAAAAAAA-0000-4000-8000-000000000001', displayName: 'Contoso' } },
      { status: 'expired', customer: { tenantId: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: 'Contoso (old relationship)' } },
      { status: 'terminated', displayName: 'Gone GDAP', endDateTime: '2025-01-10T00:00:00Z', customer: { tenantId: 'aaaaaaaa-0000-4000-8000-000000000002', displayName: 'Gone' } },
      { status: 'expired', displayName: 'Gone GDAP 2', endDateTime: '2026-02-01T00:00:00Z', customer: { tenantId: 'aaaaaaaa-0000-4000-8000-000000000002', displayName: 'Gone' } },
      { status: 'approvalPending', customer: { tenantId: 'aaaaaaaa-0000-4000-8000-000000000003', displayName: 'New' } },
      { status: 'active', customer: null },
    ]);
    expect(customers.map((c) => [c.tenantId, c.name, c.problem?.category])).toEqual([
      ['aaaaaaaa-0000-4000-8000-000000000001', 'Contoso', undefined],
      ['aaaaaaaa-0000-4000-8000-000000000002', 'Gone', 'RelationshipExpired'],
      ['aaaaaaaa-0000-4000-8000-000000000003', 'New', 'RelationshipPending'],
    ]);
    expect(customers[1]!.problem!.message).toMatch(/'Gone GDAP 2' with this customer expired on 2026-02-01T00:00:00Z/);
    expect(customers[2]!.problem!.message).toMatch(/approvalPending, not yet active/);
  });

  it('does not follow (or send the token to) a nextLink outside the Graph base', async () => {
    const urls: string[] = [];
    const discovery = new GraphDiscovery({
      http: graphClient(async (url) => {
        urls.push(url);
        return Response.json({ value: [], '@odata.nextLink': 'https://elsewhere.example/v1.0/x?$skiptoken=1' });
      }),
      mode: 'relationships',
      partnerToken: async () => 'partner-token',
      redactor: new Redactor(),
    });
    await expect(discovery.discover()).rejects.toMatchObject({ code: 'DISCOVERY_FAILED', exitCode: 3 });
    expect(urls).toEqual(['https://graph.example/v1.0/tenantRelationships/delegatedAdminRelationships?%24top=300']);
  });

  it('a throttled partner token is tried again after its Retry-After; pages on 429 too', async () => {
    const { GraphCallError } = await import('../../runtime/backends/app/http/graph-error.js');
    const waits: number[] = [];
    let tokenCalls = 0;
    let pageCalls = 0;
    const discovery = new GraphDiscovery({
      http: graphClient(
        async () =>
          ++pageCalls === 1
            ? new Response('{}', { status: 429, headers: { 'retry-after': '2' } })
            : Response.json({ value: [{ customerId: 'AAAAAAAA-0000-4000-8000-000000000009', displayName: 'Fabrikam', defaultDomainName: 'Fabrikam.com', contractType: 'ResellerPartnerContract' }] }),
        async (ms) => void waits.push(ms),
      ),
      mode: 'contracts',
      partnerToken: async () => {
        if (++tokenCalls === 1) throw new GraphCallError('Throttled', 'slow down', { retryAfterMs: 3000 });
        return 'partner-token';
      },
      redactor: new Redactor(),
    });
    expect(await discovery.discover()).toEqual([
      { tenantId: 'aaaaaaaa-0000-4000-8000-000000000009', name: 'Fabrikam', defaultDomainName: 'fabrikam.com', initialDomain: '', contractType: 'ResellerPartnerContract' },
    ]);
    expect(waits).toEqual([3000, 2000]);
  });

  it('a refused partner credential is AUTHENTICATION_FAILED (exit 3)', async () => {
    const { GraphCallError } = await import('../../runtime/backends/app/http/graph-error.js');
    const discovery = new GraphDiscovery({
      http: graphClient(async () => Response.json({})),
      mode: 'contracts',
      partnerToken: async () => {
        throw new GraphCallError('AuthenticationFailed', 'invalid_client');
      },
      redactor: new Redactor(),
    });
    await expect(discovery.discover()).rejects.toMatchObject({ code: 'AUTHENTICATION_FAILED', exitCode: 3 });
  });
});

/** A scripted Graph: each call answers the next response for its kind (report / download). */
function scriptedGraph(script: { report: Array<() => Response>; download: Array<() => Response> }) {
  const calls: Array<{ url: string; headers: Headers; redirect: RequestInit['redirect'] }> = [];
  return {
    calls,
    fetch: async (url: string, init?: RequestInit) => {
      calls.push({ url, headers: new Headers(init?.headers), redirect: init?.redirect });
      const queue = url.includes('/download/') ? script.download : script.report;
      const next = queue.shift();
      if (!next) throw new Error(`unexpected call ${url}`);
      return next();
    },
  };
}

const redirect = (n = 1) => () => new Response(null, { status: 302, headers: { location: `https://files.example/download/${n}?sig=SIGNED` } });
const csv = (text: string) => () => new Response(text, { status: 200, headers: { 'content-type': 'text/csv' } });

function runnerWith(fetch: (url: string, init?: RequestInit) => Promise<Response>, tokens: string[] = ['tok-1', 'tok-2']) {
  const issued: string[] = [];
  // as MSAL's cache: the same token until it is refused
  let current: string | undefined;
  const cache = new AppTokens({
    issue: async (_tenant, _scope, forceRefresh) => {
      if (current && !forceRefresh) return current;
      current = tokens[issued.length] ?? 'tok-x';
      issued.push(current);
      return current;
    },
  });
  const runner = new GraphTenantRunner({ http: graphClient(fetch), tokens: cache.forScope(GRAPH_SCOPE), limiter: new SlidingWindowLimiter({ now: () => 0 }), redactor: new Redactor() });
  return { runner, issued };
}

function job(name = 'MailboxUsageDetail', parameters: TenantJob['parameters'] = []): TenantJob {
  return { tenantId: TENANT, domain: 'Contoso', account: 'app', report: report(name), parameters, outPath: join(tempDir(), 'part.csv'), attempt: 1 };
}

describe('GraphTenantRunner (scripted HTTP)', () => {
  it('asks without following redirects, downloads without Authorization, strips the BOM, prefixes TenantId/TenantDomain', async () => {
    const graph = scriptedGraph({ report: [redirect()], download: [csv('\uFEFFReport Refresh Date,User Principal Name,Display Name\r\n2024-05-18,a@x.com,"Smith, Ann"\r\n2024-05-18,b@x.com,Bo\r\n')] });
    const { runner } = runnerWith(graph.fetch);
    const j = job();
    const outcome = await runner.run(j, new AbortController().signal);
    expect(outcome).toEqual({ status: 'succeeded', rows: 2, partPath: j.outPath });
    expect(readFileSync(j.outPath, 'utf8')).toBe(
      // the part dialect of both backends: every field quoted, LF (as Export-Csv writes it)
      `"TenantId","TenantDomain","Report Refresh Date","User Principal Name","Display Name"\n"${TENANT}","Contoso","2024-05-18","a@x.com","Smith, Ann"\n"${TENANT}","Contoso","2024-05-18","b@x.com","Bo"\n`,
    );
    expect(graph.calls[0]).toMatchObject({ url: "https://graph.example/v1.0/reports/getMailboxUsageDetail(period='D7')", redirect: 'manual' });
    expect(graph.calls[0]!.headers.get('authorization')).toBe('Bearer tok-1');
    expect(graph.calls[1]!.headers.has('authorization')).toBe(false);
  });

  it.each([
    [[{ name: 'Period', type: 'string', array: false, value: 'D90' }], "(period='D90')"],
    [[{ name: 'Date', type: 'datetime', array: false, value: '2024-05-01' }], '(date=2024-05-01)'],
    [[{ name: 'Period', type: 'string', array: false, value: 'D30' }, { name: 'Date', type: 'datetime', array: false, value: '2024-05-02T10:00:00Z' }], '(date=2024-05-02)'],
  ] as const)('parameters %j ask for %s', (parameters, expected) => {
    const w = reportWindow(job('MailboxUsageDetail', parameters as unknown as TenantJob['parameters']));
    expect('date' in w ? `(date=${w.date})` : `(period='${w.period}')`).toBe(expected);
  });

  it('401 (expired token): one fresh token and one more try; a second 401 is AccessDenied', async () => {
    const unauthorized = () => Response.json({ error: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' } }, { status: 401 });
    let graph = scriptedGraph({ report: [unauthorized, redirect()], download: [csv('A,B\n1,2\n')] });
    let r = runnerWith(graph.fetch);
    expect(await r.runner.run(job(), new AbortController().signal)).toMatchObject({ status: 'succeeded', rows: 1 });
    expect(graph.calls.map((c) => c.headers.get('authorization'))).toEqual(['Bearer tok-1', 'Bearer tok-2', null]);

    graph = scriptedGraph({ report: [unauthorized, unauthorized], download: [] });
    r = runnerWith(graph.fetch);
    expect(await r.runner.run(job(), new AbortController().signal)).toMatchObject({ status: 'failed', category: 'AccessDenied' });
    expect(r.issued).toHaveLength(2);
  });

  it(`an expired download is requested again at most ${MAX_REPORT_REREQUESTS} times, then a retryable failure`, async () => {
    const expired = () => new Response('<Error><Code>AuthenticationFailed</Code></Error>', { status: 403 });
    let graph = scriptedGraph({ report: [redirect(1), redirect(2)], download: [expired, csv('A\n1\n')] });
    expect(await runnerWith(graph.fetch).runner.run(job(), new AbortController().signal)).toMatchObject({ status: 'succeeded', rows: 1 });

    graph = scriptedGraph({ report: Array.from({ length: MAX_REPORT_REREQUESTS + 1 }, (_, i) => redirect(i)), download: Array.from({ length: MAX_REPORT_REREQUESTS + 1 }, () => expired) });
    const outcome = await runnerWith(graph.fetch).runner.run(job(), new AbortController().signal);
    expect(outcome).toMatchObject({ status: 'failed', category: 'RemoteError', retryable: true });
    expect(outcome.message).not.toContain('SIGNED');
    expect(graph.calls.filter((c) => c.url.includes('/reports/'))).toHaveLength(MAX_REPORT_REREQUESTS + 1);
  });

  it.each([
    [429, { 'retry-after': '12' }, { category: 'Throttled', retryAfterMs: 12_000 }],
    [503, {}, { category: 'RemoteError', retryable: true }],
    [403, {}, { category: 'AccessDenied' }],
    [400, {}, { category: 'InvalidParameter' }],
  ] as const)('HTTP %i from the report is %j', async (status, headers, expected) => {
    const graph = scriptedGraph({ report: [() => Response.json({ error: { code: 'X', message: 'nope' } }, { status, headers })], download: [] });
    const outcome = await runnerWith(graph.fetch).runner.run(job(), new AbortController().signal);
    expect(outcome).toMatchObject({ status: 'failed', ...expected });
    if (!('retryable' in expected)) expect(outcome.retryable).toBeUndefined();
  });

  it('a header-only CSV is noData (no part left); a CSV that does not parse is InvalidData', async () => {
    let graph = scriptedGraph({ report: [redirect()], download: [csv('\uFEFFReport Refresh Date,Total\r\n')] });
    const j = job();
    expect(await runnerWith(graph.fetch).runner.run(j, new AbortController().signal)).toEqual({ status: 'noData', rows: 0 });
    expect(existsSync(j.outPath)).toBe(false);
    graph = scriptedGraph({ report: [redirect()], download: [csv('A,B\n1,2,3\n')] });
    const k = job();
    expect(await runnerWith(graph.fetch).runner.run(k, new AbortController().signal)).toMatchObject({ status: 'failed', category: 'InvalidData' });
    expect(existsSync(k.outPath)).toBe(false);
  });

  const hop = (location: string) => () => new Response(null, { status: 302, headers: { location } });

  it('a download that redirects again is followed hop by hop: an https chain is taken, every hop asked without following and without Authorization', async () => {
    const graph = scriptedGraph({ report: [redirect(1)], download: [hop('https://cdn.example/download/2?sig=SIGNED'), hop('/download/3'), csv('A\n1\n')] });
    expect(await runnerWith(graph.fetch).runner.run(job(), new AbortController().signal)).toMatchObject({ status: 'succeeded', rows: 1 });
    // the relative Location is read against the hop that sent it
    expect(graph.calls.map((c) => c.url)).toEqual([
      "https://graph.example/v1.0/reports/getMailboxUsageDetail(period='D7')",
      'https://files.example/download/1?sig=SIGNED',
      'https://cdn.example/download/2?sig=SIGNED',
      'https://cdn.example/download/3',
    ]);
    expect(graph.calls.map((c) => c.redirect)).toEqual(['manual', 'manual', 'manual', 'manual']);
    expect(graph.calls.slice(1).map((c) => c.headers.has('authorization'))).toEqual([false, false, false]);
  });

  it.each([
    ['plain http', 'http://evil.example/download/r.csv'],
    ['a loopback address', 'https://127.0.0.1/download/r.csv'],
    ['a loopback address in decimal', 'https://2130706433/download/r.csv'],
    ['the cloud metadata address', 'https://169.254.169.254/download/latest'],
    ['a URL with credentials', 'https://user:s3cr3t@files.example/download/r.csv'],
    ['another scheme', 'file:///etc/passwd'],
  ])('a second redirect to %s is refused as the first would be (RemoteError naming the hop), and not fetched', async (_what, location) => {
    const graph = scriptedGraph({ report: [redirect(1)], download: [hop(location)] });
    const outcome = await runnerWith(graph.fetch).runner.run(job(), new AbortController().signal);
    expect(outcome).toMatchObject({ status: 'failed', category: 'RemoteError' });
    expect(outcome.retryable).toBeUndefined();
    expect(outcome.message).toMatch(/getMailboxUsageDetail: redirect 2 /);
    expect(outcome.message).not.toContain('s3cr3t');
    expect(graph.calls).toHaveLength(2);
  });

  it('a redirect loop ends after a bounded number of hops as a RemoteError', async () => {
    const graph = scriptedGraph({ report: [redirect(1)], download: Array.from({ length: 50 }, () => hop('https://files.example/download/1?sig=SIGNED')) });
    const outcome = await runnerWith(graph.fetch).runner.run(job(), new AbortController().signal);
    expect(outcome).toMatchObject({ status: 'failed', category: 'RemoteError' });
    expect(outcome.message).toMatch(/more than \d+ redirects/);
    expect(graph.calls.length).toBeLessThanOrEqual(7);
  });

  it('a download redirect to plain http on another host is refused', async () => {
    const graph = scriptedGraph({ report: [() => new Response(null, { status: 302, headers: { location: 'http://evil.example/r.csv' } })], download: [] });
    expect(await runnerWith(graph.fetch).runner.run(job(), new AbortController().signal)).toMatchObject({ status: 'failed', category: 'RemoteError' });
    expect(graph.calls).toHaveLength(1);
  });
});
