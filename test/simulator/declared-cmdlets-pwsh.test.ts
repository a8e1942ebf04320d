// A cmdlet only a report catalog declares, called through the remoting stand-ins as a partner
// script would call it: New-PSSession, Invoke-Command, Import-PSSession, the pipeline of an input cmdlet.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { buildWorld, loadCatalogFile, loadScenario, startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { runPwshScript } from '../helpers/powershell.js';

const catalog = loadCatalogFile(join(projectRoot, 'test', 'fixtures', 'catalogs', 'own-reports.catalog.json'));
const tenant = buildWorld(loadScenario()).tenants.find((t) => t.mailboxes.length >= 8)!;

// The script is the test's own text; the simulator's address, the stand-ins and the tenant cross as environment variables.
const open = `Import-Module -Name $env:DAP_TEST_MSONLINE -ErrorAction Stop
$credential = Get-Credential -Credential 'admin@contoso.onmicrosoft.com'
$uri = 'https://ps.outlook.com/powershell-liveid?DelegatedOrg=' + $env:DAP_TEST_DOMAIN
$session = New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri $uri -Credential $credential -Authentication Basic -AllowRedirection -WarningAction SilentlyContinue
`;

describe('a declared cmdlet through the remoting stand-ins', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ catalogs: [catalog] });
  });
  afterAll(async () => {
    await sim.stop();
  });
  const run = (body: string) => runPwshScript(`${open}try {\n${body}\n} finally { Remove-PSSession -Session $session }`, { ...sim.env, DAP_TEST_MSONLINE: sim.standInModules[0]!, DAP_TEST_DOMAIN: tenant.initialDomain });

  it('runs in the session with its parameters and returns typed rows', async () => {
    const result = await run(`$rows = @(Invoke-Command -Session $session -ScriptBlock {
  Get-MobileDevice -StartDate ([datetime]'2026-10-01') -EndDate ([datetime]'2026-10-31') -DeviceType Phone -MaxDevices 2 -ActiveOnly
})
"rows=$($rows.Count)"
$first = $rows[0]
'{0} {1} {2} {3} {4}' -f $first.FirstSyncTime.GetType().Name, $first.IsManaged.GetType().Name, $first.FolderCount.GetType().Name, $first.PercentSynced.GetType().Name, $first.PSComputerName
"in window=$(@($rows | Where-Object -FilterScript { $_.FirstSyncTime -lt [datetime]'2026-10-01' -or $_.FirstSyncTime -gt [datetime]'2026-10-31' }).Count -eq 0)"
(Invoke-Command -Session $session -ScriptBlock { Get-Command -Name Get-MobileDevice }).Name`);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split(/\r?\n/);
    expect(Number(/^rows=(\d+)$/.exec(lines[0]!)?.[1])).toBeGreaterThanOrEqual(2);
    expect(lines.slice(1)).toEqual(['DateTime Boolean Int64 Double ps.outlook.com', 'in window=True', 'Get-MobileDevice']);
  });

  it("refuses an unknown parameter, a value of the wrong type and a positional argument with PowerShell's own errors (a compiled cmdlet's ids)", async () => {
    const result = await run(`Invoke-Command -Session $session -ScriptBlock { Get-MobileDevice -Colour blue } -ErrorVariable unknown -ErrorAction SilentlyContinue
$unknown[0].FullyQualifiedErrorId
$unknown[0].Exception.Message
Invoke-Command -Session $session -ScriptBlock { Get-MobileDevice -MaxDevices many } -ErrorVariable bad -ErrorAction SilentlyContinue
$bad[0].FullyQualifiedErrorId
Invoke-Command -Session $session -ScriptBlock { Get-MobileDevice -ResultSize none } -ErrorVariable size -ErrorAction SilentlyContinue
$size[0].FullyQualifiedErrorId
Invoke-Command -Session $session -ScriptBlock { Get-MobileDevice 5 } -ErrorVariable positional -ErrorAction SilentlyContinue
$positional[0].FullyQualifiedErrorId`);
    expect(result.stdout.trim().split(/\r?\n/)).toEqual([
      'NamedParameterNotFound,Get-MobileDevice',
      "A parameter cannot be found that matches parameter name 'Colour'.",
      'CannotConvertArgumentNoMessage,Get-MobileDevice',
      'ParameterArgumentValidationError,Get-MobileDevice',
      'PositionalParameterNotFound,Get-MobileDevice',
    ]);
  });

  it('takes the objects of its input cmdlet from the pipeline, and imports with Import-PSSession -Prefix', async () => {
    const result = await run(`$groups = @(Invoke-Command -Session $session -ScriptBlock { Get-DistributionGroup -ResultSize Unlimited })
$members = @(Invoke-Command -Session $session -ScriptBlock { Get-DistributionGroup -ResultSize Unlimited | Get-DistributionGroupMember })
$one = 0
foreach ($group in $groups) { $one += @(Invoke-Command -Session $session -ScriptBlock { param($id) Get-DistributionGroupMember -Identity $id } -ArgumentList $group.Identity).Count }
"groups=$($groups.Count -gt 0) piped=$($members.Count -eq $one)"
$module = Import-PSSession -Session $session -Prefix Cust -CommandName 'Get-MobileDevice', 'Get-DistributionGroup*'
(Get-Command -Module $module.Name | ForEach-Object -MemberName Name | Sort-Object) -join ','
@(Get-CustMobileDevice -ResultSize 2 -WarningAction SilentlyContinue).Count
try { Get-CustMobileDevice -Colour blue } catch { $_.FullyQualifiedErrorId }`);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split(/\r?\n/)).toEqual([
      'groups=True piped=True',
      'Get-CustDistributionGroup,Get-CustDistributionGroupMember,Get-CustMobileDevice',
      '2',
      'NamedParameterNotFound,Get-CustMobileDevice',
    ]);
  });
});

