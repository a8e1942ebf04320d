# The client side of the simulator's HTTP protocol (simulator/README.md), shared by the MSOnline
# and DapSim.Remoting stand-ins and by every simulated Exchange session. Dot-sourced; defines
# functions only, so it is safe to load in any session.

function Get-DapSimBaseUrl {
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $url = $env:DAP_SIM_URL
    if ([string]::IsNullOrWhiteSpace($url)) {
        $exception = [System.InvalidOperationException]::new(
            'The DapReporting simulator stand-ins need DAP_SIM_URL (the simulator address, e.g. http://127.0.0.1:40123); run the script through "npx dap-sim run -- ..." or "dap-report --simulate".')
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'DapSimNotRunning', 'ResourceUnavailable', $null))
    }
    $url.TrimEnd('/')
}

function Get-DapSimWebSession {
    # The web session of the module that loads this file (a simulated session shares its
    # caller's), so consecutive requests reuse one HTTP connection, as a remoting client keeps its
    # own; $null before the first request, which creates it (-SessionVariable).
    # (Looked up without Get-Variable, whose "not found" would reach a caller's -ErrorVariable.)
    [CmdletBinding()]
    param()
    $session = $ExecutionContext.SessionState.PSVariable.GetValue('DapSimWebSession')
    if ($null -eq $session) {
        $context = $ExecutionContext.SessionState.PSVariable.GetValue('DapSimSession')
        if ($context -and $context.WebSession) { $session = $context.WebSession }
    }
    $session
}

function Invoke-DapSimRequest {
    <#
    .SYNOPSIS
    Sends one request to the simulator and returns its status code and parsed JSON body.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [ValidateSet('GET', 'POST', 'DELETE')]
        [string] $Method,

        [Parameter(Mandatory)]
        [string] $Path,

        [System.Collections.IDictionary] $Body,

        [System.Collections.IDictionary] $Query,

        [string] $Token
    )
    $uri = (Get-DapSimBaseUrl) + $Path
    if ($Query -and $Query.Count -gt 0) {
        $pairs = foreach ($key in $Query.Keys) {
            if ($null -ne $Query[$key]) { '{0}={1}' -f $key, [uri]::EscapeDataString([string]$Query[$key]) }
        }
        if ($pairs) { $uri += '?' + ($pairs -join '&') }
    }
    $request = @{
        Uri                = $uri
        Method             = $Method
        SkipHttpErrorCheck = $true
        StatusCodeVariable = 'statusCode'
        ErrorAction        = 'Stop'
    }
    $session = Get-DapSimWebSession
    if ($session) { $request.WebSession = $session } else { $request.SessionVariable = 'createdSession' }
    if ($Token) { $request.Headers = @{ Authorization = "Bearer $Token" } }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $request.ContentType = 'application/json; charset=utf-8'
        $request.Body = ConvertTo-Json -InputObject $Body -Depth 8 -Compress
    }
    $response = Invoke-RestMethod @request
    if (-not $session) { $script:DapSimWebSession = $createdSession }
    [pscustomobject]@{ Status = [int]$statusCode; Body = $response }
}

function Set-DapSimErrorIdentity {
    # Keeps an error record's FullyQualifiedErrorId exactly as built when it is written through
    # $PSCmdlet.WriteError, as records relayed by the real remoting layer keep theirs.
    param([System.Management.Automation.ErrorRecord] $ErrorRecord)
    $flag = [System.Management.Automation.ErrorRecord].GetProperty('PreserveInvocationInfoOnce', [System.Reflection.BindingFlags]'NonPublic, Instance')
    if ($flag) { $flag.SetValue($ErrorRecord, $true) }
    $ErrorRecord
}

function New-DapSimErrorRecord {
    <#
    .SYNOPSIS
    Rebuilds the error record the real service produces from the simulator's description of it.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)]
        [object] $SimError,

        [string] $DefaultMessage = 'The simulator answered with an error.'
    )
    $message = if ($SimError.message) { [string]$SimError.message } else { $DefaultMessage }
    $exceptionType = if ($SimError.exceptionType) { [string]$SimError.exceptionType -as [type] }
    $exception = $null
    if ($exceptionType -and [System.Exception].IsAssignableFrom($exceptionType)) {
        try { $exception = $exceptionType::new($message) } catch { $exception = $null }
    }
    if ($null -eq $exception) { $exception = [System.Management.Automation.RemoteException]::new($message) }
    $category = [System.Management.Automation.ErrorCategory]::NotSpecified
    if ($SimError.category) { [void][System.Enum]::TryParse([string]$SimError.category, [ref]$category) }
    $errorId = if ($SimError.errorId) { [string]$SimError.errorId } else { 'DapSimError' }
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $errorId, $category, $SimError.targetObject)
    if ($SimError.details) { $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new([string]$SimError.details) }
    if ($SimError.exceptionType -and $exception -is [System.Management.Automation.RemoteException]) {
        $record.CategoryInfo.Reason = ([string]$SimError.exceptionType).Split('.')[-1]
    }
    Set-DapSimErrorIdentity -ErrorRecord $record
}
