function Invoke-DapTenantReport {
    <#
    .SYNOPSIS
    Runs one Exchange Online cmdlet in one customer tenant and returns its rows, tagged with the tenant.

    .DESCRIPTION
    Opens a temporary remote PowerShell session to Exchange Online on behalf of one customer tenant
    (<ConnectionUri>?DelegatedOrg=<InitialDomain>), runs the command there (optionally fed by an
    input command in the same session), closes the session and returns one object per row:
    TenantId and TenantDomain first, then the row's own properties, without the remoting properties
    PSComputerName, RunspaceId and PSShowComputerName. A tenant without rows returns nothing.

    The domain is checked to be a DNS name before any connection URI is built. The remote call runs
    in a pipeline of its own, so the records it writes stay there: a failed tenant writes exactly
    one non-terminating error whose FullyQualifiedErrorId starts with Dap.<Category> (SessionLimit,
    AccessDenied, Throttled, InvalidParameter or RemoteError) and whose target object is the domain;
    the message keeps the service's own text (use -ErrorAction Stop to make it terminating).
    Each warning of the service is passed on once, with the domain in front; the redirection
    notice goes to the verbose stream, as do the session being opened and the rows received.

    .PARAMETER TenantId
    The customer tenant's id (a GUID); copied into every row.

    .PARAMETER InitialDomain
    The customer tenant's initial domain, e.g. contoso.onmicrosoft.com; the remote session is opened
    for it and it is copied into every row as TenantDomain.
    Alias: TenantDomain.

    .PARAMETER Credential
    The partner administrator's credential.

    .PARAMETER Command
    The Exchange cmdlet to run in the tenant's session.

    .PARAMETER Parameters
    The parameters of Command, by name.

    .PARAMETER InputCommand
    A cmdlet whose output is piped into Command in the same session.

    .PARAMETER InputParameters
    The parameters of InputCommand, by name.

    .PARAMETER ConnectionUri
    The Exchange Online remote PowerShell endpoint, without the query string.

    .EXAMPLE
    Invoke-DapTenantReport -TenantId 6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b -InitialDomain contoso.onmicrosoft.com -Credential $credential -Command Get-MailboxActivityReport -Parameters @{ ReportType = 'Monthly' }

    Monthly mailbox activity of one tenant.

    .INPUTS
    DapReporting.Customer (from Get-DapCustomer), or any object with TenantId and InitialDomain (or TenantDomain) properties, bound by property name.

    .OUTPUTS
    System.Management.Automation.PSCustomObject: TenantId, TenantDomain, then the command's columns.

    .LINK
    Get-DapCustomer
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [ValidatePattern('dap-gen:TenantIdPattern')]
        [string] $TenantId,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [Alias('TenantDomain')]
        [ValidateScript({
            if ($_ -match 'dap-gen:DnsNamePattern') { return $true }
            throw ('dap-gen:DnsNameMessage' -f $_)
        })]
        [string] $InitialDomain,

        [Parameter(Mandatory)]
        [pscredential] $Credential,

        [Parameter(Mandatory)]
        [ValidateSet('dap-gen:ExchangeCmdlets')]
        [string] $Command,

        [hashtable] $Parameters = @{},

        [ValidateSet('dap-gen:ExchangeCmdlets')]
        [string] $InputCommand,

        [hashtable] $InputParameters = @{},

        [ValidatePattern('^https://[^\s?#]+\z')]
        [string] $ConnectionUri = 'https://ps.outlook.com/powershell-liveid'
    )
    process {
        $uri = '{0}?DelegatedOrg={1}' -f $ConnectionUri, $InitialDomain
        # Runs in the tenant's remote session, which sees nothing of this one: everything it
        # needs arrives as arguments.
        $remote = {
            param($Command, $Parameters, $InputCommand, $InputParameters)
            if ($InputCommand) {
                & $InputCommand @InputParameters | & $Command @Parameters
            }
            else {
                & $Command @Parameters
            }
        }
        $invoke = @{
            ConnectionUri     = $uri
            ConfigurationName = 'Microsoft.Exchange'
            Credential        = $Credential
            Authentication    = 'Basic'
            AllowRedirection  = $true
            ScriptBlock       = $remote
            ArgumentList      = @($Command, $Parameters, $InputCommand, $InputParameters)
            ErrorAction       = 'Continue'
        }
        # A pipeline of its own (in this runspace, stopped with it): its errors and warnings are
        # collected in its streams instead of reaching the caller's -ErrorVariable, $Error and
        # host, so the caller sees one record per failed tenant and each warning once.
        Write-Verbose -Message ('[{0}] running {1} in a remote session' -f $InitialDomain, $Command)
        $remoteErrors = @()
        $remoteWarnings = @()
        $caught = $null
        $rows = @()
        $pipeline = [powershell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
        try {
            # Fixed text; the data goes in as the argument. Warnings come back as WarningRecords
            # among the rows instead of going to the host, and an error that stops Invoke-Command
            # as an ErrorRecord: caught in there, it leaves no record here.
            $script = 'param($Invoke) try { Invoke-Command @Invoke 3>&1 } catch [System.Management.Automation.PipelineStoppedException] { throw } catch { $_ }'
            [void]$pipeline.AddScript($script, $true).AddArgument($invoke)
            try {
                $output = @($pipeline.Invoke())
                $remoteWarnings = @($output | Where-Object -FilterScript { $_ -is [System.Management.Automation.WarningRecord] })
                $caught = @($output | Where-Object -FilterScript { $_ -is [System.Management.Automation.ErrorRecord] }) | Select-Object -First 1
                $rows = @($output | Where-Object -FilterScript { $_ -isnot [System.Management.Automation.WarningRecord] -and $_ -isnot [System.Management.Automation.ErrorRecord] })
            }
            catch {
                $inner = $_.Exception.InnerException
                if ($inner -is [System.Management.Automation.PipelineStoppedException]) { throw $inner }
                $caught = if ($inner -is [System.Management.Automation.IContainsErrorRecord]) {
                    $inner.ErrorRecord
                }
                else {
                    $problem = if ($inner) { $inner } else { $_.Exception }
                    New-DapErrorRecord -Category RemoteError -ErrorCategory NotSpecified -Exception $problem -Target $null
                }
            }
            $remoteErrors = @($pipeline.Streams.Error)
            # The runspace's $Error got them too: the record written below stands for them there.
            foreach ($item in $remoteErrors) { $global:Error.Remove($item) }
        }
        finally {
            # Not disposed: when the caller is stopped, PowerShell stops this pipeline from another
            # thread, which must never find it disposed; the garbage collector takes it.
            $pipeline = $null
        }
        foreach ($warning in @($remoteWarnings)) {
            if ($null -eq $warning) { continue }
            $text = if ($warning -is [System.Management.Automation.WarningRecord]) { $warning.Message } else { [string]$warning }
            if ($text -match '^Your connection has been redirected') {
                Write-Verbose -Message ('[{0}] {1}' -f $InitialDomain, $text)
            }
            else {
                Write-Warning -Message ('[{0}] {1}' -f $InitialDomain, $text)
            }
        }
        $failures = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        foreach ($item in @($remoteErrors)) {
            if ($item -is [System.Management.Automation.ErrorRecord]) { $failures.Add($item) }
        }
        if ($caught) { $failures.Add($caught) }
        if ($failures.Count -gt 0) {
            $first = $failures[0]
            $errorId = [string]$first.FullyQualifiedErrorId
            $text = $first.ToString()
            $evidence = @($errorId, [string]$first.CategoryInfo.Reason, $text, [string]$first.Exception.Message) -join "`n"
            $category, $errorCategory = if ($errorId -like '-2144108477,*' -or $evidence -match 'exceeded the maximum number of connections') {
                'SessionLimit', 'ResourceUnavailable'
            }
            elseif ($errorId -like 'AccessDenied,*' -or $evidence -match 'Access is denied') {
                'AccessDenied', 'PermissionDenied'
            }
            elseif ($evidence -match 'Micro delay applied|throttl|TooManyRequests|Too many requests') {
                'Throttled', 'LimitsExceeded'
            }
            elseif ($first.Exception -is [System.Management.Automation.ParameterBindingException] -or
                $evidence -match 'ParameterBinding|InvalidDateParameterException|NamedParameterNotFound|ParameterArgumentValidationError|CannotConvertArgument') {
                'InvalidParameter', 'InvalidArgument'
            }
            else {
                'RemoteError', 'NotSpecified'
            }
            $record = New-DapErrorRecord -Category $category -ErrorCategory $errorCategory -Message $text -Exception $first.Exception -Target $InitialDomain
            Write-Verbose -Message ('[{0}] failed ({1})' -f $InitialDomain, $category)
            $PSCmdlet.WriteError($record)
            return
        }
        Write-Verbose -Message ('[{0}] {1} rows' -f $InitialDomain, @($rows | Where-Object -FilterScript { $null -ne $_ }).Count)
        $remoting = @('PSComputerName', 'RunspaceId', 'PSShowComputerName')
        foreach ($row in $rows) {
            if ($null -eq $row) { continue }
            $values = [ordered]@{ TenantId = $TenantId; TenantDomain = $InitialDomain }
            foreach ($property in $row.PSObject.Properties) {
                if ($remoting -contains $property.Name -or $values.Contains($property.Name)) { continue }
                $values[$property.Name] = $property.Value
            }
            [pscustomobject]$values
        }
    }
}
