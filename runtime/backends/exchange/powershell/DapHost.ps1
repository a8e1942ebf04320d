# DapHost: the one pwsh process of a dap-report run (Exchange backend). Hand-written; not generated.
#
# Reads JSON lines on stdin and answers JSON lines on stdout, as runtime/backends/exchange/pwsh-host/PROTOCOL.md
# describes. The first line ("hello") brings the accounts' passwords, the module paths and the pool
# size; the host builds one PSCredential per account, imports the modules once into an
# InitialSessionState and runs every attempt as a PowerShell instance in a RunspacePool. Nothing
# that arrives is ever run as code: a job is the name of a function of DapHostJobs.psm1 plus data
# bound as parameters. "cancel" stops one attempt's PowerShell instance (its remote session closes
# in Invoke-Command's own cleanup); end of input or "shutdown" stops them all and ends the process.
[CmdletBinding()]
param()

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$ProtocolVersion = 1
# How long the host waits for stopped attempts to end before it exits anyway.
$ShutdownGraceMs = 10000

$encoding = [System.Text.UTF8Encoding]::new($false)
$reader = [System.IO.StreamReader]::new([Console]::OpenStandardInput(), $encoding)
$writer = [System.IO.StreamWriter]::new([Console]::OpenStandardOutput(), $encoding)
$writer.AutoFlush = $true
$writer.NewLine = "`n"

function Send-DapHostMessage {
    param([Parameter(Mandatory)][System.Collections.IDictionary] $Message)
    # the main loop is the only writer, so lines never interleave
    $writer.WriteLine((ConvertTo-Json -InputObject $Message -Compress -Depth 6))
}

function Read-DapHostMessage {
    param([AllowNull()][string] $Line)
    try {
        $message = ConvertFrom-Json -InputObject $Line -AsHashtable
    }
    catch {
        throw "a line that is not JSON: $($_.Exception.Message)"
    }
    if ($message -isnot [System.Collections.IDictionary] -or $message['type'] -isnot [string]) {
        throw 'a line that is not a message object with a type'
    }
    $message
}

function Stop-DapHostAttempt {
    param([Parameter(Mandatory)] $Attempt)
    if ($Attempt.StopRequested) { return }
    $Attempt.StopRequested = $true
    $null = $Attempt.PowerShell.BeginStop($null, $null)
}

function Complete-DapHostAttempt {
    # The message that reports how an attempt ended. The task's result is read only when it ran to
    # completion: awaiting a stopped one would raise PipelineStoppedException here, which stops
    # this script itself rather than reaching a catch block.
    param([Parameter(Mandatory)] $Attempt)
    $answer = [ordered]@{ type = 'result'; id = $Attempt.Id; status = 'failed'; rows = 0; category = $null; message = $null }
    try {
        $state = $Attempt.PowerShell.InvocationStateInfo
        if ($state.State -eq [System.Management.Automation.PSInvocationState]::Stopped) {
            $answer.status = 'stopped'
            $answer.message = 'stopped on request'
        }
        elseif ($Attempt.Task.Status -ne [System.Threading.Tasks.TaskStatus]::RanToCompletion) {
            $reason = if ($state.Reason) { $state.Reason.Message } elseif ($Attempt.Task.Exception) { $Attempt.Task.Exception.GetBaseException().Message } else { [string]$state.State }
            $answer.category = 'WorkerCrashed'
            $answer.message = "the attempt failed in the host: $reason"
        }
        else {
            $output = $Attempt.Task.Result
            $result = if ($output.Count -gt 0) { $output[$output.Count - 1] } else { $null }
            if ($result -isnot [System.Collections.IDictionary]) {
                $answer.category = 'WorkerCrashed'
                $answer.message = 'the attempt ended without a result'
            }
            else {
                foreach ($key in @($result.Keys)) { $answer[$key] = $result[$key] }
            }
        }
    }
    finally {
        $Attempt.PowerShell.Dispose()
    }
    $answer
}

