import { readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { readCatalog } from '../../common/catalog.js';
import { DapError } from '../../common/dap-error.js';
import { planRun } from '../../runtime/cli/run-options.js';
import { harness, tempDir, USER } from './fakes.js';
import { graphCatalog } from './graph-harness.js';

const APP = '3c1f9a52-7d4e-4b8a-9c21-6e5f4d3b2a10';
const PARTNER = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const fullEnv = { DAP_GRAPH_CLIENT_ID: APP, DAP_GRAPH_CLIENT_SECRET: 'Secret-Value-1', DAP_GRAPH_TENANT_ID: PARTNER };
const graph = ['--report', 'MailboxUsageDetail'];

/** [what, arguments after `run`, environment, error code, what the message must name] */
const cases: Array<[string, string[], NodeJS.ProcessEnv, string, RegExp]> = [
  ['--graph-url plain http to a remote host', [...graph, '--graph-url', 'http://graph.microsoft.com'], fullEnv, 'BAD_GRAPH_URL', /--graph-url: expected an https:\/\/ URL.*'http:\/\/graph\.microsoft\.com'/],
  // the simulator serves https: plain http is refused on this machine too
  ['--graph-url plain http to this machine', [...graph, '--graph-url', 'http://127.0.0.1:8080'], fullEnv, 'BAD_GRAPH_URL', /--graph-url: expected an https:\/\/ URL \(plain http is refused, on this machine too\), received 'http:\/\/127\.0\.0\.1:8080'/],
  ['--login-url plain http to localhost', [...graph, '--login-url', 'http://localhost:8080'], fullEnv, 'BAD_LOGIN_URL', /--login-url: expected an https:\/\/ URL.*'http:\/\/localhost:8080'/],
  ['--login-url plain http to a private address', [...graph, '--login-url', 'http://10.0.0.5/login'], fullEnv, 'BAD_LOGIN_URL', /--login-url.*'http:\/\/10\.0\.0\.5\/login'/],
  ['--graph-url not a URL', [...graph, '--graph-url', 'graph.microsoft.com'], fullEnv, 'BAD_GRAPH_URL', /absolute URL/],
  ['--graph-url with credentials', [...graph, '--graph-url', 'https://a:b@graph.microsoft.com'], fullEnv, 'BAD_GRAPH_URL', /without user name or password/],
  ['--concurrency 0', [...graph, '--concurrency', '0'], fullEnv, 'BAD_CONCURRENCY', /1 to 32, received '0'/],
  ['--concurrency 33', [...graph, '--concurrency', '33'], fullEnv, 'BAD_CONCURRENCY', /received '33'/],
  ['--concurrency not a number', [...graph, '--concurrency', 'many'], fullEnv, 'BAD_CONCURRENCY', /'many'/],
  ['--backend exchange with a Graph report', [...graph, '--backend', 'exchange'], fullEnv, 'BACKEND_MISMATCH', /--backend exchange cannot run MailboxUsageDetail.*Graph/],
  ['--backend graph with an Exchange report', ['--report', 'MailboxActivityReport', '--backend', 'graph', '--user', USER], fullEnv, 'BACKEND_MISMATCH', /--backend graph cannot run MailboxActivityReport.*Exchange/],
  ['--backend unknown', [...graph, '--backend', 'ews'], fullEnv, 'BAD_BACKEND', /exchange, graph, exo, received 'ews'/],
  ['no client id', graph, { DAP_GRAPH_CLIENT_SECRET: 'x', DAP_GRAPH_TENANT_ID: PARTNER }, 'MISSING_CLIENT_ID', /--client-id.*DAP_GRAPH_CLIENT_ID/],
  ['no client secret or refresh token', [...graph, '--client-id', APP, '--partner-tenant', PARTNER], {}, 'MISSING_CLIENT_SECRET', /DAP_GRAPH_CLIENT_SECRET.*--client-secret-stdin.*DAP_GRAPH_REFRESH_TOKEN/],
  ['client secret without a partner tenant', [...graph, '--client-id', APP], { DAP_GRAPH_CLIENT_SECRET: 'x' }, 'MISSING_PARTNER_TENANT', /--partner-tenant/],
  ['--partner-tenant not a tenant', [...graph, '--partner-tenant', '../../evil'], fullEnv, 'BAD_PARTNER_TENANT', /'..\/..\/evil'/],
  ['--client-id with a space', [...graph, '--client-id', 'my app'], fullEnv, 'BAD_CLIENT_ID', /'my app'/],
  ['--discovery unknown', [...graph, '--discovery', 'msol'], fullEnv, 'BAD_DISCOVERY', /relationships or contracts, received 'msol'/],
  ['--user with a Graph report', [...graph, '--user', USER], fullEnv, 'OPTION_CONFLICT', /--user applies only to --backend exchange/],
  ['--max-sessions with a Graph report', [...graph, '--max-sessions', '2'], fullEnv, 'OPTION_CONFLICT', /--max-sessions.*--concurrency/],
  ['--concurrency with an Exchange report', ['--report', 'MailboxActivityReport', '--user', USER, '--concurrency', '4'], fullEnv, 'OPTION_CONFLICT', /--concurrency applies only to the backends that sign in with the app/],
  ['--no-domain-lookup with an Exchange report', ['--report', 'MailboxActivityReport', '--user', USER, '--no-domain-lookup'], fullEnv, 'OPTION_CONFLICT', /--no-domain-lookup applies only to the backends that sign in with the app/],
  ['--client-secret-stdin with --password-stdin', [...graph, '--client-secret-stdin', '--password-stdin'], fullEnv, 'OPTION_CONFLICT', /client-secret-stdin|password-stdin/],
  ['a client secret on the command line', [...graph, '--client-secret', 'Secret-Value-1'], fullEnv, 'UNKNOWN_OPTION', /--client-secret/],
  ['Period outside D7|D30|D90|D180', [...graph, '--param', 'Period=D8'], fullEnv, 'VALUE_NOT_ALLOWED', /'D8'.*D7\|D30\|D90\|D180/],
  ['a Date that is not a date', [...graph, '--param', 'Date=yesterday'], fullEnv, 'BAD_DATE', /Date='yesterday'/],
  ['Date on a report without one', ['--report', 'MailboxUsageMailboxCounts', '--param', 'Date=2024-05-01'], fullEnv, 'UNKNOWN_PARAMETER', /no parameter 'Date'/],
];

describe('run --backend graph: bad input is a usage error (exit 2) and starts nothing', () => {
  it.each(cases)('%s', async (_what, args, env, code, message) => {
    const fetch = vi.fn(async () => new Response(null, { status: 500 }));
    const h = harness({ env, deps: { fetch } });
    const error = await h.run(['run', '--catalog', graphCatalog, ...args]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DapError);
    expect(error).toMatchObject({ code, exitCode: 2 });
    expect((error as DapError).message).toMatch(message);
    expect((error as DapError).message).not.toContain('Secret-Value-1');
    expect(fetch).not.toHaveBeenCalled();
    expect(h.startSimulator).not.toHaveBeenCalled();
    expect(h.openExchangeHost).not.toHaveBeenCalled();
    expect(readdirSync(h.deps.cwd)).toEqual([]);
  });

  it('tenants: Graph options without --backend graph, and --user with it, are usage errors', async () => {
    for (const [args, pattern] of [
      [['tenants', '--client-id', APP], /--client-id applies only to the backends that sign in with the app/],
      [['tenants', '--backend', 'graph', '--user', USER], /--user.*only to --backend exchange/],
      [['tenants', '--backend', 'graph', '--graph-url', 'http://example.com'], /--graph-url/],
      [['tenants', '--no-domain-lookup'], /--no-domain-lookup applies only to the backends that sign in with the app/],
    ] as const) {
      const h = harness({ env: fullEnv });
      await expect(h.run([...args])).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(pattern) });
      expect(h.startSimulator).not.toHaveBeenCalled();
    }
  });
});

