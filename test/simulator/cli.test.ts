import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { createTransport } from '../../runtime/platform/http/transport.js';
import { createProgram, writeStats } from '../../simulator/cli.js';
import { buildWorld, emptyExoStats, emptyGraphStats, loadScenario, standInModulesDir } from '../../simulator/index.js';

const bin = join(projectRoot, 'bin', 'dap-sim.js');
const dir = mkdtempSync(join(tmpdir(), 'dap-sim-cli-'));

beforeAll(() => {
  // The bin shim runs the built dist/, built before any test file by test/helpers/build-dist.ts.
  expect(existsSync(join(projectRoot, 'dist', 'simulator', 'cli.js'))).toBe(true);
});

const dapSim = (args: string[]) => execa(process.execPath, [bin, ...args], { cwd: projectRoot, reject: false, env: { DAP_PASSWORD: '' } });

describe('dap-sim run', () => {
  it('passes DAP_SIM_URL, PSModulePath and DAP_PASSWORD to the command, propagates its exit code and writes the stats', async () => {
    const stats = join(dir, 'stats.json');
    const child =
      "const e = process.env; const read = (f) => require('fs').readFileSync(f, 'utf8'); console.log(JSON.stringify({ url: e.DAP_SIM_URL, path: e.PSModulePath, password: e.DAP_PASSWORD, " +
      'graph: e.DAP_GRAPH_URL, login: e.DAP_LOGIN_URL, clientId: e.DAP_GRAPH_CLIENT_ID, secret: e.DAP_GRAPH_CLIENT_SECRET, partner: e.DAP_GRAPH_TENANT_ID, exo: e.DAP_EXO_URL, ' +
      "caFile: e.DAP_SIM_CA_FILE, ca: read(e.DAP_SIM_CA_FILE), nodeCaEnds: read(e.NODE_EXTRA_CA_CERTS).endsWith(read(e.DAP_SIM_CA_FILE)), " +
      'bundleEnds: read(e.SSL_CERT_FILE).endsWith(read(e.DAP_SIM_CA_FILE)), bundleCerts: read(e.SSL_CERT_FILE).split("BEGIN CERTIFICATE").length - 1 })); process.exitCode = 7;';
    const result = await dapSim(['run', '--stats', stats, '--', process.execPath, '-e', child]);
    expect(result.exitCode).toBe(7);
    const seen = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(seen.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(seen.path.split(delimiter)[0]).toBe(standInModulesDir);
    expect(seen.password).toBe('Simulated-Pa55word!');
    // the real-service hosts are https, each on a port of its own
    for (const base of [seen.graph, seen.login, seen.exo]) expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set([seen.graph, seen.login, seen.exo]).size).toBe(3);
    expect(seen.ca).toMatch(/-----BEGIN CERTIFICATE-----/);
    // what Node adds to its roots: the CA (after any NODE_EXTRA_CA_CERTS of the caller's own)
    expect(seen.nodeCaEnds).toBe(true);
    // the bundle pwsh (.NET, OpenSSL) reads: the machine's roots and the simulator's CA
    expect(seen.bundleEnds).toBe(true);
    expect(seen.bundleCerts).toBeGreaterThan(10);
    // removed when the simulator stops
    expect(existsSync(seen.caFile)).toBe(false);
    expect(seen.clientId).toBe('6f0c4b8e-2d1a-4c57-9e3b-5a7d8c9f0b12');
    expect(seen.secret).toBe('Simulated-Graph-Secret~0');
    expect(seen.partner).toMatch(/^[0-9a-f-]{36}$/);
    const written = JSON.parse(readFileSync(stats, 'utf8'));
    expect(Object.keys(written)).toEqual(['accounts', 'tenants', 'graph', 'exo']);
    expect(Object.keys(written.accounts['admin@contoso.onmicrosoft.com'])).toEqual([
      'signIns', 'failedSignIns', 'sessionsOpened', 'openSessions', 'openSessionsAtEnd', 'maxConcurrentSessions', 'sessionLimitRejections',
    ]);
    expect(Object.keys(written.tenants)).toHaveLength(25);
  });

  it('counts what the command did, including a session it leaked', async () => {
    const stats = join(dir, 'leak.json');
    const child = `
      const url = process.env.DAP_SIM_URL;
      const contracts = async () => {
        const signIn = await (await fetch(url + '/msol/signin', { method: 'POST', body: JSON.stringify({ userName: 'admin@contoso.onmicrosoft.com', password: process.env.DAP_PASSWORD }) })).json();
        const c = await (await fetch(url + '/msol/contracts?all=true', { headers: { authorization: 'Bearer ' + signIn.token } })).json();
        const domain = c.contracts[0].DefaultDomainName;
        const d = await (await fetch(url + '/msol/domains?tenantId=' + c.contracts[0].TenantId, { headers: { authorization: 'Bearer ' + signIn.token } })).json();
        const initial = d.domains.find((x) => x.IsInitial).Name;
        await fetch(url + '/exchange/sessions', { method: 'POST', body: JSON.stringify({ userName: 'admin@contoso.onmicrosoft.com', password: process.env.DAP_PASSWORD, connectionUri: 'https://ps.outlook.com/powershell-liveid?DelegatedOrg=' + initial }) });
      };
      contracts().then(() => process.exit(0), (e) => { console.error(e); process.exit(5); });`;
    const result = await dapSim(['run', '--stats', stats, '--', process.execPath, '-e', child]);
    expect(result.exitCode).toBe(0);
    const written = JSON.parse(readFileSync(stats, 'utf8'));
    expect(written.accounts['admin@contoso.onmicrosoft.com']).toMatchObject({ signIns: 1, sessionsOpened: 1, openSessionsAtEnd: 1, maxConcurrentSessions: 1 });
  });

  it('exits 2 with the field named for a bad scenario, without running the command', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ faults: [{ type: 'meteorStrike', tenants: ['x'] }] }));
    const marker = join(dir, 'ran');
    const result = await dapSim(['run', '--config', bad, '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('faults.0.type');
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    ['a bad graph field', { graph: { rateLimit: { requests: -1 } } }, 'graph.rateLimit.requests'],
    ['an unknown Graph fault field', { tenantCount: 1, faults: [{ type: 'notConsented', rate: 1, retryAfter: 2 }] }, "'retryAfter'"],
  ])('exits 2 for %s, without running the command', async (_name, scenario, field) => {
    const bad = join(dir, `bad-graph-${field.replace(/\W/g, '')}.json`);
    writeFileSync(bad, JSON.stringify(scenario));
    const marker = join(dir, 'ran-graph');
    const result = await dapSim(['run', '--config', bad, '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(field);
    expect(existsSync(marker)).toBe(false);
  });

  it('a Node child reaches Graph over https with only the trust variables (its plain fetch, no option of its own), and follows https links', async () => {
    const stats = join(dir, 'graph-stats.json');
    const child = `
      const e = process.env;
      const form = (tenant) => new URLSearchParams({ client_id: e.DAP_GRAPH_CLIENT_ID, client_secret: e.DAP_GRAPH_CLIENT_SECRET, scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' });
      const token = async (tenant) => (await (await fetch(e.DAP_LOGIN_URL + '/' + tenant + '/oauth2/v2.0/token', { method: 'POST', body: form(tenant) })).json()).access_token;
      const main = async () => {
        const partner = await token(e.DAP_GRAPH_TENANT_ID);
        if (!e.DAP_GRAPH_URL.startsWith('https://')) throw new Error('not https: ' + e.DAP_GRAPH_URL);
        const rel = await (await fetch(e.DAP_GRAPH_URL + '/v1.0/tenantRelationships/delegatedAdminRelationships?$top=1', { headers: { authorization: 'Bearer ' + partner } })).json();
        if (!rel['@odata.nextLink'].startsWith(e.DAP_GRAPH_URL + '/')) throw new Error('nextLink not on the https Graph host: ' + rel['@odata.nextLink']);
        const page2 = await fetch(rel['@odata.nextLink'], { headers: { authorization: 'Bearer ' + partner } });
        if (page2.status !== 200) throw new Error('page 2: ' + page2.status);
        const customer = await token(rel.value[0].customer.tenantId);
        const report = await fetch(e.DAP_GRAPH_URL + "/v1.0/reports/getMailboxUsageDetail(period='D7')", { headers: { authorization: 'Bearer ' + customer }, redirect: 'manual' });
        const location = report.headers.get('location');
        if (!location.startsWith('https://127.0.0.1:') || location.startsWith(e.DAP_GRAPH_URL)) throw new Error('Location not on the https download host: ' + location);
        const response = await fetch(location);
        const csv = Buffer.from(await response.arrayBuffer()).toString('utf8');
        if (!csv.startsWith('\uFEFFReport Refresh Date,')) throw new Error('not the CSV: ' + response.status);
      };
      main().then(() => process.exit(0), (err) => { console.error(err); process.exit(5); });`;
    const result = await dapSim(['run', '--stats', stats, '--', process.execPath, '-e', child]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const written = JSON.parse(readFileSync(stats, 'utf8'));
    expect(written.graph).toMatchObject({ tokensIssued: 2, relationshipPages: 2, reportRequests: 1, downloads: 1, throttled: 0 });
    expect(JSON.stringify(written)).not.toContain('Simulated-Graph-Secret');
  });

  it('serves the Exchange cmdlets of every --catalog given to the command it runs', async () => {
    const catalog = join(projectRoot, 'test', 'fixtures', 'catalogs', 'own-reports.catalog.json');
    const second = join(dir, 'second.catalog.json');
    const own = JSON.parse(readFileSync(catalog, 'utf8'));
    writeFileSync(second, JSON.stringify({ ...own, reports: [{ ...own.reports[0], name: 'Other', sources: [{ kind: 'exchange', cmdlet: 'Get-Widget' }] }] }));
    const child = `
      const url = process.env.DAP_SIM_URL;
      fetch(url + '/exchange/sessions', { method: 'POST', body: JSON.stringify({ userName: 'admin@contoso.onmicrosoft.com', password: process.env.DAP_PASSWORD, connectionUri: 'https://ps.outlook.com/powershell-liveid?DelegatedOrg=' + process.argv[1] }) })
        .then((r) => r.json())
        .then((s) => { console.log(s.declaredCmdlets.map((c) => c.name).join(',')); return fetch(url + '/exchange/sessions/' + s.sessionId, { method: 'DELETE' }); })
        .then(() => process.exit(0), (e) => { console.error(e); process.exit(5); });`;
    const domain = buildWorld(loadScenario()).tenants[0]!.initialDomain;
    const result = await dapSim(['run', '--catalog', catalog, '--catalog', second, '--', process.execPath, '-e', child, domain]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe('Get-MobileDevice,Get-DistributionGroupMember,Get-DistributionGroup,Get-Widget');
  });

  it.each([
    ['a missing catalog file', 'absent.catalog.json', undefined, 'the file does not exist'],
    ['a catalog file that is not JSON', 'broken.catalog.json', '{ "reports": [', 'is not valid JSON'],
    ['a file that is not a catalog', 'shape.catalog.json', '{ "reports": [{ "name": "R" }] }', 'is not a report catalog'],
  ])('exits 2 for %s, without running the command', async (_what, file, content, text) => {
    const path = join(dir, file);
    if (content !== undefined) writeFileSync(path, content);
    const marker = join(dir, `${file}.ran`);
    const result = await dapSim(['run', '--catalog', path, '--', process.execPath, '-e', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, '')`]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(text);
    expect(existsSync(marker)).toBe(false);
  });

  it('exits 2 for a missing scenario file', async () => {
    const result = await dapSim(['run', '--config', join(dir, 'nope.json'), '--', process.execPath, '-e', '']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('does not exist');
  });
});

describe('createProgram', () => {
  it('reports a bad scenario as SCENARIO_INVALID with exit code 2', async () => {
    const bad = join(dir, 'negative.json');
    writeFileSync(bad, JSON.stringify({ latency: { sessionOpenMs: -1 } }));
    const program = createProgram().exitOverride().configureOutput({ writeErr: () => undefined });
    await expect(program.parseAsync(['node', 'dap-sim', 'run', '--config', bad, '--', 'node', '-e', ''])).rejects.toMatchObject({
      code: 'SCENARIO_INVALID',
      exitCode: 2,
    });
  });

  it('writes stats as stable JSON', () => {
    const file = join(dir, 'stable.json');
    writeStats(file, { accounts: {}, tenants: {}, graph: emptyGraphStats(), exo: emptyExoStats() });
    expect(readFileSync(file, 'utf8')).toBe(
      '{\n  "accounts": {},\n  "tenants": {},\n  "graph": {\n    "tokensIssued": 0,\n    "tokenFailures": 0,\n    "relationshipPages": 0,\n    "tenantLookups": 0,\n' +
        '    "reportRequests": 0,\n    "downloads": 0,\n    "downloadsWithAuthorization": 0,\n    "expiredDownloads": 0,\n    "throttled": 0,\n    "directoryReads": 0,\n    "batches": 0,\n    "batchedRequests": 0,\n    "requestsPerTenant": {},\n    "classesPerTenant": {}\n  },\n' +
        '  "exo": {\n    "requests": 0,\n    "batches": 0,\n    "pages": 0,\n    "throttled": 0,\n    "refused": 0,\n    "serverErrors": 0,\n    "maxConcurrent": 0,\n    "maxConcurrentPerTenant": {}\n  }\n}\n',
    );
  });
});

describe('dap-sim serve', () => {
  it('prints its address, its https hosts and CA file, answers, names the cmdlets of --catalog, and stops on SIGTERM', async () => {
    const catalog = join(projectRoot, 'test', 'fixtures', 'catalogs', 'own-reports.catalog.json');
    const child = execa(process.execPath, [bin, 'serve', '--port', '0', '--catalog', catalog], { cwd: projectRoot, reject: false });
    let printed = '';
    const lines = await new Promise<string[]>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        if (printed.includes('DAP_SIM_TLS_DIR=')) resolve(printed.trim().split('\n'));
      });
      child.once('exit', () => reject(new Error('serve exited early')));
    });
    const url = lines[0]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const printedEnv = Object.fromEntries(lines.slice(1).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    expect(Object.keys(printedEnv)).toEqual(['DAP_LOGIN_URL', 'DAP_GRAPH_URL', 'DAP_EXO_URL', 'DAP_SIM_CA_FILE', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'DAP_SIM_TLS_DIR']);
    for (const name of ['DAP_LOGIN_URL', 'DAP_GRAPH_URL', 'DAP_EXO_URL']) expect(printedEnv[name]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const caPem = readFileSync(printedEnv.DAP_SIM_CA_FILE!, 'utf8');
    // the Graph host answers over https to a client trusting that CA (and only that way)
    const graph = await createTransport({ extraCaPem: [caPem] })(`${printedEnv.DAP_GRAPH_URL}/v1.0/contracts`);
    expect(graph.status).toBe(401);
    await expect(fetch(`${printedEnv.DAP_GRAPH_URL}/v1.0/contracts`)).rejects.toThrow();
    expect((await fetch(`${url}/health`)).status).toBe(200);
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("dap-sim: serving the catalogs' cmdlets Get-MobileDevice, Get-DistributionGroupMember, Get-DistributionGroup with seeded rows");
  });
});
