function Invoke-DapGraphQuery {
    <#
    .SYNOPSIS
    Runs one Microsoft Graph query report in one tenant: its lookups, every page of its query, its typed rows.

    .DESCRIPTION
    What every generated Graph query report function does, once. The Plan (built by dap-gen from
    the report definition) names the query (Version, Path, Select, Filter, Expand, Top or First,
    Count), its Lookups (objects found by a key property, read first) and the Columns (where each
    value is: From, a property path; Lookup, '<lookup>.<property>'; Percent, Of and Over). Every page
    is read by @odata.nextLink, only on the Graph host the first request went to, at most MaxPages;
    with First, the first page alone. Count sends $count=true with ConsistencyLevel: eventual.
    Each object becomes one object of type TypeName: TenantId, TenantDomain, then the columns in
    their order, each from the cell text of the value (ConvertTo-DapCellText), typed as the column
    says ([long], [double], [bool], [datetime] UTC or [string]; empty: $null) as the runtime's
    graph backend writes it (runtime/backends/graph/graph-query.ts). A tenant's rows are returned
    only when every call succeeded; otherwise one non-terminating error is written through Caller,
    FullyQualifiedErrorId Dap.<Category> (AccessDenied, naming the permission to grant; Throttled;
    InvalidParameter; RemoteError), target object the tenant id.

    .PARAMETER TenantId
    The customer tenant id (checked by the caller).

    .PARAMETER TenantDomain
    The tenant's domain, copied into every row.

    .PARAMETER AccessToken
    A Microsoft Graph access token for that tenant.

    .PARAMETER GraphUri
    The Microsoft Graph host, without the version (checked by the caller).

    .PARAMETER Plan
    The report's query, lookups and columns, as dap-gen writes them.

    .PARAMETER Caller
    The report function's $PSCmdlet: the error of a failed tenant is written through it.

    .PARAMETER MaxRetries
    How many times a throttled (429) request is tried again. Default 3.

    .PARAMETER MaxPages
    The most pages one query reads. Default 10000.

    .EXAMPLE
    Invoke-DapGraphQuery -TenantId $TenantId -TenantDomain $TenantDomain -AccessToken $AccessToken -GraphUri $GraphUri -Plan $plan -Caller $PSCmdlet

    How each generated Graph query report function runs its report.

    .INPUTS
    None.

    .OUTPUTS
    DapReporting.<Report>: TenantId, TenantDomain, then the report's columns, typed.
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [string] $TenantId,

        [AllowEmptyString()]
        [string] $TenantDomain = '',

        [Parameter(Mandatory)]
        [securestring] $AccessToken,

        [Parameter(Mandatory)]
        [string] $GraphUri,

        [Parameter(Mandatory)]
        [hashtable] $Plan,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller,

        [int] $MaxRetries = 3,

        [int] $MaxPages = 10000
    )
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    $dateStyles = [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal
    $base = [uri]$GraphUri.TrimEnd('/')
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
        if ($parsed -and $parsed.error -and $parsed.error.message) { return '{0}: {1}' -f $parsed.error.code, $parsed.error.message }
        if ([string]::IsNullOrWhiteSpace($text)) { return 'HTTP {0}' -f [int]$Response.StatusCode }
        $text.Trim()
    }
    # The steps of a property path: identifiers and OData annotations ('principal.@odata.type').
    $stepsOf = {
        param([string] $Path)
        , @([regex]::Matches($Path, '@odata\.[A-Za-z]+|[^.]+') | ForEach-Object -Process { $_.Value })
    }
    # The value at a property path; a step through a list takes that property of every item.
    $valueAt = {
        param($Object, [string[]] $Steps)
        $value = $Object
        foreach ($step in $Steps) {
            if ($null -eq $value) { return $null }
            if ($value -is [System.Collections.IList]) {
                $items = [System.Collections.Generic.List[object]]::new()
                foreach ($item in $value) {
                    if ($null -eq $item -or $item -is [string] -or $item -is [System.ValueType]) { continue }
                    $property = $item.PSObject.Properties[$step]
                    if (-not $property) { continue }
                    if ($property.Value -is [System.Collections.IList]) { foreach ($inner in $property.Value) { $items.Add($inner) } } else { $items.Add($property.Value) }
                }
                $value = , $items.ToArray()
                continue
            }
            if ($value -is [string] -or $value -is [System.ValueType]) { return $null }
            $property = $value.PSObject.Properties[$step]
            $value = if ($property) { $property.Value } else { $null }
        }
        , $value
    }
    $headers = @{
        # The token exists in plain text only inside this header table, cleared at the end.
        Authorization = 'Bearer {0}' -f [System.Net.NetworkCredential]::new('', $AccessToken).Password
        Accept        = 'application/json'
    }
    $state = @{ Failure = $null }
    $fail = {
        param([string] $Category, [string] $ErrorCategory, [string] $Text)
        $state.Failure = @{ Category = $Category; ErrorCategory = $ErrorCategory; Text = $Text }
    }
    # Every object of one query (the first page alone with First), or none after a failure.
    $query = {
        param([hashtable] $Call)
        $objects = [System.Collections.Generic.List[object]]::new()
        $parts = [System.Collections.Generic.List[string]]::new()
        if ($Call.Select) { $parts.Add('$select=' + (@($Call.Select | ForEach-Object -Process { [uri]::EscapeDataString($_) }) -join ',')) }
        if ($null -ne $Call.Filter) { $parts.Add('$filter=' + [uri]::EscapeDataString($Call.Filter)) }
        if ($null -ne $Call.Expand) { $parts.Add('$expand=' + [uri]::EscapeDataString($Call.Expand)) }
        $top = if ($Call.First) { $Call.First } else { $Call.Top }
        if ($top) { $parts.Add('$top=' + ([int]$top).ToString($invariant)) }
        if ($Call.Count) { $parts.Add('$count=true') }
        $path = (@($Call.Path -split '/' | ForEach-Object -Process { [uri]::EscapeDataString($_) }) -join '/')
        $uri = '{0}/{1}/{2}' -f $base.AbsoluteUri.TrimEnd('/'), $Call.Version, $path
        if ($parts.Count -gt 0) { $uri += '?' + ($parts -join '&') }
        $callHeaders = @{}
        foreach ($name in $headers.Keys) { $callHeaders[$name] = $headers[$name] }
        if ($Call.Count) { $callHeaders.ConsistencyLevel = 'eventual' }
        $pages = 0
        $attempt = 0
        try {
            :page while ($true) {
                $attempt++
                Write-Verbose -Message ('GET {0} (tenant {1}, attempt {2})' -f $uri, $TenantId, $attempt)
                $answer = Invoke-DapWebRequest -Parameters @{ Uri = $uri; Method = 'Get'; Headers = $callHeaders; MaximumRedirection = 0; SkipHttpErrorCheck = $true }
                if ($answer.Exception) {
                    & $fail -Category 'RemoteError' -ErrorCategory 'ConnectionError' -Text $answer.Exception.Message
                    break page
                }
                $response = $answer.Response
                $status = [int]$response.StatusCode
                if ($status -eq 429) {
                    if ($attempt -gt $MaxRetries) {
                        & $fail -Category 'Throttled' -ErrorCategory 'LimitsExceeded' -Text ('still throttled after {0} attempts: {1}' -f $attempt, (& $serviceMessage -Response $response))
                        break page
                    }
                    $seconds = 0
                    if (-not [int]::TryParse([string]@($response.Headers['Retry-After'])[0], [ref]$seconds) -or $seconds -lt 0) {
                        $seconds = 5 * [int][Math]::Pow(2, $attempt - 1)
                    }
                    $seconds = [Math]::Min($seconds, 'dap-gen:MaxRetryAfterSeconds')
                    Start-Sleep -Seconds $seconds
                    continue page
                }
                if ($status -ne 200) {
                    $words = & $serviceMessage -Response $response
                    $text = 'GET {0}/{1} answered HTTP {2}: {3}' -f $Call.Version, $Call.Path, $status, $words
                    if ($status -eq 401 -or $status -eq 403) {
                        if ($words -match 'Authorization_RequestDenied|Insufficient privileges') {
                            $text += ('. Grant the app the application permission {0} (admin consent in the customer tenant); through GDAP, a role that covers the read (Global Reader covers it)' -f $Plan.Permission)
                        }
                        & $fail -Category 'AccessDenied' -ErrorCategory 'PermissionDenied' -Text $text
                    }
                    elseif ($status -eq 400 -or $status -eq 404) { & $fail -Category 'InvalidParameter' -ErrorCategory 'InvalidArgument' -Text $text }
                    else { & $fail -Category 'RemoteError' -ErrorCategory 'NotSpecified' -Text $text }
                    break page
                }
                $page = $null
                try { $page = & $parseJson -Text (& $readText -Response $response) }
                catch {
                    & $fail -Category 'RemoteError' -ErrorCategory 'InvalidResult' -Text ('the answer is not JSON: {0}' -f $_.Exception.Message)
                    break page
                }
                $pages++
                $value = @($page.value)
                if ($Call.First) { $value = @($value | Select-Object -First $Call.First) }
                foreach ($item in $value) { if ($null -ne $item) { $objects.Add($item) } }
                if ($Call.First) { break page }
                $next = [string]$page.'@odata.nextLink'
                if ([string]::IsNullOrEmpty($next)) { break page }
                $nextUri = $null
                if (-not [uri]::TryCreate($next, [System.UriKind]::Absolute, [ref]$nextUri) -or
                    $nextUri.Scheme -ne $base.Scheme -or $nextUri.Authority -ne $base.Authority) {
                    & $fail -Category 'RemoteError' -ErrorCategory 'InvalidResult' -Text ("the service's next page link '{0}' is not on {1}; the token is not sent there" -f $next, $base.GetLeftPart([System.UriPartial]::Authority))
                    break page
                }
                if ($pages -ge $MaxPages) {
                    & $fail -Category 'RemoteError' -ErrorCategory 'LimitsExceeded' -Text ('stopped after {0} pages' -f $MaxPages)
                    break page
                }
                $uri = $nextUri.AbsoluteUri
                $attempt = 0
            }
        }
        finally {
            $callHeaders.Clear()
        }
        , $objects.ToArray()
    }
    try {
        $lookups = @{}
        foreach ($lookup in $Plan.Lookups) {
            $byKey = @{}
            $keySteps = & $stepsOf -Path $lookup.Key
            foreach ($object in (& $query -Call $lookup)) {
                $byKey[(ConvertTo-DapCellText -Value (& $valueAt -Object $object -Steps $keySteps)).ToLowerInvariant()] = $object
            }
            $lookups[$lookup.Name] = $byKey
            if ($state.Failure) { break }
        }
        $objects = if ($state.Failure) { @() } else { & $query -Call $Plan.Query }
    }
    finally {
        $headers.Clear()
    }
    if ($state.Failure) {
        $failure = $state.Failure
        $message = '{0} failed for tenant {1}: {2}' -f $Plan.Name, $TenantId, $failure.Text
        $Caller.WriteError((New-DapErrorRecord -Category $failure.Category -ErrorCategory $failure.ErrorCategory -Message $message -Target $TenantId))
        return
    }
    $columns = foreach ($column in $Plan.Columns) {
        @{
            Column = $column
            From   = & $stepsOf -Path $(if ($column.From) { $column.From } else { $column.Name })
            Lookup = if ($column.Lookup) { , (& $stepsOf -Path $column.Lookup) } else { $null }
            Of     = if ($column.Percent) { , (& $stepsOf -Path $column.Percent.Of) } else { $null }
            Over   = if ($column.Percent) { , (& $stepsOf -Path $column.Percent.Over) } else { $null }
        }
    }
    foreach ($object in $objects) {
        $values = [ordered]@{ PSTypeName = $Plan.TypeName; TenantId = $TenantId; TenantDomain = $TenantDomain }
        foreach ($entry in $columns) {
            $column = $entry.Column
            if ($column.Percent) {
                $of = [double]0
                $over = [double]0
                $text = ''
                if ([double]::TryParse((ConvertTo-DapCellText -Value (& $valueAt -Object $object -Steps $entry.Of)), [System.Globalization.NumberStyles]::Float, $invariant, [ref]$of) -and
                    [double]::TryParse((ConvertTo-DapCellText -Value (& $valueAt -Object $object -Steps $entry.Over)), [System.Globalization.NumberStyles]::Float, $invariant, [ref]$over) -and $over -ne 0) {
                    # as JavaScript's Math.round: halves up
                    $text = ([Math]::Floor($of * 10000 / $over + 0.5) / 100).ToString($invariant)
                }
            }
            else {
                $value = & $valueAt -Object $object -Steps $entry.From
                if ($entry.Lookup) {
                    $found = $lookups[$entry.Lookup[0]]
                    $property = @($entry.Lookup | Select-Object -Skip 1)
                    $resolve = {
                        param($Id)
                        $hit = if ($found) { $found[(ConvertTo-DapCellText -Value $Id).ToLowerInvariant()] } else { $null }
                        if ($hit) { , (& $valueAt -Object $hit -Steps $property) } else { , $Id }
                    }
                    if ($value -is [System.Collections.IList]) { $value = , @(foreach ($id in $value) { & $resolve -Id $id }) }
                    elseif ($null -ne $value) { $value = & $resolve -Id $value }
                }
                $text = ConvertTo-DapCellText -Value $value
            }
            $cell = $text
            if ($text -eq '') { $cell = $null }
            elseif ($column.Type -eq 'integer') {
                $number = [long]0
                if ([long]::TryParse($text, [System.Globalization.NumberStyles]::Integer, $invariant, [ref]$number)) { $cell = $number }
            }
            elseif ($column.Type -eq 'number') {
                $double = [double]0
                if ([double]::TryParse($text, [System.Globalization.NumberStyles]::Float, $invariant, [ref]$double)) { $cell = $double }
            }
            elseif ($column.Type -eq 'boolean') {
                if ($text -eq 'True') { $cell = $true } elseif ($text -eq 'False') { $cell = $false }
            }
            elseif ($column.Type -eq 'datetime') {
                $when = [datetime]::MinValue
                if ([datetime]::TryParse($text, $invariant, $dateStyles, [ref]$when)) { $cell = $when }
            }
            $values[$column.Name] = $cell
        }
        [pscustomobject]$values
    }
}
