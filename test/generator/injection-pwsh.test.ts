import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { runPwshFile } from '../helpers/powershell.js';
import { generateFor, nastyDefinitions, writeToTemp } from './generator-fixtures.js';

const nasty = `it's "quoted" \`back\`tick $(Remove-Item -Recurse -Force /) \${env:HOME} @(Invoke-Expression 'x') #> <# '; Stop-Computer; ' ‘curly’ ‚low‛ Zoë — 日本語 🚀`;
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const fromB64 = (text: string): string => Buffer.from(text, 'base64').toString('utf8');

/** The only commands generated code may invoke by name. */
const allowedCommands = new Set([
  'Connect-MsolService', 'Get-MsolPartnerContract', 'Get-MsolDomain', 'Invoke-Command', 'Get-Credential',
  'Where-Object', 'Select-Object', 'ForEach-Object', 'Write-Progress', 'Write-Verbose', 'Write-Warning', 'Write-Error',
  'Get-Command', 'Import-Module', 'Set-Item', 'Export-Csv', 'Move-Item', 'Export-ModuleMember',
  'Connect-DapPartner', 'Get-DapCustomer', 'Invoke-DapTenantReport', 'Export-DapAggregateReport', 'Get-DapFailureCategory', 'Get-DapNastyReport',
  'Invoke-WebRequest', 'Invoke-RestMethod', 'Start-Sleep', 'ConvertFrom-Json', 'ConvertFrom-Csv',
  'Get-DapGraphToken', 'Invoke-DapGraphReport',
  // Get-DapGraphToken's private client assertion builder, which serialises its fixed header and claims
  'New-DapClientAssertion', 'Resolve-DapCertificate',
  // the Exchange admin API functions and their script
  'Get-DapExoToken', 'Get-DapGraphCustomer', 'Invoke-DapTokenRequest', 'Invoke-DapExoRequest', 'Invoke-DapExoReport', 'ConvertTo-DapExoValue',
  'ConvertTo-DapCellText', 'ConvertTo-Json', 'Add-Member', 'Read-Host', 'ConvertTo-SecureString', 'Sort-Object', 'Get-DapNastyRestReport',
  // the Graph query functions and their script
  'Invoke-DapGraphQuery', 'Get-DapNastyQueryReport',
  // Invoke-DapGraphReport's redirect follower and the one URL rule it asks, and the one web request the REST calls make
  'Invoke-DapRedirectedRequest', 'Get-DapUrlRefusal', 'Invoke-DapWebRequest',
  // the one builder of the functions' error records
  'New-DapErrorRecord',
]);
/** The only dynamic invocations (& $x / . $x): the command names they hold come from validated parameters. */
const allowedDynamic = new Set([
  '$InputCommand', '$Command', '$FunctionName', '([scriptblock]::Create($setup.RunTenant))', '$record', '$runTenant',
  // Invoke-DapGraphReport's local script blocks, fixed text of the template.
  '$readText', '$serviceMessage', '$newFailure', '$convert', '$propertyName',
  // Get-DapGraphCustomer's local script blocks, fixed text of the template.
  '$newRecord', '$describe',
  // Export-DapAggregateReport's local script blocks, fixed text of the template.
  '$stop', '$makeWritable', '$csvField', '$isolated',
  // New-DapClientAssertion's local script block, fixed text of the template.
  '$base64Url',
  // Invoke-DapExoRequest's, Invoke-DapExoReport's and the exchangeRest script's, fixed text of the templates.
  '$parseJson', '$fail', '$asUtc', '$call',
  // Invoke-DapGraphQuery's, fixed text of the template.
  '$stepsOf', '$valueAt', '$query', '$resolve',
  // Get-DapUrlRefusal's, fixed text of the template.
  '$bare', '$addressOf', '$isLoopback', '$inRange', '$isPrivate', '$parse',
]);

