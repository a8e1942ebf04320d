/**
 * The module's token requests (Invoke-DapTokenRequest, shared by Get-DapGraphToken and
 * Get-DapExoToken, generator/templates/Private/) and dap-report's (MSAL, runtime/backends/app/auth)
 * ask the login host the same: the tenant in the path, grant_type, client_id, scope, and either the
 * secret or a client assertion with the same claims (aud = that token URL, iss = sub = the client
 * id, jti, nbf, iat, exp within 10 minutes) signed by the same certificate (the module RS256 with the
 * SHA-1 x5t, MSAL PS256 with the SHA-256 x5t#S256; the service takes both). The service's refusals
 * fall in the same categories (the runtime's ConsentMissing and Throttled are finer kinds of the
 * module's AccessDenied and RemoteError). Both are captured at one loopback login host.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleDir, projectRoot } from '../../common/project-paths.js';
import { parseCertificatePem } from '../../runtime/backends/app/auth/certificate.js';
import { MsalApp } from '../../runtime/backends/app/auth/msal-app.js';
import { EXCHANGE_SCOPE, GRAPH_SCOPE } from '../../runtime/backends/app/auth/scopes.js';
import { GraphCallError } from '../../runtime/backends/app/http/graph-error.js';
import { runPwshScript } from '../helpers/powershell.js';

const manifest = join(moduleDir, 'DapReporting', 'DapReporting.psd1');
const pemPath = join(projectRoot, 'simulator', 'scenarios', 'simulator-app.pem');
const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(readFileSync(pemPath, 'utf8'))![0];
const APP = '6f0c4b8e-2d1a-4c57-9e3b-5a7d8c9f0b12';
const SECRET = 'Contract-Secret~1';
const OK = '00000000-0000-4000-8000-0000000000a1';
const aad = (status: number, error: string, code: number, text: string) => ({ status, body: { error, error_description: `AADSTS${code}: ${text} Trace ID: 0 Correlation ID: 0 Timestamp: 2026-01-01 00:00:00Z`, error_codes: [code] } });
/** A tenant per refusal, each answered so by the login host, with the category each side files it under. */
const refusals = [
  { tenant: '00000000-0000-4000-8000-0000000000b1', answer: aad(400, 'invalid_client', 65001, 'The user or administrator has not consented to use the application.'), module: 'AccessDenied', runtime: 'ConsentMissing' },
  { tenant: '00000000-0000-4000-8000-0000000000b2', answer: aad(400, 'unauthorized_client', 700016, "Application with identifier 'x' was not found in the directory 'y'."), module: 'AccessDenied', runtime: 'AccessDenied' },
  { tenant: '00000000-0000-4000-8000-0000000000b3', answer: aad(401, 'invalid_client', 7000215, 'Invalid client secret provided.'), module: 'AuthenticationFailed', runtime: 'AuthenticationFailed' },
  { tenant: '00000000-0000-4000-8000-0000000000b4', answer: aad(401, 'invalid_client', 700027, 'Client assertion contains an invalid signature.'), module: 'AuthenticationFailed', runtime: 'AuthenticationFailed' },
  { tenant: '00000000-0000-4000-8000-0000000000b5', answer: aad(503, 'temporarily_unavailable', 90033, 'A transient error has occurred.'), module: 'RemoteError', runtime: 'RemoteError' },
  { tenant: '00000000-0000-4000-8000-0000000000b6', answer: aad(429, 'temporarily_unavailable', 50196, 'The server terminated an operation because it encountered a client request loop.'), module: 'RemoteError', runtime: 'Throttled' },
] as const;

interface Captured {
  tenant: string;
  form: Record<string, string>;
}

let server: Server;
let base = '';
const captured: Captured[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const tenant = new URL(req.url ?? '/', 'http://x').pathname.split('/')[1] ?? '';
      captured.push({ tenant, form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) });
      const refusal = refusals.find((r) => r.tenant === tenant);
      const { status, body } = refusal ? refusal.answer : { status: 200, body: { token_type: 'Bearer', expires_in: 3599, access_token: `AT-${captured.length}` } };
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

/** The module's answers: per credential, scope and tenant, the category or 'token'. */
async function moduleRequests(tenants: string[]): Promise<Array<{ credential: string; scope: string; tenant: string; outcome: string }>> {
  const result = await runPwshScript(
    [
      '$ErrorActionPreference = "Stop"',
      '$module = Import-Module -Name $env:DAP_TEST_MANIFEST -PassThru',
      '$secret = ConvertTo-SecureString -String $env:DAP_TEST_SECRET -AsPlainText -Force',
      '$certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile($env:DAP_TEST_PEM)',
      '$tenants = @(ConvertFrom-Json -InputObject $env:DAP_TEST_TENANTS)',
      '$answers = & $module {',
      '    param($Tenants, $Secret, $Certificate)',
      '    foreach ($credential in @(@{ ClientSecret = $Secret }, @{ Certificate = $Certificate })) {',
      '        foreach ($scope in @($env:DAP_TEST_GRAPH, $env:DAP_TEST_EXO)) {',
      '            foreach ($tenant in $Tenants) {',
      '                $answer = Invoke-DapTokenRequest -TenantId $tenant -ClientId $env:DAP_TEST_APP -LoginUri $env:DAP_TEST_LOGIN -Scope $scope @credential',
      '                [pscustomobject]@{ credential = @($credential.Keys)[0]; scope = $scope; tenant = $tenant; outcome = $(if ($answer.Token) { "token" } else { $answer.Category }) }',
      '            }',
      '        }',
      '    }',
      '} $tenants $secret $certificate',
      'ConvertTo-Json -InputObject @($answers) -Depth 3 -Compress',
    ].join('\n'),
    {
      DAP_TEST_MANIFEST: manifest,
      DAP_TEST_SECRET: SECRET,
      DAP_TEST_PEM: pemPath,
      DAP_TEST_TENANTS: JSON.stringify(tenants),
      DAP_TEST_APP: APP,
      DAP_TEST_LOGIN: base,
      DAP_TEST_GRAPH: GRAPH_SCOPE,
      DAP_TEST_EXO: EXCHANGE_SCOPE,
    },
  );
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout) as Array<{ credential: string; scope: string; tenant: string; outcome: string }>;
}

