function Get-DapGraphToken {
    <#
    .SYNOPSIS
    Gets an app-only Microsoft Graph access token for one customer tenant (client credentials).

    .DESCRIPTION
    Posts the client credentials of the partner's multi-tenant app to the customer tenant's token
    endpoint (<LoginUri>/<TenantId>/oauth2/v2.0/token, form body grant_type=client_credentials,
    client_id, scope, and either client_secret or a client assertion) and returns one
    DapReporting.GraphToken per tenant: the tenant id and domain, the access token as a SecureString
    and its expiry. Pipe it into a Graph report function, which takes TenantId and AccessToken from
    the pipeline.

    With -Certificate (or -CertificateThumbprint) the app proves itself with a certificate instead of
    a secret: a client assertion (a JWT signed RS256 with the certificate's private key, header x5t =
    the certificate's SHA-1 thumbprint, aud = the token URI, iss = sub = the client id, valid for 10
    minutes) is sent as client_assertion, built with .NET only. Upload the certificate (public part)
    to the app registration first.

    The client secret is turned into plain text only in memory, for the request body; it is never
    written to any stream, log or file, and neither is the token. The private key never leaves the
    certificate object. The tenant id is checked to be a GUID before it goes into the URI.

    A tenant that fails writes exactly one non-terminating error whose FullyQualifiedErrorId is
    Dap.<Category> and whose target object is the tenant id, and the other tenants go on:
    AccessDenied when the app is not consented in, or not known to, that tenant (invalid_client,
    unauthorized_client, AADSTS65001, AADSTS700016), InvalidData when the answer holds no token,
    RemoteError otherwise. When the service rejects the secret itself (AADSTS7000215,
    AADSTS7000222) the error is terminating (Dap.AuthenticationFailed): the same secret would fail
    in every tenant; so is a refused certificate or client assertion (AADSTS700027, AADSTS700024,
    AADSTS50027, AADSTS50012, AADSTS7000218). The message keeps the service's own error and description.

    .PARAMETER TenantId
    The customer tenant id (a GUID), e.g. from Get-DapCustomer; also taken from the pipeline.

    .PARAMETER TenantDomain
    The customer tenant's domain, passed on in the token object so that the report rows carry it;
    from the pipeline, e.g. from Get-DapGraphCustomer. Optional.
    Alias: InitialDomain.

    .PARAMETER ClientId
    The application (client) id of the partner's app registration (a GUID), consented in every
    customer tenant with the Reports.Read.All application permission.

    .PARAMETER ClientSecret
    The app's client secret, as a SecureString (for example from Read-Host -AsSecureString).

    .PARAMETER Certificate
    A certificate of the app, with its RSA private key (an X509Certificate2, e.g. from
    Get-PfxCertificate or Get-Item Cert:\CurrentUser\My\<thumbprint>), uploaded to the app registration.

    .PARAMETER CertificateThumbprint
    The SHA-1 thumbprint (40 hex digits) of a certificate with its private key in the current user's
    certificate store (My), looked up there; works wherever .NET has that store (Windows, and
    ~/.dotnet/corefx/cryptography/x509stores/my on Linux).

    .PARAMETER LoginUri
    The Microsoft identity platform host, without a path to the tenant (https). Default
    https://login.microsoftonline.com.

    .PARAMETER Scope
    The resource scope the token is for. Default https://graph.microsoft.com/.default.

    .EXAMPLE
    $secret = Read-Host -AsSecureString -Prompt 'Client secret'
    Get-DapGraphToken -TenantId 6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b -ClientId 0b8f3c2d-1e4a-4b6c-9d7e-2f1a3b4c5d6e -ClientSecret $secret | Get-DapMailboxUsageDetail -Period D30

    Gets a token for one customer tenant and runs a Graph report there with it.

    .EXAMPLE
    Import-Csv customers.csv | Get-DapGraphToken -ClientId $appId -ClientSecret $secret | Get-DapOffice365ActiveUserDetail -Period D7

    One token per tenant id in the TenantId column of customers.csv; a tenant that has not consented to the app reports Dap.AccessDenied and the others go on.

    .EXAMPLE
    $cert = Get-PfxCertificate -FilePath ./dap-app.pfx
    Import-Csv customers.csv | Get-DapGraphToken -ClientId $appId -Certificate $cert | Get-DapMailboxUsageDetail -Period D30

    App-only with a certificate instead of a secret.

    .INPUTS
    Any object with a TenantId property (DapReporting.Customer, Import-Csv rows ...), bound by property name.

    .OUTPUTS
    DapReporting.GraphToken: TenantId, TenantDomain, AccessToken (SecureString), ExpiresOn (UTC).

    .LINK
    Invoke-DapGraphReport

    .LINK
    https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
    #>
    [CmdletBinding(PositionalBinding = $false, DefaultParameterSetName = 'Secret')]
    [OutputType('DapReporting.GraphToken')]
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
        [string] $LoginUri = 'https://login.microsoftonline.com',

        [ValidatePattern('^https://[^\s?#]+/\.default\z')]
        [string] $Scope = 'https://graph.microsoft.com/.default'
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
        # The request itself is Invoke-DapTokenRequest's, shared with Get-DapExoToken.
        $credential = if ($Certificate) { @{ Certificate = $Certificate } } else { @{ ClientSecret = $ClientSecret } }
        $answer = Invoke-DapTokenRequest -TenantId $TenantId -ClientId $ClientId -LoginUri $LoginUri -Scope $Scope @credential
        if ($answer.Category) {
            $message = if ($answer.Category -eq 'InvalidData') {
                'The token endpoint answered for tenant {0} without an access_token.' -f $TenantId
            }
            else {
                'Getting a Graph token for tenant {0} failed: {1}' -f $TenantId, $answer.Text
            }
            $record = New-DapErrorRecord -Category $answer.Category -ErrorCategory $answer.ErrorCategory -Message $message -Exception $answer.Exception -Target $TenantId
            if ($answer.Category -eq 'AuthenticationFailed') { $PSCmdlet.ThrowTerminatingError($record) }
            $PSCmdlet.WriteError($record)
            return
        }
        [pscustomobject]@{
            PSTypeName   = 'DapReporting.GraphToken'
            TenantId     = $TenantId
            TenantDomain = $TenantDomain
            AccessToken  = $answer.Token
            ExpiresOn    = $answer.ExpiresOn
        }
    }
}
