function Invoke-DapGraphReport {
    <#
    .SYNOPSIS
    Downloads one Microsoft Graph usage report of one customer tenant and returns its rows, tagged with the tenant.

    .DESCRIPTION
    Calls GET <GraphUri>/v1.0/reports/<Function>(period='<Period>'), or (date=<YYYY-MM-DD>) when a
    Date is given, with the tenant's access token. The service answers 302 with a short-lived,
    pre-authenticated download URL; that URL is fetched without the token. Each redirect is
    followed by hand, at most dap-gen:MaxRedirects of them, and only to a URL the module's one URL
    rule takes (the rule of dap-report too): https only (on this machine too), no user
    name or password, and no loopback or private address when a public host sent it there. The
    CSV's byte order mark is removed and each CSV row becomes one typed object
    (DapReporting.<Report>): TenantId, TenantDomain, then the report's columns with PowerShell
    names and types: the CSV header's runs
    of letters and digits, each capitalised ('Storage Used (Byte)' becomes StorageUsedByte), as a
    [long], [double], [bool] or [datetime] where the report definition says so (an empty cell is
    $null). A column the definition does not know keeps its text, under a name made the same way.
    A report without rows returns nothing. (dap-report run --backend graph writes the service's own
    headers into its CSV.)

    The function name and the period come from validated sets, the date is formatted by the
    function, and every value goes into the URL through [uri]::EscapeDataString. The token is sent
    only to GraphUri, never to the download URL, and never written anywhere.

    When the service throttles (429 Too Many Requests) the call waits for the Retry-After seconds
    (at most dap-gen:MaxRetryAfterSeconds; 5, 10, 20 ... seconds when the header is missing) and tries again, at most
    MaxRetries times. A failure writes exactly one non-terminating error (use -ErrorAction Stop to
    make it terminating) whose FullyQualifiedErrorId starts with Dap.<Category> and whose target
    object is the tenant id: AccessDenied
    (401 or 403: token rejected, Reports.Read.All not consented), Throttled (still 429 after the
    retries), InvalidParameter (400, e.g. a date outside the last 30 days) or RemoteError (anything
    else, including a failed download or a refused redirect); the message keeps the service's own code and text. Needs
    PowerShell 7 (Invoke-WebRequest -SkipHttpErrorCheck).

    .PARAMETER TenantId
    The customer tenant id (a GUID); copied into every row.

    .PARAMETER TenantDomain
    The customer tenant's domain, copied into every row as TenantDomain (empty when not given).
    Alias: InitialDomain.

    .PARAMETER AccessToken
    An access token for Microsoft Graph in that tenant, e.g. the AccessToken of Get-DapGraphToken.

    .PARAMETER Function
    The Graph report function, e.g. getMailboxUsageDetail.

    .PARAMETER Period
    The number of days the report covers, ending at the last day with data: D7, D30, D90 or D180. Default D7.

    .PARAMETER Date
    One day within the last 30 days, for the detail reports that accept (date=YYYY-MM-DD) instead of a period.

    .PARAMETER GraphUri
    The Microsoft Graph host, without /v1.0 (https). Default https://graph.microsoft.com.

    .PARAMETER MaxRetries
    How many times a throttled (429) request is tried again, 0 to 10. Default 3.

    .EXAMPLE
    Get-DapGraphToken -TenantId $tenantId -ClientId $appId -ClientSecret $secret | Invoke-DapGraphReport -Function getMailboxUsageDetail -Period D30

    Mailbox usage of the last 30 days in one tenant, as objects.

    .INPUTS
    DapReporting.GraphToken (from Get-DapGraphToken), or any object with TenantId and AccessToken properties, bound by property name.

    .OUTPUTS
    DapReporting.<Report> (for example DapReporting.MailboxUsageDetail): TenantId, TenantDomain, then the report's columns, typed.

    .LINK
    Get-DapGraphToken

    .LINK
    https://learn.microsoft.com/graph/api/resources/report
    #>
    [CmdletBinding(DefaultParameterSetName = 'Period', PositionalBinding = $false)]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [ValidatePattern('dap-gen:TenantIdPattern')]
        [string] $TenantId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('InitialDomain')]
        [AllowEmptyString()]
        [string] $TenantDomain = '',

        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [securestring] $AccessToken,

        [Parameter(Mandatory)]
        [ValidateSet('dap-gen:GraphFunctions')]
        [string] $Function,

        [Parameter(ParameterSetName = 'Period')]
        [ValidateSet('dap-gen:GraphPeriods')]
        [string] $Period = 'D7',

        [Parameter(Mandatory, ParameterSetName = 'Date')]
        [datetime] $Date,

        [ValidatePattern('dap-gen:BaseUriPattern')]
        [string] $GraphUri = 'https://graph.microsoft.com',

        [ValidateRange(0, 10)]
        [int] $MaxRetries = 3
    )
    process {
        # Each report function: its object type and its columns (CSV header, property name, type).
        $reports = 'dap-gen:GraphReportShapes'
        $shape = $reports[$Function]
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
            $text = & $readText -Response $Response
            $parsed = $null
            if ($text -match '^\s*\{') {
                try { $parsed = $text | ConvertFrom-Json -ErrorAction Stop } catch { $parsed = $null }
            }
            if ($parsed -and $parsed.error -and $parsed.error.message) { return '{0}: {1}' -f $parsed.error.code, $parsed.error.message }
            if ([string]::IsNullOrWhiteSpace($text)) { return 'HTTP {0}' -f [int]$Response.StatusCode }
            $text.Trim()
        }
        $newFailure = {
            param([string] $Category, [string] $ErrorCategory, [string] $Text, [System.Exception] $Inner)
            $message = '{0} failed for tenant {1}: {2}' -f $Function, $TenantId, $Text
            New-DapErrorRecord -Category $Category -ErrorCategory $ErrorCategory -Message $message -Exception $Inner -Target $TenantId
        }
        $failure = $null
        $attempt = 0
        $response = $null
        $status = 0
        try {
            :request while ($true) {
                $attempt++
                Write-Verbose -Message ('GET {0} (tenant {1}, attempt {2})' -f $uri, $TenantId, $attempt)
                # The service answers with a redirect to the download URL: it and any further hop are
                # judged by the one URL rule, and the token goes with the first request only.
                $call = Invoke-DapRedirectedRequest -Parameters @{ Uri = $uri; Method = 'Get'; Headers = $headers }
                if ($call.Problem) {
                    # (the first request failing is a connection error; a hop after it failing or
                    # refused is the download's)
                    $text = if ($call.Hops -eq 0) { $call.Problem } else { 'the report download failed: {0}' -f $call.Problem }
                    $errorCategory = if ($call.Exception) { 'ConnectionError' } else { 'InvalidResult' }
                    $failure = & $newFailure -Category 'RemoteError' -ErrorCategory $errorCategory -Text $text -Inner $call.Exception
                    break request
                }
                $response = $call.Response
                $status = [int]$response.StatusCode
                if ($status -ne 429 -or $attempt -gt $MaxRetries) { break request }
                $seconds = 0
                if (-not [int]::TryParse([string]@($response.Headers['Retry-After'])[0], [ref]$seconds) -or $seconds -lt 0) {
                    $seconds = 5 * [int][Math]::Pow(2, $attempt - 1)
                }
                $seconds = [Math]::Min($seconds, 'dap-gen:MaxRetryAfterSeconds')
                Write-Verbose -Message ('Throttled by the service (429); retrying tenant {0} in {1} s ({2} of {3})' -f $TenantId, $seconds, $attempt, $MaxRetries)
                Start-Sleep -Seconds $seconds
            }
        }
        finally {
            $headers.Clear()
        }
        if (-not $failure) {
            if ($status -eq 429) {
                $failure = & $newFailure -Category 'Throttled' -ErrorCategory 'LimitsExceeded' -Text ('still throttled after {0} attempts: {1}' -f $attempt, (& $serviceMessage -Response $response)) -Inner $null
            }
            elseif ($status -eq 401 -or $status -eq 403) {
                $failure = & $newFailure -Category 'AccessDenied' -ErrorCategory 'PermissionDenied' -Text (& $serviceMessage -Response $response) -Inner $null
            }
            elseif ($status -eq 400) {
                $failure = & $newFailure -Category 'InvalidParameter' -ErrorCategory 'InvalidArgument' -Text (& $serviceMessage -Response $response) -Inner $null
            }
            elseif ($status -ne 200) {
                $failure = & $newFailure -Category 'RemoteError' -ErrorCategory 'NotSpecified' -Text ('HTTP {0}: {1}' -f $status, (& $serviceMessage -Response $response)) -Inner $null
            }
        }
        if ($failure) {
            Write-Verbose -Message ('Tenant {0}: {1} failed ({2})' -f $TenantId, $Function, $failure.FullyQualifiedErrorId)
            $PSCmdlet.WriteError($failure)
            return
        }
        $text = (& $readText -Response $response).TrimStart([char]0xFEFF)
        if ([string]::IsNullOrWhiteSpace($text)) {
            Write-Verbose -Message ('Tenant {0}: the {1} report has no rows' -f $TenantId, $Function)
            return
        }
        $invariant = [System.Globalization.CultureInfo]::InvariantCulture
        # A cell as the column's type; an empty cell is $null, a cell that does not parse keeps its text.
        $convert = {
            param([string] $Text, [string] $Type)
            if ([string]::IsNullOrEmpty($Text)) { return $null }
            if ($Type -eq 'integer') {
                $number = [long]0
                if ([long]::TryParse($Text, [System.Globalization.NumberStyles]::Integer, $invariant, [ref]$number)) { return $number }
            }
            elseif ($Type -eq 'number') {
                $number = [double]0
                if ([double]::TryParse($Text, [System.Globalization.NumberStyles]::Float, $invariant, [ref]$number)) { return $number }
            }
            elseif ($Type -eq 'boolean') {
                if ($Text -eq 'True') { return $true }
                if ($Text -eq 'False') { return $false }
            }
            elseif ($Type -eq 'datetime') {
                $when = [datetime]::MinValue
                if ([datetime]::TryParseExact($Text, 'yyyy-MM-dd', $invariant, [System.Globalization.DateTimeStyles]::None, [ref]$when)) { return $when }
                if ([datetime]::TryParse($Text, $invariant, [System.Globalization.DateTimeStyles]::RoundtripKind, [ref]$when)) { return $when }
            }
            else {
                return $Text
            }
            $Text
        }
        # The property name of a header no definition names: the rule dap-gen applies to the others.
        $propertyName = {
            param([string] $Header)
            (@($Header -split '[^A-Za-z0-9]+' | Where-Object -FilterScript { $_ } | ForEach-Object -Process { $_.Substring(0, 1).ToUpperInvariant() + $_.Substring(1) })) -join ''
        }
        $count = 0
        foreach ($row in @($text | ConvertFrom-Csv)) {
            if ($null -eq $row) { continue }
            $values = [ordered]@{ PSTypeName = $shape.TypeName; TenantId = $TenantId; TenantDomain = $TenantDomain }
            $known = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
            foreach ($column in $shape.Columns) {
                $cell = $row.PSObject.Properties[$column.Header]
                $values[$column.Property] = if ($cell) { & $convert -Text ([string]$cell.Value) -Type $column.Type } else { $null }
                [void]$known.Add($column.Header)
            }
            foreach ($property in $row.PSObject.Properties) {
                if ($known.Contains($property.Name)) { continue }
                $name = & $propertyName -Header $property.Name
                if ($name -notmatch '^[A-Za-z]' -or $values.Contains($name)) { $name = $property.Name }
                if ($values.Contains($name)) { continue }
                $values[$name] = $property.Value
            }
            $count++
            [pscustomobject]$values
        }
        Write-Verbose -Message ('Tenant {0}: {1} rows of {2}' -f $TenantId, $count, $Function)
    }
}
