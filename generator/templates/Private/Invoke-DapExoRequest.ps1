function Invoke-DapExoRequest {
    <#
    .SYNOPSIS
    Runs one Exchange cmdlet in one tenant over the Exchange Online admin API, every page; writes no error.

    .DESCRIPTION
    The HTTP logic of Invoke-DapExoCommand and of the Exchange report functions, once: POSTs
    {"CmdletInput":{"CmdletName":<Cmdlet>,"Parameters":<Parameters>}} to
    <ExchangeUri>/adminapi/beta/<TenantId>/InvokeCommand (with ?$select= when Select is given) with
    the headers the service expects (Authorization, X-AnchorMailbox of the tenant's system mailbox,
    Prefer: odata.maxpagesize), then POSTs the same body to each @odata.nextLink, but only when the
    link is on the same scheme, host and port as ExchangeUri (the token goes nowhere else).

    A throttled call (429) waits for the Retry-After seconds (at most dap-gen:MaxRetryAfterSeconds; 5, 10, 20 ... seconds
    when the header is missing) and is tried again, at most MaxRetries times. The service's
    @adminapi.warnings are written as warnings, each once per call (every page repeats them). Answers a hashtable, never an error record on a
    stream: Rows (the objects of every page, PSCustomObjects), Pages, and Failure ($null, or
    Category AccessDenied, Throttled, InvalidParameter, NotFound or RemoteError, ErrorCategory,
    Status, Text with the service's own code and message, Exception). Each web request runs in a
    pipeline of its own, so nothing reaches the caller's -ErrorVariable or $Error.

    .PARAMETER TenantId
    The customer tenant id (a GUID, checked by the caller).

    .PARAMETER AccessToken
    An Exchange Online access token for that tenant.

    .PARAMETER ExchangeUri
    The Exchange Online host (checked by the caller).

    .PARAMETER Cmdlet
    The cmdlet name (checked by the caller).

    .PARAMETER Parameters
    The cmdlet's parameters: names to strings, numbers, booleans or arrays of them.

    .PARAMETER Select
    The properties to return ($select); all when empty.

    .PARAMETER MaxRetries
    How many times a throttled (429) call is tried again.

    .PARAMETER PageSize
    The page size asked for (Prefer: odata.maxpagesize), 1 to 1000.

    .EXAMPLE
    $answer = Invoke-DapExoRequest -TenantId $tenantId -AccessToken $token -ExchangeUri 'https://outlook.office365.com' -Cmdlet 'Get-AcceptedDomain' -Parameters @{} -Select @('DomainName')

    The accepted domains of one tenant in $answer.Rows, or the reason there are none in $answer.Failure.

    .INPUTS
    None.

    .OUTPUTS
    System.Collections.Hashtable: Rows, Pages, Failure.
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [string] $TenantId,

        [Parameter(Mandatory)]
        [securestring] $AccessToken,

        [Parameter(Mandatory)]
        [string] $ExchangeUri,

        [Parameter(Mandatory)]
        [string] $Cmdlet,

        [System.Collections.IDictionary] $Parameters = @{},

        [string[]] $Select = @(),

        [int] $MaxRetries = 3,

        [ValidateRange(1, 1000)]
        [int] $PageSize = 1000
    )
    $base = [uri]$ExchangeUri.TrimEnd('/')
    $uri = '{0}/adminapi/beta/{1}/InvokeCommand' -f $base.AbsoluteUri.TrimEnd('/'), [uri]::EscapeDataString($TenantId)
    if ($Select.Count -gt 0) {
        $uri += '?$select=' + (@($Select | ForEach-Object -Process { [uri]::EscapeDataString($_) }) -join ',')
    }
    # Built as data and serialised: nothing from the caller becomes JSON text by hand.
    $body = ConvertTo-Json -InputObject @{ CmdletInput = @{ CmdletName = $Cmdlet; Parameters = $Parameters } } -Depth 10 -Compress
    $headers = @{
        # The token exists in plain text only inside this header table, cleared at the end.
        Authorization     = 'Bearer {0}' -f [System.Net.NetworkCredential]::new('', $AccessToken).Password
        'X-AnchorMailbox' = 'APP:SystemMailbox{{bb558c35-97f1-4cb9-8ff7-d53741dc928c}}@{0}' -f $TenantId
        Prefer            = 'odata.maxpagesize={0}' -f $PageSize
    }
    # Dates stay text (the report columns say which are dates) where ConvertFrom-Json can be told so (PowerShell 7.5).
    $keepDates = (Get-Command -Name ConvertFrom-Json).Parameters.ContainsKey('DateKind')
    $parseJson = {
        param([string] $Text)
        if ($keepDates) { return ConvertFrom-Json -InputObject $Text -DateKind String -ErrorAction Stop }
        ConvertFrom-Json -InputObject $Text -ErrorAction Stop
    }
    $readText = {
        param($Response)
        if ($null -eq $Response.RawContentStream) { return [string]$Response.Content }
        [System.Text.Encoding]::UTF8.GetString($Response.RawContentStream.ToArray())
    }
    $serviceMessage = {
        param($Response)
        $text = & $readText -Response $Response
        $parsed = $null
        if ($text -match '^\s*\{') {
            try { $parsed = & $parseJson -Text $text } catch { $parsed = $null }
        }
        if ($parsed -and $parsed.error) {
            $parts = [System.Collections.Generic.List[string]]::new()
            $parts.Add(('{0}: {1}' -f $parsed.error.code, $parsed.error.message))
            foreach ($detail in @($parsed.error.details)) {
                if ($detail.message -and -not $parts.Contains([string]$detail.message)) { $parts.Add([string]$detail.message) }
            }
            $inner = $parsed.error.innererror.internalException.message
            if ($inner -and -not ($parts -join ' ').Contains([string]$inner)) { $parts.Add([string]$inner) }
            return $parts -join ' '
        }
        if ([string]::IsNullOrWhiteSpace($text)) { return 'HTTP {0}' -f [int]$Response.StatusCode }
        $text.Trim()
    }
    $result = @{ Rows = [System.Collections.Generic.List[object]]::new(); Pages = 0; Failure = $null }
    $fail = {
        param([string] $Category, [string] $ErrorCategory, [int] $Status, [string] $Text, [System.Exception] $Inner)
        $result.Failure = @{ Category = $Category; ErrorCategory = $ErrorCategory; Status = $Status; Text = $Text; Exception = $Inner }
    }
    $warned = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::Ordinal)
    $attempt = 0
    try {
        :page while ($true) {
            $attempt++
            Write-Verbose -Message ('POST {0} {1} (tenant {2}, attempt {3})' -f $uri, $Cmdlet, $TenantId, $attempt)
            $request = @{
                Uri = $uri; Method = 'Post'; Headers = $headers; Body = $body; ContentType = 'application/json; charset=utf-8'
                MaximumRedirection = 0; SkipHttpErrorCheck = $true
            }
            # A redirect is not followed: it comes back as the response, and fails the call below.
            $answer = Invoke-DapWebRequest -Parameters $request
            if ($answer.Exception) {
                & $fail -Category 'RemoteError' -ErrorCategory 'ConnectionError' -Status 0 -Text $answer.Exception.Message -Inner $answer.Exception
                break page
            }
            $response = $answer.Response
            $status = [int]$response.StatusCode
            if ($status -eq 429) {
                if ($attempt -gt $MaxRetries) {
                    & $fail -Category 'Throttled' -ErrorCategory 'LimitsExceeded' -Status 429 -Text ('still throttled after {0} attempts: {1}' -f $attempt, (& $serviceMessage -Response $response)) -Inner $null
                    break page
                }
                $seconds = 0
                if (-not [int]::TryParse([string]@($response.Headers['Retry-After'])[0], [ref]$seconds) -or $seconds -lt 0) {
                    $seconds = 5 * [int][Math]::Pow(2, $attempt - 1)
                }
                $seconds = [Math]::Min($seconds, 'dap-gen:MaxRetryAfterSeconds')
                Write-Verbose -Message ('Throttled by the service (429); retrying {0} in tenant {1} in {2} s ({3} of {4})' -f $Cmdlet, $TenantId, $seconds, $attempt, $MaxRetries)
                Start-Sleep -Seconds $seconds
                continue page
            }
            if ($status -ne 200) {
                $category, $errorCategory = switch ($status) {
                    400 { 'InvalidParameter', 'InvalidArgument' }
                    401 { 'AccessDenied', 'PermissionDenied' }
                    403 { 'AccessDenied', 'PermissionDenied' }
                    404 { 'NotFound', 'ObjectNotFound' }
                    default { 'RemoteError', 'NotSpecified' }
                }
                & $fail -Category $category -ErrorCategory $errorCategory -Status $status -Text ('HTTP {0}: {1}' -f $status, (& $serviceMessage -Response $response)) -Inner $null
                break page
            }
            $page = $null
            try {
                $page = & $parseJson -Text (& $readText -Response $response)
            }
            catch {
                & $fail -Category 'RemoteError' -ErrorCategory 'InvalidResult' -Status 200 -Text ('the answer is not JSON: {0}' -f $_.Exception.Message) -Inner $_.Exception
                break page
            }
            $result.Pages++
            # Every page of a call carries the call's warnings: each is written once.
            foreach ($warning in @($page.'@adminapi.warnings')) {
                if ($warning -and $warned.Add([string]$warning)) { Write-Warning -Message ('{0} in tenant {1}: {2}' -f $Cmdlet, $TenantId, $warning) }
            }
            foreach ($item in @($page.value)) {
                if ($null -ne $item) { $result.Rows.Add($item) }
            }
            $next = [string]$page.'@odata.nextLink'
            if ([string]::IsNullOrEmpty($next)) { break page }
            $nextUri = $null
            if (-not [uri]::TryCreate($next, [System.UriKind]::Absolute, [ref]$nextUri) -or
                $nextUri.Scheme -ne $base.Scheme -or $nextUri.Authority -ne $base.Authority) {
                & $fail -Category 'RemoteError' -ErrorCategory 'InvalidResult' -Status 200 -Text ("the service's next page link '{0}' is not on {1}; the token is not sent there" -f $next, $base.GetLeftPart([System.UriPartial]::Authority)) -Inner $null
                break page
            }
            $uri = $nextUri.AbsoluteUri
            $attempt = 0
        }
    }
    finally {
        $headers.Clear()
    }
    $result
}
