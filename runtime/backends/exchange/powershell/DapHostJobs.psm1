# DapHostJobs: what one attempt runs inside a runspace of dap-report's pwsh host (DapHost.ps1).
# Hand-written; not generated.
#
# The host imports this module, DapReporting and (under --simulate) the simulator's stand-ins into
# the InitialSessionState of its runspace pool, so every runspace has them loaded once. Node never
# sends code: an attempt is a call of one of these functions with data as parameters (the job as a
# hashtable read from JSON, the account's PSCredential built by the host). Each function returns one
# hashtable, the attempt's result: status (succeeded, noData, failed), rows, category, message.

Set-StrictMode -Version 3.0

function Invoke-DapHostStep {
    # Runs the body of an attempt and answers its result: succeeded, with what the body put in it
    # (rows, status noData, contracts, customers), or failed with the Dap.<Category> of the error
    # and its message. A stopped attempt stays stopped (the host reports it as such).
    [CmdletBinding()]
    [OutputType([System.Collections.Specialized.OrderedDictionary])]
    param([Parameter(Mandatory)][scriptblock] $Body)
    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    $result = [ordered]@{ status = 'succeeded'; rows = 0; category = $null; message = $null }
    try {
        & $Body -Result $result
    }
    catch {
        # (no typed catch clause before this one: with one, PowerShell hands this clause a new
        # record for the exception and the Dap.<Category> error id is lost)
        if ($_.Exception -is [System.Management.Automation.PipelineStoppedException]) { throw }
        $result.status = 'failed'
        # DapReporting's one rule, generated from common/failure-category.ts
        $result.category = Get-DapFailureCategory -ErrorRecord $_
        $result.message = $_.Exception.Message
    }
    $result
}

function ConvertTo-DapParameterValue {
    <#
    .SYNOPSIS
    Turns one report parameter of a job (name, type, array, value) into the value to bind.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][System.Collections.IDictionary] $Parameter)
    $type = [string]$Parameter['type']
    $values = foreach ($value in @($Parameter['value'])) {
        switch ($type) {
            'datetime' {
                if ($value -is [datetime]) { $value }
                else { [datetime]::Parse([string]$value, [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind) }
            }
            'integer' { [long]$value }
            'number' { [double]$value }
            'boolean' { [bool]$value }
            default { [string]$value }
        }
    }
    if ($Parameter['array']) { , @($values) } else { $values }
}

function ConvertTo-DapIsoDate {
    <#
    .SYNOPSIS
    Sets the named properties of each row that hold a date to ISO 8601 text: yyyy-MM-dd for a date
    alone, yyyy-MM-ddTHH:mm:ss (Z when it is UTC) with a time of day. Export-Csv would write the
    invariant culture's MM/dd/yyyy HH:mm:ss.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][AllowEmptyCollection()][object[]] $Row,
        [Parameter(Mandatory)][AllowEmptyCollection()][string[]] $Column
    )
    if ($Column.Count -eq 0) { return }
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    foreach ($item in $Row) {
        foreach ($name in $Column) {
            $property = $item.PSObject.Properties[$name]
            if ($null -eq $property) { continue }
            $value = $property.Value
            if ($value -is [System.DateTimeOffset]) { $value = $value.UtcDateTime }
            if ($value -isnot [datetime]) { continue }
            $property.Value = if ($value.TimeOfDay -eq [timespan]::Zero) { $value.ToString('yyyy-MM-dd', $invariant) }
            elseif ($value.Kind -eq [System.DateTimeKind]::Utc) { $value.ToString('yyyy-MM-ddTHH:mm:ssZ', $invariant) }
            else { $value.ToString('yyyy-MM-ddTHH:mm:ss', $invariant) }
        }
    }
}

function Add-DapSizeBytes {
    <#
    .SYNOPSIS
    Adds to each row a column holding the number of bytes of a size column's text, as Exchange
    writes a ByteQuantifiedSize: '33.438 GB (35,903,716,480 bytes)' gives 35903716480. A row whose
    text has no '(N bytes)' part gets an empty cell.
    .PARAMETER Column
    name (the column to add) and from (the size column), as the report declares them.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][AllowEmptyCollection()][object[]] $Row,
        [Parameter(Mandatory)][AllowEmptyCollection()][System.Collections.IDictionary[]] $Column
    )
    foreach ($item in $Row) {
        foreach ($size in $Column) {
            $text = [string]$item.PSObject.Properties[[string]$size['from']].Value
            $match = [regex]::Match($text, '\(([0-9][0-9,.\s\u00a0\u202f]*) bytes\)')
            $bytes = if ($match.Success) { [long]($match.Groups[1].Value -replace '[^0-9]', '') } else { $null }
            $item.PSObject.Properties.Remove([string]$size['name'])
            $item.PSObject.Properties.Add([psnoteproperty]::new([string]$size['name'], $bytes))
        }
    }
}

# The report functions of DapReporting by name, looked up once per runspace.
$script:ReportFunctions = @{}

