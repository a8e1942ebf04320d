function ConvertTo-DapExoValue {
    <#
    .SYNOPSIS
    Turns a parameter value into what the Exchange admin API takes in its JSON body.

    .DESCRIPTION
    A [datetime] becomes ISO 8601 UTC text (yyyy-MM-ddTHH:mm:ssZ; a date without a kind is taken
    as UTC), a [datetimeoffset] likewise, a switch becomes true or false, an array becomes an array of
    converted items; strings, numbers and booleans stay as they are.

    .PARAMETER Value
    The value.

    .EXAMPLE
    ConvertTo-DapExoValue -Value ([datetime]'2026-11-20')

    The text 2026-11-20 followed by T00:00:00Z.

    .INPUTS
    None.

    .OUTPUTS
    System.Object
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType([object])]
    param(
        [Parameter(Mandatory)]
        [AllowNull()]
        [AllowEmptyString()]
        [AllowEmptyCollection()]
        $Value
    )
    if ($Value -is [switch]) { return $Value.IsPresent }
    if ($Value -is [datetimeoffset]) { $Value = $Value.UtcDateTime }
    if ($Value -is [datetime]) {
        $utc = if ($Value.Kind -eq [System.DateTimeKind]::Local) { $Value.ToUniversalTime() } else { $Value }
        return $utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
    }
    if ($Value -is [System.Collections.IList] -and $Value -isnot [string]) {
        # The comma keeps a one-item array an array.
        return , @(foreach ($item in $Value) { ConvertTo-DapExoValue -Value $item })
    }
    $Value
}
