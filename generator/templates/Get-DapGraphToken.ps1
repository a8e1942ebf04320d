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
    The Microsoft identity platform host, without a path to the tenant: https, or http to the
    loopback host for a local stand-in. Default https://login.microsoftonline.com.

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
        [ValidatePattern({{TenantIdPattern}})]
        [string] $TenantId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('InitialDomain')]
        [AllowEmptyString()]
        [string] $TenantDomain = '',

        [Parameter(Mandatory)]
        [ValidatePattern({{TenantIdPattern}})]
        [string] $ClientId,

        [Parameter(Mandatory, ParameterSetName = 'Secret')]
        [securestring] $ClientSecret,

        [Parameter(Mandatory, ParameterSetName = 'Certificate')]
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,

        [Parameter(Mandatory, ParameterSetName = 'Thumbprint')]
        [ValidatePattern('^[0-9A-Fa-f]{40}\z')]
        [string] $CertificateThumbprint,

        [ValidatePattern({{GraphUriPattern}})]
        [string] $LoginUri = 'https://login.microsoftonline.com',

        [ValidatePattern('^https://[^\s?#]+/\.default\z')]
        [string] $Scope = 'https://graph.microsoft.com/.default'
    )
    begin {
        if ($PSCmdlet.ParameterSetName -eq 'Thumbprint') {
            $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')
            try {
                $store.Open('ReadOnly, OpenExistingOnly')
                $Certificate = @($store.Certificates.Find('FindByThumbprint', $CertificateThumbprint, $false)) | Select-Object -First 1
            }
            catch {
                $Certificate = $null
            }
            finally {
                $store.Dispose()
            }
            if (-not $Certificate) {
                $exception = [System.ArgumentException]::new(('No certificate with thumbprint {0} in the current user''s certificate store (My).' -f $CertificateThumbprint))
                $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                    $exception, 'Dap.InvalidParameter', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $CertificateThumbprint))
            }
        }
        if ($Certificate -and -not $Certificate.HasPrivateKey) {
            $exception = [System.ArgumentException]::new(('The certificate {0} has no private key here: a client assertion must be signed with it.' -f $Certificate.Thumbprint))
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                $exception, 'Dap.InvalidParameter', [System.Management.Automation.ErrorCategory]::InvalidArgument, $Certificate.Thumbprint))
        }
    }
    process {
        $uri = '{0}/{1}/oauth2/v2.0/token' -f $LoginUri.TrimEnd('/'), [uri]::EscapeDataString($TenantId)
        Write-Verbose ('Requesting a Graph token for tenant {0} from {1}' -f $TenantId, $uri)
        # The secret exists in plain text only inside this hashtable, which is cleared right after the call.
        $body = @{
            grant_type = 'client_credentials'
            client_id  = $ClientId
            scope      = $Scope
        }
        if ($Certificate) {
            # a fresh assertion per request: its audience is this tenant's token URI
            $body.client_assertion_type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
            $body.client_assertion = New-DapClientAssertion -Certificate $Certificate -ClientId $ClientId -Audience $uri
        }
        else {
            $body.client_secret = [System.Net.NetworkCredential]::new('', $ClientSecret).Password
        }
        $answer = $null
        $failure = $null
        # The request runs in a pipeline of its own (in this runspace, stopped with it), its
        # failure caught in there and returned as an ErrorRecord: the caller's -ErrorVariable and
        # $Error get only the one record written below. Fixed text; the data goes in as the argument.
        $errorsBefore = $global:Error.Count
        $pipeline = [powershell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
        try {
            $script = 'param($Parameters) try { Invoke-RestMethod @Parameters -ErrorAction Stop } catch [System.Management.Automation.PipelineStoppedException] { throw } catch { $_ }'
            $request = @{ Method = 'Post'; Uri = $uri; Body = $body; ContentType = 'application/x-www-form-urlencoded' }
            [void]$pipeline.AddScript($script, $true).AddArgument($request)
            $output = @($pipeline.Invoke())
            $failure = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Select-Object -First 1
            if (-not $failure) { $answer = $output | Select-Object -First 1 }
        }
        finally {
            # Not disposed: when the caller is stopped, PowerShell stops this pipeline from another
            # thread, which must never find it disposed; the garbage collector takes it.
            $pipeline = $null
            $body.Clear()
            while ($global:Error.Count -gt $errorsBefore) { $global:Error.RemoveAt(0) }
        }
        if ($failure) {
            $detail = if ($failure.ErrorDetails) { [string]$failure.ErrorDetails.Message } else { '' }
            $parsed = $null
            if ($detail -match '^\s*\{') {
                try { $parsed = $detail | ConvertFrom-Json -ErrorAction Stop } catch { $parsed = $null }
            }
            $text = if ($parsed -and $parsed.error) {
                '{0}: {1}' -f $parsed.error, $parsed.error_description
            }
            elseif ($detail) {
                $detail
            }
            else {
                $failure.Exception.Message
            }
            $evidence = @($text, $detail, $failure.Exception.Message) -join "`n"
            $category, $errorCategory = if ($evidence -match 'AADSTS7000215|AADSTS7000222|AADSTS700027|AADSTS700024|AADSTS50027|AADSTS50012|AADSTS7000218|[Ii]nvalid client secret') {
                'AuthenticationFailed', 'AuthenticationError'
            }
            elseif ($evidence -match 'invalid_client|unauthorized_client|consent|AADSTS65001|AADSTS700016|AADSTS90002') {
                'AccessDenied', 'PermissionDenied'
            }
            else {
                'RemoteError', 'NotSpecified'
            }
            $message = 'Getting a Graph token for tenant {0} failed: {1}' -f $TenantId, $text
            $exception = [System.Management.Automation.RuntimeException]::new($message, $failure.Exception)
            $record = [System.Management.Automation.ErrorRecord]::new(
                $exception, "Dap.$category", [System.Management.Automation.ErrorCategory]$errorCategory, $TenantId)
            if ($category -eq 'AuthenticationFailed') { $PSCmdlet.ThrowTerminatingError($record) }
            $PSCmdlet.WriteError($record)
            return
        }
        $plain = [string]$answer.access_token
        if ([string]::IsNullOrEmpty($plain)) {
            $exception = [System.InvalidOperationException]::new(('The token endpoint answered for tenant {0} without an access_token.' -f $TenantId))
            $record = [System.Management.Automation.ErrorRecord]::new(
                $exception, 'Dap.InvalidData', [System.Management.Automation.ErrorCategory]::InvalidData, $TenantId)
            $PSCmdlet.WriteError($record)
            return
        }
        $lifetime = 3600
        if (-not [int]::TryParse([string]$answer.expires_in, [ref]$lifetime)) { $lifetime = 3600 }
        [pscustomobject]@{
            PSTypeName  = 'DapReporting.GraphToken'
            TenantId     = $TenantId
            TenantDomain = $TenantDomain
            AccessToken  = [System.Net.NetworkCredential]::new('', $plain).SecurePassword
            ExpiresOn    = [datetime]::UtcNow.AddSeconds($lifetime)
        }
    }
}

