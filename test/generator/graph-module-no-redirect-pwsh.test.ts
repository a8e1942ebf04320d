/**
 * The generated token and customer-list requests follow no redirect: the token request carries the
 * app's secret in its body (a 307 would send it on), and the customer list takes a redirect
 * target's answer as the partner's customers. Real pwsh, the committed module, and an HTTPS stand-in
 * on 127.0.0.1 (trusted through SSL_CERT_FILE) that answers both with a redirect: the target is never requested, each call fails
 * with its error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleDir } from '../../common/project-paths.js';
import { startHttpsServer, type TestHttpsServer } from '../helpers/https-server.js';
import { runPwshScript } from '../helpers/powershell.js';

const manifest = join(moduleDir, 'DapReporting', 'DapReporting.psd1');
const tenant = '6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b';
const app = '0b8f3c2d-1e4a-4b6c-9d7e-2f1a3b4c5d6e';

describe('Get-DapGraphToken and Get-DapGraphCustomer answered with a redirect (full pwsh)', () => {
  let server: TestHttpsServer | undefined;
  const seen: Array<{ method: string; path: string }> = [];
  let answers: { token: string[]; customers: string[] } = { token: [], customers: [] };

  beforeAll(async () => {
    server = await startHttpsServer((req: IncomingMessage, res: ServerResponse) => {
      const path = decodeURIComponent(req.url ?? '');
      seen.push({ method: req.method ?? '', path });
      if (path.includes('/oauth2/v2.0/token')) {
        res.writeHead(307, { location: '/login/elsewhere', 'content-length': '0' });
      } else if (path.includes('/delegatedAdminRelationships')) {
        res.writeHead(302, { location: '/graph/elsewhere', 'content-length': '0' });
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(path.startsWith('/login/') ? '{"access_token":"stolen","expires_in":3600}' : '{"value":[]}');
        return;
      }
      res.end();
    });
    const origin = server.url;
    // Data crosses in the environment; the script is the test's own text.
    const result = await runPwshScript(
      [
        'Import-Module -Name $env:DAP_TEST_MANIFEST',
        '$secret = ConvertTo-SecureString -String "app-secret" -AsPlainText -Force',
        '$answers = [ordered]@{ token = @(); customers = @() }',
        'try { $null = Get-DapGraphToken -TenantId $env:DAP_TEST_TENANT -ClientId $env:DAP_TEST_APP -ClientSecret $secret -LoginUri ($env:DAP_TEST_ORIGIN + "/login") -ErrorAction Stop; $answers.token = @("no error") }',
        'catch { $answers.token = @($_.FullyQualifiedErrorId) }',
        'try { $null = Get-DapGraphCustomer -AccessToken $secret -GraphUri ($env:DAP_TEST_ORIGIN + "/graph") -ErrorAction Stop; $answers.customers = @("no error") }',
        'catch { $answers.customers = @($_.FullyQualifiedErrorId) }',
        'ConvertTo-Json -InputObject $answers -Compress',
      ].join('\n'),
      { DAP_TEST_MANIFEST: manifest, DAP_TEST_TENANT: tenant, DAP_TEST_APP: app, DAP_TEST_ORIGIN: origin, ...server.env },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    answers = JSON.parse(result.stdout) as typeof answers;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('the token request (the secret in its body) is not sent on: the redirect target is never asked, the sign-in fails', () => {
    expect(seen.filter((s) => s.path.startsWith('/login/')).map((s) => `${s.method} ${s.path}`)).toEqual([`POST /login/${tenant}/oauth2/v2.0/token`]);
    expect(answers.token).toHaveLength(1);
    expect(answers.token[0]).toMatch(/^Dap\.\w+,Get-DapGraphToken$/);
  });

  it('the customer list does not take a redirect target as the partner\'s customers: a terminating Dap.RemoteError', () => {
    expect(seen.filter((s) => s.path.startsWith('/graph/')).map((s) => s.path.replace(/\?.*$/, ''))).toEqual(['/graph/v1.0/tenantRelationships/delegatedAdminRelationships']);
    expect(answers.customers).toEqual(['Dap.RemoteError,Get-DapGraphCustomer']);
  });
});
