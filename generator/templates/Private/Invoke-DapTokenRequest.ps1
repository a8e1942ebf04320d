function Invoke-DapTokenRequest {
    <#
    .SYNOPSIS
    Requests an app-only access token for one tenant and scope (client credentials, with a secret or a certificate); writes nothing.

    .DESCRIPTION
    The token request Get-DapGraphToken and Get-DapExoToken share: posts grant_type=client_credentials,
    client_id, scope and either client_secret or a client assertion signed with the certificate
    (New-DapClientAssertion, audience the token URI) to <LoginUri>/<TenantId>/oauth2/v2.0/token and answers a
    hashtable, never an error record on a stream: Token (SecureString) and ExpiresOn (UTC) on success,
    else Category (AuthenticationFailed, AccessDenied, InvalidData or RemoteError), ErrorCategory,
    Text (the service's own error and description) and Exception. The caller writes the error with
    its own $PSCmdlet, so that the record names the command the user ran.

    The client secret is plain text only inside the request body hashtable, cleared after the call;
    the token is plain text only until it is turned into the SecureString.

    .PARAMETER TenantId
    The tenant id (a GUID, checked by the caller).

    .PARAMETER ClientId
    The application (client) id.

    .PARAMETER ClientSecret
    The app's client secret, as a SecureString.

    .PARAMETER Certificate
    The app's certificate, with its private key (instead of a secret).

    .PARAMETER LoginUri
    The Microsoft identity platform host (checked by the caller).

    .PARAMETER Scope
    The resource scope, e.g. https://outlook.office365.com/.default.

    .EXAMPLE
    $answer = Invoke-DapTokenRequest -TenantId $tenantId -ClientId $appId -ClientSecret $secret -LoginUri 'https://login.microsoftonline.com' -Scope 'https://outlook.office365.com/.default'

    One Exchange token, or the reason there is none in $answer.Category and $answer.Text.

    .INPUTS
    None.

    .OUTPUTS
    System.Collections.Hashtable: Token and ExpiresOn, or Category, ErrorCategory, Text and Exception.
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [string] $TenantId,

        [Parameter(Mandatory)]
        [string] $ClientId,

        [securestring] $ClientSecret,

        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,

        [Parameter(Mandatory)]
        [string] $LoginUri,

        [Parameter(Mandatory)]
        [string] $Scope
    )
    $uri = '{0}/{1}/oauth2/v2.0/token' -f $LoginUri.TrimEnd('/'), [uri]::EscapeDataString($TenantId)
    Write-Verbose -Message ('Requesting a token for {0} in tenant {1} from {2}' -f $Scope, $TenantId, $uri)
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
    # $Error get only the one record the caller writes. Fixed text; the data goes in as the argument.
    $errorsBefore = $global:Error.Count
    $pipeline = [powershell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
    try {
        $script = 'param($Parameters) try { Invoke-RestMethod @Parameters -ErrorAction Stop } catch [System.Management.Automation.PipelineStoppedException] { throw } catch { $_ }'
        # No redirect is followed: a 307 would send the secret in the body on to its Location.
        $request = @{ Method = 'Post'; Uri = $uri; Body = $body; ContentType = 'application/x-www-form-urlencoded'; MaximumRedirection = 0 }
        [void]$pipeline.AddScript($script, $true).AddArgument($request)
        $output = @($pipeline.Invoke())
        $failure = @($output | Where-Object -FilterScript { $_ -is [System.Management.Automation.ErrorRecord] }) | Select-Object -First 1
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
        return @{ Category = $category; ErrorCategory = $errorCategory; Text = $text; Exception = $failure.Exception }
    }
    $plain = [string]$answer.access_token
    if ([string]::IsNullOrEmpty($plain)) {
        return @{ Category = 'InvalidData'; ErrorCategory = 'InvalidData'; Text = 'the token endpoint answered without an access_token'; Exception = $null }
    }
    $lifetime = 3600
    if (-not [int]::TryParse([string]$answer.expires_in, [ref]$lifetime)) { $lifetime = 3600 }
    @{
        Token     = [System.Net.NetworkCredential]::new('', $plain).SecurePassword
        ExpiresOn = [datetime]::UtcNow.AddSeconds($lifetime)
    }
}
