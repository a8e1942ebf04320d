/**
 * Microsoft's own client libraries, unmodified, against dap-sim: @azure/msal-node and
 * @microsoft/microsoft-graph-client (exact versions, package.json) in plain scripts
 * (test/fixtures/real-clients/) that `dap-sim run` starts as its command. A script reaches the
 * simulator only as a user's script reaches the real service: over https, trusting the simulator's
 * CA through the NODE_EXTRA_CA_CERTS `dap-sim run` hands it (no certificate check turned off, no
 * network module of its own), its URLs from DAP_LOGIN_URL / DAP_GRAPH_URL / DAP_EXO_URL and the app
 * from DAP_GRAPH_CLIENT_ID / DAP_GRAPH_CLIENT_SECRET / DAP_GRAPH_TENANT_ID. Each script prints JSON
 * of what it got; the tests assert on it and on the simulator's stats (`--stats`).
 *
 * How the scripts configure MSAL for a login host that is not Microsoft's, as a user must
 * (sim-env.mjs `msalAuth`):
 * - `authority: https://127.0.0.1:<port>/<tenant>`: the login host plus the tenant (its id, or
 *   `organizations` for the admin's device code sign-in); MSAL refuses any authority not https;
 * - `knownAuthorities: ['127.0.0.1:<port>']`: MSAL then trusts the host as it is instead of asking
 *   Microsoft's instance discovery about it, and reads the tenant's endpoints from the host's own
 *   `/{tenant}/v2.0/.well-known/openid-configuration` (no `authorityMetadata` given, so the
 *   simulator's discovery document is what MSAL goes by);
 * - `acquireTokenSilent` for a customer gets the account with `tenantId` set to the customer: MSAL
 *   looks a cached access token up by the account's tenant before the request's authority, so the
 *   account as signed in (the partner's tenant) would answer the partner's Graph token.
 * And the Graph SDK: `baseUrl` the simulator's Graph host; `customHosts` its host name, since the
 * SDK attaches the token only to Graph's own hosts and these (matched without the port: on loopback
 * every host of the simulator is 127.0.0.1, the download host included; the SDK's redirect handler
 * still drops the token when the 302 leads to another origin).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { loadScenario } from '../../simulator/index.js';
import type { SimulatorStats } from '../../simulator/simulator-types.js';
import { tempDir } from '../runtime/fakes.js';

const fixtures = join(projectRoot, 'test', 'fixtures', 'real-clients');
const scenarioFile = join(fixtures, 'scenario.json');
const scenario = JSON.parse(readFileSync(scenarioFile, 'utf8')) as {
  tenants: Array<{ initialDomain: string; tenantId?: string; mailboxes: number }>;
  graph: { partnerTenantId: string };
};
const PARTNER = scenario.graph.partnerTenantId;
const customer = scenario.tenants[0]!;
const CUSTOMER = customer.tenantId!;
const DEFAULT_APP_ID = '6f0c4b8e-2d1a-4c57-9e3b-5a7d8c9f0b12';
const GRAPH = 'https://graph.microsoft.com';
const EXO = 'https://outlook.office365.com';
// the app's application permissions (an app-only token's roles) and delegated scopes (a user's scp)
const app = loadScenario(scenarioFile).graph.apps[0]!;
const GRAPH_ROLES = app.roles.graph;
const GRAPH_SCOPES = app.scopes.graph;
const appPem = join(projectRoot, 'simulator', 'scenarios', 'simulator-app.pem');

interface Claims {
  header: { alg: string; kid: boolean };
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  roles?: string[];
  scp?: string;
  idtyp: string;
  upn?: string;
  iat: number;
  nbf: number;
  exp: number;
}

/** The environment a user's shell would give: no trust of the simulator, no certificate check turned off. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'NODE_TLS_REJECT_UNAUTHORIZED', 'DAP_SIM_TLS_DIR', 'NODE_OPTIONS']) delete env[name];
  return env;
}

/** `dap-sim run --config scenario --stats file -- <command>`: the command's JSON and the simulator's stats. */
async function underSim<T>(command: string[]): Promise<{ result: T; stats: SimulatorStats; exitCode: number; stderr: string }> {
  const stats = join(tempDir(), 'stats.json');
  const run = await execa('node', [join(projectRoot, 'bin', 'dap-sim.js'), 'run', '--config', scenarioFile, '--stats', stats, '--', ...command], {
    env: plainEnv(),
    extendEnv: false,
    reject: false,
    cwd: projectRoot,
  });
  const lastLine = run.stdout.trim().split('\n').at(-1) ?? '';
  return {
    result: (lastLine.startsWith('{') ? JSON.parse(lastLine) : undefined) as T,
    stats: JSON.parse(readFileSync(stats, 'utf8')) as SimulatorStats,
    exitCode: run.exitCode ?? -1,
    stderr: run.stderr,
  };
}