describe('planRun for Graph reports', () => {
  const catalog = readCatalog(graphCatalog);

  it('a Graph report implies the graph backend, with the documented defaults', () => {
    const plan = planRun({ report: 'MailboxUsageDetail' }, catalog, { cwd: tempDir(), env: fullEnv });
    expect(plan.backend).toBe('graph');
    expect(plan.graph).toEqual({
      graphUrl: 'https://graph.microsoft.com',
      loginUrl: 'https://login.microsoftonline.com',
      clientId: APP,
      partnerTenant: PARTNER,
      clientSecretStdin: false,
      signIn: { deviceCode: false },
      discovery: 'relationships',
      concurrency: 8,
      domainLookup: true,
    });
    expect(plan.users).toEqual([]);
  });

  it('an Exchange report stays on exchange and has no Graph plan', () => {
    const plan = planRun({ report: 'MailboxActivityReport', user: [USER] }, catalog, { cwd: tempDir(), env: fullEnv });
    expect(plan.backend).toBe('exchange');
    expect(plan.graph).toBeUndefined();
  });

  it('loopback https bases, a refresh token without partner tenant, and --simulate without any credential are accepted', () => {
    const plan = planRun(
      { report: 'MailboxUsageDetail', graphUrl: 'https://127.0.0.1:9000/', loginUrl: 'https://localhost:9001', clientId: APP, concurrency: '32', discovery: 'contracts' },
      catalog,
      { cwd: tempDir(), env: { DAP_GRAPH_REFRESH_TOKEN: 'rt' } },
    );
    expect(plan.graph).toMatchObject({ graphUrl: 'https://127.0.0.1:9000', loginUrl: 'https://localhost:9001', concurrency: 32, discovery: 'contracts' });
    expect(planRun({ simulate: true, backend: 'graph' }, catalog, { cwd: tempDir(), env: {} }).report.name).toBe('MailboxUsageDetail');
  });
});
