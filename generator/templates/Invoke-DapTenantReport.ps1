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

    The domain is checked to be a DNS name before any connection URI is built. Errors reported by
    the remote side end the call with one terminating error whose FullyQualifiedErrorId is
    Dap.<Category> (SessionLimit, AccessDenied, Throttled, InvalidParameter or RemoteError) and
    whose target object is the domain; the message keeps the service's own text. Warnings are
    passed on with the domain in front; the redirection notice goes to the verbose stream.

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
        [ValidatePattern({{TenantIdPattern}})]
        [string] $TenantId,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [Alias('TenantDomain')]
{{DomainValidation}}
        [string] $InitialDomain,

        [Parameter(Mandatory)]
        [pscredential] $Credential,

        [Parameter(Mandatory)]
        [ValidateSet({{ExchangeCmdlets}})]
        [string] $Command,

        [hashtable] $Parameters = @{},

        [ValidateSet({{ExchangeCmdlets}})]
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
            ErrorAction       = 'SilentlyContinue'
            ErrorVariable     = 'remoteErrors'
            WarningAction     = 'SilentlyContinue'
            WarningVariable   = 'remoteWarnings'
        }
        $remoteErrors = $null
        $remoteWarnings = $null
        $caught = $null
        $rows = @()
        try {
            $rows = @(Invoke-Command @invoke)
        }
        catch {
            $caught = $_
        }
        foreach ($warning in @($remoteWarnings)) {
            if ($null -eq $warning) { continue }
            $text = if ($warning -is [System.Management.Automation.WarningRecord]) { $warning.Message } else { [string]$warning }
            if ($text -match '^Your connection has been redirected') {
                Write-Verbose ('[{0}] {1}' -f $InitialDomain, $text)
            }
            else {
                Write-Warning ('[{0}] {1}' -f $InitialDomain, $text)
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
            $exception = [System.Management.Automation.RuntimeException]::new($text, $first.Exception)
            $record = [System.Management.Automation.ErrorRecord]::new(
                $exception, "Dap.$category", [System.Management.Automation.ErrorCategory]$errorCategory, $InitialDomain)
            $PSCmdlet.ThrowTerminatingError($record)
        }
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
