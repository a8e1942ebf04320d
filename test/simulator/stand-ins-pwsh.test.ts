import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standInModulesDir, startSimulator } from '../../simulator/index.js';
import { runPwshScript } from '../helpers/powershell.js';

/** Every stand-in file, relative to simulator/powershell. */
const files = readdirSync(standInModulesDir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ps[dm]?1$/.test(f));
const env = { STANDINS: standInModulesDir };
// The script text below is the test's own; the only data (the folder) crosses as an environment variable.
const importStandIns = `$env:PSModulePath = $env:STANDINS + [System.IO.Path]::PathSeparator + $env:PSModulePath\nImport-Module MSOnline -ErrorAction Stop\n`;

describe('PowerShell stand-ins in pwsh', () => {
  it('ships the MSOnline and DapSim.Remoting modules and their files', () => {
    expect(files.map((f) => f.replace(/\\/g, '/')).sort()).toEqual([
      'DapSim.Remoting/DapSim.Remoting.psd1',
      'DapSim.Remoting/DapSim.Remoting.psm1',
      'DapSim.Remoting/DapSimClient.ps1',
      'DapSim.Remoting/DapSimParameters.ps1',
      'DapSim.Remoting/ExchangeCmdlets.ps1',
      'MSOnline/MSOnline.psd1',
      'MSOnline/MSOnline.psm1',
    ]);
  });

  it.each(files)('%s parses with zero errors', async (file) => {
    const result = await runPwshScript(
      '$tokens = $null; $errors = $null\n[void][System.Management.Automation.Language.Parser]::ParseFile($env:FILE, [ref]$tokens, [ref]$errors)\n"errors=$($errors.Count)"\nforeach ($e in $errors) { "$($e.Extent.StartLineNumber): $($e.Message)" }',
      { FILE: join(standInModulesDir, file) },
    );
    expect(result.stdout.trim()).toBe('errors=0');
  });

  it.each(['MSOnline', 'DapSim.Remoting'])('Test-ModuleManifest passes for %s and lists its functions explicitly', async (name) => {
    const result = await runPwshScript(
      `$m = Test-ModuleManifest -Path ([System.IO.Path]::Combine($env:STANDINS, '${name}', '${name}.psd1')) -ErrorAction Stop\n$m.Name\n($m.ExportedFunctions.Keys | ForEach-Object { $_ }) -join ','`,
      env,
    );
    expect(result.exitCode).toBe(0);
    const [moduleName, functions] = result.stdout.trim().split(/\r?\n/);
    expect(moduleName).toBe(name);
    expect(functions).not.toContain('*');
    expect(functions!.split(',').length).toBeGreaterThanOrEqual(3);
  });

  it("the simulator's standInModules, imported by path, are what a module's function resolves", async () => {
    const sim = await startSimulator({});
    try {
      // the runtime's host imports them by path (DapHost.ps1); then a module's function resolves
      // Invoke-Command to the stand-in
      const result = await runPwshScript(
        "Import-Module -Name $env:DAP_TEST_MODULE -Global -ErrorAction Stop\n" +
          "$probe = New-Module -Name Probe -ScriptBlock { function Get-Resolved { (Get-Command Invoke-Command).Source } }\n" +
          'Get-Resolved',
        { DAP_TEST_MODULE: sim.standInModules[1]! },
      );
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe('DapSim.Remoting');
    } finally {
      await sim.stop();
    }
  });

  it('Import-Module MSOnline brings Connect-MsolService and the remoting stand-ins into the session', async () => {
    const result = await runPwshScript(
      `${importStandIns}foreach ($name in 'Connect-MsolService', 'Get-MsolPartnerContract', 'Get-MsolDomain', 'Invoke-Command', 'New-PSSession', 'Import-PSSession', 'Remove-PSSession', 'Get-PSSession', 'Get-Credential') {\n  $c = Get-Command $name\n  "$name=$($c.CommandType)/$($c.Source)"\n}`,
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split(/\r?\n/)).toEqual([
      'Connect-MsolService=Function/MSOnline',
      'Get-MsolPartnerContract=Function/MSOnline',
      'Get-MsolDomain=Function/MSOnline',
      'Invoke-Command=Function/DapSim.Remoting',
      'New-PSSession=Function/DapSim.Remoting',
      'Import-PSSession=Function/DapSim.Remoting',
      'Remove-PSSession=Function/DapSim.Remoting',
      'Get-PSSession=Function/DapSim.Remoting',
      'Get-Credential=Function/DapSim.Remoting',
    ]);
  });

  it('gives each remoting stand-in exactly the real cmdlet\'s parameters, sets, positions and default set', async () => {
    // One line per parameter and set: what binding depends on. Only -Session (any object, for
    // the simulated sessions) and Get-Credential's -Credential (a user name without a prompt) differ.
    const result = await runPwshScript(
      `${importStandIns}function Get-Shape([System.Management.Automation.CommandInfo] $Command) {
  "default=$($Command.DefaultParameterSet)"
  foreach ($set in $Command.ParameterSets) {
    foreach ($p in $set.Parameters) {
      if ([System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters -contains $p.Name) { continue }
      $type = if ($p.Name -eq 'Session' -or ($Command.Name -eq 'Get-Credential' -and $p.Name -eq 'Credential')) { '*' } else { $p.ParameterType.FullName }
      $checks = ($p.Attributes | Where-Object -FilterScript { $_ -is [System.Management.Automation.ValidateArgumentsAttribute] } | ForEach-Object -Process { $_.GetType().Name }) -join '+'
      '{0} {1} {2} pos={3} mandatory={4} pipe={5}/{6} aliases={7} checks={8}' -f $set.Name, $p.Name, $type, $p.Position, $p.IsMandatory, $p.ValueFromPipeline, $p.ValueFromPipelineByPropertyName, ($p.Aliases -join ','), $checks
    }
  }
}
foreach ($real in 'Microsoft.PowerShell.Core\\Invoke-Command', 'Microsoft.PowerShell.Core\\New-PSSession', 'Microsoft.PowerShell.Core\\Remove-PSSession', 'Microsoft.PowerShell.Core\\Get-PSSession', 'Microsoft.PowerShell.Utility\\Import-PSSession', 'Microsoft.PowerShell.Security\\Get-Credential') {
  $name = $real.Split('\\')[1]
  $expected = @(Get-Shape -Command (Get-Command -Name $real -CommandType Cmdlet)) | Sort-Object
  $actual = @(Get-Shape -Command (Get-Command -Name $name -CommandType Function)) | Sort-Object
  $differences = @(Compare-Object -ReferenceObject $expected -DifferenceObject $actual | ForEach-Object -Process { '{0} {1}' -f $_.SideIndicator, $_.InputObject })
  "$name lines=$($expected.Count) differences=[$($differences -join '; ')]"
}`,
      env,
    );
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split(/\r?\n/);
    expect(lines.map((line) => line.replace(/ lines=\d+/, ''))).toEqual([
      'Invoke-Command differences=[]',
      'New-PSSession differences=[]',
      'Remove-PSSession differences=[]',
      'Get-PSSession differences=[]',
      'Import-PSSession differences=[]',
      'Get-Credential differences=[]',
    ]);
    // the comparison is over something: Invoke-Command alone has dozens of parameter/set lines
    expect(Number(/lines=(\d+)/.exec(lines[0]!)?.[1])).toBeGreaterThan(100);
  });

  it('binds a positional script block, an alias and pipeline input on the derived Invoke-Command', async () => {
    const result = await runPwshScript(
      `${importStandIns}Invoke-Command { param($x) $x * 2 } -Args 4\n1, 2 | Invoke-Command -ScriptBlock { $input | ForEach-Object -Process { $_ + 10 } }\ntry { Invoke-Command -Bogus 1 } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }`,
      env,
    );
    expect(result.stdout.trim().split(/\r?\n/)).toEqual(['8', '11', '12', 'NamedParameterNotFound,Invoke-Command', "A parameter cannot be found that matches parameter name 'Bogus'."]);
  });

  it('hands a call that is not for Exchange Online to the real Invoke-Command', async () => {
    const result = await runPwshScript(`${importStandIns}Invoke-Command -ScriptBlock { param($x) $x * 2 } -ArgumentList 21`, env);
    expect(result.stdout.trim()).toBe('42');
  });

  it.each([
    ['Get-MsolPartnerContract -All -MaxResults 5', 'AmbiguousParameterSet,Get-MsolPartnerContract'],
    ['Get-MsolPartnerContract -MaxResults 0', 'ParameterArgumentValidationError,Get-MsolPartnerContract'],
    ['Get-MsolDomain -TenantId 11111111-1111-4111-8111-111111111111 -Status Gone', 'ParameterArgumentValidationError,Get-MsolDomain'],
    ['Get-MsolPartnerContract -TenantId not-a-guid', 'ParameterArgumentTransformationError,Get-MsolPartnerContract'],
  ])('MSOnline rejects %s', async (call, errorId) => {
    const result = await runPwshScript(`${importStandIns}try { ${call} } catch { $_.FullyQualifiedErrorId }`, env);
    expect(result.stdout.trim()).toBe(errorId);
  });

  it('MSOnline cmdlets before Connect-MsolService fail with the real text', async () => {
    const result = await runPwshScript(`${importStandIns}try { Get-MsolPartnerContract -All } catch { $_.Exception.Message; $_.CategoryInfo.Category.ToString() }`, env);
    expect(result.stdout.trim().split(/\r?\n/)).toEqual(['You must call the Connect-MsolService cmdlet before calling any other cmdlets.', 'OperationStopped']);
  });

  it.each([
    ['Get-MailboxActivityReport -ReportType Hourly', 'ParameterArgumentValidationError,Get-MailboxActivityReport'],
    ['Get-ConnectionByClientTypeReport -ReportType Quarterly', 'ParameterArgumentValidationError,Get-ConnectionByClientTypeReport'],
    ['Get-MailboxUsageReport -ResultSize lots', 'ParameterArgumentValidationError,Get-MailboxUsageReport'],
    ['Get-StaleMailboxReport -StartDate notadate', 'ParameterArgumentTransformationError,Get-StaleMailboxReport'],
    ['Get-MessageTrace -PageSize 5001', 'ParameterArgumentValidationError,Get-MessageTrace'],
    ['Get-MessageTrace -Status Lost', 'ParameterArgumentValidationError,Get-MessageTrace'],
    ['Get-MailboxStatistics -Identity ""', 'ParameterArgumentValidationError,Get-MailboxStatistics'],
    ['Get-MailboxActivityReport Daily', 'PositionalParameterNotFound,Get-MailboxActivityReport'],
  ])('the session cmdlets reject %s', async (call, errorId) => {
    const result = await runPwshScript(
      `. ([System.IO.Path]::Combine($env:STANDINS, 'DapSim.Remoting', 'DapSimClient.ps1'))\n. ([System.IO.Path]::Combine($env:STANDINS, 'DapSim.Remoting', 'ExchangeCmdlets.ps1'))\ntry { ${call} } catch { $_.FullyQualifiedErrorId }`,
      env,
    );
    expect(result.stdout.trim()).toBe(errorId);
  });

  it('builds remoting error records whose FullyQualifiedErrorId is exactly the real one', async () => {
    const result = await runPwshScript(
      `${importStandIns}& (Get-Module DapSim.Remoting) {\n  function Test-Write { [CmdletBinding()] param() $PSCmdlet.WriteError((New-DapSimErrorRecord -SimError @{ exceptionType = 'System.Management.Automation.Remoting.PSRemotingTransportException'; message = 'Connecting to remote server ps.outlook.com failed'; errorId = 'AccessDenied,PSSessionOpenFailed'; category = 'OpenError'; details = '[ps.outlook.com] Connecting to remote server ps.outlook.com failed' })) }\n  Test-Write -ErrorVariable recorded -ErrorAction SilentlyContinue\n  $recorded[0].FullyQualifiedErrorId\n  $recorded[0].CategoryInfo.Category.ToString()\n  $recorded[0].Exception.GetType().Name\n  $recorded[0].ToString()\n}`,
      env,
    );
    expect(result.stdout.trim().split(/\r?\n/)).toEqual([
      'AccessDenied,PSSessionOpenFailed',
      'OpenError',
      'PSRemotingTransportException',
      '[ps.outlook.com] Connecting to remote server ps.outlook.com failed',
    ]);
  });

  it('carries $using: values into the remote scope text', async () => {
    const result = await runPwshScript(
      `${importStandIns}$limit = 5\n& (Get-Module DapSim.Remoting) { param($state) (ConvertTo-DapSimUsingText -Text 'Get-Mailbox -ResultSize $using:limit' -CallerState $state) | ForEach-Object { $_.Text; $_.Values['__using_limit'] } } $ExecutionContext.SessionState`,
      env,
    );
    expect(result.stdout.trim().split(/\r?\n/)).toEqual(['Get-Mailbox -ResultSize $__using_limit', '5']);
  });
  it('hands a single hashtable in -ArgumentList to the remote block as one argument, not splatted by name', async () => {
    const result = await runPwshScript(
      `${importStandIns}& (Get-Module DapSim.Remoting) {
  $s = [pscustomobject]@{ PSTypeName = 'DapSim.PSSession'; SimSessionId = 'arguments-test'; Name = 'Runspace8'; ComputerName = 'ps.outlook.com'; RunspaceId = [guid]::NewGuid() }
  $script:OpenSessions['arguments-test'] = @{ Session = $s; Module = [System.Management.Automation.PSModuleInfo]::new($true) }
  function Test-Run { [CmdletBinding()] param() Invoke-DapSimScript -Cmdlet $PSCmdlet -Session $s -Text 'param($p) "{0} {1} {2}" -f $p.GetType().Name, $p.ResultSize, $args.Count' -ArgumentList (, @{ ResultSize = 2 }) }
  Test-Run
}`,
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('Hashtable 2 0');
  });

  it('closes the temporary session of an Invoke-Command stopped while the session opens, or before its command', async () => {
    // a slow open, and a slow command: each call is stopped inside one of them. The calls run in
    // one runspace that has the stand-ins loaded already, so that even on a loaded machine the first
    // has sent its open long before it is stopped, and the second has its session before.
    const sim = await startSimulator({ scenario: { tenantCount: 2, emptyTenantRate: 0, latency: { sessionOpenMs: 5000, commandMs: 5000 } } });
    try {
      const result = await runPwshScript(
        `${importStandIns}$credential = [pscredential]::new('admin@contoso.onmicrosoft.com', (ConvertTo-SecureString -String $env:DAP_PASSWORD -AsPlainText -Force))
Connect-MsolService -Credential $credential
$tenant = (Get-MsolPartnerContract -All | Select-Object -First 1).TenantId
$domain = (Get-MsolDomain -TenantId $tenant | Where-Object -FilterScript { $_.IsInitial }).Name
$runspace = [runspacefactory]::CreateRunspace()
$runspace.Open()
$warm = [powershell]::Create()
$warm.Runspace = $runspace
$null = $warm.AddScript('Import-Module -Name MSOnline; $null = Get-Command -Name Invoke-Command').Invoke()
foreach ($wait in 2000, 7500) {
    $call = [powershell]::Create()
    $call.Runspace = $runspace
    $null = $call.AddScript('param($Credential, $Uri) Invoke-Command -ConnectionUri $Uri -Credential $Credential -Authentication Basic -ScriptBlock { Get-Mailbox }')
    $null = $call.AddParameter('Credential', $credential).AddParameter('Uri', "https://ps.outlook.com/powershell-liveid?DelegatedOrg=$domain")
    $null = $call.BeginInvoke()
    Start-Sleep -Milliseconds $wait
    $call.Stop()
    $call.InvocationStateInfo.State.ToString()
}`,
        { ...env, ...sim.env, PSModulePath: sim.env.PSModulePath! },
      );
      expect(result.stderr).toBe('');
      expect(result.stdout.trim().split(/\r?\n/)).toEqual(['Stopped', 'Stopped']);
      // the first open answers after its call was stopped: the service closes it as it opens
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect(sim.stats().accounts['admin@contoso.onmicrosoft.com']).toMatchObject({ sessionsOpened: 2, openSessions: 0 });
    } finally {
      await sim.stop();
    }
  });

  it('Import-PSSession makes prefixed local functions with the session cmdlets parameters', async () => {
    const result = await runPwshScript(
      `${importStandIns}$imported = & (Get-Module DapSim.Remoting) {
  $s = [pscustomobject]@{ PSTypeName = 'DapSim.PSSession'; SimSessionId = 'closed-test'; Name = 'Runspace9' }
  $client = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($script:ExchangeCmdletsPath), 'DapSimClient.ps1')
  $m = New-Module -Name 'DapSim.Session.9' -ArgumentList @{}, $script:ExchangeCmdletsPath, $client -ScriptBlock { param($Context, $CmdletsPath, $ClientPath) $script:DapSimSession = $Context; . $ClientPath; . $CmdletsPath; Export-ModuleMember -Function @() }
  $script:OpenSessions['closed-test'] = @{ Session = $s; Module = $m }
  Import-PSSession -Session $s -Prefix Cust -CommandName 'Get-Mailbox*'
}
(Get-Command -Module $imported.Name | ForEach-Object Name) -join ','
try { Get-CustMailboxActivityReport -ReportType Hourly } catch { $_.FullyQualifiedErrorId }`,
      env,
    );
    expect(result.stdout.trim().split(/\r?\n/)).toEqual([
      'Get-CustMailbox,Get-CustMailboxActivityReport,Get-CustMailboxStatistics,Get-CustMailboxUsageDetailReport,Get-CustMailboxUsageReport',
      'ParameterArgumentValidationError,Get-CustMailboxActivityReport',
    ]);
  });
});