const script = (name: string, ...args: string[]) => ['node', join(fixtures, name), ...args];

describe('MSAL ConfidentialClientApplication against the login host', () => {
  it('tokens by secret, by certificate (x5t/RS256 and x5t#S256/PS256), partner and customer, Graph and Exchange: JWTs signed by keys of the JWKS', async () => {
    type Tokens = { connection: string; tokens: Array<{ credential: string; tenant: string; scope: string; tokenType: string; claims: Claims }>; errors: unknown[] };
    const { result, stats, exitCode, stderr } = await underSim<Tokens>(script('msal-app-tokens.mjs', appPem, CUSTOMER));
    expect(exitCode, stderr).toBe(0);
    expect(result.connection).toBe('ok');
    expect(result.errors).toEqual([]);
    expect(result.tokens.map((t) => `${t.credential} ${t.tenant === PARTNER ? 'partner' : 'customer'} ${new URL(t.scope).host}`)).toEqual(
      ['secret', 'certificateSha1', 'certificateSha256'].flatMap((c) => ['partner', 'customer'].flatMap((t) => [`${c} ${t} graph.microsoft.com`, `${c} ${t} outlook.office365.com`])),
    );
    for (const { tenant, scope, tokenType, claims } of result.tokens) {
      const graph = scope.startsWith(GRAPH);
      // the script's jose check passed: issuer from the tenant's configuration, signature by its jwks_uri
      expect(claims.header).toEqual({ alg: 'RS256', kid: true });
      expect(tokenType).toBe('Bearer');
      expect(claims).toMatchObject({ aud: graph ? GRAPH : EXO, tid: tenant, appid: DEFAULT_APP_ID, idtyp: 'app', roles: graph ? GRAPH_ROLES : ['Exchange.ManageAsApp'] });
      expect(claims.iss).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:\\d+/${tenant}/v2\\.0$`));
      expect(claims.scp).toBeUndefined();
      expect(claims.exp - claims.iat).toBe(3600);
    }
    expect(stats.graph).toMatchObject({ tokensIssued: 12, tokenFailures: 0 });
  });

  it('trusts the simulator only through the CA dap-sim run hands it: without NODE_EXTRA_CA_CERTS the same script cannot connect', async () => {
    const { result, exitCode, stderr, stats } = await underSim<{ connection: string; tokens: unknown[]; errors: Array<{ error: string }> }>([
      'env',
      '-u',
      'NODE_EXTRA_CA_CERTS',
      ...script('msal-app-tokens.mjs', appPem, CUSTOMER),
    ]);
    expect(exitCode, stderr).toBe(0); // the script reports each failure as data
    expect(result.tokens).toEqual([]);
    expect(result.errors).toHaveLength(12);
    // Node refuses the simulator's certificate; MSAL, reading the tenant's configuration, says only that
    expect(result.connection).toMatch(/^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/);
    for (const { error } of result.errors) expect(error).toBe('endpoints_resolution_error');
    expect(stats.graph.tokensIssued).toBe(0);
  });
});

describe('MSAL PublicClientApplication: a partner admin by device code, then a customer tenant silently', () => {
  it('signs in at /organizations after the pending poll, then redeems the refresh token at the customer for Graph and Exchange', async () => {
    type DeviceCode = {
      message: string;
      account: { username: string; tenantId: string; homeAccountId: string };
      signIn: { tenantId: string; hasIdToken: boolean; claims: Claims };
      silent: Array<{ scope: string; tenantId: string; fromCache: boolean; claims: Claims }>;
      againFromCache: boolean;
      cacheRefreshTokens: number;
    };
    const { result, stats, exitCode, stderr } = await underSim<DeviceCode>(script('msal-device-code.mjs', CUSTOMER));
    expect(exitCode, stderr).toBe(0);
    expect(result.message).toMatch(/^To sign in, use a web browser to open the page https:\/\/microsoft\.com\/devicelogin and enter the code [A-Z0-9]{9} to authenticate\.$/);
    expect(result.account).toMatchObject({ username: 'admin@contoso.onmicrosoft.com', tenantId: PARTNER });
    expect(result.account.homeAccountId).toMatch(new RegExp(`\\.${PARTNER}$`));
    expect(result.signIn).toMatchObject({ tenantId: PARTNER, hasIdToken: true });
    expect(result.signIn.claims).toMatchObject({ aud: GRAPH, tid: PARTNER, idtyp: 'user', upn: 'admin@contoso.onmicrosoft.com', scp: GRAPH_SCOPES.join(' ') });
    expect(result.silent.map((s) => [new URL(s.scope).host, s.tenantId, s.fromCache, s.claims.tid, s.claims.aud, s.claims.idtyp])).toEqual([
      ['graph.microsoft.com', CUSTOMER, false, CUSTOMER, GRAPH, 'user'],
      ['outlook.office365.com', CUSTOMER, false, CUSTOMER, EXO, 'user'],
    ]);
    expect(result.silent[1]!.claims.scp).toBe('Exchange.Manage');
    expect(result.againFromCache).toBe(true);
    // one refresh token per account and host: each rotation replaced the one before
    expect(result.cacheRefreshTokens).toBe(1);
    // the device code grant (one pending poll, then approved) and the two refresh grants
    expect(stats.graph).toMatchObject({ tokensIssued: 3, tokenFailures: 1 });
  });
});

describe('the Graph SDK (Client.init with MSAL tokens)', () => {
  type GraphRun = {
    graphBase: string;
    relationships: { items: Array<{ tenantId: string; status: string }>; firstPageSize: number; nextLinks: string[]; complete: boolean };
    contracts: { items: Array<{ customerId: string; defaultDomainName: string }>; firstPageSize: number; nextLinks: string[]; complete: boolean };
    report: { header: string; rows: number };
    batch: { sentUrls: string[]; organizationId: string; domains: string[]; reportSettings: boolean; statuses: Record<string, number> };
  };

  it('PageIterator over relationships and contracts, a report through the 302 (no token to the download host), a $batch', async () => {
    const { result, stats, exitCode, stderr } = await underSim<GraphRun>(script('graph-sdk.mjs', CUSTOMER, '3'));
    expect(exitCode, stderr).toBe(0);
    const tenants = 2 + 5; // the scenario's two and tenantCount
    for (const [name, collection] of [
      ['delegatedAdminRelationships', result.relationships],
      ['contracts', result.contracts],
    ] as const) {
      expect(collection.firstPageSize).toBe(3);
      expect(collection.items).toHaveLength(tenants);
      expect(collection.complete).toBe(true);
      // every link absolute https on the Graph host: the SDK sends its token with each page
      expect(collection.nextLinks).toHaveLength(2);
      for (const link of collection.nextLinks) expect(link.startsWith(`${result.graphBase}/v1.0/`) && link.includes(name)).toBe(true);
    }
    expect(new Set(result.relationships.items.map((r) => r.tenantId)).size).toBe(tenants);
    expect(result.relationships.items[0]).toMatchObject({ tenantId: CUSTOMER, status: 'active' });
    expect(result.contracts.items.map((c) => c.customerId)).toEqual(result.relationships.items.map((r) => r.tenantId));
    expect(stats.graph.relationshipPages).toBe(3);

    expect(result.report.header).toMatch(/^Report Refresh Date,User Principal Name,Display Name,/);
    expect(result.report.rows).toBe(customer.mailboxes);
    expect(stats.graph).toMatchObject({ reportRequests: 1, downloads: 1, downloadsWithAuthorization: 0 });
    expect(stats.graph.requestsPerTenant).toEqual({ [CUSTOMER]: { getMailboxUsageDetail: 1 } });

    // the SDK strips scheme and host from each request's URL; the batch is answered per request
    expect(result.batch.sentUrls).toEqual(['/organization', '/domains', '/admin/reportSettings', '/tenantRelationships/delegatedAdminRelationships']);
    expect(result.batch.statuses).toEqual({ 1: 200, 2: 200, 3: 200, 4: 403 }); // relationships need the partner's token
    expect(result.batch.organizationId).toBe(CUSTOMER);
    expect(result.batch.domains).toContain(customer.initialDomain);
    expect(result.batch.reportSettings).toBe(false);
    expect(stats.graph).toMatchObject({ batches: 1, batchedRequests: 4, tokensIssued: 2, tokenFailures: 0 });
  });
});

describe('the Exchange admin API with an MSAL token and plain fetch (as CIPP calls it)', () => {
  it('InvokeCommand Get-Mailbox page by page, POSTing the same body to each @odata.nextLink', async () => {
    type ExoRun = { exoBase: string; pages: Array<{ status: number; count: number; nextLinkOrigin: string | null }>; mailboxes: string[] };
    const { result, stats, exitCode, stderr } = await underSim<ExoRun>(script('exo-invoke.mjs', CUSTOMER, customer.initialDomain, '10'));
    expect(exitCode, stderr).toBe(0);
    expect(result.pages).toEqual([
      { status: 200, count: 10, nextLinkOrigin: result.exoBase },
      { status: 200, count: 10, nextLinkOrigin: result.exoBase },
      { status: 200, count: 3, nextLinkOrigin: null },
    ]);
    expect(new Set(result.mailboxes).size).toBe(customer.mailboxes);
    expect(stats.exo).toMatchObject({ requests: 3, pages: 3, refused: 0, throttled: 0, serverErrors: 0 });
    expect(stats.graph.tokensIssued).toBe(1);
  });
});