# ---------------------------------------------------------------- hello: credentials and the pool
$pool = $null
$credentials = @{}
try {
    $hello = Read-DapHostMessage -Line $reader.ReadLine()
    if ($hello['type'] -ne 'hello') { throw "the first message must be hello, received $($hello['type'])" }
    if ($hello['protocol'] -ne $ProtocolVersion) { throw "protocol $($hello['protocol']) was asked for; this host speaks $ProtocolVersion" }
    foreach ($account in @($hello['accounts'])) {
        $secure = ConvertTo-SecureString -String ([string]$account['password']) -AsPlainText -Force
        $credentials[[string]$account['userName']] = [pscredential]::new([string]$account['userName'], $secure)
        $account['password'] = $null
    }
    $poolSize = [int]$hello['poolSize']
    if ($poolSize -lt 1) { throw "poolSize must be at least 1, received $poolSize" }

    $iss = [initialsessionstate]::CreateDefault2()
    $iss.ThrowOnRunspaceOpenError = $true
    # imported by path, in this order: the simulator's stand-ins (under --simulate) before
    # DapReporting, so no module of the same name found on PSModulePath can take their place
    $modules = [string[]]@(@($hello['standInModules']) + @($hello['moduleManifest'], $hello['jobsModule']) | Where-Object -FilterScript { $_ })
    $iss.ImportPSModule($modules)
    $pool = [runspacefactory]::CreateRunspacePool($iss)
    $null = $pool.SetMaxRunspaces($poolSize)
    $null = $pool.SetMinRunspaces(1)
    $pool.ThreadOptions = [System.Management.Automation.Runspaces.PSThreadOptions]::ReuseThread
    $pool.Open()

    if (@($hello['standInModules']).Count -gt 0) {
        # sealed: the commands a run calls must be the stand-ins', whatever else is installed
        $check = [powershell]::Create()
        $check.RunspacePool = $pool
        $null = $check.AddScript('param($Names) foreach ($n in $Names) { $c = Get-Command -Name $n -ErrorAction SilentlyContinue; [string]$(if ($c -and $c.Module) { $c.Module.Path }) }').AddArgument([string[]]@('Connect-MsolService', 'Invoke-Command'))
        $paths = @($check.Invoke())
        $check.Dispose()
        $folders = @($hello['standInModules'] | ForEach-Object -Process { [System.IO.Path]::GetDirectoryName([string]$_) })
        foreach ($path in $paths) {
            $inside = $path -and $folders -contains [System.IO.Path]::GetDirectoryName([string]$path)
            if (-not $inside) { throw "the simulator's stand-ins are not the commands this host would run (found '$path')" }
        }
    }
    # the report module (the built-in one, or the one beside a --catalog) must be the one imported
    $check = [powershell]::Create()
    $check.RunspacePool = $pool
    $null = $check.AddScript('[string](Get-Module -Name DapReporting | Select-Object -First 1 -ExpandProperty ModuleBase)')
    $base = @($check.Invoke())[0]
    $check.Dispose()
    $expected = [System.IO.Path]::GetDirectoryName([System.IO.Path]::GetFullPath([string]$hello['moduleManifest']))
    if (-not $base -or [System.IO.Path]::GetFullPath($base) -ne $expected) { throw "the DapReporting module $($hello['moduleManifest']) could not be imported$(if ($base) { " (found one in '$base')" })" }
    $hello = $null
    # the other runspaces open in the background (each imports the modules) while the first one
    # serves discovery, so the first tenants do not wait for them
    $warming = @(for ($i = 1; $i -lt $poolSize; $i++) {
            $warm = [powershell]::Create()
            $warm.RunspacePool = $pool
            $null = $warm.AddScript('$null')
            [pscustomobject]@{ PowerShell = $warm; Task = $warm.InvokeAsync() }
        })
    Send-DapHostMessage -Message ([ordered]@{ type = 'ready'; protocol = $ProtocolVersion; pid = $PID; psVersion = $PSVersionTable.PSVersion.ToString(); poolSize = $poolSize })
}
catch {
    Send-DapHostMessage -Message ([ordered]@{ type = 'fatal'; message = "the pwsh host could not start: $($_.Exception.Message)" })
    exit 1
}

