function Invoke-DapExoReport {
    <#
    .SYNOPSIS
    Runs one Exchange report in one tenant over the Exchange Online admin API: its calls, its row rule, its typed rows.

    .DESCRIPTION
    What every generated Exchange report function with -AccessToken does, once. The Plan (built by
    dap-gen from the report definition) names the cmdlet, its fixed parameters and $select, and
    optionally:
    ForEach: run a first cmdlet and the report cmdlet once per object it returns, sending the
    object's Property as the parameter Parameter (an object the service no longer finds, 404, is
    skipped with a warning);
    DateWindow: split the [Start, End] report parameters into windows of at most Days days, one
    call per window, newest window first;
    ContinueWith: when a call returns Size rows (SizeParameter is sent as Size), call again with
    each From parameter set to the named column of the last row; rows already seen (the same text
    in every column) are not repeated;
    Rows: the row rule, inactiveFor (keep rows whose date column is older than the days parameter
    before now, or empty; write the whole days since into the days column) or externalRecipients
    (keep rows with an address in the named columns outside the tenant's accepted domains, from
    Get-AcceptedDomain; list those addresses, '; '-separated, in the match column).
    The report's own parameters are sent by name, but for those Consumed by a rule; the window
    parameters are sent per window.

    Each row becomes one object of type TypeName: TenantId, TenantDomain, then the report's columns
    in their order, each from the cell text of the service's value (ConvertTo-DapCellText) as a
    [long], [double], [bool], [datetime] (UTC) or [string] as the column type says (empty: $null;
    text that does not parse keeps its text); a bytesOf column holds the number of bytes of the
    '(N bytes)' part of its string column. A tenant's rows are returned only when every call
    succeeded; otherwise exactly one non-terminating error is written through Caller (the report
    function), FullyQualifiedErrorId Dap.<Category> (AccessDenied, Throttled, InvalidParameter,
    NotFound or RemoteError), target object the tenant id, and nothing else.

    .PARAMETER TenantId
    The customer tenant id (checked by the caller).

    .PARAMETER TenantDomain
    The tenant's domain, copied into every row.

    .PARAMETER AccessToken
    An Exchange Online access token for that tenant.

    .PARAMETER ExchangeUri
    The Exchange Online host (checked by the caller).

    .PARAMETER Plan
    The report's calls, rule and columns, as dap-gen writes them.

    .PARAMETER ReportParameters
    The report parameters given, or with a default, by name.

    .PARAMETER Caller
    The report function's $PSCmdlet: the error of a failed tenant is written through it.

    .PARAMETER MaxRetries
    How many times a throttled (429) call is tried again. Default 3.

    .EXAMPLE
    Invoke-DapExoReport -TenantId $TenantId -TenantDomain $TenantDomain -AccessToken $AccessToken -ExchangeUri $ExchangeUri -Plan $plan -ReportParameters $reportParameters -Caller $PSCmdlet

    How each generated report function runs its report.

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
        [string] $ExchangeUri,

        [Parameter(Mandatory)]
        [hashtable] $Plan,

        [System.Collections.IDictionary] $ReportParameters = @{},

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller,

        [int] $MaxRetries = 3
    )
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    $now = [datetime]::UtcNow
    $asUtc = {
        param([datetime] $When)
        if ($When.Kind -eq [System.DateTimeKind]::Local) { return $When.ToUniversalTime() }
        [datetime]::SpecifyKind($When, [System.DateTimeKind]::Utc)
    }
    $dateStyles = [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal
    $state = @{ Failure = $null; Cmdlet = $Plan.Cmdlet }
    $call = {
        param([string] $Cmdlet, [System.Collections.IDictionary] $Parameters, [string[]] $Select, [bool] $SkipNotFound)
        $answer = Invoke-DapExoRequest -TenantId $TenantId -AccessToken $AccessToken -ExchangeUri $ExchangeUri -Cmdlet $Cmdlet -Parameters $Parameters -Select $Select -MaxRetries $MaxRetries
        if ($answer.Failure) {
            if ($SkipNotFound -and $answer.Failure.Category -eq 'NotFound') {
                Write-Warning -Message ('{0} in tenant {1} skipped an object the service no longer finds: {2}' -f $Cmdlet, $TenantId, $answer.Failure.Text)
                return , @()
            }
            $state.Failure = $answer.Failure
            $state.Cmdlet = $Cmdlet
            return , @()
        }
        , $answer.Rows
    }
    $rule = $Plan.Rows
    $consumed = [System.Collections.Generic.HashSet[string]]::new([string[]]@($Plan.Consumed), [System.StringComparer]::OrdinalIgnoreCase)
    $send = [ordered]@{}
    foreach ($name in $Plan.Parameters.Keys) { $send[$name] = $Plan.Parameters[$name] }
    foreach ($name in $ReportParameters.Keys) {
        if (-not $consumed.Contains($name)) { $send[$name] = ConvertTo-DapExoValue -Value $ReportParameters[$name] }
    }
    $accepted = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    if ($rule -and $rule.Kind -eq 'externalRecipients') {
        foreach ($domain in (& $call -Cmdlet 'Get-AcceptedDomain' -Parameters @{} -Select @('DomainName') -SkipNotFound $false)) { [void]$accepted.Add([string]$domain.DomainName) }
    }
    $targets = [System.Collections.Generic.List[System.Collections.IDictionary]]::new()
    if (-not $state.Failure -and $Plan.ForEach) {
        $each = $Plan.ForEach
        foreach ($object in (& $call -Cmdlet $each.Cmdlet -Parameters $each.Parameters -Select $each.Select -SkipNotFound $false)) {
            $property = $object.PSObject.Properties[$each.Property]
            $value = if ($property) { ConvertTo-DapCellText -Value $property.Value } else { '' }
            if ($value -eq '') { continue }
            $target = [ordered]@{}
            foreach ($name in $send.Keys) { $target[$name] = $send[$name] }
            $target[$each.Parameter] = $value
            $targets.Add($target)
        }
    }
    elseif (-not $Plan.ForEach) {
        $targets.Add($send)
    }
    $windows = [System.Collections.Generic.List[object]]::new()
    $window = $Plan.DateWindow
    if ($window -and $ReportParameters.Contains($window.Start) -and $ReportParameters.Contains($window.End)) {
        $first = & $asUtc -When $ReportParameters[$window.Start]
        $to = & $asUtc -When $ReportParameters[$window.End]
        if ($to -le $first) {
            $windows.Add(@{ From = $first; To = $to })
        }
        while ($to -gt $first) {
            $from = $to.AddDays(-$window.Days)
            if ($from -lt $first) { $from = $first }
            $windows.Add(@{ From = $from; To = $to })
            $to = $from
        }
    }
    else {
        $windows.Add($null)
    }
    $continue = $Plan.ContinueWith
    $seen = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::Ordinal)
    $rows = [System.Collections.Generic.List[object]]::new()
    $calls = 0
    :targets foreach ($target in $targets) {
        foreach ($span in $windows) {
            $parameters = [ordered]@{}
            foreach ($name in $target.Keys) { $parameters[$name] = $target[$name] }
            if ($span) {
                $parameters[$window.Start] = ConvertTo-DapExoValue -Value $span.From
                $parameters[$window.End] = ConvertTo-DapExoValue -Value $span.To
            }
            if ($continue) { $parameters[$continue.SizeParameter] = $continue.Size }
            while ($true) {
                $calls++
                $answer = & $call -Cmdlet $Plan.Cmdlet -Parameters $parameters -Select $Plan.Select -SkipNotFound ($null -ne $Plan.ForEach)
                if ($state.Failure) { break targets }
                foreach ($raw in $answer) {
                    # Inline, not in a helper: this runs once per cell, and a call costs more than the work.
                    $values = [ordered]@{ PSTypeName = $Plan.TypeName; TenantId = $TenantId; TenantDomain = $TenantDomain }
                    $texts = @{}
                    foreach ($column in $Plan.Columns) {
                        $name = $column.Name
                        if ($column.BytesOf) {
                            $values[$name] = if ($texts[$column.BytesOf] -match '\(([0-9][0-9,. ]*) bytes\)') { [long]($Matches[1] -replace '[^0-9]', '') } else { $null }
                            $texts[$name] = [string]$values[$name]
                            continue
                        }
                        $property = $raw.PSObject.Properties[$name]
                        $value = if ($property) { $property.Value } else { $null }
                        # The cell text (ConvertTo-DapCellText's rule), the usual kinds of value first.
                        $text = if ($null -eq $value) { '' }
                        elseif ($value -is [string]) { $value }
                        elseif ($value -is [bool]) { if ($value) { 'True' } else { 'False' } }
                        elseif ($value -is [long] -or $value -is [int]) { $value.ToString($invariant) }
                        else { ConvertTo-DapCellText -Value $value }
                        $texts[$name] = $text
                        # The column's type; empty is $null, text that does not parse keeps its text.
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
                            if ($value -is [datetime]) { $cell = & $asUtc -When $value }
                            elseif ($text -match '^/Date\((-?\d+)\)/$') { $cell = [datetime]::UnixEpoch.AddMilliseconds([long]$Matches[1]) }
                            else {
                                $when = [datetime]::MinValue
                                if ([datetime]::TryParse($text, $invariant, $dateStyles, [ref]$when)) { $cell = $when }
                            }
                        }
                        $values[$name] = $cell
                    }
                    if ($continue) {
                        $key = [string]::Join([char]0x1F, [string[]]@(foreach ($column in $Plan.Columns) { $texts[$column.Name] }))
                        if (-not $seen.Add($key)) { continue }
                    }
                    # The row rules, as the runtime's exo backend applies them (runtime/backends/exo/exo-rules.ts).
                    if ($rule -and $rule.Kind -eq 'inactiveFor') {
                        $last = $values[$rule.Column]
                        if ($last -is [datetime]) {
                            $days = if ($ReportParameters.Contains($rule.DaysParameter)) { [int]$ReportParameters[$rule.DaysParameter] } else { 0 }
                            $since = [long][Math]::Max(0, [Math]::Floor(($now - $last).TotalDays))
                            if ($since -lt $days) { continue }
                            $values[$rule.DaysColumn] = $since
                        }
                        else {
                            # never used (or not a date): kept, without a number of days
                            $values[$rule.DaysColumn] = $null
                        }
                    }
                    elseif ($rule -and $rule.Kind -eq 'externalRecipients') {
                        # Addresses in lower case, each once; a domain matches itself only, case-insensitively.
                        $outside = [System.Collections.Generic.List[string]]::new()
                        foreach ($name in $rule.Columns) {
                            foreach ($match in [regex]::Matches([string]$texts[$name], "[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")) {
                                $found = $match.Value.ToLowerInvariant()
                                if ($accepted.Contains($found.Substring($found.LastIndexOf('@') + 1))) { continue }
                                if (-not $outside.Contains($found)) { $outside.Add($found) }
                            }
                        }
                        if ($outside.Count -eq 0) { continue }
                        $values[$rule.MatchColumn] = $outside -join '; '
                    }
                    $rows.Add([pscustomobject]$values)
                }
                if (-not $continue -or @($answer).Count -lt $continue.Size) { break }
                $lastRow = @($answer)[-1]
                $moved = $false
                foreach ($pair in $continue.From) {
                    $property = $lastRow.PSObject.Properties[$pair.Property]
                    $next = if ($property) { ConvertTo-DapCellText -Value $property.Value } else { '' }
                    if ([string]$parameters[$pair.Parameter] -cne $next) { $moved = $true }
                    $parameters[$pair.Parameter] = $next
                }
                if (-not $moved) {
                    Write-Warning -Message ('{0} in tenant {1}: the next set would start where this one did; stopping after {2} rows' -f $Plan.Cmdlet, $TenantId, $rows.Count)
                    break
                }
            }
        }
    }
    if ($state.Failure) {
        $message = '{0} failed for tenant {1}: {2}' -f $state.Cmdlet, $TenantId, $state.Failure.Text
        $record = New-DapErrorRecord -Category $state.Failure.Category -ErrorCategory $state.Failure.ErrorCategory -Message $message -Exception $state.Failure.Exception -Target $TenantId
        Write-Verbose -Message ('Tenant {0}: {1} failed ({2})' -f $TenantId, $state.Cmdlet, $record.FullyQualifiedErrorId)
        $Caller.WriteError($record)
        return
    }
    Write-Verbose -Message ('Tenant {0}: {1} rows from {2} calls of {3}' -f $TenantId, $rows.Count, $calls, $Plan.Cmdlet)
    $rows
}
