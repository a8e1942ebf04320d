function Invoke-DapRedirectedRequest {
    <#
    .SYNOPSIS
    Runs one web request and follows its redirects hop by hop, each Location judged by the one URL rule; writes no error.

    .DESCRIPTION
    The one place the module follows HTTP redirects, as dap-report does: Invoke-WebRequest's own
    following checks no hop, so a download could bounce on to plain http or to this machine's
    network and its body be taken as a tenant's data. Every request is made with
    -MaximumRedirection 0 -SkipHttpErrorCheck; each Location is read against the URL that sent it
    and judged by Get-DapUrlRefusal; at most dap-gen:MaxRedirects redirects are followed; the
    Authorization, Cookie and Proxy-Authorization headers go with the first request only. A 303
    (and a 301 or 302 after a POST) is followed as a GET without body, as browsers do.

    Each web request runs through Invoke-DapWebRequest, so the records Invoke-WebRequest writes (a
    MaximumRedirectExceeded for every redirect) never reach the caller's -ErrorVariable and $Error.

    .PARAMETER Parameters
    The first request, as parameters of Invoke-WebRequest (Uri, Method, Headers, Body, ContentType).

    .EXAMPLE
    $answer = Invoke-DapRedirectedRequest -Parameters @{ Uri = $uri; Method = 'Get'; Headers = $headers }

    The answer that is not a redirect in $answer.Response, or why there is none in $answer.Problem.

    .INPUTS
    None.

    .OUTPUTS
    System.Collections.Hashtable: Response (the answer that is not a redirect, or $null), Hops (the
    redirects followed, or the one refused), Problem (why there is no Response: the refused or
    missing redirect, or the failed request's message; the text names no URL) and Exception (the
    failed request's).
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [hashtable] $Parameters
    )
    $maxRedirects = 'dap-gen:MaxRedirects'
    $result = @{ Response = $null; Hops = 0; Problem = $null; Exception = $null }
    $request = @{} + $Parameters
    $request.MaximumRedirection = 0
    $request.SkipHttpErrorCheck = $true
    # PowerShell 7.4 and later throw on an https answer redirecting to http instead of handing it
    # back; nothing is followed here (MaximumRedirection 0), so the answer comes back and the URL
    # rule below refuses the hop with its own reason.
    if ((Get-Command -Name Invoke-WebRequest).Parameters.ContainsKey('AllowInsecureRedirect')) { $request.AllowInsecureRedirect = $true }
    $current = [string]$request.Uri
    for ($hops = 0; ; $hops++) {
        $result.Hops = $hops
        $answer = Invoke-DapWebRequest -Parameters $request
        if ($answer.Exception) {
            $result.Problem = $answer.Exception.Message
            $result.Exception = $answer.Exception
            return $result
        }
        $response = $answer.Response
        $status = [int]$response.StatusCode
        if (@(301, 302, 303, 307, 308) -notcontains $status) {
            $result.Response = $response
            return $result
        }
        $hop = $hops + 1
        $result.Hops = $hop
        $location = @($response.Headers['Location'])[0]
        if ($null -eq $location) {
            $result.Problem = 'redirect {0} (HTTP {1}) has no Location' -f $hop, $status
            return $result
        }
        if ($hop -gt $maxRedirects) {
            $result.Problem = 'more than {0} redirects' -f $maxRedirects
            return $result
        }
        $refusal = Get-DapUrlRefusal -Url ([string]$location) -From $current
        if ($refusal) {
            $result.Problem = 'redirect {0} refused: {1}' -f $hop, $refusal
            return $result
        }
        Write-Verbose -Message ('Following redirect {0} (HTTP {1})' -f $hop, $status)
        # The next hop gets no credentials (a header table is case-insensitive).
        if ($request.ContainsKey('Headers') -and $null -ne $request.Headers) {
            $headers = @{} + $request.Headers
            foreach ($name in @('Authorization', 'Cookie', 'Proxy-Authorization')) { $headers.Remove($name) }
            $request.Headers = $headers
        }
        $method = if ($request.ContainsKey('Method')) { ([string]$request.Method).ToUpperInvariant() } else { 'GET' }
        if ($status -eq 303 -or (@(301, 302) -contains $status -and $method -eq 'POST')) {
            $request.Method = if ($method -eq 'HEAD') { 'Head' } else { 'Get' }
            $request.Remove('Body')
            $request.Remove('ContentType')
        }
        $current = [uri]::new([uri]$current, [string]$location).AbsoluteUri
        $request.Uri = $current
    }
}
