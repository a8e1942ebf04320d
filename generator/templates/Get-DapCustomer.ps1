function Get-DapCustomer {
    <#
    .SYNOPSIS
    Lists the partner's customer tenants with each tenant's initial domain.

    .DESCRIPTION
    Reads every partner contract (Get-MsolPartnerContract -All), or takes the contracts given with
    -Contract, and looks up each tenant's initial domain (the <name>.onmicrosoft.com domain, Get-MsolDomain -TenantId) that remote Exchange
    sessions are opened for. Each tenant is returned once, even when it has several contracts.
    A tenant whose domains cannot be read is reported as a non-terminating error (Dap.AccessDenied,
    Dap.InvalidData or Dap.RemoteError, target object the tenant id) and skipped. Sign in with
    Connect-DapPartner first.

    .PARAMETER Contract
    Partner contracts (Get-MsolPartnerContract output, or objects with TenantId, Name,
    DefaultDomainName and ContractType) whose tenants to look up, instead of every contract of
    the partner: for instance one share of them in each of several parallel runspaces.

    .PARAMETER Tenant
    Only these tenants: each value is an initial domain, a default domain or a tenant id.

    .PARAMETER Exclude
    Leave these tenants out: each value is an initial domain, a default domain or a tenant id.

    .EXAMPLE
    Get-DapCustomer -Exclude fabrikam.onmicrosoft.com

    Every customer tenant but one.

    .EXAMPLE
    Get-MsolPartnerContract -DomainName contoso.com | Get-DapCustomer

    The tenant of one contract, with its initial domain.

    .EXAMPLE
    Get-DapCustomer | Get-DapMailboxActivityReport -Credential $credential

    Runs a report in every customer tenant; the report takes TenantId and InitialDomain from the pipeline.

    .INPUTS
    Partner contracts (Get-MsolPartnerContract output, or objects with TenantId, Name, DefaultDomainName and ContractType), bound to -Contract.

    .OUTPUTS
    DapReporting.Customer: TenantId (a GUID string), Name, DefaultDomainName, InitialDomain, ContractType.

    .LINK
    Connect-DapPartner
    #>
    [CmdletBinding(DefaultParameterSetName = 'All', PositionalBinding = $false)]
    [OutputType('DapReporting.Customer')]
    param(
        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'Contract')]
        [ValidateNotNull()]
        [psobject[]] $Contract,

        [ValidateNotNullOrEmpty()]
        [string[]] $Tenant,

        [ValidateNotNullOrEmpty()]
        [string[]] $Exclude
    )
    begin {
        $contracts = [System.Collections.Generic.List[psobject]]::new()
        if ($PSCmdlet.ParameterSetName -eq 'All') {
            try {
                foreach ($item in @(Get-MsolPartnerContract -All -ErrorAction Stop)) { $contracts.Add($item) }
            }
            catch {
                $text = $_.Exception.Message
                $category = if ($text -match 'Access Denied') { 'AccessDenied' } elseif ($text -match 'Connect-MsolService') { 'AuthenticationFailed' } else { 'RemoteError' }
                $PSCmdlet.ThrowTerminatingError((New-DapErrorRecord -Category $category -ErrorCategory OpenError -Exception $_.Exception -Target $null))
            }
        }
    }
    process {
        foreach ($item in @($Contract)) { if ($null -ne $item) { $contracts.Add($item) } }
    }
    end {
        $seen = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        Write-Verbose -Message ('{0} partner contracts to look up' -f $contracts.Count)
        $activity = 'Discovering customer tenants'
        $index = 0
        foreach ($contract in $contracts) {
            $index++
            Write-Progress -Activity $activity -Status ('{0} of {1}: {2}' -f $index, $contracts.Count, $contract.Name) -PercentComplete ([int](100 * $index / $contracts.Count))
            $tenantId = if ($contract.TenantId -is [guid]) { $contract.TenantId.Guid } else { [string]$contract.TenantId }
            if ([string]::IsNullOrEmpty($tenantId) -or -not $seen.Add($tenantId)) {
                continue
            }
            try {
                $initial = Get-MsolDomain -TenantId $contract.TenantId -ErrorAction Stop | Where-Object -FilterScript { $_.IsInitial } | Select-Object -First 1
            }
            catch {
                $category = if ($_.Exception.Message -match 'Access Denied') { 'AccessDenied' } else { 'RemoteError' }
                $PSCmdlet.WriteError((New-DapErrorRecord -Category $category -ErrorCategory ReadError -Exception $_.Exception -Target $tenantId))
                continue
            }
            if (-not $initial) {
                $message = 'Tenant {0} ({1}) has no initial domain.' -f $tenantId, $contract.Name
                $PSCmdlet.WriteError((New-DapErrorRecord -Category InvalidData -ErrorCategory InvalidData -Message $message -ExceptionType ([System.InvalidOperationException]) -Target $tenantId))
                continue
            }
            $customer = [pscustomobject]@{
                PSTypeName        = 'DapReporting.Customer'
                TenantId          = $tenantId
                Name              = [string]$contract.Name
                DefaultDomainName = [string]$contract.DefaultDomainName
                InitialDomain     = [string]$initial.Name
                ContractType      = [string]$contract.ContractType
            }
            $keys = @($customer.TenantId, $customer.InitialDomain, $customer.DefaultDomainName) | Where-Object -FilterScript { $_ }
            if ($Tenant -and -not @($keys | Where-Object -FilterScript { $Tenant -contains $_ }).Count) {
                Write-Verbose -Message ('[{0}] left out: not named by -Tenant' -f $customer.InitialDomain)
                continue
            }
            if ($Exclude -and @($keys | Where-Object -FilterScript { $Exclude -contains $_ }).Count) {
                Write-Verbose -Message ('[{0}] left out: named by -Exclude' -f $customer.InitialDomain)
                continue
            }
            Write-Verbose -Message ('[{0}] tenant {1} ({2})' -f $customer.InitialDomain, $customer.TenantId, $customer.Name)
            $customer
        }
        Write-Progress -Activity $activity -Completed
    }
}