describe('the session side of the declared cmdlets', () => {
  it('refuses a declared name that is not Verb-Noun and never redefines a cmdlet the session has', async () => {
    const result = await runPwshScript(
      `$module = [System.Management.Automation.PSModuleInfo]::new($true)
. $module {
  param($Standins)
  $script:DapSimSession = @{ DeclaredCmdlets = @(
    @{ name = 'Get-Mailbox'; parameters = @(@{ name = 'Colour'; type = 'string'; array = $false }) }
    @{ name = 'Get-Widget'; parameters = @(@{ name = 'Size'; type = 'integer'; array = $false }) }
  ) }
  . ([System.IO.Path]::Combine($Standins, 'DapSim.Remoting', 'DapSimClient.ps1'))
  . ([System.IO.Path]::Combine($Standins, 'DapSim.Remoting', 'ExchangeCmdlets.ps1'))
  (Get-Command -Name Get-Mailbox).Parameters.ContainsKey('Colour')
  (Get-Command -Name Get-Widget).Parameters['Size'].ParameterType.Name
  try { Add-DapSimDeclaredCmdlet -Declared @{ name = 'Get-Widget; Remove-Item'; parameters = @() } } catch { $_.Exception.Message }
  try { Add-DapSimDeclaredCmdlet -Declared @{ name = 'Get-Gadget'; parameters = @(@{ name = 'a b'; type = 'string'; array = $false }) } } catch { $_.Exception.Message }
} $env:STANDINS`,
      { STANDINS: join(projectRoot, 'simulator', 'powershell') },
    );
    expect(result.stdout.trim().split(/\r?\n/)).toEqual([
      'False',
      'Int32',
      "The simulator declared a cmdlet named 'Get-Widget; Remove-Item'; a cmdlet name is Verb-Noun.",
      "The simulator declared a parameter named 'a b'; a parameter name is a letter followed by letters and digits.",
    ]);
  });
});
