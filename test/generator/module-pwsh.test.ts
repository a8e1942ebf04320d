import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../common/catalog.js';
import { moduleDir, projectRoot } from '../../common/project-paths.js';
import { psPropertyName } from '../../generator/identifiers.js';
import { runPwshFile } from '../helpers/powershell.js';
import { committedModuleWithScripts, generateFor, sampleDefinitions, writeToTemp } from './generator-fixtures.js';

const scripts = join(projectRoot, 'test', 'generator', 'pwsh-scripts');

async function facts(script: string, moduleRoot: string): Promise<string[]> {
  const result = await runPwshFile(join(scripts, script), [moduleRoot]);
  // these scripts catch binding errors on purpose: nothing may reach stderr, and they run to the end
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  const lines = result.stdout.split(/\r?\n/).filter(Boolean);
  expect(lines.at(-1)).toBe('DONE');
  return lines;
}

const field = (lines: string[], key: string): string => lines.find((l) => l.startsWith(`${key} `))?.slice(key.length + 1) ?? '';

describe.each([
  ['the committed module/ with its standalone scripts built', committedModuleWithScripts],
  ['a module generated from the fixture definitions', () => writeToTemp(generateFor([sampleDefinitions]))],
])('%s in pwsh', (_name, root) => {
  let lines: string[] = [];
  let moduleRoot = '';
  beforeAll(async () => {
    moduleRoot = root();
    lines = await facts('inspect-module.ps1', moduleRoot);
  });

  it('parses every .ps1, .psm1 and .psd1 file with zero errors', () => {
    const expected = [
      ...readdirSync(join(moduleRoot, 'DapReporting')).filter((f) => /\.ps[dm]?1$/.test(f)).map((f) => `DapReporting/${f}`),
      ...readdirSync(join(moduleRoot, 'DapReporting', 'Public')).map((f) => `DapReporting/Public/${f}`),
      ...readdirSync(join(moduleRoot, 'DapReporting', 'Private')).map((f) => `DapReporting/Private/${f}`),
      ...readdirSync(join(moduleRoot, 'scripts')).map((f) => `scripts/${f}`),
    ].sort();
    expect(lines.filter((l) => l.startsWith('PARSE-ERROR'))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('PARSED ')).map((l) => l.slice(7)).sort()).toEqual(expected);
  });

  it('passes Test-ModuleManifest; exports exactly the Public function files, nothing private', () => {
    const exports = field(lines, 'MANIFEST-EXPORTS').split(',');
    const publicFiles = field(lines, 'PUBLIC-FILES').split(',');
    expect(exports.length).toBeGreaterThanOrEqual(5);
    expect(exports).toEqual(publicFiles);
    expect(field(lines, 'MODULE-COMMANDS').split(',')).toEqual(publicFiles);
    for (const name of field(lines, 'PRIVATE-FILES').split(',').filter(Boolean)) expect(exports).not.toContain(name);
  });

  it('gives every exported command a synopsis, a description, help for every parameter and an example', () => {
    const help = lines.filter((l) => l.startsWith('HELP '));
    expect(help.length).toBe(field(lines, 'MANIFEST-EXPORTS').split(',').length);
    for (const line of help) expect(line).toMatch(/^HELP \S+ synopsis=True description=True missing= examples=[1-9]/);
  });

  it('uses approved verbs only', () => {
    const verbs = lines.filter((l) => l.startsWith('VERB '));
    expect(verbs.length).toBe(field(lines, 'MANIFEST-EXPORTS').split(',').length);
    for (const line of verbs) expect(line).toMatch(/ True$/);
  });
});