/** dap-report's answers for the same, through MSAL (an https authority mapped onto the loopback host). */
async function runtimeRequests(tenants: string[]): Promise<Array<{ credential: string; scope: string; tenant: string; outcome: string }>> {
  const alias = 'https://login.contract.test';
  const fetch = (url: string, init?: RequestInit) => globalThis.fetch(url.startsWith(alias) ? `${base}${url.slice(alias.length)}` : url, init);
  const answers: Array<{ credential: string; scope: string; tenant: string; outcome: string }> = [];
  for (const [credential, app] of [
    ['ClientSecret', new MsalApp({ loginBase: alias, credential: { clientId: APP, clientSecret: SECRET }, fetch, delegated: false })],
    ['Certificate', new MsalApp({ loginBase: alias, credential: { clientId: APP, certificate: parseCertificatePem(readFileSync(pemPath, 'utf8')) }, fetch, delegated: false })],
  ] as const) {
    for (const scope of [GRAPH_SCOPE, EXCHANGE_SCOPE]) {
      for (const tenant of tenants) {
        const outcome = await app.token(tenant, scope, 'customer').then(
          () => 'token',
          (error: unknown) => (error instanceof GraphCallError ? error.category : String(error)),
        );
        answers.push({ credential, scope, tenant, outcome });
      }
    }
  }
  return answers;
}

const part = (text: string) => JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('token requests: the module asks as dap-report does', () => {
  const tenants = [OK, ...refusals.map((r) => r.tenant)];
  let module: Captured[] = [];
  let runtime: Captured[] = [];
  let moduleAnswers: Awaited<ReturnType<typeof moduleRequests>> = [];
  let runtimeAnswers: Awaited<ReturnType<typeof runtimeRequests>> = [];

  beforeAll(async () => {
    moduleAnswers = await moduleRequests(tenants);
    module = captured.splice(0);
    runtimeAnswers = await runtimeRequests(tenants);
    runtime = captured.splice(0);
  }, 120_000);

  it('the same requests in the same order: tenant, grant_type, client_id, scope, how the client proves itself', () => {
    const shape = (c: Captured) => ({
      tenant: c.tenant,
      grant_type: c.form.grant_type,
      client_id: c.form.client_id,
      scope: c.form.scope,
      client_secret: c.form.client_secret ?? null,
      client_assertion_type: c.form.client_assertion_type ?? null,
    });
    expect(module).toHaveLength(tenants.length * 4);
    expect(runtime.map(shape)).toEqual(module.map(shape));
    expect(new Set(module.map((c) => c.form.grant_type))).toEqual(new Set(['client_credentials']));
  });

  it('client assertions with the same claims, each signed by the same certificate', () => {
    const cert = new X509Certificate(certPem);
    const assertions = (list: Captured[]) => list.filter((c) => c.form.client_assertion).map((c) => ({ tenant: c.tenant, jwt: c.form.client_assertion!.split('.') as [string, string, string] }));
    const [ours, msal] = [assertions(module), assertions(runtime)];
    expect(ours).toHaveLength(tenants.length * 2);
    expect(msal.map((a) => a.tenant)).toEqual(ours.map((a) => a.tenant));
    for (const [i, a] of ours.entries()) {
      const b = msal[i]!;
      const [claimsA, claimsB] = [part(a.jwt[1]), part(b.jwt[1])];
      expect(Object.keys(claimsB).sort()).toEqual(Object.keys(claimsA).sort());
      expect(new URL(String(claimsA.aud)).pathname).toBe(`/${a.tenant}/oauth2/v2.0/token`);
      expect(new URL(String(claimsB.aud)).pathname).toBe(`/${b.tenant}/oauth2/v2.0/token`);
      for (const claims of [claimsA, claimsB]) {
        expect(claims).toMatchObject({ iss: APP, sub: APP });
        expect(Number(claims.exp) - Number(claims.nbf)).toBeLessThanOrEqual(600);
      }
      expect(part(a.jwt[0])).toMatchObject({ alg: 'RS256', x5t: createHash('sha1').update(cert.raw).digest('base64url') });
      expect(part(b.jwt[0])).toMatchObject({ alg: 'PS256', 'x5t#S256': createHash('sha256').update(cert.raw).digest('base64url') });
    }
  });

  it('the service’s refusals land in the same categories', () => {
    const expected = (tenant: string, side: 'module' | 'runtime') => refusals.find((r) => r.tenant === tenant)?.[side] ?? 'token';
    expect(moduleAnswers.map((a) => a.outcome)).toEqual(moduleAnswers.map((a) => expected(a.tenant, 'module')));
    expect(runtimeAnswers.map((a) => a.outcome)).toEqual(runtimeAnswers.map((a) => expected(a.tenant, 'runtime')));
  });
});
