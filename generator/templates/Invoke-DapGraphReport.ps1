function Invoke-DapGraphReport {
    <#
    .SYNOPSIS
    Downloads one Microsoft Graph usage report of one customer tenant and returns its rows, tagged with the tenant.

    .DESCRIPTION
    Calls GET <GraphUri>/v1.0/reports/<Function>(period='<Period>'), or (date=<YYYY-MM-DD>) when a
    Date is given, with the tenant's access token. The service answers 302 with a short-lived,
    pre-authenticated download URL; that URL is fetched without the token, the CSV's byte order
    mark is removed and each CSV row becomes one object: TenantId first, then the report's columns
    as the service names them (for example 'Storage Used (Byte)'). A report without rows returns
    nothing.

    The function name and the period come from validated sets, the date is formatted by the
    function, and every value goes into the URL through [uri]::EscapeDataString. The token is sent
    only to GraphUri, never to the download URL, and never written anywhere.

    When the service throttles (429 Too Many Requests) the call waits for the Retry-After seconds
    (at most 600; 5, 10, 20 ... seconds when the header is missing) and tries again, at most
    MaxRetries times. A failure ends the call with one terminating error whose
    FullyQualifiedErrorId is Dap.<Category> and whose target object is the tenant id: AccessDenied
    (401 or 403: token rejected, Reports.Read.All not consented), Throttled (still 429 after the
    retries), InvalidParameter (400, e.g. a date outside the last 30 days) or RemoteError (anything
    else, including a failed download); the message keeps the service's own code and text. Needs
    PowerShell 7 (Invoke-WebRequest -SkipHttpErrorCheck).

    .PARAMETER TenantId
    The customer tenant id (a GUID); copied into every row.

    .PARAMETER AccessToken
    An access token for Microsoft Graph in that tenant, e.g. the AccessToken of Get-DapGraphToken.

    .PARAMETER Function
    The Graph report function, e.g. getMailboxUsageDetail.

    .PARAMETER Period
    The number of days the report covers, ending at the last day with data: D7, D30, D90 or D180. Default D7.

    .PARAMETER Date
    One day within the last 30 days, for the detail reports that accept (date=YYYY-MM-DD) instead of a period.

    .PARAMETER GraphUri
    The Microsoft Graph host, without /v1.0: https, or http to the loopback host for a local stand-in. Default https://graph.microsoft.com.

    .PARAMETER MaxRetries
    How many times a throttled (429) request is tried again, 0 to 10. Default 3.

    .EXAMPLE
    Get-DapGraphToken -TenantId $tenantId -ClientId $appId -ClientSecret $secret | Invoke-DapGraphReport -Function getMailboxUsageDetail -Period D30

    Mailbox usage of the last 30 days in one tenant, as objects.

    .INPUTS
    DapReporting.GraphToken (from Get-DapGraphToken), or any object with TenantId and AccessToken properties, bound by property name.

    .OUTPUTS
    System.Management.Automation.PSCustomObject: TenantId, then the report's CSV columns.

    .LINK
    Get-DapGraphToken

    .LINK
    https://learn.microsoft.com/graph/api/resources/report
    #>
    [CmdletBinding(DefaultParameterSetName = 'Period', PositionalBinding = $false)]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [ValidatePattern({{TenantIdPattern}})]
        [string] $TenantId,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [securestring] $AccessToken,

        [Parameter(Mandatory)]
        [ValidateSet({{GraphFunctions}})]
        [string] $Function,

        [Parameter(ParameterSetName = 'Period')]
        [ValidateSet({{GraphPeriods}})]
        [string] $Period = 'D7',

        [Parameter(Mandatory, ParameterSetName = 'Date')]
        [datetime] $Date,

        [ValidatePattern({{GraphUriPattern}})]
        [string] $GraphUri = 'https://graph.microsoft.com',

        [ValidateRange(0, 10)]
        [int] $MaxRetries = 3
    )
    process {
        $argument = if ($PSCmdlet.ParameterSetName -eq 'Date') {
            'date={0}' -f [uri]::EscapeDataString($Date.ToString('yyyy-MM-dd', [System.Globalization.CultureInfo]::InvariantCulture))
        }
        else {
            "period='{0}'" -f [uri]::EscapeDataString($Period)
        }
        $uri = '{0}/v1.0/reports/{1}({2})' -f $GraphUri.TrimEnd('/'), [uri]::EscapeDataString($Function), $argument
        # The token exists in plain text only inside this header table.
        $headers = @{ Authorization = 'Bearer {0}' -f [System.Net.NetworkCredential]::new('', $AccessToken).Password }
        $readText = {
            param($Response)
            if ($null -eq $Response.RawContentStream) { return [string]$Response.Content }
            [System.Text.Encoding]::UTF8.GetString($Response.RawContentStream.ToArray())
        }
        $serviceMessage = {
            param($Response)
            $text = & $readText $Response
            $parsed = $null
            if ($text -match '^\s*\{') {
                try { $parsed = $text | ConvertFrom-Json -ErrorAction Stop } catch { $parsed = $null }
            }
            if ($parsed -and $parsed.error -and $parsed.error.message) { return '{0}: {1}' -f $parsed.error.code, $parsed.error.message }
            if ([string]::IsNullOrWhiteSpace($text)) { return 'HTTP {0}' -f [int]$Response.StatusCode }
            $text.Trim()
        }
        $fail = {
            param([string] $Category, [string] $ErrorCategory, [string] $Text, [System.Exception] $Inner)
            $message = '{0} failed for tenant {1}: {2}' -f $Function, $TenantId, $Text
            $exception = [System.Management.Automation.RuntimeException]::new($message, $Inner)
            $record = [System.Management.Automation.ErrorRecord]::new(
                $exception, "Dap.$Category", [System.Management.Automation.ErrorCategory]$ErrorCategory, $TenantId)
            $PSCmdlet.ThrowTerminatingError($record)
        }
        $attempt = 0
        $response = $null
        try {
            while ($true) {
                $attempt++
                Write-Verbose ('GET {0} (tenant {1}, attempt {2})' -f $uri, $TenantId, $attempt)
                # With -MaximumRedirection 0 a redirect comes back as the response plus a
                # MaximumRedirectExceeded error record: that redirect is the one expected here.
                $webErrors = $null
                try {
                    $response = Invoke-WebRequest -Uri $uri -Method Get -Headers $headers -MaximumRedirection 0 -SkipHttpErrorCheck -ErrorAction SilentlyContinue -ErrorVariable webErrors
                }
                catch {
                    & $fail 'RemoteError' 'ConnectionError' $_.Exception.Message $_.Exception
                }
                $unexpected = @($webErrors | Where-Object { [string]$_.FullyQualifiedErrorId -notlike 'MaximumRedirectExceeded,*' })
                if ($unexpected.Count -gt 0 -or $null -eq $response) {
                    $problem = if ($unexpected.Count -gt 0) { $unexpected[0].Exception } else { [System.InvalidOperationException]::new('no response') }
                    & $fail 'RemoteError' 'ConnectionError' $problem.Message $problem
                }
                $status = [int]$response.StatusCode
                if (@(301, 302, 303, 307, 308) -contains $status) {
                    $location = [string]@($response.Headers['Location'])[0]
                    $download = $null
                    if (-not [uri]::TryCreate($location, [System.UriKind]::Absolute, [ref]$download) -or @('https', 'http') -notcontains $download.Scheme) {
                        & $fail 'RemoteError' 'InvalidResult' ("the service redirected to '{0}', which is not an http(s) download URL" -f $location) $null
                    }
                    Write-Verbose ('Downloading the {0} report of tenant {1}' -f $Function, $TenantId)
                    try {
                        # The download URL is pre-authenticated: the token is not sent there.
                        $response = Invoke-WebRequest -Uri $download -Method Get -SkipHttpErrorCheck -ErrorAction Stop
                    }
                    catch {
                        & $fail 'RemoteError' 'ConnectionError' ('the report download failed: {0}' -f $_.Exception.Message) $_.Exception
                    }
                    $status = [int]$response.StatusCode
                }
                if ($status -ne 429 -or $attempt -gt $MaxRetries) { break }
                $seconds = 0
                if (-not [int]::TryParse([string]@($response.Headers['Retry-After'])[0], [ref]$seconds) -or $seconds -lt 0) {
                    $seconds = 5 * [int][Math]::Pow(2, $attempt - 1)
                }
                $seconds = [Math]::Min($seconds, 600)
                Write-Verbose ('Throttled by the service (429); retrying tenant {0} in {1} s ({2} of {3})' -f $TenantId, $seconds, $attempt, $MaxRetries)
                Start-Sleep -Seconds $seconds
            }
        }
        finally {
            $headers.Clear()
        }
        switch ($status) {
            200 { break }
            429 { & $fail 'Throttled' 'LimitsExceeded' ('still throttled after {0} attempts: {1}' -f $attempt, (& $serviceMessage $response)) $null }
            { $_ -eq 401 -or $_ -eq 403 } { & $fail 'AccessDenied' 'PermissionDenied' (& $serviceMessage $response) $null }
            400 { & $fail 'InvalidParameter' 'InvalidArgument' (& $serviceMessage $response) $null }
            default { & $fail 'RemoteError' 'NotSpecified' ('HTTP {0}: {1}' -f $status, (& $serviceMessage $response)) $null }
        }
        $text = (& $readText $response).TrimStart([char]0xFEFF)
        if ([string]::IsNullOrWhiteSpace($text)) { return }
        foreach ($row in @($text | ConvertFrom-Csv)) {
            if ($null -eq $row) { continue }
            $values = [ordered]@{ TenantId = $TenantId }
            foreach ($property in $row.PSObject.Properties) {
                if ($values.Contains($property.Name)) { continue }
                $values[$property.Name] = $property.Value
            }
            [pscustomobject]$values
        }
    }
}