describe('generated functions in pwsh', () => {
  let validation: string[] = [];
  beforeAll(async () => {
    validation = await facts('validation.ps1', moduleDir);
  });

  it.each([
    ['report-type-hourly', 'ParameterArgumentValidationError,Get-DapMailboxActivityReport'],
    ['result-size-zero', 'ParameterArgumentValidationError,Get-DapMailboxActivityReport'],
    ['result-size-words', 'ParameterArgumentValidationError,Get-DapMailboxUsageReport'],
    ['start-date-garbage', 'ParameterArgumentTransformationError,Get-DapMailboxUsageReport'],
    ['status-unknown', 'ParameterArgumentValidationError,Get-DapMessageTraceReport'],
    ['page-not-integer', 'ParameterArgumentTransformationError,Get-DapMessageTraceReport'],
    ['tenant-id-not-guid', 'ParameterArgumentValidationError,Get-DapMailboxActivityReport'],
    ['report-domain-query', 'ParameterArgumentValidationError,Get-DapMailboxActivityReport'],
    ['domain-query', 'ParameterArgumentValidationError,Invoke-DapTenantReport'],
    ['domain-empty-label', 'ParameterArgumentValidationError,Invoke-DapTenantReport'],
    ['domain-one-label', 'ParameterArgumentValidationError,Invoke-DapTenantReport'],
    ['domain-hyphen-start', 'ParameterArgumentValidationError,Invoke-DapTenantReport'],
    ['domain-long-label', 'ParameterArgumentValidationError,Invoke-DapTenantReport'],
    ['domain-newline', 'ParameterArgumentValidationError,Invoke-DapTenantReport'],
    ['domain-alias', 'ParameterArgumentValidationError,Invoke-DapTenantReport'],
    ['command-not-in-catalog', 'ParameterArgumentValidationError,Invoke-DapTenantReport'],
    ['input-not-in-catalog', 'ParameterArgumentValidationError,Invoke-DapTenantReport'],
    ['uri-with-query', 'ParameterArgumentValidationError,Invoke-DapTenantReport'],
    ['throttle-four', 'ParameterArgumentValidationError,Export-DapAggregateReport'],
    ['report-unknown', 'ParameterArgumentValidationError,Export-DapAggregateReport'],
    ['aggregate-graph-report', 'ParameterArgumentValidationError,Export-DapAggregateReport'],
    ['graph-period-d1', 'ParameterArgumentValidationError,Get-DapMailboxUsageDetail'],
    ['graph-tenant-not-guid', 'ParameterArgumentValidationError,Get-DapMailboxUsageDetail'],
    ['graph-tenant-newline', 'ParameterArgumentValidationError,Get-DapOffice365ActiveUserDetail'],
    ['graph-period-and-date', 'AmbiguousParameterSet,Get-DapEmailActivityUserDetail'],
    ['graph-date-garbage', 'ParameterArgumentTransformationError,Get-DapEmailActivityUserDetail'],
    ['graph-date-on-counts', 'NamedParameterNotFound,Get-DapMailboxUsageMailboxCounts'],
    ['graph-uri-remote-http', 'ParameterArgumentValidationError,Get-DapMailboxUsageDetail'],
    ['graph-uri-query', 'ParameterArgumentValidationError,Get-DapMailboxUsageDetail'],
    ['graph-uri-loopback-lookalike', 'ParameterArgumentValidationError,Get-DapMailboxUsageDetail'],
    ['graph-uri-loopback-http', 'ParameterArgumentValidationError,Get-DapMailboxUsageDetail'],
    ['graph-function-unknown', 'ParameterArgumentValidationError,Invoke-DapGraphReport'],
    ['graph-function-quote', 'ParameterArgumentValidationError,Invoke-DapGraphReport'],
    ['graph-retries-eleven', 'ParameterArgumentValidationError,Invoke-DapGraphReport'],
    ['token-tenant-not-guid', 'ParameterArgumentValidationError,Get-DapGraphToken'],
    ['token-client-not-guid', 'ParameterArgumentValidationError,Get-DapGraphToken'],
    ['token-login-path-query', 'ParameterArgumentValidationError,Get-DapGraphToken'],
    ['token-secret-string', 'ParameterArgumentTransformationError,Get-DapGraphToken'],
  ])('binding rejects %s before the body runs', (name, errorId) => {
    expect(validation).toContain(`${name} ${errorId}`);
    expect(validation).toContain('REMOTE-CALLS 0');
  });

  describe('Invoke-DapTenantReport and a report function, with a stand-in Invoke-Command', () => {
    let lines: string[] = [];
    beforeAll(async () => {
      lines = await facts('tenant-report.ps1', moduleDir);
    });

    it('opens the session for the tenant and runs the self-contained script block with the arguments', () => {
      expect(lines).toContain('CALL https://ps.outlook.com/powershell-liveid?DelegatedOrg=contoso.onmicrosoft.com Microsoft.Exchange Basic True');
      expect(lines).toContain('CALL Get-MailboxActivityReport ReportType=Monthly');
    });

    it('puts TenantId and TenantDomain first and drops the remoting columns', () => {
      expect(lines).toContain(
        'ROW TenantId=6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b;TenantDomain=contoso.onmicrosoft.com;TenantGuid=g;Date=2015-03-18;TotalNumberOfActiveMailboxes=7',
      );
    });

    it('pipes the input command into the report command in the same session', () => {
      expect(lines).toEqual(expect.arrayContaining(['PIPED contoso.onmicrosoft.com box-1', 'PIPED contoso.onmicrosoft.com box-2']));
    });

    it.each([
      ['empty', 'rows=0'],
      ['session-limit', 'error=Dap.SessionLimit,Invoke-DapTenantReport target=contoso.onmicrosoft.com message=Processing data from remote server ps.outlook.com failed'],
      ['access-denied', 'error=Dap.AccessDenied,Invoke-DapTenantReport target=contoso.onmicrosoft.com message=[ps.outlook.com] Connecting to remote server'],
      ['throttled', 'error=Dap.Throttled,'],
      ['invalid-date', 'error=Dap.InvalidParameter,'],
      ['other', 'error=Dap.RemoteError,Invoke-DapTenantReport target=contoso.onmicrosoft.com message=Line one\\nline two'],
      ['throws', 'error=Dap.RemoteError,Invoke-DapTenantReport target=contoso.onmicrosoft.com message=The WSMan client library was not found.'],
    ])('classifies %s', (scenario, expected) => {
      expect(lines.find((l) => l.startsWith(`SCENARIO ${scenario} `))).toContain(expected);
    });

    it.each([
      ['access-denied', 'Dap.AccessDenied,Invoke-DapTenantReport@contoso.onmicrosoft.com'],
      ['other', 'Dap.RemoteError,Invoke-DapTenantReport@contoso.onmicrosoft.com'],
      ['throws', 'Dap.RemoteError,Invoke-DapTenantReport@contoso.onmicrosoft.com'],
    ])('leaves exactly one record in the caller\'s -ErrorVariable when %s', (scenario, record) => {
      expect(lines).toContain(`RECORDS ${scenario} ${record}`);
    });

    it('binds TenantId and InitialDomain from the pipeline, sends only bound parameters, and goes on after a failed tenant', () => {
      const pipeline = lines.find((l) => l.startsWith('PIPELINE '));
      expect(pipeline).toMatch(/^PIPELINE rows=2 domains=contoso.onmicrosoft.com,fabrikam.onmicrosoft.com errors=ParameterArgumentValidationError/);
      expect(lines.filter((l) => l.startsWith('PIPECALL Get-MailboxActivityReport'))).toEqual([
        'PIPECALL Get-MailboxActivityReport ReportType=Weekly',
        'PIPECALL Get-MailboxActivityReport ReportType=Weekly',
      ]);
    });
  });

  describe('the Graph functions, with stand-in Invoke-RestMethod, Invoke-WebRequest and Start-Sleep', () => {
    const tenant = '6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b';
    let lines: string[] = [];
    let output = '';
    beforeAll(async () => {
      lines = await facts('graph-report.ps1', moduleDir);
      output = lines.join('\n');
    });

    it('posts the client credentials as a form to the tenant token endpoint and returns a SecureString token', () => {
      expect(lines).toContain(
        `TOKEN-CALL Post https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token type=application/x-www-form-urlencoded ` +
          'keys=client_id,client_secret,grant_type,scope grant=client_credentials client=0b8f3c2d-1e4a-4b6c-9d7e-2f1a3b4c5d6e scope=https://graph.microsoft.com/.default secret-sent=True',
      );
      expect(lines.find((l) => l.startsWith('TOKEN-CALL-LOCAL '))).toContain(`https://127.0.0.1:8080/login/${tenant}/oauth2/v2.0/token`);
      expect(lines).toContain(`TOKEN type=DapReporting.GraphToken tenant=${tenant} secure=True value-ok=True expires-future=True`);
    });

    it('never writes the client secret anywhere', () => {
      expect(output).not.toContain('S3cr3t-value');
    });

    it.each([
      ['consent', 'terminating=False results=0 error=Dap.AccessDenied,Get-DapGraphToken', 'has not consented'],
      ['no-token', 'terminating=False results=0 error=Dap.InvalidData,Get-DapGraphToken', 'without an access_token'],
      ['bad-secret', 'terminating=True error=Dap.AuthenticationFailed,Get-DapGraphToken', 'AADSTS7000215'],
    ])('classifies a token failure: %s', (scenario, expected, text) => {
      const line = lines.find((l) => l.startsWith(`TOKEN-SCENARIO ${scenario} `));
      expect(line).toContain(expected);
      expect(line).toContain(`target=${tenant}`);
      expect(line).toContain(text);
    });

    it('builds the report URL from the validated function and period, sends the token there only, and follows the 302 by hand without it', () => {
      expect(lines).toContain(`CALL Get https://graph.microsoft.com/v1.0/reports/getMailboxUsageDetail(period='D30') auth=Bearer tok-${tenant} maxredir=0 skip=True`);
      expect(lines).toContain('CALL Get https://download.example.invalid/report.csv?sig=1 auth=- maxredir=0 skip=True');
      expect(lines.find((l) => l.startsWith('DATE-CALL '))).toBe(`DATE-CALL Get https://127.0.0.1:8080/graph/v1.0/reports/getEmailActivityUserDetail(date=2025-06-01) auth=Bearer tok-${tenant} maxredir=0 skip=True`);
      expect(lines.find((l) => l.startsWith('DEFAULT-CALL '))).toContain("/v1.0/reports/getOffice365ActiveUserDetail(period='D7') ");
    });

    it('strips the byte order mark before ConvertFrom-Csv; typed rows with PowerShell names, TenantId and TenantDomain first', () => {
      expect(lines.filter((l) => l.startsWith('CSV-INPUT ')).every((l) => l === 'CSV-INPUT bom=False header-first=True')).toBe(true);
      expect(lines).toContain(
        `ROW type=DapReporting.MailboxUsageDetail TenantId=${tenant}:String;TenantDomain=:String;ReportRefreshDate=2025-06-01:DateTime;` +
          'UserPrincipalName=a@contoso.com:String;StorageUsedByte=1024:Double',
      );
    });

    it('keeps a column no definition names, under the name dap-gen would give it (the rule exists twice: held equal here)', () => {
      const known = readCatalog().reports.find((r) => r.name === 'MailboxUsageDetail')!.columns.map((c) => psPropertyName(c.name));
      const unknown = ['Mailbox Type (New)', 'x/y  z-2'].map(psPropertyName);
      expect(unknown).toEqual(['MailboxTypeNew', 'XYZ2']);
      expect(lines).toContain(`EXTRA-NAMES ${['TenantId', 'TenantDomain', ...known, ...unknown].join(',')}`);
      expect(lines).toContain('EXTRA-VALUES domain=contoso.onmicrosoft.com type=User other=1');
    });

    it('waits Retry-After seconds on 429 and tries again, at most MaxRetries times', () => {
      expect(lines).toContain('THROTTLED-ONCE rows=1 calls=3 sleeps=7');
      expect(lines.find((l) => l.startsWith('GRAPH-SCENARIO throttled '))).toMatch(/^GRAPH-SCENARIO throttled calls=4 error=Dap\.Throttled,Invoke-DapGraphReport .*still throttled after 4 attempts/);
      expect(lines).toContain('SLEEPS 7,7,7');
    });

    it.each([
      ['forbidden', 'calls=1 error=Dap.AccessDenied,Invoke-DapGraphReport', 'Reports.Read.All is required'],
      ['unauthorized', 'calls=1 error=Dap.AccessDenied,Invoke-DapGraphReport', 'Access token has expired.'],
      ['bad-date', 'calls=1 error=Dap.InvalidParameter,Invoke-DapGraphReport', 'only the last 30 days'],
      ['server', 'calls=1 error=Dap.RemoteError,Invoke-DapGraphReport', 'Something went wrong.'],
      ['unreachable', 'calls=1 error=Dap.RemoteError,Invoke-DapGraphReport', 'No such host is known.'],
      ['bad-location', 'calls=1 error=Dap.RemoteError,Invoke-DapGraphReport', 'the report download failed: redirect 1 refused: the scheme file: is not https'],
      ['download-gone', 'calls=2 error=Dap.RemoteError,Invoke-DapGraphReport', 'HTTP 404: BlobNotFound'],
      ['empty', 'rows=0 calls=2', ''],
    ])('classifies %s', (scenario, expected, text) => {
      const line = lines.find((l) => l.startsWith(`GRAPH-SCENARIO ${scenario} `));
      expect(line).toContain(expected);
      expect(line).toContain(text);
      if (expected.includes('error=')) expect(line).toContain(`target=${tenant}`);
    });

    it.each([
      ['forbidden', `Dap.AccessDenied,Invoke-DapGraphReport@${tenant}`],
      ['unreachable', `Dap.RemoteError,Invoke-DapGraphReport@${tenant}`],
      ['empty', ''],
    ])('leaves exactly one record in the caller\'s -ErrorVariable (none when it succeeds): %s', (scenario, record) => {
      expect(lines).toContain(`RECORDS ${scenario} ${record}`.trimEnd());
    });

    it('binds TenantId and AccessToken from the pipeline, goes on after a failed tenant, which leaves one error record', () => {
      expect(lines).toContain(
        `PIPELINE rows=1 tenants=${tenant} errors=Dap.AccessDenied,Invoke-DapGraphReport@00000000-0000-0000-0000-000000000002`,
      );
    });
  });
});
