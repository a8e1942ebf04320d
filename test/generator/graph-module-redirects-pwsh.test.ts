/**
 * The generated Graph report function follows the download's redirects by hand, end to end: real
 * pwsh, the committed module, and an HTTPS Graph stand-in on 127.0.0.1 (trusted through SSL_CERT_FILE,
 * as dap-sim run makes pwsh trust the simulator) whose report answers with a chain
 * of redirects (the simulator sends one). Each hop is judged by the module's one URL rule, the token
 * goes with the first request only, the hops are bounded; a refused hop is never requested.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REDIRECTS } from '../../common/http-limits.js';
import { moduleDir } from '../../common/project-paths.js';
import { startHttpsServer, type TestHttpsServer } from '../helpers/https-server.js';
import { runPwshScript } from '../helpers/powershell.js';

const manifest = join(moduleDir, 'DapReporting', 'DapReporting.psd1');
const tenant = '6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b';
const csv = '\uFEFFReport Refresh Date,User Principal Name,Storage Used (Byte)\r\n2025-06-01,a@contoso.com,1024\r\n';

interface Seen {
  path: string;
  authorization: string | undefined;
}

/**
 * A Graph stand-in: under /<scenario>, the report answers 302 to hop/1, whose Location is the
 * scenario's second hop; /<scenario>/report.csv is the CSV.
 */
function secondHop(scenario: string, origin: string): string {
  const port = new URL(origin).port;
  switch (scenario) {
    case 'allowed':
      return `${origin}/allowed/report.csv`;
    case 'userinfo':
      return `https://user:pass@127.0.0.1:${port}/userinfo/report.csv`;
    case 'plain-http':
      return 'http://download.example.invalid/plain-http/report.csv';
    case 'loopback-http':
      return `http://127.0.0.1:${port}/loopback-http/report.csv`;
    default:
      return 'hop/1';
  }
}

describe('Get-DapMailboxUsageDetail: a download redirected twice (full pwsh)', () => {
  let server: TestHttpsServer | undefined;
  let origin = '';
  const seen: Seen[] = [];
  let answers: Record<string, { rows: number; upn: string | null; errors: string[]; messages: string[] }> = {};

  beforeAll(async () => {
    server = await startHttpsServer((req: IncomingMessage, res: ServerResponse) => {
      const path = decodeURIComponent(req.url ?? '');
      seen.push({ path, authorization: req.headers.authorization });
      const [, scenario = ''] = path.split('/');
      if (path.endsWith('/report.csv')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(csv);
      } else if (path.includes('/v1.0/reports/')) {
        res.writeHead(302, { location: `${origin}/${scenario}/hop/1`, 'content-length': '0' });
        res.end();
      } else if (path.includes('/hop/')) {
        res.writeHead(302, { location: secondHop(scenario, origin), 'content-length': '0' });
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    origin = server.url;
    // Data crosses as JSON in the environment; the script is the test's own text.
    const result = await runPwshScript(
      [
        '$ErrorActionPreference = "Stop"',
        'Import-Module -Name $env:DAP_TEST_MANIFEST',
        '$token = ConvertTo-SecureString -String "tok-e2e" -AsPlainText -Force',
        '$answers = [ordered]@{}',
        'foreach ($scenario in @(ConvertFrom-Json -InputObject $env:DAP_TEST_SCENARIOS)) {',
        '    $failed = $null',
        '    $rows = @(Get-DapMailboxUsageDetail -TenantId $env:DAP_TEST_TENANT -AccessToken $token -Period D7 -GraphUri ($env:DAP_TEST_ORIGIN + "/" + $scenario) -ErrorAction SilentlyContinue -ErrorVariable failed)',
        '    $answers[$scenario] = [ordered]@{',
        '        rows     = $rows.Count',
        '        upn      = if ($rows.Count -gt 0) { $rows[0].UserPrincipalName } else { $null }',
        '        errors   = @($failed | ForEach-Object -Process { $_.FullyQualifiedErrorId })',
        '        messages = @($failed | ForEach-Object -Process { $_.Exception.Message })',
        '    }',
        '}',
        'ConvertTo-Json -InputObject $answers -Depth 4 -Compress',
      ].join('\n'),
      {
        DAP_TEST_MANIFEST: manifest,
        DAP_TEST_TENANT: tenant,
        DAP_TEST_ORIGIN: origin,
        DAP_TEST_SCENARIOS: JSON.stringify(['allowed', 'userinfo', 'plain-http', 'loopback-http', 'loop']),
        ...server.env,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    answers = JSON.parse(result.stdout) as typeof answers;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  const requests = (scenario: string) => seen.filter((s) => s.path.startsWith(`/${scenario}/`));

  it('an allowed chain (a relative Location, then an absolute one) gives the rows; the token went with the first request only', () => {
    expect(answers.allowed).toEqual({ rows: 1, upn: 'a@contoso.com', errors: [], messages: [] });
    expect(requests('allowed').map((s) => [s.path.replace(/\(.*$/, '()'), s.authorization ?? '-'])).toEqual([
      ['/allowed/v1.0/reports/getMailboxUsageDetail()', 'Bearer tok-e2e'],
      ['/allowed/hop/1', '-'],
      ['/allowed/report.csv', '-'],
    ]);
  });

  it('a second hop carrying a user name and password is refused and never requested: one RemoteError naming hop 2, no rows', () => {
    expect(answers.userinfo).toEqual({
      rows: 0,
      upn: null,
      errors: ['Dap.RemoteError,Invoke-DapGraphReport'],
      messages: [`getMailboxUsageDetail failed for tenant ${tenant}: the report download failed: redirect 2 refused: the URL carries a user name or password`],
    });
    expect(requests('userinfo').map((s) => s.path.replace(/\(.*$/, '()'))).toEqual(['/userinfo/v1.0/reports/getMailboxUsageDetail()', '/userinfo/hop/1']);
  });

  it('a second hop to plain http on a public host is refused: one RemoteError naming hop 2', () => {
    expect(answers['plain-http']?.errors).toEqual(['Dap.RemoteError,Invoke-DapGraphReport']);
    expect(answers['plain-http']?.messages).toEqual([
      `getMailboxUsageDetail failed for tenant ${tenant}: the report download failed: redirect 2 refused: plain http (not https)`,
    ]);
    expect(requests('plain-http')).toHaveLength(2);
  });

  it('a second hop to plain http on this machine is refused too, and never requested', () => {
    expect(answers['loopback-http']?.messages).toEqual([`getMailboxUsageDetail failed for tenant ${tenant}: the report download failed: redirect 2 refused: plain http (not https)`]);
    expect(requests('loopback-http')).toHaveLength(2);
  });

  it(`a redirect loop ends after ${MAX_REDIRECTS} redirects`, () => {
    expect(answers.loop?.messages).toEqual([`getMailboxUsageDetail failed for tenant ${tenant}: the report download failed: more than ${MAX_REDIRECTS} redirects`]);
    expect(requests('loop')).toHaveLength(MAX_REDIRECTS + 1);
  });
});
