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

    Each web request runs in a pipeline of its own (in this runspace, stopped with it): the records
    Invoke-WebRequest writes (a MaximumRedirectExceeded for every redirect) stay in its streams
    instead of reaching the caller's -ErrorVariable and $Error.

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
    $current = [string]$request.Uri
    for ($hops = 0; ; $hops++) {
        $result.Hops = $hops
        $response = $null
        $problem = $null
        $pipeline = [powershell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
        try {
            # Fixed text; the data goes in as the argument. An error that stops Invoke-WebRequest
            # (no connection) comes back as an ErrorRecord: caught in there, it leaves no record here.
            $script = 'param($Parameters) try { Invoke-WebRequest @Parameters -ErrorAction Continue } catch [System.Management.Automation.PipelineStoppedException] { throw } catch { $_ }'
            [void]$pipeline.AddScript($script, $true).AddArgument($request)
            try {
                $output = @($pipeline.Invoke())
                $stopped = @($output | Where-Object -FilterScript { $_ -is [System.Management.Automation.ErrorRecord] }) | Select-Object -First 1
                if ($stopped) { $problem = $stopped.Exception }
                $response = @($output | Where-Object -FilterScript { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Select-Object -First 1
            }
            catch {
                $inner = $_.Exception.InnerException
                if ($inner -is [System.Management.Automation.PipelineStoppedException]) { throw $inner }
                $problem = if ($inner) { $inner } else { $_.Exception }
            }
            $errors = @($pipeline.Streams.Error)
            foreach ($item in $errors) { $global:Error.Remove($item) }
            # With -MaximumRedirection 0 a redirect comes back as the response plus a
            # MaximumRedirectExceeded error record: that redirect is followed below.
            $unexpected = @($errors | Where-Object -FilterScript { [string]$_.FullyQualifiedErrorId -notlike 'MaximumRedirectExceeded,*' })
            if (-not $problem -and $unexpected.Count -gt 0) { $problem = $unexpected[0].Exception }
        }
        finally {
            # Not disposed: when the caller is stopped, PowerShell stops this pipeline from another
            # thread, which must never find it disposed; the garbage collector takes it.
            $pipeline = $null
        }
        if ($problem -or $null -eq $response) {
            if (-not $problem) { $problem = [System.InvalidOperationException]::new('no response') }
            $result.Problem = $problem.Message
            $result.Exception = $problem
            return $result
        }
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
