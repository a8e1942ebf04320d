function Get-DapExoToken {
    <#
    .SYNOPSIS
    Gets an app-only Exchange Online access token for one customer tenant (client credentials).

    .DESCRIPTION
    The Exchange Online counterpart of Get-DapGraphToken, for the reports that call Exchange
    cmdlets over the Exchange Online admin API (Invoke-DapExoCommand and the report functions with
    -AccessToken): posts the client credentials of the partner's multi-tenant app to the customer
    tenant's token endpoint (<LoginUri>/<TenantId>/oauth2/v2.0/token) for the scope
    https://outlook.office365.com/.default, and returns one DapReporting.ExoToken per tenant: the
    tenant id and domain, the access token as a SecureString and its expiry. Pipe
    Get-DapGraphCustomer or Get-DapCustomer into it, and it into an Exchange report function.

    The app must be consented in the customer tenant with the Exchange.ManageAsApp application
    permission (Office 365 Exchange Online) and hold an Entra role there that can read the data,
    such as Global Reader or Exchange Administrator (through GDAP: those roles on the relationship).

    The client secret is turned into plain text only in memory, for the request body; it is never
    written to any stream, log or file, and neither is the token. The request is the one
    Get-DapGraphToken sends, with another scope.

    A tenant that fails writes exactly one non-terminating error whose FullyQualifiedErrorId is
    Dap.<Category> and whose target object is the tenant id, and the other tenants go on:
    AccessDenied when the app is not consented in, or not known to, that tenant, InvalidData when
    the answer holds no token, RemoteError otherwise. When the service rejects the secret itself
    the error is terminating (Dap.AuthenticationFailed): the same secret would fail in every tenant;
    so is a refused certificate or client assertion.

    With -Certificate (or -CertificateThumbprint) the app proves itself with a certificate instead of
    a secret, as with Get-DapGraphToken: a client assertion signed with the certificate's private key.

    .PARAMETER TenantId
    The customer tenant id (a GUID), e.g. from Get-DapGraphCustomer or Get-DapCustomer; also taken from the pipeline.

    .PARAMETER TenantDomain
    The customer tenant's domain, passed on in the token object so that the report rows carry it;
    from the pipeline. Optional.
    Alias: InitialDomain.

    .PARAMETER ClientId
    The application (client) id of the partner's app registration (a GUID).

    .PARAMETER ClientSecret
    The app's client secret, as a SecureString (for example from Read-Host -AsSecureString).

    .PARAMETER Certificate
    A certificate of the app, with its RSA private key (an X509Certificate2), uploaded to the app registration.

    .PARAMETER CertificateThumbprint
    The SHA-1 thumbprint (40 hex digits) of a certificate with its private key in the current user's
    certificate store (My).

    .PARAMETER LoginUri
    The Microsoft identity platform host, without a path to the tenant (https). Default
    https://login.microsoftonline.com.

    .EXAMPLE
    $secret = Read-Host -AsSecureString -Prompt 'Client secret'
    Get-DapGraphToken -TenantId $partnerTenantId -ClientId $appId -ClientSecret $secret | Get-DapGraphCustomer | Get-DapExoToken -ClientId $appId -ClientSecret $secret | Get-DapCasMailboxProtocolReport

    One Exchange token per GDAP customer, each used to list the mailbox protocols of that tenant.

    .EXAMPLE
    $cert = Get-PfxCertificate -FilePath ./dap-app.pfx
    Import-Csv customers.csv | Get-DapExoToken -ClientId $appId -Certificate $cert | Get-DapUnusedMailboxReport -InactiveDays 90

    App-only with a certificate: the mailboxes unused for 90 days in every tenant listed in customers.csv.

    .INPUTS
    DapReporting.GraphCustomer, DapReporting.Customer, or any object with a TenantId property (and TenantDomain or InitialDomain), bound by property name.

    .OUTPUTS
    DapReporting.ExoToken: TenantId, TenantDomain, AccessToken (SecureString), ExpiresOn (UTC).

    .LINK
    Invoke-DapExoCommand

    .LINK
    Get-DapGraphToken

    .LINK
    https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2
    #>
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'Secret')]
    [OutputType('DapReporting.ExoToken')]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [ValidatePattern('dap-gen:TenantIdPattern')]
        [string] $TenantId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('InitialDomain')]
        [AllowEmptyString()]
        [string] $TenantDomain = '',

        [Parameter(Mandatory)]
        [ValidatePattern('dap-gen:TenantIdPattern')]
        [string] $ClientId,

        [Parameter(Mandatory, ParameterSetName = 'Secret')]
        [securestring] $ClientSecret,

        [Parameter(Mandatory, ParameterSetName = 'Certificate')]
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,

        [Parameter(Mandatory, ParameterSetName = 'Thumbprint')]
        [ValidatePattern('^[0-9A-Fa-f]{40}\z')]
        [string] $CertificateThumbprint,

        [ValidatePattern('dap-gen:BaseUriPattern')]
        [string] $LoginUri = 'https://login.microsoftonline.com'
    )
    begin {
        if ($PSCmdlet.ParameterSetName -ne 'Secret') {
            $found = Resolve-DapCertificate -Certificate $Certificate -Thumbprint $CertificateThumbprint
            if (-not $found.Certificate) {
                $PSCmdlet.ThrowTerminatingError((New-DapErrorRecord -Category InvalidParameter -ErrorCategory InvalidArgument -Message $found.Message -ExceptionType ([System.ArgumentException]) -Target $found.Target))
            }
            $Certificate = $found.Certificate
        }
    }
    process {
        $credential = if ($Certificate) { @{ Certificate = $Certificate } } else { @{ ClientSecret = $ClientSecret } }
        $answer = Invoke-DapTokenRequest -TenantId $TenantId -ClientId $ClientId -LoginUri $LoginUri -Scope 'dap-gen:ExchangeScope' @credential
        if ($answer.Category) {
            $message = if ($answer.Category -eq 'InvalidData') {
                'The token endpoint answered for tenant {0} without an access_token.' -f $TenantId
            }
            else {
                'Getting an Exchange Online token for tenant {0} failed: {1}' -f $TenantId, $answer.Text
            }
            $record = New-DapErrorRecord -Category $answer.Category -ErrorCategory $answer.ErrorCategory -Message $message -Exception $answer.Exception -Target $TenantId
            if ($answer.Category -eq 'AuthenticationFailed') { $PSCmdlet.ThrowTerminatingError($record) }
            $PSCmdlet.WriteError($record)
            return
        }
        [pscustomobject]@{
            PSTypeName   = 'DapReporting.ExoToken'
            TenantId     = $TenantId
            TenantDomain = $TenantDomain
            AccessToken  = $answer.Token
            ExpiresOn    = $answer.ExpiresOn
        }
    }
}
