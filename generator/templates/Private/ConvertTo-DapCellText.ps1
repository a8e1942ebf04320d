function ConvertTo-DapCellText {
    <#
    .SYNOPSIS
    The text of one value in a report cell: the one rule the runtime and the module share.

    .DESCRIPTION
    $null -> empty; a string as it is; a number in invariant culture; a boolean True or False; a
    date (a column of type Date) in ISO 8601 as the remoting path writes it: 2015-03-18 at midnight
    UTC, else yyyy-MM-ddTHH:mm:ssZ (UTC, no fraction); an array -> its items' texts joined by '; ', empty
    ones left out (an empty array -> empty); any other object -> compact JSON. A plain function (no
    CmdletBinding): it runs once per cell.

    .PARAMETER Value
    The value.

    .EXAMPLE
    ConvertTo-DapCellText @('a@contoso.com', 'b@fabrikam.com')

    a@contoso.com; b@fabrikam.com

    .INPUTS
    None.

    .OUTPUTS
    System.String
    #>
    param($Value)
    if ($null -eq $Value) { return '' }
    if ($Value -is [string]) { return $Value }
    if ($Value -is [bool]) { return $(if ($Value) { 'True' } else { 'False' }) }
    if ($Value -is [switch]) { return $(if ($Value.IsPresent) { 'True' } else { 'False' }) }
    if ($Value -is [datetimeoffset]) { $Value = $Value.UtcDateTime }
    if ($Value -is [datetime]) {
        $utc = if ($Value.Kind -eq [System.DateTimeKind]::Local) { $Value.ToUniversalTime() } else { $Value }
        if ($utc.TimeOfDay -eq [timespan]::Zero) { return $utc.ToString('yyyy-MM-dd', [System.Globalization.CultureInfo]::InvariantCulture) }
        return $utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
    }
    if ($Value -is [System.IConvertible]) { return $Value.ToString([System.Globalization.CultureInfo]::InvariantCulture) }
    if ($Value -is [System.Numerics.BigInteger]) { return $Value.ToString([System.Globalization.CultureInfo]::InvariantCulture) }
    if ($Value -is [System.Collections.IDictionary] -or $Value -is [System.Management.Automation.PSCustomObject]) {
        return ConvertTo-Json -InputObject $Value -Compress -Depth 32
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $items = foreach ($item in $Value) {
            $text = ConvertTo-DapCellText -Value $item
            if ($text -ne '') { $text }
        }
        return (@($items) -join '; ')
    }
    [string]$Value
}