function New-DapClientAssertion {
    <#
    .SYNOPSIS
    Private (not exported): the client assertion of a certificate credential, for any token request.

    .DESCRIPTION
    RFC 7523 as the Microsoft identity platform takes it: header {alg RS256, typ JWT, x5t = base64url
    of the certificate's SHA-1 hash}, claims aud = the token URI, iss = sub = the client id, a new jti,
    nbf and iat now, exp 10 minutes later; signed with the certificate's RSA private key (PKCS#1
    v1.5, SHA-256). .NET only; the key stays in the certificate object.
    https://learn.microsoft.com/entra/identity-platform/certificate-credentials
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,

        [Parameter(Mandatory)]
        [string] $ClientId,

        [Parameter(Mandatory)]
        [string] $Audience
    )
    $base64Url = { param([byte[]] $Bytes) [System.Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
    $key = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
    if (-not $key) { throw [System.ArgumentException]::new(('The certificate {0} has no RSA private key.' -f $Certificate.Thumbprint)) }
    try {
        $now = [System.DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        $header = [ordered]@{ alg = 'RS256'; typ = 'JWT'; x5t = (& $base64Url $Certificate.GetCertHash()) }
        $claims = [ordered]@{ aud = $Audience; iss = $ClientId; sub = $ClientId; jti = [guid]::NewGuid().ToString(); nbf = $now; iat = $now; exp = $now + 600 }
        $signingInput = '{0}.{1}' -f (& $base64Url ([System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $header -Compress)))),
            (& $base64Url ([System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $claims -Compress))))
        $signature = $key.SignData([System.Text.Encoding]::ASCII.GetBytes($signingInput),
            [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        '{0}.{1}' -f $signingInput, (& $base64Url $signature)
    }
    finally {
        $key.Dispose()
    }
}
