import { describe, expect, it } from 'vitest';
import { hostJobsModulePath, hostScriptPath } from '../../runtime/backends/exchange/pwsh-host/pwsh-host.js';
import { runPwshScript } from '../helpers/powershell.js';

// The script text below is fixed test code; the paths reach PowerShell through the environment.
const env = { DAP_TEST_HOST: hostScriptPath, DAP_TEST_JOBS: hostJobsModulePath };

describe('the host scripts (DapHost.ps1, DapHostJobs.psm1)', () => {
  it('parse without errors, never run text as code, and add only constant script text', async () => {
    const result = await runPwshScript(
      [
        'foreach ($file in @($env:DAP_TEST_HOST, $env:DAP_TEST_JOBS)) {',
        '  $tokens = $null; $errors = $null',
        '  $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$tokens, [ref]$errors)',
        '  $name = [System.IO.Path]::GetFileName($file)',
        '  "$name errors=$($errors.Count)"',
        '  $commands = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() })',
        '  "$name invoke-expression=$(@($commands | Where-Object { $_ -in @("Invoke-Expression", "iex") }).Count)"',
        '  $scripts = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and $n.Member.Extent.Text -in @("AddScript", "Create") -and $n.Expression.Extent.Text -ne "[powershell]" -and $n.Expression.Extent.Text -notmatch "runspacefactory|initialsessionstate" }, $true))',
        '  $notConstant = @($scripts | Where-Object { $_.Arguments.Count -gt 0 -and $_.Arguments[0] -isnot [System.Management.Automation.Language.StringConstantExpressionAst] })',
        '  "$name scripts=$($scripts.Count) dynamic=$($notConstant.Count)"',
        '}',
      ].join('\n'),
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split(/\r?\n/)).toEqual([
      'DapHost.ps1 errors=0',
      'DapHost.ps1 invoke-expression=0',
      // the AddScript calls (the sealing check, the module check, the warm-up) add constants
      'DapHost.ps1 scripts=3 dynamic=0',
      'DapHostJobs.psm1 errors=0',
      'DapHostJobs.psm1 invoke-expression=0',
      'DapHostJobs.psm1 scripts=0 dynamic=0',
    ]);
  });

  it('the jobs module exports exactly the functions an attempt calls, each taking a credential', async () => {
    const result = await runPwshScript(
      [
        '$ErrorActionPreference = "Stop"',
        'Import-Module -Name $env:DAP_TEST_JOBS -Force',
        'foreach ($c in (Get-Command -Module DapHostJobs | Sort-Object Name)) { "$($c.Name)|$($c.Parameters.Credential.ParameterType.Name)" }',
      ].join('\n'),
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split(/\r?\n/)).toEqual(['Invoke-DapHostContracts|PSCredential', 'Invoke-DapHostCustomers|PSCredential', 'Invoke-DapHostTenantJob|PSCredential', 'Test-DapHostTenantAccess|PSCredential']);
  });

  it('writes the report\'s date columns as ISO 8601 and leaves every other value alone', async () => {
    const result = await runPwshScript(
      [
        '$ErrorActionPreference = "Stop"',
        '$module = Import-Module -Name $env:DAP_TEST_JOBS -Force -PassThru',
        '$rows = @(',
        '  [pscustomobject]@{ Date = [datetime]::new(2015, 3, 18); When = [datetime]::new(2026, 11, 25, 13, 5, 9, [System.DateTimeKind]::Utc); Local = [datetime]::new(2026, 11, 25, 8, 0, 0, [System.DateTimeKind]::Unspecified); Offset = [System.DateTimeOffset]::new(2026, 11, 25, 14, 0, 0, [timespan]::FromHours(1)); Text = "03/18/2015"; Other = [datetime]::new(2015, 3, 18) }',
        '  [pscustomobject]@{ Date = $null; When = "not a date" }',
        ')',
        '& $module { param($r) ConvertTo-DapIsoDate -Row $r -Column @("Date", "When", "Local", "Offset", "Text", "Missing") } $rows',
        '$rows | ConvertTo-Csv -NoTypeInformation',
      ].join('\n'),
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split(/\r?\n/)).toEqual([
      '"Date","When","Local","Offset","Text","Other"',
      // a column not named keeps Export-Csv's own text
      '"2015-03-18","2026-11-25T13:05:09Z","2026-11-25T08:00:00","2026-11-25T13:00:00Z","03/18/2015","03/18/2015 00:00:00"',
      ',"not a date",,,,',
    ]);
  });

  it('adds a bytes column from a size\'s (N bytes) text, empty where there is none', async () => {
    const result = await runPwshScript(
      [
        '$ErrorActionPreference = "Stop"',
        '$module = Import-Module -Name $env:DAP_TEST_JOBS -Force -PassThru',
        '$rows = @("33.438 GB (35,903,716,480 bytes)", "0 B (0 bytes)", "Unlimited", $null) | ForEach-Object { [pscustomobject]@{ Size = $_ } }',
        '& $module { param($r) Add-DapSizeBytes -Row $r -Column @(@{ name = "SizeBytes"; from = "Size" }) } $rows',
        '$rows | ConvertTo-Csv -NoTypeInformation',
      ].join('\n'),
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split(/\r?\n/)).toEqual(['"Size","SizeBytes"', '"33.438 GB (35,903,716,480 bytes)","35903716480"', '"0 B (0 bytes)","0"', '"Unlimited",', ',']);
  });
});
