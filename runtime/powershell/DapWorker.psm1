# DapWorker: the pwsh side of dap-report's worker pool. Hand-written; not generated.
#
# A worker is a long-lived pwsh process that imports DapReporting once and then serves many
# tenants. Node never pastes data into script text: every command it sends names only a job file
# (as a single-quoted literal); the job's data (report function, parameters, tenant, output path)
# is read from that JSON file. The partner password arrives once, in a one-off environment
# variable that Initialize-DapWorker reads into a PSCredential and removes.
#
# Each command answers with exactly one JSON line on stdout: {status, rows, category, message}.

Set-StrictMode -Version 3.0

$script:Credential = $null

function Write-DapAnswer {
    [CmdletBinding()]
    param([Parameter(Mandatory)][System.Collections.IDictionary] $Answer)
    # one line, written straight to the process's stdout so nothing else can interleave with it
    [Console]::Out.WriteLine(($Answer | ConvertTo-Json -Compress -Depth 3))
    [Console]::Out.Flush()
}

function Get-DapErrorCategory {
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)][System.Management.Automation.ErrorRecord] $ErrorRecord)
    if ($ErrorRecord.FullyQualifiedErrorId -match '^Dap\.([A-Za-z]+)') { return $Matches[1] }
    'RemoteError'
}

function Initialize-DapWorker {
    <#
    .SYNOPSIS
    Prepares a worker: reads the account's credential from the environment and imports DapReporting.
    .PARAMETER ModuleManifest
    The path of DapReporting.psd1.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $ModuleManifest)

    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    $answer = [ordered]@{ status = 'ready'; rows = 0; category = $null; message = $null }
    try {
        $userName = $env:DAP_WORKER_USER
        $secret = $env:DAP_WORKER_SECRET
        # the one-off variable is gone from this process before anything else runs
        Remove-Item -Path Env:DAP_WORKER_SECRET -ErrorAction SilentlyContinue
        if ([string]::IsNullOrEmpty($userName) -or [string]::IsNullOrEmpty($secret)) {
            throw 'DAP_WORKER_USER and DAP_WORKER_SECRET must be set in the worker''s environment'
        }
        $securePassword = ConvertTo-SecureString -String $secret -AsPlainText -Force
        $secret = $null
        $script:Credential = [pscredential]::new($userName, $securePassword)
        # Under dap-report --simulate, Invoke-Command must reach the simulator. A worker never calls
        # an MSOnline cmdlet (which would bring the remoting stand-in along), so it imports the
        # stand-in itself, globally, where DapReporting's functions look commands up.
        if ($env:DAP_SIM_REMOTING_MODULE) {
            Import-Module -Name $env:DAP_SIM_REMOTING_MODULE -Global -Force -ErrorAction Stop
        }
        Import-Module -Name $ModuleManifest -Force -ErrorAction Stop
    } catch {
        $answer.status = 'failed'
        $answer.category = 'WorkerCrashed'
        $answer.message = "the worker could not start: $($_.Exception.Message)"
    }
    Write-DapAnswer -Answer $answer
}

function ConvertTo-DapParameterValue {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Parameter)
    $convert = {
        param($value)
        switch ($Parameter.type) {
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
    if ($Parameter.array) { , @($Parameter.value | ForEach-Object { & $convert $_ }) }
    else { & $convert $Parameter.value }
}

function Invoke-DapWorkerJob {
    <#
    .SYNOPSIS
    Runs one report in one tenant, as described by a job file, and writes the rows to a CSV file.
    .PARAMETER JobFile
    A JSON file: function, tenantId, domain, parameters (name, type, array, value), outPath.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $JobFile)

    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    $answer = [ordered]@{ status = 'succeeded'; rows = 0; category = $null; message = $null }
    try {
        $job = Get-Content -LiteralPath $JobFile -Raw | ConvertFrom-Json
        $command = Get-Command -Name $job.function -Module DapReporting -CommandType Function -ErrorAction SilentlyContinue
        if (-not $command) { throw "DapReporting has no function '$($job.function)'" }
        $arguments = @{
            TenantId      = [string]$job.tenantId
            InitialDomain = [string]$job.domain
            Credential    = $script:Credential
        }
        foreach ($parameter in @($job.parameters)) {
            if ($null -ne $parameter) { $arguments[$parameter.name] = ConvertTo-DapParameterValue -Parameter $parameter }
        }
        $count = 0
        & $command @arguments -ErrorAction Stop -WarningAction SilentlyContinue |
            ForEach-Object { $count++; $_ } |
            Export-Csv -LiteralPath $job.outPath -NoTypeInformation -Encoding utf8NoBOM
        $answer.rows = $count
        if ($count -eq 0) { $answer.status = 'noData' }
    } catch {
        $answer.status = 'failed'
        $answer.category = Get-DapErrorCategory -ErrorRecord $_
        $answer.message = $_.Exception.Message
    }
    Write-DapAnswer -Answer $answer
}

function Invoke-DapDiscoveryJob {
    <#
    .SYNOPSIS
    Signs the partner account in once and writes its customers (Get-DapCustomer) to a JSON file.
    .PARAMETER JobFile
    A JSON file: outPath.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $JobFile)

    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    $answer = [ordered]@{ status = 'succeeded'; rows = 0; category = $null; message = $null }
    try {
        $job = Get-Content -LiteralPath $JobFile -Raw | ConvertFrom-Json
        Connect-DapPartner -Credential $script:Credential -WarningAction SilentlyContinue
        $customers = @(Get-DapCustomer -WarningAction SilentlyContinue |
            Select-Object -Property @(
                @{ Name = 'tenantId'; Expression = { [string]$_.TenantId } },
                @{ Name = 'name'; Expression = { [string]$_.Name } },
                @{ Name = 'defaultDomainName'; Expression = { [string]$_.DefaultDomainName } },
                @{ Name = 'initialDomain'; Expression = { [string]$_.InitialDomain } },
                @{ Name = 'contractType'; Expression = { [string]$_.ContractType } }
            ))
        ConvertTo-Json -InputObject $customers -Depth 3 |
            Set-Content -LiteralPath $job.outPath -Encoding utf8NoBOM
        $answer.rows = $customers.Count
    } catch {
        $answer.status = 'failed'
        $answer.category = Get-DapErrorCategory -ErrorRecord $_
        $answer.message = $_.Exception.Message
    }
    Write-DapAnswer -Answer $answer
}

Export-ModuleMember -Function Initialize-DapWorker, Invoke-DapWorkerJob, Invoke-DapDiscoveryJob