describe('definitions that try to inject PowerShell', () => {
  let lines: string[] = [];
  beforeAll(async () => {
    const root = writeToTemp(generateFor([nastyDefinitions]));
    const result = await runPwshFile(join(projectRoot, 'test', 'generator', 'pwsh-scripts', 'inspect-ast.ps1'), [root]);
    expect(result.stderr).toBe('');
    lines = result.stdout.split(/\r?\n/).filter(Boolean);
    expect(lines.at(-1)).toBe('DONE');
  });

  it('generate files that parse', () => {
    const parsed = lines.filter((l) => l.startsWith('PARSE '));
    // psd1, psm1, ten shared public and twelve private functions, four report functions, three scripts (none for the Graph usage report)
    expect(parsed.length).toBe(31);
    for (const line of parsed) expect(line).toMatch(/ 0$/);
  });

  it('generate no command beyond those the generator means to call', () => {
    const named = lines.filter((l) => l.startsWith('CMD ')).map((l) => l.split(' ')[2]!);
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((name) => !allowedCommands.has(name))).toEqual([]);
    const dynamic = lines.filter((l) => l.startsWith('DYNAMIC ')).map((l) => ({ file: l.split(' ')[1]!, text: fromB64(l.split(' ')[2]!) }));
    const unexpected = dynamic.filter(({ file, text }) =>
      !allowedDynamic.has(text) && !(file === 'DapReporting/DapReporting.psm1' && text.startsWith('([System.IO.Path]::Combine($PSScriptRoot, ')));
    expect(unexpected).toEqual([]);
  });

  it('keep every default and ValidateSet value exactly, as one string constant', () => {
    const fn = 'DapReporting/Public/Get-DapNastyReport.ps1';
    expect(lines).toContain(`DEFAULT ${fn} Text ${b64(nasty)}`);
    expect(lines).toContain(`DEFAULT ${fn} Choice ${b64('$(Stop-Computer)')}`);
    for (const item of [nasty, '#>', '<#', '`$(Stop-Computer)']) expect(lines).toContain(`DEFAULT-ITEM ${fn} List ${b64(item)}`);
    for (const value of [nasty, "'; Stop-Computer; '", '$(Stop-Computer)', 'plain']) expect(lines).toContain(`SET ${fn} Choice ${b64(value)}`);
    expect(lines).toContain(`DEFAULT scripts/NastyReport.ps1 Text ${b64(nasty)}`);
  });

  it('keep the help block whole: no parameter or section injected through help text', () => {
    expect(lines).toContain('HELP-PARAMS Get-DapNastyReport TenantId,InitialDomain,Credential,Text,Choice,List,Matching');
    expect(lines).toContain('HELP-PARAMS Get-DapNastyGraphReport TenantId,TenantDomain,AccessToken,Period,Date,GraphUri');
    for (const fn of ['Get-DapNastyReport', 'Get-DapNastyGraphReport']) {
      const synopsis = fromB64(lines.find((l) => l.startsWith(`HELP-SYNOPSIS ${fn} `))!.split(' ')[2]!);
      expect(synopsis).toBe(nasty.replace('#>', '# >').replace('<#', '< #'));
    }
  });

  it('keep the Graph report function to its fixed shape: its only command is Invoke-DapGraphReport, its sets and defaults are the fixed ones', () => {
    const fn = 'DapReporting/Public/Get-DapNastyGraphReport.ps1';
    expect(lines.filter((l) => l.startsWith(`CMD ${fn} `))).toEqual([`CMD ${fn} Invoke-DapGraphReport`]);
    expect(lines.filter((l) => l.startsWith(`DYNAMIC ${fn} `))).toEqual([]);
    expect(lines.filter((l) => l.startsWith(`SET ${fn} `)).map((l) => fromB64(l.split(' ')[3]!))).toEqual(['D7', 'D30', 'D90', 'D180']);
    expect(lines).toContain(`DEFAULT ${fn} Period ${b64('D7')}`);
    expect(lines).toContain(`DEFAULT ${fn} GraphUri ${b64('https://graph.microsoft.com')}`);
    expect(lines.filter((l) => l.startsWith('SET DapReporting/Public/Invoke-DapGraphReport.ps1 Function ')).map((l) => fromB64(l.split(' ')[3]!))).toEqual(['getNastyGraphReport']);
  });

  it('keep the graphQuery function to its shape: the plan holds every text as one string constant, its only command is Invoke-DapGraphQuery', () => {
    const fn = 'DapReporting/Public/Get-DapNastyQueryReport.ps1';
    expect([...new Set(lines.filter((l) => l.startsWith(`CMD ${fn} `)).map((l) => l.split(' ')[2]))]).toEqual(['Invoke-DapGraphQuery']);
    expect(lines.filter((l) => l.startsWith(`DYNAMIC ${fn} `))).toEqual([]);
    const strings = lines.filter((l) => l.startsWith(`STRING ${fn} `)).map((l) => fromB64(l.split(' ')[2]!));
    for (const text of [nasty, "Outside '; Stop-Computer; '", 'users', 'User.Read.All', 'sku.skuPartNumber']) expect(strings).toContain(text);
    expect(lines).toContain('HELP-PARAMS Get-DapNastyQueryReport TenantId,TenantDomain,AccessToken,GraphUri');
    const script = 'scripts/NastyQueryReport.ps1';
    expect(lines.filter((l) => l.startsWith(`STRING ${script} `)).map((l) => fromB64(l.split(' ')[2]!))).toContain(nasty);
  });

  it('keep the exchangeRest function to its shape: the plan holds every text as one string constant, the commands are the fixed ones', () => {
    const fn = 'DapReporting/Public/Get-DapNastyRestReport.ps1';
    expect([...new Set(lines.filter((l) => l.startsWith(`CMD ${fn} `)).map((l) => l.split(' ')[2]))].sort()).toEqual(['Invoke-DapExoReport', 'Invoke-DapTenantReport']);
    expect(lines.filter((l) => l.startsWith(`DYNAMIC ${fn} `))).toEqual([]);
    const strings = lines.filter((l) => l.startsWith(`STRING ${fn} `)).map((l) => fromB64(l.split(' ')[2]!));
    for (const text of [nasty, "Outside '; Stop-Computer; '", 'Get-NastyRest', 'Since', 'Until']) expect(strings).toContain(text);
    expect(lines).toContain(`DEFAULT ${fn} Text ${b64(nasty)}`);
    expect(lines).toContain('HELP-PARAMS Get-DapNastyRestReport TenantId,InitialDomain,Credential,AccessToken,Since,Until,Text,ExchangeUri');
    const script = 'scripts/NastyRestReport.ps1';
    expect(lines).toContain(`DEFAULT ${script} Text ${b64(nasty)}`);
    expect(lines.filter((l) => l.startsWith(`STRING ${script} `)).map((l) => fromB64(l.split(' ')[2]!))).toContain(nasty);
  });
});
