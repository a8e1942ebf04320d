import { describe, expect, it } from 'vitest';
import { workerModulePath } from '../../runtime/pwsh/worker-spawn.js';
import { runPwshScript } from '../helpers/powershell.js';

// The script text below is fixed test code; the module path reaches PowerShell through the environment.
describe('runtime/powershell/DapWorker.psm1 (in pwsh)', () => {
  it('parses without errors', async () => {
    const result = await runPwshScript(
      [
        '$tokens = $null; $errors = $null',
        '$null = [System.Management.Automation.Language.Parser]::ParseFile($env:DAP_TEST_MODULE, [ref]$tokens, [ref]$errors)',
        '"errors=$($errors.Count)"',
        'foreach ($e in $errors) { "$($e.Extent.StartLineNumber): $($e.Message)" }',
      ].join('\n'),
      { DAP_TEST_MODULE: workerModulePath },
    );
    expect(result.stdout.trim().split(/\r?\n/)[0]).toBe('errors=0');
  });

  it('imports and exports exactly the worker functions, each with a mandatory path parameter', async () => {
    const result = await runPwshScript(
      [
        '$ErrorActionPreference = "Stop"',
        'Import-Module -Name $env:DAP_TEST_MODULE -Force',
        'foreach ($c in (Get-Command -Module DapWorker)) {',
        '  $p = @($c.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.Mandatory } })',
        '  "$($c.Name)|$(@($p | ForEach-Object { $_.Name }) -join ",")"',
        '}',
      ].join('\n'),
      { DAP_TEST_MODULE: workerModulePath },
    );
    const lines = result.stdout.trim().split(/\r?\n/).sort();
    expect(lines).toEqual(['Initialize-DapWorker|ModuleManifest', 'Invoke-DapDiscoveryJob|JobFile', 'Invoke-DapWorkerJob|JobFile']);
  });

  it('never interpolates job data into code: the job is read with Get-Content -LiteralPath and ConvertFrom-Json', async () => {
    const result = await runPwshScript(
      [
        '$tokens = $null; $errors = $null',
        '$ast = [System.Management.Automation.Language.Parser]::ParseFile($env:DAP_TEST_MODULE, [ref]$tokens, [ref]$errors)',
        '$calls = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)',
        '$names = @($calls | ForEach-Object { $_.GetCommandName() } | Where-Object { $_ })',
        '"invoke-expression=$(@($names | Where-Object { $_ -in @("Invoke-Expression", "iex") }).Count)"',
        '"literalpath=$(@($calls | Where-Object { $_.GetCommandName() -eq "Get-Content" -and $_.Extent.Text -match "-LiteralPath" }).Count)"',
      ].join('\n'),
      { DAP_TEST_MODULE: workerModulePath },
    );
    expect(result.stdout).toMatch(/invoke-expression=0/);
    expect(result.stdout).toMatch(/literalpath=2/);
  });
});
