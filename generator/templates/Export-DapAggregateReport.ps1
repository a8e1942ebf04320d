function Export-DapAggregateReport {
    <#
    .SYNOPSIS
    Runs one report in every customer tenant and writes one merged CSV file and one errors file.

    .DESCRIPTION
    Signs in (Connect-DapPartner), discovers the customer tenants (Get-DapCustomer), then runs the
    report in each tenant: in parallel with ForEach-Object -Parallel, at most ThrottleLimit tenants
    at a time (the service allows dap-gen:MaxSessionsPerAccount open sessions per account), or one tenant after another with
    ThrottleLimit 1 (and in a standalone script on Windows PowerShell 5.1). Every remote session is
    a temporary one that Invoke-Command closes when the tenant is done, whether it succeeded or
    failed. Failed tenants are listed in the errors file, not written as error records.

    The output CSV starts with TenantId and TenantDomain, followed by the union of the report's
    columns in the order they were first seen. It is written to a temporary file beside OutputFile
    and then moved over it, so a reader never sees half a file. The errors file is the same CSV as
    the one dap-report writes: columns dap-gen:ErrorsFileColumns, one line per tenant that failed
    (its failure category and the service's message on one line) or returned no rows (NoData), in
    domain order. A failed sign-in stops everything before any tenant is contacted
    (Dap.AuthenticationFailed).

    Existing files are replaced; -NoClobber refuses to (Dap.FileExists) and a read-only file is
    replaced only with -Force (Dap.FileReadOnly otherwise). Both are checked before signing in, so
    nothing runs when the files cannot be written. -WhatIf shows what would be written and runs
    nothing; -Verbose reports each tenant as it finishes.

    It runs the Exchange Online reports. The Microsoft Graph reports (Get-DapGraphToken piped into
    their own functions) are not in its Report set.

    .PARAMETER Report
    The report to run, by name. The only parameter that may be given by position (position 0),
    kept for the scripts that already do; the examples name it.

    .PARAMETER Credential
    The partner administrator's credential.

    .PARAMETER OutputFile
    The merged CSV file to write.

    .PARAMETER ErrorFile
    The errors file (CSV) listing every tenant that failed or returned no rows. Default: OutputFile
    followed by dap-gen:ErrorsFileSuffix, e.g. ReportOutput.csvdap-gen:ErrorsFileSuffix.

    .PARAMETER Parameters
    The report's own parameters, by name, e.g. @{ ReportType = 'Monthly' }.

    .PARAMETER ThrottleLimit
    How many tenants run at the same time, 1 to dap-gen:MaxSessionsPerAccount.

    .PARAMETER Tenant
    Only these tenants: initial domains, default domains or tenant ids.

    .PARAMETER Exclude
    Leave these tenants out: initial domains, default domains or tenant ids.

    .PARAMETER Force
    Replace OutputFile and ErrorFile even when they are read-only. Cannot be combined with NoClobber.

    .PARAMETER NoClobber
    Do not replace an existing OutputFile or ErrorFile: stop with Dap.FileExists before signing in.

    .PARAMETER WhatIf
    Shows the files that would be written, without signing in or running anything.

    .PARAMETER Confirm
    Asks before signing in and running the report.

    .EXAMPLE
    Export-DapAggregateReport -Report MailboxActivityReport -Credential $credential -OutputFile ReportOutput.csv -Parameters @{ ReportType = 'Monthly' }

    Monthly mailbox activity of every customer tenant, merged into ReportOutput.csv; failed and empty tenants in ReportOutput.csvdap-gen:ErrorsFileSuffix.

    .EXAMPLE
    Export-DapAggregateReport -Report StaleMailboxReport -Credential $credential -OutputFile stale.csv -ErrorFile stale-errors.csv -Exclude test.onmicrosoft.com -NoClobber -Verbose

    Every tenant but one, without replacing an earlier stale.csv, reporting each tenant as it finishes.

    .INPUTS
    None. You cannot pipe objects to Export-DapAggregateReport.

    .OUTPUTS
    DapReporting.AggregateResult: Report, Tenants, Succeeded (NoData of them without rows), Failed, Rows, OutputFile, ErrorFile.

    .LINK
    Get-DapCustomer
    #>
    [CmdletBinding(SupportsShouldProcess, PositionalBinding = $false)]
    [OutputType('DapReporting.AggregateResult')]
    param(
        [Parameter(Mandatory, Position = 0)]
        [ValidateSet('dap-gen:ReportNames')]
        [string] $Report,

        [Parameter(Mandatory)]
        [pscredential] $Credential,

        [Parameter(Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $OutputFile,

        [ValidateNotNullOrEmpty()]
        [string] $ErrorFile,

        [hashtable] $Parameters = @{},

        [ValidateRange(1, 'dap-gen:MaxSessionsPerAccount')]
        [int] $ThrottleLimit = 'dap-gen:MaxSessionsPerAccount',

        [ValidateNotNullOrEmpty()]
        [string[]] $Tenant,

        [ValidateNotNullOrEmpty()]
        [string[]] $Exclude,

        [switch] $Force,

        [switch] $NoClobber
    )
    $reportFunctions = 'dap-gen:ReportFunctions'
    $functionName = $reportFunctions[$Report]
    $reportCommand = Get-Command -Name $functionName -CommandType Function -ErrorAction SilentlyContinue
    $fixed = @('TenantId', 'InitialDomain', 'TenantDomain', 'Credential')
    foreach ($name in @($Parameters.Keys)) {
        if (-not $reportCommand -or -not $reportCommand.Parameters.ContainsKey($name) -or $fixed -contains $name) {
            $message = "Report {0} has no parameter '{1}'." -f $Report, $name
            $PSCmdlet.ThrowTerminatingError((New-DapErrorRecord -Category InvalidParameter -ErrorCategory InvalidArgument -Message $message -ExceptionType ([System.ArgumentException]) -Target $name))
        }
    }
    $stop = {
        param([string] $Category, [string] $ErrorCategory, [string] $Message, $Target)
        $PSCmdlet.ThrowTerminatingError((New-DapErrorRecord -Category $Category -ErrorCategory $ErrorCategory -Message $Message -ExceptionType ([System.InvalidOperationException]) -Target $Target))
    }
    if ($Force -and $NoClobber) {
        & $stop -Category 'InvalidParameter' -ErrorCategory 'InvalidArgument' -Message 'Force and NoClobber cannot be combined: Force replaces read-only files, NoClobber replaces no file.' -Target $null
    }
    $outputPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputFile)
    $errorPath = if ($PSBoundParameters.ContainsKey('ErrorFile')) {
        $PSCmdlet.GetUnresolvedProviderPathFromPSPath($ErrorFile)
    }
    else {
        $outputPath + 'dap-gen:ErrorsFileSuffix'
    }
    if ($errorPath -eq $outputPath) {
        & $stop -Category 'InvalidParameter' -ErrorCategory 'InvalidArgument' -Message ('ErrorFile and OutputFile both name {0}: expected two different files.' -f $outputPath) -Target $outputPath
    }
    foreach ($path in @($outputPath, $errorPath)) {
        if (-not [System.IO.File]::Exists($path)) { continue }
        if ($NoClobber) {
            & $stop -Category 'FileExists' -ErrorCategory 'ResourceExists' -Message ('{0} exists and NoClobber was given: nothing was run.' -f $path) -Target $path
        }
        if (-not $Force -and ([System.IO.File]::GetAttributes($path) -band [System.IO.FileAttributes]::ReadOnly)) {
            & $stop -Category 'FileReadOnly' -ErrorCategory 'PermissionDenied' -Message ('{0} is read-only: use -Force to replace it. Nothing was run.' -f $path) -Target $path
        }
    }
    if (-not $PSCmdlet.ShouldProcess(('{0} and {1}' -f $outputPath, $errorPath), ('Run {0} in every customer tenant and write' -f $Report))) {
        return
    }
    # Replaces a file that -Force allows to be replaced although it is read-only.
    $makeWritable = {
        param([string] $Path)
        if ($Force -and [System.IO.File]::Exists($Path)) {
            $attributes = [System.IO.File]::GetAttributes($Path)
            if ($attributes -band [System.IO.FileAttributes]::ReadOnly) {
                [System.IO.File]::SetAttributes($Path, $attributes -bxor [System.IO.FileAttributes]::ReadOnly)
            }
        }
    }

    Write-Verbose -Message ('Signing in as {0}' -f $Credential.UserName)
    try {
        Connect-DapPartner -Credential $Credential
    }
    catch {
        $PSCmdlet.ThrowTerminatingError($_)
    }
    $failures = [System.Collections.Generic.List[object]]::new()
    $noData = [System.Collections.Generic.List[object]]::new()
    $rows = [System.Collections.Generic.List[object]]::new()
    # Runs a script block in a pipeline of its own (in this runspace, stopped with it), so that
    # the records its commands write reach neither the caller's -ErrorVariable nor $Error: every
    # failure ends up in the errors file, whichever way the tenants run. Returns the output, the
    # errors written and the error that stopped it.
    $isolated = {
        param([scriptblock] $Block, [hashtable] $Named)
        $result = @{ Output = @(); Errors = @(); Stopped = $null }
        $errorsBefore = $global:Error.Count
        $pipeline = [powershell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
        try {
            [void]$pipeline.AddScript($Block.ToString(), $true)
            [void]$pipeline.AddParameters($Named)
            try {
                $result.Output = @($pipeline.Invoke())
            }
            catch {
                $inner = $_.Exception.InnerException
                if ($inner -is [System.Management.Automation.PipelineStoppedException]) { throw $inner }
                $result.Stopped = if ($inner -is [System.Management.Automation.IContainsErrorRecord]) { $inner.ErrorRecord } else { $_ }
            }
            $result.Errors = @($pipeline.Streams.Error)
        }
        finally {
            # Not disposed: when the caller is stopped, PowerShell stops this pipeline from another
            # thread, which must never find it disposed; the garbage collector takes it.
            $pipeline = $null
            while ($global:Error.Count -gt $errorsBefore) { $global:Error.RemoveAt(0) }
        }
        $result
    }
    $discovery = @{ ErrorAction = 'Continue' }
    if ($Tenant) { $discovery.Tenant = $Tenant }
    if ($Exclude) { $discovery.Exclude = $Exclude }
    $discovered = & $isolated -Block { param($Discovery) Get-DapCustomer @Discovery } -Named @{ Discovery = $discovery }
    if ($discovered.Stopped) { $PSCmdlet.ThrowTerminatingError($discovered.Stopped) }
    $customers = @($discovered.Output)
    $discoveryErrors = $discovered.Errors
    foreach ($item in @($discoveryErrors)) {
        if ($item -isnot [System.Management.Automation.ErrorRecord]) { continue }
        $category = Get-DapFailureCategory -ErrorRecord $item
        Write-Verbose -Message ('[{0}] discovery failed ({1}): {2}' -f $item.TargetObject, $category, $item)
        $failures.Add([pscustomobject]@{ TenantDomain = ''; TenantId = [string]$item.TargetObject; Category = $category; Message = $item.ToString() })
    }
    Write-Verbose -Message ('{0} customer tenants to run {1} in, {2} at a time' -f $customers.Count, $Report, $ThrottleLimit)

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
            $category = Get-DapFailureCategory -ErrorRecord $failure
            $failures.Add([pscustomobject]@{
                    TenantDomain = $Result.Customer.InitialDomain
                    TenantId     = $Result.Customer.TenantId
                    Category     = $category
                    Message      = $failure.ToString()
                })
            Write-Verbose -Message ('[{0}] failed ({1}): {2}' -f $Result.Customer.InitialDomain, $category, $failure)
        }
        else {
            $before = $rows.Count
            foreach ($row in $Result.Rows) { $rows.Add($row) }
            if ($rows.Count -eq $before) { $noData.Add($Result.Customer) }
            Write-Verbose -Message ('[{0}] {1} rows ({2} of {3} tenants done)' -f $Result.Customer.InitialDomain, ($rows.Count - $before), $done, $total)
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
                & ([scriptblock]::Create($setup.RunTenant)) -Customer $_ -FunctionName $using:functionName -Credential $using:Credential -Parameters $using:Parameters
            } | ForEach-Object -Process { . $record -Result $_ }
        }
        else {
            foreach ($customer in $customers) {
                . $record -Result (@((& $isolated -Block $runTenant -Named @{ Customer = $customer; FunctionName = $functionName; Credential = $Credential; Parameters = $Parameters }).Output)[0])
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
            $rows | ForEach-Object -Process {
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
        & $makeWritable -Path $outputPath
        Move-Item -LiteralPath $temporary -Destination $outputPath -Force
    }
    finally {
        if ([System.IO.File]::Exists($temporary)) { [System.IO.File]::Delete($temporary) }
    }
    # The errors file, byte for byte as dap-report writes it: a field is quoted when it holds a
    # comma, a quote or a line break, a message is one line, records end with CRLF.
    $entries = [System.Collections.Generic.List[object]]::new()
    foreach ($failure in $failures) { $entries.Add($failure) }
    foreach ($customer in $noData) {
        $entries.Add([pscustomobject]@{ TenantDomain = $customer.InitialDomain; TenantId = $customer.TenantId; Category = 'NoData'; Message = 'dap-gen:NoDataMessage' })
    }
    $ordinal = [System.StringComparer]::Ordinal
    $entries.Sort([System.Comparison[object]] {
            param($a, $b)
            $byDomain = $ordinal.Compare([string]$a.TenantDomain, [string]$b.TenantDomain)
            if ($byDomain -ne 0) { return $byDomain }
            $ordinal.Compare([string]$a.TenantId, [string]$b.TenantId)
        })
    $csvField = {
        param([string] $Value)
        if ($Value.Contains(',') -or $Value.Contains('"') -or $Value.Contains("`r`n")) { return '"{0}"' -f $Value.Replace('"', '""') }
        $Value
    }
    $text = [System.Text.StringBuilder]::new()
    [void]$text.Append(((@('dap-gen:ErrorsFileColumns') | ForEach-Object -Process { & $csvField -Value $_ }) -join ',')).Append("`r`n")
    foreach ($entry in $entries) {
        $fields = @([string]$entry.TenantDomain, [string]$entry.TenantId, [string]$entry.Category, ([string]$entry.Message -replace '\s*[\r\n]+\s*', ' '))
        [void]$text.Append((($fields | ForEach-Object -Process { & $csvField -Value $_ }) -join ',')).Append("`r`n")
    }
    $temporary = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($errorPath), ('.{0}.{1}.tmp' -f [System.IO.Path]::GetFileName($errorPath), [guid]::NewGuid().ToString('N')))
    try {
        [System.IO.File]::WriteAllText($temporary, $text.ToString(), [System.Text.UTF8Encoding]::new($false))
        & $makeWritable -Path $errorPath
        Move-Item -LiteralPath $temporary -Destination $errorPath -Force
    }
    finally {
        if ([System.IO.File]::Exists($temporary)) { [System.IO.File]::Delete($temporary) }
    }
    Write-Verbose -Message ('Wrote {0} rows to {1} and {2} lines to {3}' -f $rows.Count, $outputPath, $entries.Count, $errorPath)

    [pscustomobject]@{
        PSTypeName = 'DapReporting.AggregateResult'
        Report     = $Report
        Tenants    = $total + ($failures.Count - @($failures | Where-Object -FilterScript { $_.TenantDomain }).Count)
        Succeeded  = $total - @($failures | Where-Object -FilterScript { $_.TenantDomain }).Count
        NoData     = $noData.Count
        Failed     = $failures.Count
        Rows       = $rows.Count
        OutputFile = $outputPath
        ErrorFile  = $errorPath
    }
}
