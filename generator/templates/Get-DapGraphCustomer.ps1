function Get-DapGraphCustomer {
    <#
    .SYNOPSIS
    Lists the partner's customer tenants through Microsoft Graph (GDAP), with each tenant's domain.

    .DESCRIPTION
    The Microsoft Graph counterpart of Get-DapCustomer, for the Graph reports: reads the partner's
    active granular delegated admin relationships
    (GET <GraphUri>/v1.0/tenantRelationships/delegatedAdminRelationships, every page), takes each
    customer tenant once, and looks up its default domain
    (tenantRelationships/findTenantInformationByTenantId). Returns one DapReporting.GraphCustomer
    per tenant: TenantId, TenantDomain and Name. Pipe it into Get-DapGraphToken, whose tokens carry
    TenantId and TenantDomain on into the Graph report functions.

    The access token is the partner tenant's own (Get-DapGraphToken -TenantId <partner tenant id>;
    the app needs DelegatedAdminRelationship.Read.All there). It is sent only to GraphUri, and to a
    next-page link only when that link is under GraphUri. A relationship list that cannot be read
    ends the call (Dap.AccessDenied for 401 or 403, Dap.RemoteError otherwise); a tenant whose
    domain cannot be looked up writes one non-terminating error (target object the tenant id) and
    is returned with an empty TenantDomain.

    .PARAMETER AccessToken
    A Microsoft Graph access token of the partner tenant, as a SecureString, e.g. the AccessToken
    of Get-DapGraphToken for the partner tenant; also from the pipeline.

    .PARAMETER GraphUri
    The Microsoft Graph host, without /v1.0 (https). Default https://graph.microsoft.com.

    .PARAMETER Tenant
    Only these tenants: each value is a tenant id or a domain.

    .PARAMETER Exclude
    Leave these tenants out: each value is a tenant id or a domain.

    .EXAMPLE
    $secret = Read-Host -AsSecureString -Prompt 'Client secret'
    Get-DapGraphToken -TenantId $partnerTenantId -ClientId $appId -ClientSecret $secret | Get-DapGraphCustomer | Get-DapGraphToken -ClientId $appId -ClientSecret $secret | Get-DapMailboxUsageDetail -Period D30

    Every GDAP customer's mailbox usage of the last 30 days, each row with its TenantId and TenantDomain.

    .INPUTS
    DapReporting.GraphToken of the partner tenant (its AccessToken, bound by property name).

    .OUTPUTS
    DapReporting.GraphCustomer: TenantId, TenantDomain, Name.

    .LINK
    Get-DapGraphToken

    .LINK
    https://learn.microsoft.com/graph/api/tenantrelationship-list-delegatedadminrelationships
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType('DapReporting.GraphCustomer')]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [securestring] $AccessToken,

        [ValidatePattern('dap-gen:BaseUriPattern')]
        [string] $GraphUri = 'https://graph.microsoft.com',

        [ValidateNotNullOrEmpty()]
        [string[]] $Tenant,

        [ValidateNotNullOrEmpty()]
        [string[]] $Exclude
    )
    process {
        $base = $GraphUri.TrimEnd('/')
        # The token exists in plain text only inside this header table.
        $headers = @{ Authorization = 'Bearer {0}' -f [System.Net.NetworkCredential]::new('', $AccessToken).Password }
        $newRecord = {
            param([string] $Category, [string] $ErrorCategory, [string] $Text, $Target, [System.Exception] $Inner)
            New-DapErrorRecord -Category $Category -ErrorCategory $ErrorCategory -Message $Text -Exception $Inner -Target $Target
        }
        $describe = {
            param($ErrorRecord)
            $detail = if ($ErrorRecord.ErrorDetails) { [string]$ErrorRecord.ErrorDetails.Message } else { '' }
            $status = 0
            if ($ErrorRecord.Exception.Response) { $status = [int]$ErrorRecord.Exception.Response.StatusCode }
            $text = if ($detail) { $detail.Trim() } else { $ErrorRecord.Exception.Message }
            @{ Status = $status; Text = $text }
        }
        $customers = [ordered]@{}
        $fatal = $null
        try {
            $next = '{0}/v1.0/tenantRelationships/delegatedAdminRelationships?$filter={1}' -f $base, [uri]::EscapeDataString("status eq 'active'")
            while ($next -and -not $fatal) {
                Write-Verbose -Message ('GET {0}' -f $next)
                $page = $null
                try {
                    # No redirect is followed (it fails the listing): a redirect target's answer
                    # is not taken as the partner's customers.
                    $page = Invoke-RestMethod -Method Get -Uri $next -Headers $headers -MaximumRedirection 0 -ErrorAction Stop
                }
                catch {
                    $problem = & $describe -ErrorRecord $_
                    $category, $errorCategory = if ($problem.Status -eq 401 -or $problem.Status -eq 403) { 'AccessDenied', 'PermissionDenied' } else { 'RemoteError', 'ReadError' }
                    $fatal = & $newRecord -Category $category -ErrorCategory $errorCategory -Text ('Listing the delegated admin relationships failed: {0}' -f $problem.Text) -Target $null -Inner $_.Exception
                    break
                }
                foreach ($item in @($page.value)) {
                    if ([string]$item.status -ne 'active' -or -not $item.customer) { continue }
                    $id = ([string]$item.customer.tenantId).ToLowerInvariant()
                    $parsed = [guid]::Empty
                    if (-not [guid]::TryParse($id, [ref]$parsed) -or $customers.Contains($id)) { continue }
                    $customers[$id] = [string]$item.customer.displayName
                }
                $next = [string]$page.'@odata.nextLink'
                if ($next -and -not $next.StartsWith($base + '/', [System.StringComparison]::OrdinalIgnoreCase)) {
                    $fatal = & $newRecord -Category 'RemoteError' -ErrorCategory 'InvalidResult' -Text ("The next page of the relationships is outside {0}: '{1}'; the token is not sent there." -f $base, $next) -Target $null -Inner $null
                }
            }
            if ($fatal) { $PSCmdlet.ThrowTerminatingError($fatal) }
            Write-Verbose -Message ('{0} customer tenants with an active relationship' -f $customers.Count)
            foreach ($entry in $customers.GetEnumerator()) {
                $tenantId = [string]$entry.Key
                $lookup = "{0}/v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='{1}')" -f $base, [uri]::EscapeDataString($tenantId)
                $domain = ''
                try {
                    $domain = [string](Invoke-RestMethod -Method Get -Uri $lookup -Headers $headers -MaximumRedirection 0 -ErrorAction Stop).defaultDomainName
                }
                catch {
                    $problem = & $describe -ErrorRecord $_
                    $category, $errorCategory = if ($problem.Status -eq 401 -or $problem.Status -eq 403) { 'AccessDenied', 'PermissionDenied' } else { 'RemoteError', 'ReadError' }
                    $PSCmdlet.WriteError((& $newRecord -Category $category -ErrorCategory $errorCategory -Text ('Looking up the domain of tenant {0} failed: {1}' -f $tenantId, $problem.Text) -Target $tenantId -Inner $_.Exception))
                }
                $keys = @($tenantId, $domain) | Where-Object -FilterScript { $_ }
                if ($Tenant -and -not @($keys | Where-Object -FilterScript { $Tenant -contains $_ }).Count) { continue }
                if ($Exclude -and @($keys | Where-Object -FilterScript { $Exclude -contains $_ }).Count) { continue }
                [pscustomobject]@{
                    PSTypeName   = 'DapReporting.GraphCustomer'
                    TenantId     = $tenantId
                    TenantDomain = $domain
                    Name         = [string]$entry.Value
                }
            }
        }
        finally {
            $headers.Clear()
        }
    }
}