function Invoke-DapHostTenantJob {
    <#
    .SYNOPSIS
    Runs one report in one tenant and writes its rows to a CSV file (Export-Csv: every field quoted).
    .PARAMETER Job
    function, tenantId, domain, parameters (name, type, array, value), outPath, dateColumns and bytesColumns, as sent by Node.
    .PARAMETER Credential
    The partner account's credential.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][System.Collections.IDictionary] $Job,
        [Parameter(Mandatory)][pscredential] $Credential
    )
    Invoke-DapHostStep -Body {
        param($result)
        $name = [string]$Job['function']
        $command = $script:ReportFunctions[$name]
        if (-not $command) {
            $command = Get-Command -Name $name -Module DapReporting -CommandType Function -ErrorAction SilentlyContinue
            if (-not $command) { throw "DapReporting has no function '$name'" }
            $script:ReportFunctions[$name] = $command
        }
        $arguments = @{
            TenantId      = [string]$Job['tenantId']
            InitialDomain = [string]$Job['domain']
            Credential    = $Credential
        }
        foreach ($parameter in @($Job['parameters'])) {
            if ($null -ne $parameter) { $arguments[[string]$parameter['name']] = ConvertTo-DapParameterValue -Parameter $parameter }
        }
        # the report function has every row in hand before it returns one (Invoke-Command collects
        # them), so collecting them here costs no memory of its own
        $rows = @(& $command @arguments -ErrorAction Stop -WarningAction SilentlyContinue)
        $result.rows = $rows.Count
        if ($rows.Count -eq 0) { $result.status = 'noData' }
        else {
            ConvertTo-DapIsoDate -Row $rows -Column @($Job['dateColumns'] | Where-Object -FilterScript { $_ })
            Add-DapSizeBytes -Row $rows -Column @($Job['bytesColumns'] | Where-Object -FilterScript { $_ })
            $rows | Export-Csv -LiteralPath ([string]$Job['outPath']) -NoTypeInformation -Encoding utf8NoBOM
        }
    }
}

function Test-DapHostTenantAccess {
    <#
    .SYNOPSIS
    The pre-flight check of one tenant (dap-report check): opens the tenant's remote session with
    the account's credential and reads one mailbox, writing nothing. Fails with the Dap.<Category>
    the report itself would meet (AccessDenied, AuthenticationFailed, SessionLimit …).
    .PARAMETER Job
    tenantId and domain (the initial domain, the DelegatedOrg target), as sent by Node.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][System.Collections.IDictionary] $Job,
        [Parameter(Mandatory)][pscredential] $Credential
    )
    Invoke-DapHostStep -Body {
        param($result)
        $probe = @{
            TenantId      = [string]$Job['tenantId']
            InitialDomain = [string]$Job['domain']
            Credential    = $Credential
            Command       = 'Get-Mailbox'
            Parameters    = @{ ResultSize = 1 }
        }
        $null = Invoke-DapTenantReport @probe -ErrorAction Stop -WarningAction SilentlyContinue
    }
}

# The account this runspace is signed in to the partner directory as (Connect-DapPartner).
$script:ConnectedAs = $null

function Connect-DapHostAccount {
    [CmdletBinding()]
    param([Parameter(Mandatory)][pscredential] $Credential)
    if ($script:ConnectedAs -ne $Credential.UserName) {
        $script:ConnectedAs = $null
        Connect-DapPartner -Credential $Credential -WarningAction SilentlyContinue
        $script:ConnectedAs = $Credential.UserName
    }
}

function Invoke-DapHostContracts {
    <#
    .SYNOPSIS
    Signs the partner account in (Connect-DapPartner) and lists its contracts (Get-MsolPartnerContract -All).
    .PARAMETER Credential
    The partner account's credential.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][pscredential] $Credential)
    Invoke-DapHostStep -Body {
        param($result)
        $result.contracts = @()
        Connect-DapHostAccount -Credential $Credential
        $result.contracts = @(Get-MsolPartnerContract -All -WarningAction SilentlyContinue | ForEach-Object -Process {
                [ordered]@{
                    tenantId          = if ($_.TenantId -is [guid]) { $_.TenantId.Guid } else { [string]$_.TenantId }
                    name              = [string]$_.Name
                    defaultDomainName = [string]$_.DefaultDomainName
                    contractType      = [string]$_.ContractType
                }
            })
        $result.rows = $result.contracts.Count
    }
}

function Invoke-DapHostCustomers {
    <#
    .SYNOPSIS
    Looks up the initial domain of the tenants of some contracts (Get-DapCustomer -Contract).
    .PARAMETER Credential
    The partner account's credential; the runspace signs in with it unless it already is.
    .PARAMETER Contracts
    The contracts: tenantId, name, defaultDomainName, contractType.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][pscredential] $Credential,
        [Parameter(Mandatory)][AllowEmptyCollection()][object[]] $Contracts
    )
    Invoke-DapHostStep -Body {
        param($result)
        $result.customers = @()
        Connect-DapHostAccount -Credential $Credential
        $given = @($Contracts | ForEach-Object -Process {
                [pscustomobject]@{ TenantId = [string]$_['tenantId']; Name = $_['name']; DefaultDomainName = $_['defaultDomainName']; ContractType = $_['contractType'] }
            })
        if ($given.Count -gt 0) {
            $result.customers = @(Get-DapCustomer -Contract $given -WarningAction SilentlyContinue | ForEach-Object -Process {
                    [ordered]@{
                        tenantId          = [string]$_.TenantId
                        name              = [string]$_.Name
                        defaultDomainName = [string]$_.DefaultDomainName
                        initialDomain     = [string]$_.InitialDomain
                        contractType      = [string]$_.ContractType
                    }
                })
        }
        $result.rows = $result.customers.Count
    }
}

Export-ModuleMember -Function Invoke-DapHostTenantJob, Invoke-DapHostContracts, Invoke-DapHostCustomers, Test-DapHostTenantAccess