# ---------------------------------------------------------------- the main loop
$running = [System.Collections.Generic.Dictionary[string, object]]::new()
$message = $null
$readTask = $reader.ReadLineAsync()
$ending = $false
$endReason = 'end of input'
while (-not $ending) {
    $waitOn = [System.Collections.Generic.List[System.Threading.Tasks.Task]]::new()
    $waitOn.Add($readTask)
    foreach ($attempt in $running.Values) { $waitOn.Add($attempt.Task) }
    $null = [System.Threading.Tasks.Task]::WaitAny($waitOn.ToArray(), 1000)

    foreach ($id in @($running.Keys)) {
        $attempt = $running[$id]
        if (-not $attempt.Task.IsCompleted) { continue }
        $null = $running.Remove($id)
        Send-DapHostMessage -Message (Complete-DapHostAttempt -Attempt $attempt)
    }
    if ($warming.Count -gt 0 -and @($warming | Where-Object -FilterScript { -not $_.Task.IsCompleted }).Count -eq 0) {
        foreach ($warm in $warming) { $warm.PowerShell.Dispose() }
        $warming = @()
    }

    if (-not $readTask.IsCompleted) { continue }
    $line = $null
    try { $line = $readTask.GetAwaiter().GetResult() } catch { $line = $null }
    if ($null -eq $line) { $ending = $true; break }
    $readTask = $reader.ReadLineAsync()
    if ([string]::IsNullOrWhiteSpace($line)) { continue }
    try {
        $message = Read-DapHostMessage -Line $line
        $id = [string]$message['id']
        switch ($message['type']) {
            'run' {
                if ($running.ContainsKey($id)) { throw "attempt $id is already running" }
                $credential = $credentials[[string]$message['account']]
                if (-not $credential) { throw "attempt $id names an account the host has no credential for" }
                $ps = [powershell]::Create()
                $ps.RunspacePool = $pool
                switch ($message['kind']) {
                    'tenant' { $null = $ps.AddCommand('Invoke-DapHostTenantJob').AddParameter('Job', $message['job']).AddParameter('Credential', $credential) }
                    'probe' { $null = $ps.AddCommand('Test-DapHostTenantAccess').AddParameter('Job', $message['job']).AddParameter('Credential', $credential) }
                    'contracts' { $null = $ps.AddCommand('Invoke-DapHostContracts').AddParameter('Credential', $credential) }
                    'customers' { $null = $ps.AddCommand('Invoke-DapHostCustomers').AddParameter('Credential', $credential).AddParameter('Contracts', [object[]]@($message['contracts'])) }
                    default { $ps.Dispose(); throw "attempt $id has an unknown kind '$($message['kind'])'" }
                }
                $running[$id] = [pscustomobject]@{ Id = $id; PowerShell = $ps; Task = $ps.InvokeAsync(); StopRequested = $false }
            }
            'cancel' {
                if ($running.ContainsKey($id)) { Stop-DapHostAttempt -Attempt $running[$id] }
            }
            'ping' {
                Send-DapHostMessage -Message ([ordered]@{ type = 'pong'; id = $id; running = $running.Count })
            }
            'shutdown' {
                $endReason = 'shutdown'
                $ending = $true
            }
            default { throw "unknown message type '$($message['type'])'" }
        }
    }
    catch {
        Send-DapHostMessage -Message ([ordered]@{ type = 'error'; id = $(if ($message) { $message['id'] }); message = $_.Exception.Message })
    }
    finally {
        $message = $null
    }
}

# ---------------------------------------------------------------- the end: stop what still runs
foreach ($attempt in $running.Values) { Stop-DapHostAttempt -Attempt $attempt }
$deadline = [datetime]::UtcNow.AddMilliseconds($ShutdownGraceMs)
while ($running.Count -gt 0 -and [datetime]::UtcNow -lt $deadline) {
    $null = [System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]]@($running.Values | ForEach-Object -Process { $_.Task }), 200)
    foreach ($id in @($running.Keys)) {
        $attempt = $running[$id]
        if (-not $attempt.Task.IsCompleted) { continue }
        $null = $running.Remove($id)
        try { Send-DapHostMessage -Message (Complete-DapHostAttempt -Attempt $attempt) } catch { $null = $_ }
    }
}
try { Send-DapHostMessage -Message ([ordered]@{ type = 'bye'; reason = $endReason; stillRunning = $running.Count }) } catch { $null = $_ }
# the process ends here: its runspaces go with it, nothing is gained by closing them one by one
[Environment]::Exit(0)
