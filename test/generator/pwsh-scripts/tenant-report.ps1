# Runs Invoke-DapTenantReport and a report function against a stand-in Invoke-Command that runs
# the script block locally (as the remote session would) or fails the way the service does.
# Prints one line per observation for test/generator/module-engine.test.ts.
param(
    [Parameter(Mandatory)] [string] $ModuleRoot
)
Import-Module -Name ([System.IO.Path]::Combine($ModuleRoot, 'DapReporting', 'DapReporting.psd1'))

$global:Scenario = 'rows'
$global:Calls = [System.Collections.Generic.List[string]]::new()
function global:Invoke-Command {
    [CmdletBinding()]
    param($ConnectionUri, $ConfigurationName, $Credential, $Authentication, [switch] $AllowRedirection, [scriptblock] $ScriptBlock, [object[]] $ArgumentList)
    $global:Calls.Add(('{0} {1} {2} {3}' -f $ConnectionUri, $ConfigurationName, $Authentication, $AllowRedirection.IsPresent))
    $fail = {
        param($Id, $Text)
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.Exception]::new($Text), $Id, 'OpenError', $null))
    }
    switch ($global:Scenario) {
        'rows' { & ([scriptblock]::Create($ScriptBlock.ToString())) @ArgumentList }
        'empty' { }
        'session-limit' { & $fail -Id '-2144108477,PSSessionOpenFailed' -Text 'Processing data from remote server ps.outlook.com failed with the following error message: [AuthZRequestId=1][FailureCategory=AuthZ-AuthorizationException] Fail to create a runspace because you have exceeded the maximum number of connections allowed : 3 for the policy party : MaxConcurrency.' }
        'access-denied' { & $fail -Id 'AccessDenied,PSSessionOpenFailed' -Text '[ps.outlook.com] Connecting to remote server ps.outlook.com failed with the following error message : Access is denied.' }
        'throttled' { & $fail -Id 'Throttled' -Text 'The request was throttled: too many requests.' }
        'invalid-date' { & $fail -Id '[Server=X] [FailureCategory=Cmdlet-InvalidDateParameterException] 1,Get-MailboxActivityReport' -Text 'The start date cannot be later than the end date.' }
        'other' { & $fail -Id 'Something,Else' -Text "Line one`nline two" }
        'throws' { throw 'The WSMan client library was not found.' }
    }
}
function global:Get-MailboxActivityReport {
    param($ReportType, $StartDate)
    $global:Calls.Add(('Get-MailboxActivityReport {0}' -f (($PSBoundParameters.Keys | ForEach-Object -Process { '{0}={1}' -f $_, $PSBoundParameters[$_] }) -join ';')))
    [pscustomobject]@{ TenantGuid = 'g'; Date = '2015-03-18'; PSComputerName = 'ps.outlook.com'; RunspaceId = [guid]::Empty; PSShowComputerName = $false; TotalNumberOfActiveMailboxes = 7 }
}
function global:Get-Mailbox { param($ResultSize) 'box-1', 'box-2' }
function global:Get-MailboxStatistics {
    param([Parameter(ValueFromPipeline)] $Identity)
    process { [pscustomobject]@{ DisplayName = $Identity; ItemCount = 1 } }
}

$credential = [pscredential]::new('admin@contoso.onmicrosoft.com', [securestring]::new())
$tenant = '6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b'
$target = @{ TenantId = $tenant; InitialDomain = 'contoso.onmicrosoft.com'; Credential = $credential }

foreach ($row in Invoke-DapTenantReport @target -Command Get-MailboxActivityReport -Parameters @{ ReportType = 'Monthly' }) {
    "ROW $(($row.PSObject.Properties | ForEach-Object -Process { '{0}={1}' -f $_.Name, $_.Value }) -join ';')"
}
foreach ($row in Invoke-DapTenantReport @target -Command Get-MailboxStatistics -InputCommand Get-Mailbox -InputParameters @{ ResultSize = 'Unlimited' }) {
    "PIPED $($row.TenantDomain) $($row.DisplayName)"
}
foreach ($call in $global:Calls) { "CALL $call" }

foreach ($scenario in 'empty', 'session-limit', 'access-denied', 'throttled', 'invalid-date', 'other', 'throws') {
    $global:Scenario = $scenario
    try {
        $rows = @(Invoke-DapTenantReport @target -Command Get-MailboxActivityReport -ErrorAction Stop)
        "SCENARIO $scenario rows=$($rows.Count)"
    }
    catch {
        "SCENARIO $scenario error=$($_.FullyQualifiedErrorId) target=$($_.TargetObject) message=$($_.Exception.Message -replace '\n', '\n')"
    }
}

# What the caller's -ErrorVariable holds after a failure: the one Dap record, nothing else.
foreach ($scenario in 'access-denied', 'other', 'throws') {
    $global:Scenario = $scenario
    $collected = $null
    $null = @(Invoke-DapTenantReport @target -Command Get-MailboxActivityReport -ErrorAction SilentlyContinue -ErrorVariable collected)
    "RECORDS $scenario $((@($collected) | ForEach-Object -Process { '{0}@{1}' -f $_.FullyQualifiedErrorId, $_.TargetObject }) -join ',')"
}

# The report function: pipeline input by property name, only bound parameters sent, one failing
# tenant does not stop the others.
$global:Scenario = 'rows'
$global:Calls.Clear()
$customers = @(
    [pscustomobject]@{ TenantId = $tenant; InitialDomain = 'contoso.onmicrosoft.com'; Name = 'Contoso' }
    [pscustomobject]@{ TenantId = '00000000-0000-0000-0000-000000000001'; InitialDomain = 'bad..domain'; Name = 'Broken' }
    [pscustomobject]@{ TenantId = '00000000-0000-0000-0000-000000000002'; InitialDomain = 'fabrikam.onmicrosoft.com'; Name = 'Fabrikam' }
)
$Error.Clear()
$rows = @($customers | Get-DapMailboxActivityReport -Credential $credential -ReportType Weekly -ErrorAction SilentlyContinue)
"PIPELINE rows=$($rows.Count) domains=$(($rows | ForEach-Object -MemberName TenantDomain) -join ',') errors=$(($Error | ForEach-Object -MemberName FullyQualifiedErrorId) -join ',')"
foreach ($call in $global:Calls) { "PIPECALL $call" }
"DONE"
