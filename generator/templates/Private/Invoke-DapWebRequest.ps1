function Invoke-DapWebRequest {
    <#
    .SYNOPSIS
    Runs one web request in a pipeline of its own and answers its response or why there is none; writes no error.

    .DESCRIPTION
    The one way the module's REST calls run Invoke-WebRequest. The request runs in a pipeline of
    its own (in this runspace, stopped with it), so the records Invoke-WebRequest writes (a
    MaximumRedirectExceeded for every redirect it is told not to follow) stay in that pipeline's
    streams instead of reaching the caller's -ErrorVariable and $Error. Its script is fixed text;
    the request goes in as the argument. With -MaximumRedirection 0 a redirect comes back as the
    response, for the caller to judge; any other error is the problem.

    .PARAMETER Parameters
    The request, as parameters of Invoke-WebRequest (Uri, Method, Headers, Body, ContentType,
    MaximumRedirection, SkipHttpErrorCheck).

    .EXAMPLE
    $answer = Invoke-DapWebRequest -Parameters @{ Uri = $uri; Method = 'Get'; MaximumRedirection = 0; SkipHttpErrorCheck = $true }

    The response in $answer.Response, or the exception that stopped the request in $answer.Exception.

    .INPUTS
    None.

    .OUTPUTS
    System.Collections.Hashtable: Response (or $null) and Exception (why there is no response, or $null).
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [hashtable] $Parameters
    )
    $response = $null
    $problem = $null
    $pipeline = [powershell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
    try {
        # An error that stops Invoke-WebRequest (no connection) comes back as an ErrorRecord:
        # caught in there, it leaves no record here.
        $script = 'param($Parameters) try { Invoke-WebRequest @Parameters -ErrorAction Continue } catch [System.Management.Automation.PipelineStoppedException] { throw } catch { $_ }'
        [void]$pipeline.AddScript($script, $true).AddArgument($Parameters)
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
        $unexpected = @($errors | Where-Object -FilterScript { [string]$_.FullyQualifiedErrorId -notlike 'MaximumRedirectExceeded,*' })
        if (-not $problem -and $unexpected.Count -gt 0) { $problem = $unexpected[0].Exception }
    }
    finally {
        # Not disposed: when the caller is stopped, PowerShell stops this pipeline from another
        # thread, which must never find it disposed; the garbage collector takes it.
        $pipeline = $null
    }
    if (-not $problem -and $null -eq $response) { $problem = [System.InvalidOperationException]::new('no response') }
    @{ Response = $(if ($problem) { $null } else { $response }); Exception = $problem }
}
