import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { moduleDir, projectRoot } from '../../common/project-paths.js';
import { engine, runEngineFile } from '../helpers/powershell.js';
import { generateFor, sampleDefinitions, writeToTemp } from './generator-fixtures.js';

const scripts = join(projectRoot, 'test', 'generator', 'engine');

async function facts(script: string, moduleRoot: string): Promise<string[]> {
  const result = await runEngineFile(join(scripts, script), [moduleRoot]);
  // The engine host exits 1 whenever an error was raised, even a caught one (these scripts catch
  // binding errors on purpose), so completion is checked by the last line instead.
  expect(result.stderr).toBe('');
  const lines = result.stdout.split(/\r?\n/).filter(Boolean);
  expect(lines.at(-1)).toBe('DONE');
  return lines;
}

const field = (lines: string[], key: string): string => lines.find((l) => l.startsWith(`${key} `))?.slice(key.length + 1) ?? '';

describe.skipIf(!engine).each([
  ['the committed module/', () => moduleDir],
  ['a module generated from the fixture definitions', () => writeToTemp(generateFor([sampleDefinitions]))],
])('%s on the PowerShell engine', (_name, root) => {
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

describe.skipIf(!engine)('generated functions on the PowerShell engine', () => {
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

    it('binds TenantId and InitialDomain from the pipeline, sends only bound parameters, and goes on after a failed tenant', () => {
      const pipeline = lines.find((l) => l.startsWith('PIPELINE '));
      expect(pipeline).toMatch(/^PIPELINE rows=2 domains=contoso.onmicrosoft.com,fabrikam.onmicrosoft.com errors=ParameterArgumentValidationError/);
      expect(lines.filter((l) => l.startsWith('PIPECALL Get-MailboxActivityReport'))).toEqual([
        'PIPECALL Get-MailboxActivityReport ReportType=Weekly',
        'PIPECALL Get-MailboxActivityReport ReportType=Weekly',
      ]);
    });
  });
});
