function New-DapClientAssertion {
    <#
    .SYNOPSIS
    The client assertion of a certificate credential, for any token request (Invoke-DapTokenRequest).

    .DESCRIPTION
    RFC 7523 as the Microsoft identity platform takes it: header {alg RS256, typ JWT, x5t = base64url
    of the certificate's SHA-1 hash}, claims aud = the token URI, iss = sub = the client id, a new jti,
    nbf and iat now, exp 10 minutes later; signed with the certificate's RSA private key (PKCS#1
    v1.5, SHA-256). .NET only; the key stays in the certificate object.
    https://learn.microsoft.com/entra/identity-platform/certificate-credentials

    .PARAMETER Certificate
    The app's certificate, with its RSA private key.

    .PARAMETER ClientId
    The application (client) id: the assertion's issuer and subject.

    .PARAMETER Audience
    The token URI the assertion is sent to.

    .EXAMPLE
    New-DapClientAssertion -Certificate $cert -ClientId $appId -Audience 'https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token'

    A signed JWT, valid for 10 minutes.

    .INPUTS
    None.

    .OUTPUTS
    System.String
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
        $header = [ordered]@{ alg = 'RS256'; typ = 'JWT'; x5t = (& $base64Url -Bytes $Certificate.GetCertHash()) }
        $claims = [ordered]@{ aud = $Audience; iss = $ClientId; sub = $ClientId; jti = [guid]::NewGuid().ToString(); nbf = $now; iat = $now; exp = $now + 600 }
        $signingInput = '{0}.{1}' -f (& $base64Url -Bytes ([System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $header -Compress)))),
            (& $base64Url -Bytes ([System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $claims -Compress))))
        $signature = $key.SignData([System.Text.Encoding]::ASCII.GetBytes($signingInput),
            [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        '{0}.{1}' -f $signingInput, (& $base64Url -Bytes $signature)
    }
    finally {
        $key.Dispose()
    }
}
