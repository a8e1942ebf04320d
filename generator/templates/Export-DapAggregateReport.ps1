function Export-DapAggregateReport {
    <#
    .SYNOPSIS
    Runs one report in every customer tenant and writes one merged CSV file and one errors file.

    .DESCRIPTION
    Signs in (Connect-DapPartner), discovers the customer tenants (Get-DapCustomer), then runs the
    report in each tenant: on PowerShell 7 in parallel with ForEach-Object -Parallel, at most
    ThrottleLimit tenants at a time (the service allows 3 open sessions per account); on Windows
    PowerShell 5.1 one tenant after another. Every remote session is a temporary one that
    Invoke-Command closes when the tenant is done, whether it succeeded or failed.

    The output CSV starts with TenantId and TenantDomain, followed by the union of the report's
    columns in the order they were first seen. It is written to a temporary file beside OutputFile
    and then moved over it, so a reader never sees half a file. The errors file has one line per
    failed tenant (domain, tenant id, failure category and the service's message), then one NoData
    line per tenant whose report returned no rows. A failed sign-in
    stops everything before any tenant is contacted (Dap.AuthenticationFailed).

    It runs the Exchange Online reports. The Microsoft Graph reports (Get-DapGraphToken piped into
    their own functions) are not in its Report set.

    .PARAMETER Report
    The report to run, by name.

    .PARAMETER Credential
    The partner administrator's credential.

    .PARAMETER OutputFile
    The merged CSV file to write; replaced if it exists.

    .PARAMETER ErrorFile
    The text file listing every tenant that failed or returned no rows; replaced if it exists.

    .PARAMETER Parameters
    The report's own parameters, by name, e.g. @{ ReportType = 'Monthly' }.

    .PARAMETER ThrottleLimit
    How many tenants run at the same time, 1 to 3.

    .PARAMETER Tenant
    Only these tenants: initial domains, default domains or tenant ids.

    .PARAMETER Exclude
    Leave these tenants out: initial domains, default domains or tenant ids.

    .EXAMPLE
    Export-DapAggregateReport -Report MailboxActivityReport -Credential $credential -OutputFile ReportOutput.csv -ErrorFile Errors.txt -Parameters @{ ReportType = 'Monthly' }

    Monthly mailbox activity of every customer tenant, merged into ReportOutput.csv.

    .OUTPUTS
    DapReporting.AggregateResult: Report, Tenants, Succeeded (NoData of them without rows), Failed, Rows, OutputFile, ErrorFile.

    .LINK
    Get-DapCustomer
    #>
    [CmdletBinding()]
    [OutputType('DapReporting.AggregateResult')]
    param(
        [Parameter(Mandatory)]
        [ValidateSet({{ReportNames}})]
        [string] $Report,

        [Parameter(Mandatory)]
        [pscredential] $Credential,

        [Parameter(Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $OutputFile,

        [Parameter(Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $ErrorFile,

        [hashtable] $Parameters = @{},

        [ValidateRange(1, 3)]
        [int] $ThrottleLimit = 3,

        [ValidateNotNullOrEmpty()]
        [string[]] $Tenant,

        [ValidateNotNullOrEmpty()]
        [string[]] $Exclude
    )
    $reportFunctions = {{ReportFunctions}}
    $functionName = $reportFunctions[$Report]
    $reportCommand = Get-Command -Name $functionName -CommandType Function -ErrorAction SilentlyContinue
    $fixed = @('TenantId', 'InitialDomain', 'TenantDomain', 'Credential')
    foreach ($name in @($Parameters.Keys)) {
        if (-not $reportCommand -or -not $reportCommand.Parameters.ContainsKey($name) -or $fixed -contains $name) {
            $exception = [System.ArgumentException]::new(("Report {0} has no parameter '{1}'." -f $Report, $name))
            $record = [System.Management.Automation.ErrorRecord]::new(
                $exception, 'Dap.InvalidParameter', [System.Management.Automation.ErrorCategory]::InvalidArgument, $name)
            $PSCmdlet.ThrowTerminatingError($record)
        }
    }
    $outputPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputFile)
    $errorPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($ErrorFile)

    try {
        Connect-DapPartner -Credential $Credential
    }
    catch {
        $PSCmdlet.ThrowTerminatingError($_)
    }
    $failures = [System.Collections.Generic.List[object]]::new()
    $noData = [System.Collections.Generic.List[object]]::new()
    $rows = [System.Collections.Generic.List[object]]::new()
    $discovery = @{ ErrorAction = 'SilentlyContinue'; ErrorVariable = 'discoveryErrors' }
    if ($Tenant) { $discovery.Tenant = $Tenant }
    if ($Exclude) { $discovery.Exclude = $Exclude }
    $discoveryErrors = $null
    try {
        $customers = @(Get-DapCustomer @discovery)
    }
    catch {
        $PSCmdlet.ThrowTerminatingError($_)
    }
    foreach ($item in @($discoveryErrors)) {
        if ($item -isnot [System.Management.Automation.ErrorRecord]) { continue }
        $category = if ([string]$item.FullyQualifiedErrorId -match '^Dap\.([A-Za-z]+)') { $Matches[1] } else { 'RemoteError' }
        $failures.Add([pscustomobject]@{ TenantDomain = ''; TenantId = [string]$item.TargetObject; Category = $category; Message = $item.ToString() })
    }

    # One tenant: its rows, or the error that stopped it. Runs here or in a parallel runspace.
    $runTenant = {
        param($Customer, $FunctionName, $Credential, $Parameters)
        try {
            $tenantRows = @(& $FunctionName -TenantId $Customer.TenantId -InitialDomain $Customer.InitialDomain -Credential $Credential @Parameters -ErrorAction Stop)
            [pscustomobject]@{ Customer = $Customer; Rows = $tenantRows; Failure = $null }
        }
        catch {
            [pscustomobject]@{ Customer = $Customer; Rows = @(); Failure = $_ }
        }
    }
    $total = $customers.Count
    $done = 0
    $activity = 'Running {0} in {1} customer tenants' -f $Report, $total
    # Dot-sourced, so it updates this function's counters and lists.
    $record = {
        param($Result)
        $done++
        Write-Progress -Activity $activity -Status ('{0} of {1} tenants done, {2} failed' -f $done, $total, $failures.Count) -PercentComplete ([int](100 * $done / [Math]::Max($total, 1)))
        $failure = $Result.Failure
        if ($failure) {
            $category = if ([string]$failure.FullyQualifiedErrorId -match '^Dap\.([A-Za-z]+)') {
                $Matches[1]
            }
            elseif ($failure.Exception -is [System.Management.Automation.ParameterBindingException]) {
                if (@('InitialDomain', 'TenantDomain') -contains $failure.Exception.ParameterName) { 'InvalidDomain' } else { 'InvalidParameter' }
            }
            else {
                'RemoteError'
            }
            $failures.Add([pscustomobject]@{
                    TenantDomain = $Result.Customer.InitialDomain
                    TenantId     = $Result.Customer.TenantId
                    Category     = $category
                    Message      = $failure.ToString()
                })
        }
        else {
            $before = $rows.Count
            foreach ($row in $Result.Rows) { $rows.Add($row) }
            if ($rows.Count -eq $before) { $noData.Add($Result.Customer) }
        }
    }
    try {
        if ($PSVersionTable.PSVersion.Major -ge 7 -and $ThrottleLimit -gt 1 -and $total -gt 1) {
            # Parallel runspaces start empty: they load DapReporting by path (or, for a standalone
            # script, receive its functions' text), and any module whose function stands in for
            # Invoke-Command here, so that stand-in is used there too. Both go to the global scope,
            # where the module's own functions look commands up.
            $setup = @{ Modules = [System.Collections.Generic.List[string]]::new(); Functions = @{}; RunTenant = $runTenant.ToString() }
            $ownModule = $MyInvocation.MyCommand.Module
            if ($ownModule) {
                $setup.Modules.Add([System.IO.Path]::Combine($ownModule.ModuleBase, ('{0}.psd1' -f $ownModule.Name)))
            }
            else {
                foreach ($name in @('Invoke-DapTenantReport', $functionName)) {
                    $setup.Functions[$name] = (Get-Command -Name $name -CommandType Function).ScriptBlock.ToString()
                }
            }
            $invokeCommand = Get-Command -Name Invoke-Command
            if ($invokeCommand.CommandType -eq 'Function' -and $invokeCommand.Module -and $invokeCommand.Module.Path) {
                $setup.Modules.Add($invokeCommand.Module.Path)
            }
            $customers | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
                $setup = $using:setup
                foreach ($path in $setup.Modules) {
                    Import-Module -Name $path -Global -ErrorAction Stop
                }
                foreach ($entry in $setup.Functions.GetEnumerator()) {
                    Set-Item -LiteralPath ('function:global:{0}' -f $entry.Key) -Value ([scriptblock]::Create($entry.Value))
                }
                & ([scriptblock]::Create($setup.RunTenant)) $_ $using:functionName $using:Credential $using:Parameters
            } | ForEach-Object { . $record $_ }
        }
        else {
            foreach ($customer in $customers) {
                . $record (& $runTenant $customer $functionName $Credential $Parameters)
            }
        }
    }
    finally {
        Write-Progress -Activity $activity -Completed
    }

    $columns = [System.Collections.Generic.List[string]]::new()
    $seen = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in @('TenantId', 'TenantDomain')) {
        [void]$seen.Add($name)
        $columns.Add($name)
    }
    foreach ($row in $rows) {
        foreach ($property in $row.PSObject.Properties) {
            if ($seen.Add($property.Name)) { $columns.Add($property.Name) }
        }
    }
    $directory = [System.IO.Path]::GetDirectoryName($outputPath)
    $temporary = [System.IO.Path]::Combine($directory, ('.{0}.{1}.tmp' -f [System.IO.Path]::GetFileName($outputPath), [guid]::NewGuid().ToString('N')))
    try {
        if ($rows.Count -gt 0) {
            $rows | ForEach-Object {
                $row = $_
                $values = [ordered]@{}
                foreach ($name in $columns) {
                    $property = $row.PSObject.Properties[$name]
                    $values[$name] = if ($property) { $property.Value } else { $null }
                }
                [pscustomobject]$values
            } | Export-Csv -LiteralPath $temporary -NoTypeInformation -Encoding UTF8
        }
        else {
            [System.IO.File]::WriteAllText($temporary, ('"TenantId","TenantDomain"' + [Environment]::NewLine))
        }
        Move-Item -LiteralPath $temporary -Destination $outputPath -Force
    }
    finally {
        if ([System.IO.File]::Exists($temporary)) { [System.IO.File]::Delete($temporary) }
    }
    $lines = [System.Collections.Generic.List[string]]::new()
    foreach ($failure in $failures) {
        $lines.Add(('{0} ({1}) {2}: {3}' -f $failure.TenantDomain, $failure.TenantId, $failure.Category, ($failure.Message -replace '\s*[\r\n]+\s*', ' ')))
    }
    foreach ($customer in $noData) {
        $lines.Add(('{0} ({1}) NoData: the report returned no rows for this tenant' -f $customer.InitialDomain, $customer.TenantId))
    }
    [System.IO.File]::WriteAllLines($errorPath, $lines)

    [pscustomobject]@{
        PSTypeName = 'DapReporting.AggregateResult'
        Report     = $Report
        Tenants    = $total + ($failures.Count - @($failures | Where-Object { $_.TenantDomain }).Count)
        Succeeded  = $total - @($failures | Where-Object { $_.TenantDomain }).Count
        NoData     = $noData.Count
        Failed     = $failures.Count
        Rows       = $rows.Count
        OutputFile = $outputPath
        ErrorFile  = $errorPath
    }
}
