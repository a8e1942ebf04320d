function Invoke-DapExoCommand {
    <#
    .SYNOPSIS
    Runs one Exchange Online cmdlet in one customer tenant over the Exchange Online admin API and returns its objects.

    .DESCRIPTION
    Calls POST <ExchangeUri>/adminapi/beta/<TenantId>/InvokeCommand, the endpoint the
    ExchangeOnlineManagement module v3 uses, with the cmdlet name and its parameters as JSON
    ({"CmdletInput":{"CmdletName":…,"Parameters":{…}}}), the tenant's token, the tenant's system
    mailbox as X-AnchorMailbox and Prefer: odata.maxpagesize=1000; follows every @odata.nextLink
    (the same body again, and only to the host of ExchangeUri) and returns the objects of every
    page as PSCustomObjects, each tagged with TenantId. The service's @adminapi.warnings become
    warnings. Parameters are sent as given: a [datetime] as ISO 8601 UTC text, a switch as true or false.

    The token needs the scope https://outlook.office365.com/.default in the customer tenant
    (Get-DapExoToken): an app consented there with Exchange.ManageAsApp and an Entra role such as
    Global Reader or Exchange Administrator, or a partner user whose GDAP relationship grants
    Exchange Administrator or Global Reader.

    When the service throttles (429 Too Many Requests) the call waits for the Retry-After seconds
    (at most dap-gen:MaxRetryAfterSeconds) and tries again, at most MaxRetries times. A failure writes exactly one
    non-terminating error whose FullyQualifiedErrorId starts with Dap.<Category> and whose target
    object is the tenant id: AccessDenied (401 or 403: token rejected, role missing), Throttled
    (still 429 after the retries), InvalidParameter (400), NotFound (404) or RemoteError (anything
    else); the message keeps the service's own code and text. Needs PowerShell 7.

    .PARAMETER TenantId
    The customer tenant id (a GUID).

    .PARAMETER AccessToken
    An Exchange Online access token for that tenant, as a SecureString, e.g. the AccessToken of Get-DapExoToken.

    .PARAMETER Cmdlet
    The Exchange cmdlet, e.g. Get-Mailbox.

    .PARAMETER Parameters
    The cmdlet's parameters by name, e.g. @{ ResultSize = 'Unlimited' }.

    .PARAMETER Select
    Only these properties of each object ($select); all when not given.

    .PARAMETER ExchangeUri
    The Exchange Online host (https). Default https://outlook.office365.com.

    .PARAMETER MaxRetries
    How many times a throttled (429) call is tried again, 0 to 10. Default 3.

    .EXAMPLE
    Get-DapExoToken -TenantId $tenantId -ClientId $appId -ClientSecret $secret | Invoke-DapExoCommand -Cmdlet Get-Mailbox -Parameters @{ ResultSize = 'Unlimited' } -Select UserPrincipalName, RecipientTypeDetails

    Every mailbox of one tenant, with two of its properties.

    .INPUTS
    DapReporting.ExoToken (from Get-DapExoToken), or any object with TenantId and AccessToken properties, bound by property name.

    .OUTPUTS
    System.Management.Automation.PSCustomObject: the cmdlet's objects as the service returns them, plus TenantId.

    .LINK
    Get-DapExoToken

    .LINK
    https://learn.microsoft.com/powershell/exchange/exchange-online-powershell-v2
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [ValidatePattern('dap-gen:TenantIdPattern')]
        [string] $TenantId,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [securestring] $AccessToken,

        [Parameter(Mandatory)]
        [ValidatePattern('dap-gen:CmdletPattern')]
        [string] $Cmdlet,

        [System.Collections.IDictionary] $Parameters = @{},

        [ValidatePattern('^[A-Za-z][A-Za-z0-9]*\z')]
        [string[]] $Select = @(),

        [ValidatePattern('dap-gen:BaseUriPattern')]
        [string] $ExchangeUri = 'https://outlook.office365.com',

        [ValidateRange(0, 10)]
        [int] $MaxRetries = 3
    )
    process {
        $send = [ordered]@{}
        foreach ($name in $Parameters.Keys) { $send[[string]$name] = ConvertTo-DapExoValue -Value $Parameters[$name] }
        $answer = Invoke-DapExoRequest -TenantId $TenantId -AccessToken $AccessToken -ExchangeUri $ExchangeUri -Cmdlet $Cmdlet -Parameters $send -Select $Select -MaxRetries $MaxRetries
        if ($answer.Failure) {
            $message = '{0} failed for tenant {1}: {2}' -f $Cmdlet, $TenantId, $answer.Failure.Text
            $PSCmdlet.WriteError((New-DapErrorRecord -Category $answer.Failure.Category -ErrorCategory $answer.Failure.ErrorCategory -Message $message -Exception $answer.Failure.Exception -Target $TenantId))
            return
        }
        foreach ($row in $answer.Rows) {
            if ($row -is [System.Management.Automation.PSCustomObject]) {
                $row | Add-Member -NotePropertyName TenantId -NotePropertyValue $TenantId -Force
            }
            $row
        }
        Write-Verbose -Message ('Tenant {0}: {1} objects of {2} in {3} pages' -f $TenantId, $answer.Rows.Count, $Cmdlet, $answer.Pages)
    }
}
