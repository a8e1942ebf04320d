/**
 * Facts the TypeScript and the generated module share are generated from the TypeScript; this
 * checks, through the committed module in pwsh, that they arrive: Get-DapFailureCategory names
 * exactly the categories of common/failure-category.ts (the rule Export-DapAggregateReport, the
 * standalone scripts and dap-report's PowerShell host all use), and Export-DapAggregateReport and
 * the standalone scripts allow as many tenants at a time as the Exchange session cap of
 * common/exchange-limits.ts.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_SESSIONS_PER_ACCOUNT } from '../../common/exchange-limits.js';
import { failureCategories } from '../../common/failure-category.js';
import { moduleDir } from '../../common/project-paths.js';
import { runPwshScript } from '../helpers/powershell.js';

const manifest = join(moduleDir, 'DapReporting', 'DapReporting.psd1');
const script = join(moduleDir, 'scripts', 'MailboxActivityReport.ps1');
/** Error ids that name no failure category (Dap.NotFound is Invoke-DapExoCommand's, not dap-report's). */
const others = ['Dap.NotFound', 'Dap.accessdenied', 'Dap.AccessDeniedLater', 'Other.AccessDenied', 'AccessDenied'];

describe('facts the module takes from the TypeScript', () => {
  let answers: Record<string, unknown> = {};
  beforeAll(async () => {
    // Data crosses as JSON in the environment; the script is the test's own text.
    const result = await runPwshScript(
      [
        '$ErrorActionPreference = "Stop"',
        'Import-Module -Name $env:DAP_TEST_MANIFEST',
        'function Write-Failure { [CmdletBinding()] param([string] $Id) Write-Error -Message "failed" -ErrorId $Id }',
        '$named = [ordered]@{ categories = [System.Collections.Generic.List[string]]::new() }',
        'foreach ($id in @(ConvertFrom-Json -InputObject $env:DAP_TEST_IDS)) {',
        '    Write-Failure -Id $id -ErrorAction SilentlyContinue -ErrorVariable failure',
        '    $named.categories.Add((Get-DapFailureCategory -ErrorRecord $failure[0]))',
        '}',
        'try { Get-DapMailboxActivityReport -TenantId ([guid]::NewGuid()) -InitialDomain "not a domain" -Credential ([pscredential]::new("u", (ConvertTo-SecureString -String "p" -AsPlainText -Force))) }',
        'catch { $named["binding"] = Get-DapFailureCategory -ErrorRecord $_ }',
        '$range = { param($Command) @($Command.Parameters["ThrottleLimit"].Attributes | Where-Object -FilterScript { $_ -is [System.Management.Automation.ValidateRangeAttribute] })[0].MaxRange }',
        '$named["moduleMax"] = & $range -Command (Get-Command -Name Export-DapAggregateReport)',
        '$named["scriptMax"] = & $range -Command (Get-Command -Name $env:DAP_TEST_SCRIPT)',
        'ConvertTo-Json -InputObject $named -Compress',
      ].join('\n'),
      {
        DAP_TEST_MANIFEST: manifest,
        DAP_TEST_SCRIPT: script,
        DAP_TEST_IDS: JSON.stringify([...failureCategories.map((c) => `Dap.${c}`), ...others]),
      },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    answers = JSON.parse(result.stdout) as Record<string, unknown>;
  });

  it('Get-DapFailureCategory names every failure category, and RemoteError for any other error id', () => {
    expect(answers.categories).toEqual([...failureCategories, ...others.map(() => 'RemoteError')]);
    expect(answers.binding).toBe('InvalidDomain');
  });

  it('allows as many tenants at a time as the Exchange session cap', () => {
    expect(answers.moduleMax).toBe(MAX_SESSIONS_PER_ACCOUNT);
    expect(answers.scriptMax).toBe(MAX_SESSIONS_PER_ACCOUNT);
  });
});
