function Get-DapUrlRefusal {
    <#
    .SYNOPSIS
    Says why the module may not fetch a URL a service sent it to, or nothing when it may.

    .DESCRIPTION
    The one rule for a URL the module is sent to by a service (a redirect's Location, a download),
    the same rule dap-report applies: https only (on this machine too: the simulator's hosts are
    https); no user name or password; no spaces or control characters (a service writes its
    URLs percent-encoded); and a public host never sends the module to a loopback or private
    address (this machine, its network, the cloud metadata service), in any spelling
    (2130706433, 0x7f.1 and 017700000001 are all 127.0.0.1). Names that resolve to such addresses
    are not looked up here.

    .PARAMETER Url
    The URL, as the service wrote it.

    .PARAMETER From
    The URL that sent it there (the request answered with the redirect), against which a relative
    Url is read; without it the Url is judged on its own and must be absolute.

    .EXAMPLE
    Get-DapUrlRefusal -Url $location -From $current

    $null when the Location may be fetched, else the reason (it names no part of the URL but its scheme).

    .INPUTS
    None.

    .OUTPUTS
    System.String, or nothing.
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [AllowEmptyString()]
        [string] $Url,

        [string] $From
    )
    $ipv4Ranges = @('dap-gen:PrivateIpvFourRanges')
    $ipv6Ranges = @('dap-gen:PrivateIpvSixRanges')
    # A last label that makes a host an IPv4 address (or no valid host at all).
    $numeric = '^(?:[0-9]+|0[xX][0-9A-Fa-f]*)$'
    # The host without brackets and a trailing dot, in lower case.
    $bare = {
        param([string] $HostName)
        $HostName.TrimStart('[').TrimEnd(']').TrimEnd('.').ToLowerInvariant()
    }
    # An IPv4 or IPv6 literal as an address (IPv4-mapped IPv6 as IPv4), or $null for a name.
    $addressOf = {
        param([string] $HostName)
        $text = & $bare -HostName $HostName
        $address = $null
        if (-not ($text.Contains(':') -or $text.Split('.')[-1] -match $numeric) -or -not [System.Net.IPAddress]::TryParse($text, [ref]$address)) { return $null }
        if ($address.IsIPv4MappedToIPv6) { return $address.MapToIPv4() }
        $address
    }
    $isLoopback = {
        param([string] $HostName)
        $text = & $bare -HostName $HostName
        if ($text -eq 'localhost' -or $text.EndsWith('.localhost')) { return $true }
        $address = & $addressOf -HostName $HostName
        if ($null -eq $address) { return $false }
        if ($address.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetwork) { return $address.GetAddressBytes()[0] -eq 127 }
        $address.Equals([System.Net.IPAddress]::IPv6Loopback)
    }
    $inRange = {
        param([System.Net.IPAddress] $Address, [string] $Range)
        $net, $prefix = $Range.Split('/')
        $netBytes = [System.Net.IPAddress]::Parse($net).GetAddressBytes()
        $bytes = $Address.GetAddressBytes()
        if ($bytes.Length -ne $netBytes.Length) { return $false }
        for ($bit = 0; $bit -lt [int]$prefix; $bit++) {
            $mask = 0x80 -shr ($bit % 8)
            if (($bytes[$bit -shr 3] -band $mask) -ne ($netBytes[$bit -shr 3] -band $mask)) { return $false }
        }
        $true
    }
    $isPrivate = {
        param([string] $HostName)
        if (& $isLoopback -HostName $HostName) { return $true }
        $address = & $addressOf -HostName $HostName
        if ($null -eq $address) { return $false }
        $ranges = if ($address.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetwork) { $ipv4Ranges } else { $ipv6Ranges }
        foreach ($range in $ranges) { if (& $inRange -Address $address -Range $range) { return $true } }
        $false
    }
    # The URL as a browser reads it; .NET takes more than a browser does, so these are refused here:
    # a path taken for a file URL, and a host ending in a number that is no IPv4 address (256.1).
    $parse = {
        param([string] $Text, [uri] $Base)
        $parsed = $null
        if ($null -eq $Base) {
            if ($Text -notmatch '^[A-Za-z][A-Za-z0-9+.-]*:' -or -not [uri]::TryCreate($Text, [System.UriKind]::Absolute, [ref]$parsed)) { return $null }
        }
        elseif (-not [uri]::TryCreate($Base, $Text, [ref]$parsed)) { return $null }
        if (@('http', 'https') -contains $parsed.Scheme) {
            $name = & $bare -HostName $parsed.Host
            if ($name -eq '') { return $null }
            $last = $name.Split('.')[-1]
            $address = $null
            if ($parsed.HostNameType -eq [System.UriHostNameType]::Dns -and $last -match $numeric -and
                -not [System.Net.IPAddress]::TryParse($name, [ref]$address)) { return $null }
        }
        $parsed
    }
    if ($Url -match '[\u0000-\u0020\u007f-\u009f]') { return 'the URL holds spaces or control characters' }
    if ($Url -eq '') { return 'an empty URL' }
    $base = $null
    if ($PSBoundParameters.ContainsKey('From')) {
        $base = & $parse -Text $From -Base $null
        if ($null -eq $base) { return 'not a URL' }
    }
    $target = & $parse -Text $Url -Base $base
    if ($null -eq $target) { return $(if ($null -eq $base) { 'not an absolute URL' } else { 'not a URL' }) }
    if (@('http', 'https') -notcontains $target.Scheme) { return 'the scheme {0}: is not https' -f $target.Scheme }
    if (@('', ':') -notcontains $target.UserInfo) { return 'the URL carries a user name or password' }
    if ($target.Scheme -eq 'http') { return 'plain http (not https)' }
    if ($null -ne $base -and (& $isPrivate -HostName $target.Host) -and -not (& $isLoopback -HostName $base.Host)) {
        return 'a public host sent it to a loopback or private address'
    }
}
