# DapSim.Remoting: stand-ins for the remoting cmdlets a partner script uses against Exchange
# Online (Invoke-Command, New-PSSession, Import-PSSession, Remove-PSSession, Get-PSSession) and a
# non-interactive Get-Credential. Calls aimed at the Exchange endpoint with DelegatedOrg= go to
# the DapReporting simulator ($env:DAP_SIM_URL); every other call is handed to the real cmdlet
# with the same bound parameters. Loaded only through `dap-sim run` / `dap-report --simulate`.
# Import-time code calls no cmdlet.

. ([System.IO.Path]::Combine($PSScriptRoot, 'DapSimClient.ps1'))
. ([System.IO.Path]::Combine($PSScriptRoot, 'DapSimParameters.ps1'))

$script:ExchangeCmdletsPath = [System.IO.Path]::Combine($PSScriptRoot, 'ExchangeCmdlets.ps1')
# Open simulated sessions: simulator session id -> @{ Session; Module; Context }.
$script:OpenSessions = [ordered]@{}
$script:NextSessionId = 1

function Test-DapSimExchangeUri {
    # True for the Exchange Online remote PowerShell endpoint with DelegatedOrg=, when the
    # simulator is running.
    param([uri] $Uri)
    if ([string]::IsNullOrWhiteSpace($env:DAP_SIM_URL) -or $null -eq $Uri -or -not $Uri.IsAbsoluteUri) { return $false }
    $hostName = $Uri.Host.ToLowerInvariant()
    $isExchangeHost = $hostName -eq 'ps.outlook.com' -or $hostName -eq 'outlook.office365.com' -or $hostName.EndsWith('.outlook.com')
    $isExchangeHost -and $Uri.AbsolutePath -match '^/powershell-liveid/?$' -and $Uri.Query -match '(?i)[?&]DelegatedOrg=[^&]+'
}

function Test-DapSimSession {
    param([object] $Session)
    $null -ne $Session -and $Session.PSObject.TypeNames -contains 'DapSim.PSSession'
}

function Get-DapSimTarget {
    # Which simulated endpoints a call addresses; $null when the call belongs to the real cmdlet.
    param([System.Collections.IDictionary] $BoundParameters)
    if ($BoundParameters.ContainsKey('ConnectionUri')) {
        $uris = @($BoundParameters['ConnectionUri'])
        $simulated = @($uris | Where-Object -FilterScript { Test-DapSimExchangeUri -Uri $_ })
        if ($uris.Count -gt 0 -and $simulated.Count -eq $uris.Count) { return @{ Kind = 'Uri'; Uris = $uris } }
        return $null
    }
    if ($BoundParameters.ContainsKey('Session')) {
        $sessions = @($BoundParameters['Session'])
        $simulated = @($sessions | Where-Object -FilterScript { Test-DapSimSession -Session $_ })
        if ($sessions.Count -gt 0 -and $simulated.Count -eq $sessions.Count) { return @{ Kind = 'Session'; Sessions = $sessions } }
    }
    $null
}

# The client that closes temporary sessions from a finally block (see Invoke-Command).
$script:CloseClient = [System.Net.Http.HttpClient]::new()

function Open-DapSimSession {
    # Opens a simulated remote session; on failure writes the real service's error record
    # through the calling cmdlet and returns nothing.
    # The session's id is chosen here and put in -OpenedIds before the service is asked, so a
    # caller's finally block can close it even when the call is stopped while the session opens
    # (a close that reaches the service first makes it close the session as soon as it opens).
    param(
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [uri] $Uri,
        [pscredential] $Credential,
        [string] $Name,
        [System.Collections.Generic.List[string]] $OpenedIds
    )
    $sessionId = [guid]::NewGuid().ToString()
    if ($null -ne $OpenedIds) { $OpenedIds.Add($sessionId) }
    $body = [ordered]@{
        sessionId     = $sessionId
        userName      = if ($Credential) { $Credential.UserName } else { $null }
        password      = if ($Credential) { $Credential.GetNetworkCredential().Password } else { $null }
        connectionUri = $Uri.AbsoluteUri
        psVersion     = $PSVersionTable.PSVersion.ToString()
    }
    $response = Invoke-DapSimRequest -Method POST -Path '/exchange/sessions' -Body $body
    if ($response.Status -ne 201) {
        # refused: there is no session to close
        if ($null -ne $OpenedIds) { $null = $OpenedIds.Remove($sessionId) }
        $Cmdlet.WriteError((New-DapSimErrorRecord -SimError $response.Body.error -DefaultMessage "Connecting to remote server $($Uri.Host) failed."))
        return
    }
    $opened = $response.Body
    foreach ($warning in $opened.warnings) { $Cmdlet.WriteWarning([string]$warning) }
    $id = $script:NextSessionId
    $script:NextSessionId++
    if ([string]::IsNullOrEmpty($Name)) { $Name = "Runspace$id" }
    $session = [pscustomobject]@{
        PSTypeName        = 'DapSim.PSSession'
        Id                = $id
        Name              = $Name
        Transport         = 'WSMan'
        ComputerName      = [string]$opened.computerName
        ComputerType      = 'RemoteMachine'
        ConfigurationName = 'Microsoft.Exchange'
        Availability      = 'Available'
        InstanceId        = [guid][string]$opened.runspaceId
        RunspaceId        = [guid][string]$opened.runspaceId
        DelegatedOrg      = [string]$opened.delegatedOrg
        SimSessionId      = [string]$opened.sessionId
        # PowerShell's type data for PSSession reads State, IdleTimeout and OutputBufferingMode
        # through Runspace, so the session carries the same shape.
        Runspace          = [pscustomobject]@{
            InstanceId        = [guid][string]$opened.runspaceId
            RunspaceStateInfo = [pscustomobject]@{ State = 'Opened'; Reason = $null }
            ConnectionInfo    = [pscustomobject]@{ IdleTimeout = 900000; OutputBufferingMode = 'None' }
            DisconnectedOn    = $null
            ExpiresOn         = $null
        }
    }
    $session.PSObject.TypeNames.Insert(1, 'System.Management.Automation.Runspaces.PSSession')
    $context = @{
        Url             = Get-DapSimBaseUrl
        SessionId       = $session.SimSessionId
        Name            = $Name
        WebSession      = Get-DapSimWebSession
        # the cmdlets of the report catalogs the simulator was started with (ExchangeCmdlets.ps1)
        DeclaredCmdlets = @($opened.declaredCmdlets | Where-Object -FilterScript { $null -ne $_ })
    }
    # The session's own scope: a module of its own, made with the PSModuleInfo constructor rather
    # than New-Module, which would keep every session module for good as a nested module of this one.
    $module = [System.Management.Automation.PSModuleInfo]::new($true)
    . $module {
        param($Context, $CmdletsPath, $ClientPath)
        $script:DapSimSession = $Context
        . $ClientPath
        . $CmdletsPath
    } -Context $context -CmdletsPath $script:ExchangeCmdletsPath -ClientPath ([System.IO.Path]::Combine($PSScriptRoot, 'DapSimClient.ps1'))
    $script:OpenSessions[$session.SimSessionId] = @{ Session = $session; Module = $module }
    $session
}

function Close-DapSimSession {
    param([object] $Session)
    if ($Session.Runspace.RunspaceStateInfo.State -eq 'Closed') { return }
    $null = Invoke-DapSimRequest -Method DELETE -Path "/exchange/sessions/$($Session.SimSessionId)"
    $Session.Runspace.RunspaceStateInfo.State = 'Closed'
    $Session.Availability = 'None'
    $script:OpenSessions.Remove($Session.SimSessionId)
}

function ConvertTo-DapSimUsingText {
    # Rewrites $using:name references to $__using_name and returns the values to define, the
    # way remoting carries local values into the remote scope.
    param(
        [string] $Text,
        [System.Management.Automation.SessionState] $CallerState
    )
    # a script block without $using: (or ${using:…}) has nothing to carry: no need to parse it
    if ($Text -notmatch '(?i)using:') { return @{ Text = $Text; Values = @{} } }
    $tokens = $null
    $parseErrors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$parseErrors)
    $usings = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.UsingExpressionAst] }, $true))
    $values = @{}
    for ($i = $usings.Count - 1; $i -ge 0; $i--) {
        $node = $usings[$i]
        $variable = [System.Management.Automation.Language.UsingExpressionAst]::ExtractUsingVariable($node)
        $name = $variable.VariablePath.UserPath
        $values["__using_$name"] = $CallerState.PSVariable.GetValue($name)
        $Text = $Text.Substring(0, $node.Extent.StartOffset) + "`$__using_$name" + $Text.Substring($node.Extent.EndOffset)
    }
    @{ Text = $Text; Values = $values }
}

function Invoke-DapSimScript {
    # Runs script text in a simulated session's scope and relays its output the way remoting
    # does: deserialized copies carrying PSComputerName, RunspaceId and PSShowComputerName.
    param(
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [object] $Session,
        [string] $Text,
        [object[]] $ArgumentList,
        [object[]] $InputObject,
        [switch] $HideComputerName
    )
    $entry = $script:OpenSessions[$Session.SimSessionId]
    if ($null -eq $entry) {
        $simError = @{
            exceptionType = 'System.InvalidOperationException'
            message       = "Because the session state for session $($Session.Name), $($Session.InstanceId), $($Session.ComputerName) is not equal to Open, you cannot run a command in the session.  The session state is Closed."
            errorId       = 'InvalidSessionState,Microsoft.PowerShell.Commands.InvokeCommandCommand'
            category      = 'InvalidOperation'
        }
        $Cmdlet.WriteError((New-DapSimErrorRecord -SimError $simError))
        return
    }
    $rewritten = ConvertTo-DapSimUsingText -Text $Text -CallerState $Cmdlet.SessionState
    foreach ($key in $rewritten.Values.Keys) { $entry.Module.SessionState.PSVariable.Set($key, $rewritten.Values[$key]) }
    $remoteBlock = [scriptblock]::Create($rewritten.Text)
    # an array however many arguments there are: one hashtable would otherwise be splatted by name
    [object[]] $arguments = if ($null -eq $ArgumentList) { @() } else { $ArgumentList }
    $computer = $Session.ComputerName
    $runspaceId = $Session.RunspaceId
    try {
        # bound to the session's module: it runs in that scope, as a remote block runs in its session
        $bound = $entry.Module.NewBoundScriptBlock($remoteBlock)
        $output = if ($InputObject) { $InputObject | & $bound @arguments } else { & $bound @arguments }
        foreach ($item in $output) {
            if ($null -eq $item) { continue }
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($item, 1))
            $relayed = [System.Management.Automation.PSObject]::AsPSObject($copy)
            $relayed.PSObject.Properties.Add([System.Management.Automation.PSNoteProperty]::new('PSComputerName', $computer))
            $relayed.PSObject.Properties.Add([System.Management.Automation.PSNoteProperty]::new('RunspaceId', $runspaceId))
            $relayed.PSObject.Properties.Add([System.Management.Automation.PSNoteProperty]::new('PSShowComputerName', -not $HideComputerName.IsPresent))
            $relayed
        }
    } catch {
        # A terminating error inside the remote session reaches the caller as a non-terminating record.
        $Cmdlet.WriteError((Set-DapSimErrorIdentity -ErrorRecord $_))
    }
}

# The proxies' parameters are not written out here: each proxy takes the real cmdlet's own
# parameters, derived at import from the cmdlet's metadata (names, types, parameter sets,
# positions, Mandatory, pipeline binding, aliases, validation), so that a script written for the
# real cmdlets binds exactly as it does there, on whatever PowerShell runs it. Only -Session takes
# any object (the simulated sessions are not PSSession objects) and Get-Credential's -Credential
# takes a user name without prompting. [CmdletBinding()] cannot be derived: each proxy's names the
# real cmdlet's default parameter set, which a test compares with the real one.
$script:RealCmdlets = @{}
$script:ProxyParameters = @{}
& {
    $sessionType = @{ Session = [object[]] }
    foreach ($real in @(
            @{ Name = 'Microsoft.PowerShell.Core\Invoke-Command'; TypeOverride = $sessionType }
            @{ Name = 'Microsoft.PowerShell.Core\New-PSSession'; TypeOverride = $sessionType }
            @{ Name = 'Microsoft.PowerShell.Core\Remove-PSSession'; TypeOverride = $sessionType }
            @{ Name = 'Microsoft.PowerShell.Core\Get-PSSession'; TypeOverride = @{} }
            @{ Name = 'Microsoft.PowerShell.Utility\Import-PSSession'; TypeOverride = @{ Session = [object] } }
            @{ Name = 'Microsoft.PowerShell.Security\Get-Credential'; TypeOverride = @{ Credential = [object] } }
        )) {
        $command = $ExecutionContext.InvokeCommand.GetCommand($real.Name, [System.Management.Automation.CommandTypes]::Cmdlet)
        $script:RealCmdlets[$command.Name] = $command
        $script:ProxyParameters[$command.Name] = @(Get-DapSimParameterSpec -Command $command -TypeOverride $real.TypeOverride)
    }
}

function Start-DapSimRealCmdlet {
    # The real cmdlet of a proxy, with the proxy's bound parameters, as a steppable pipeline begun
    # in the proxy's place; the proxy feeds it its pipeline input and ends it.
    param(
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [System.Collections.IDictionary] $BoundParameters
    )
    $wrapped = $script:RealCmdlets[$Cmdlet.MyInvocation.MyCommand.Name]
    $pipeline = { & $wrapped @BoundParameters }.GetSteppablePipeline($Cmdlet.MyInvocation.CommandOrigin)
    $pipeline.Begin($Cmdlet)
    $pipeline
}

function Invoke-Command {
    <#
    .SYNOPSIS
    Invoke-Command, with Exchange Online remote sessions (DelegatedOrg=) answered by the DapReporting simulator.
    .DESCRIPTION
    For -ConnectionUri values of the Exchange endpoint with DelegatedOrg=, or -Session values
    made by this module's New-PSSession, opens a simulated session (closed again afterwards for
    -ConnectionUri), runs the script block as text in that session's scope and returns
    deserialized objects with PSComputerName, RunspaceId and PSShowComputerName. Failures are
    non-terminating error records with the real texts and error ids. Any other call runs the
    real Microsoft.PowerShell.Core\Invoke-Command with the same parameters.
    .LINK
    Microsoft.PowerShell.Core\Invoke-Command
    #>
    [CmdletBinding(DefaultParameterSetName = 'InProcess', HelpUri = 'https://go.microsoft.com/fwlink/?LinkID=2096789', RemotingCapability = 'OwnedByCommand')]
    param()
    dynamicparam { New-DapSimParameterDictionary -Spec $script:ProxyParameters['Invoke-Command'] }
    begin {
        $target = Get-DapSimTarget -BoundParameters $PSBoundParameters
        if ($null -eq $target) {
            $steppablePipeline = Start-DapSimRealCmdlet -Cmdlet $PSCmdlet -BoundParameters $PSBoundParameters
            return
        }
        $pipelineInput = [System.Collections.Generic.List[object]]::new()
    }
    process {
        if ($steppablePipeline) { $steppablePipeline.Process($_); return }
        if ($PSBoundParameters.ContainsKey('InputObject')) { $pipelineInput.Add($PSBoundParameters['InputObject']) }
    }
    end {
        if ($steppablePipeline) { $steppablePipeline.End(); return }
        $text = if ($PSBoundParameters.ContainsKey('FilePath')) {
            [System.IO.File]::ReadAllText($PSCmdlet.GetUnresolvedProviderPathFromPSPath($PSBoundParameters['FilePath']))
        } else {
            $PSBoundParameters['ScriptBlock'].ToString()
        }
        $run = @{
            Cmdlet           = $PSCmdlet
            Text             = $text
            ArgumentList     = $PSBoundParameters['ArgumentList']
            InputObject      = $pipelineInput.ToArray()
            HideComputerName = [bool]$PSBoundParameters['HideComputerName']
        }
        if ($target.Kind -eq 'Uri') {
            $sessionsUrl = (Get-DapSimBaseUrl) + '/exchange/sessions/'
            foreach ($uri in $target.Uris) {
                # The session is closed however the call ends, even when it is stopped while the
                # session is being opened, as remoting closes its temporary session.
                $openedIds = [System.Collections.Generic.List[string]]::new()
                try {
                    $simSession = Open-DapSimSession -Cmdlet $PSCmdlet -Uri $uri -Credential $PSBoundParameters['Credential'] -Name $PSBoundParameters['SessionName'] -OpenedIds $openedIds
                    if ($null -ne $simSession) { Invoke-DapSimScript -Session $simSession @run }
                }
                finally {
                    # Method calls only: a cmdlet started here while the call is being stopped is
                    # stopped before it sends anything (remoting closes in compiled code).
                    foreach ($id in $openedIds) {
                        $entry = $script:OpenSessions[$id]
                        if ($null -ne $entry) {
                            $entry.Session.Runspace.RunspaceStateInfo.State = 'Closed'
                            $entry.Session.Availability = 'None'
                            $script:OpenSessions.Remove($id)
                        }
                        try { $null = $script:CloseClient.DeleteAsync($sessionsUrl + $id).GetAwaiter().GetResult() } catch { $null = $_ }
                    }
                }
            }
        } else {
            foreach ($simSession in $target.Sessions) { Invoke-DapSimScript -Session $simSession @run }
        }
    }
}

function New-PSSession {
    <#
    .SYNOPSIS
    New-PSSession, with Exchange Online sessions (DelegatedOrg=) opened in the DapReporting simulator.
    .DESCRIPTION
    A simulated session counts against the account's limit of open sessions until
    Remove-PSSession closes it or the simulator expires it. Other calls run the real cmdlet.
    .LINK
    Microsoft.PowerShell.Core\New-PSSession
    #>
    [CmdletBinding(DefaultParameterSetName = 'ComputerName', HelpUri = 'https://go.microsoft.com/fwlink/?LinkID=2096484', RemotingCapability = 'OwnedByCommand')]
    param()
    dynamicparam { New-DapSimParameterDictionary -Spec $script:ProxyParameters['New-PSSession'] }
    begin {
        $target = Get-DapSimTarget -BoundParameters $PSBoundParameters
        if ($null -eq $target -or $target.Kind -ne 'Uri') {
            $steppablePipeline = Start-DapSimRealCmdlet -Cmdlet $PSCmdlet -BoundParameters $PSBoundParameters
        }
    }
    process {
        if ($steppablePipeline) { $steppablePipeline.Process($_) }
    }
    end {
        if ($steppablePipeline) { $steppablePipeline.End(); return }
        $names = @($PSBoundParameters['Name'])
        for ($i = 0; $i -lt $target.Uris.Count; $i++) {
            $sessionName = if ($i -lt $names.Count) { $names[$i] } else { $null }
            Open-DapSimSession -Cmdlet $PSCmdlet -Uri $target.Uris[$i] -Credential $PSBoundParameters['Credential'] -Name $sessionName
        }
    }
}

function Test-DapSimLike {
    # True when $Value is -like one of the patterns.
    param([string] $Value, [string[]] $Pattern)
    foreach ($one in $Pattern) { if ($Value -like $one) { return $true } }
    $false
}

function Remove-PSSession {
    <#
    .SYNOPSIS
    Remove-PSSession, closing simulated Exchange sessions in the DapReporting simulator.
    .LINK
    Microsoft.PowerShell.Core\Remove-PSSession
    #>
    [CmdletBinding(DefaultParameterSetName = 'Id', SupportsShouldProcess = $true, ConfirmImpact = 'Medium', HelpUri = 'https://go.microsoft.com/fwlink/?LinkID=2096963', RemotingCapability = 'OwnedByCommand')]
    param()
    dynamicparam { New-DapSimParameterDictionary -Spec $script:ProxyParameters['Remove-PSSession'] }
    process {
        $bound = $PSBoundParameters
        $open = @($script:OpenSessions.Values | ForEach-Object -MemberName 'Session')
        $simulated = @(switch ($PSCmdlet.ParameterSetName) {
                'Session' { $bound['Session'] | Where-Object -FilterScript { Test-DapSimSession -Session $_ } }
                'Id' { $open | Where-Object -FilterScript { $bound['Id'] -contains $_.Id } }
                'Name' { $open | Where-Object -FilterScript { Test-DapSimLike -Value $_.Name -Pattern $bound['Name'] } }
                'InstanceId' { $open | Where-Object -FilterScript { $bound['InstanceId'] -contains $_.InstanceId } }
                'ComputerName' { $open | Where-Object -FilterScript { Test-DapSimLike -Value $_.ComputerName -Pattern $bound['ComputerName'] } }
            })
        foreach ($s in $simulated) {
            if ($PSCmdlet.ShouldProcess("$($s.Name) ($($s.ComputerName))", 'Remove-PSSession')) { Close-DapSimSession -Session $s }
        }
        if ($PSCmdlet.ParameterSetName -eq 'Session') {
            $real = @($bound['Session'] | Where-Object -FilterScript { -not (Test-DapSimSession -Session $_) })
            if ($real.Count -eq 0) { return }
            $bound['Session'] = $real
        } elseif ($simulated.Count -gt 0) {
            return
        }
        Microsoft.PowerShell.Core\Remove-PSSession @bound
    }
}

function Get-PSSession {
    <#
    .SYNOPSIS
    Get-PSSession, listing the open simulated Exchange sessions before the real ones.
    .LINK
    Microsoft.PowerShell.Core\Get-PSSession
    #>
    [CmdletBinding(DefaultParameterSetName = 'Name', HelpUri = 'https://go.microsoft.com/fwlink/?LinkID=2096697', RemotingCapability = 'OwnedByCommand')]
    param()
    dynamicparam { New-DapSimParameterDictionary -Spec $script:ProxyParameters['Get-PSSession'] }
    end {
        $bound = $PSBoundParameters
        foreach ($entry in @($script:OpenSessions.Values)) {
            $s = $entry.Session
            $keep = switch ($PSCmdlet.ParameterSetName) {
                'Id' { -not $bound.ContainsKey('Id') -or $bound['Id'] -contains $s.Id }
                'Name' { -not $bound.ContainsKey('Name') -or (Test-DapSimLike -Value $s.Name -Pattern $bound['Name']) }
                'InstanceId' { $bound['InstanceId'] -contains $s.InstanceId }
                'ConnectionUri' { @($bound['ConnectionUri'] | Where-Object -FilterScript { $_.Host -eq $s.ComputerName }).Count -gt 0 }
                'ComputerName' { Test-DapSimLike -Value $s.ComputerName -Pattern $bound['ComputerName'] }
                default { $false }
            }
            if ($keep) { $s }
        }
        $asksSimulator = $bound.ContainsKey('ConnectionUri') -and @($bound['ConnectionUri'] | Where-Object -FilterScript { Test-DapSimExchangeUri -Uri $_ }).Count -gt 0
        if (-not $asksSimulator) { Microsoft.PowerShell.Core\Get-PSSession @bound }
    }
}

# The module Import-PSSession makes for a simulated session: one local function per session
# command, all with one body that takes the command's parameters (derived from the session
# command's metadata) and runs the call in the session. Nothing in it is built from text.
$script:ImportedSessionModule = {
    param($Invoke, $NewDictionary, $Session, $Imports)
    $script:Invoke = $Invoke
    $script:NewDictionary = $NewDictionary
    $script:Session = $Session
    $script:Imports = $Imports
    $body = {
        [CmdletBinding(PositionalBinding = $false)]
        param()
        dynamicparam { & $script:NewDictionary -Spec $script:Imports[$MyInvocation.MyCommand.Name].Parameters }
        process {
            $import = $script:Imports[$MyInvocation.MyCommand.Name]
            & $script:Invoke -Cmdlet $PSCmdlet -TargetSession $script:Session -RemoteName $import.RemoteName -Parameters ([hashtable]$PSBoundParameters)
        }
    }
    foreach ($name in $Imports.Keys) { Microsoft.PowerShell.Management\Set-Item -LiteralPath "function:script:$name" -Value $body }
    Export-ModuleMember -Function @($Imports.Keys)
}

function Import-PSSession {
    <#
    .SYNOPSIS
    Import-PSSession for simulated Exchange sessions: local functions for the session's cmdlets.
    .DESCRIPTION
    Creates a temporary module whose functions (same parameters as the session's cmdlets,
    optionally with -Prefix) run each call in the simulated session, and imports it globally.
    Sessions that are not simulated are handed to the real cmdlet.
    .LINK
    Microsoft.PowerShell.Utility\Import-PSSession
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSModuleInfo])]
    param()
    dynamicparam { New-DapSimParameterDictionary -Spec $script:ProxyParameters['Import-PSSession'] }
    end {
        $session = $PSBoundParameters['Session']
        if (-not (Test-DapSimSession -Session $session)) {
            return Microsoft.PowerShell.Utility\Import-PSSession @PSBoundParameters
        }
        $entry = $script:OpenSessions[$session.SimSessionId]
        if ($null -eq $entry) {
            $exception = [System.InvalidOperationException]::new("The session $($session.Name) is not open.")
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'ImportSessionNotOpen', 'InvalidOperation', $session))
        }
        $sessionModule = $entry.Module
        $wanted = $PSBoundParameters['CommandName']
        $imports = [ordered]@{}
        $commands = & $sessionModule { Get-Command -Name '*-*' -CommandType Function } |
            Where-Object -FilterScript { $_.Module -eq $sessionModule -and $_.Name -notlike '*-DapSim*' }
        foreach ($command in $commands) {
            if ($wanted -and -not (Test-DapSimLike -Value $command.Name -Pattern $wanted)) { continue }
            $verb, $noun = $command.Name.Split('-', 2)
            $imports["$verb-$($PSBoundParameters['Prefix'])$noun"] = @{ RemoteName = $command.Name; Parameters = @(Get-DapSimParameterSpec -Command $command) }
        }
        # Both bound to this module, so the imported functions reach its private functions.
        $invoke = {
            param($Cmdlet, $TargetSession, $RemoteName, $Parameters)
            # the command's name goes in as an argument, like its parameters: the text is fixed
            Invoke-DapSimScript -Cmdlet $Cmdlet -Session $TargetSession -Text 'param($Name, $Parameters) & $Name @Parameters' -ArgumentList $RemoteName, $Parameters
        }
        $newDictionary = { param($Spec) New-DapSimParameterDictionary -Spec $Spec }
        $moduleName = 'tmp_' + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.' + $session.Name
        $imported = New-Module -Name $moduleName -ScriptBlock $script:ImportedSessionModule -ArgumentList $invoke, $newDictionary, $session, $imports
        Import-Module -ModuleInfo $imported -Global -DisableNameChecking:$PSBoundParameters['DisableNameChecking'] -Force -PassThru
    }
}

function Get-Credential {
    <#
    .SYNOPSIS
    A non-interactive Get-Credential: the password comes from the DAP_PASSWORD environment variable.
    .DESCRIPTION
    Under `dap-sim run` the simulator puts its partner account's password in DAP_PASSWORD, so
    a script that calls `Get-Credential -Credential <user name>` gets a credential without a
    prompt. A PSCredential passed in is returned as it is.
    .LINK
    Microsoft.PowerShell.Security\Get-Credential
    #>
    [CmdletBinding(DefaultParameterSetName = 'CredentialSet')]
    [OutputType([pscredential])]
    param()
    dynamicparam { New-DapSimParameterDictionary -Spec $script:ProxyParameters['Get-Credential'] }
    end {
        $credential = $PSBoundParameters['Credential']
        if ($credential -is [pscredential]) { return $credential }
        $user = if ($PSCmdlet.ParameterSetName -eq 'CredentialSet') { [string]$credential } else { $PSBoundParameters['UserName'] }
        if ([string]::IsNullOrEmpty($user)) { $user = $env:DAP_USERNAME }
        if ([string]::IsNullOrEmpty($user) -or [string]::IsNullOrEmpty($env:DAP_PASSWORD)) {
            $exception = [System.Management.Automation.PSInvalidOperationException]::new(
                'Get-Credential cannot prompt here: give a user name and set DAP_PASSWORD (dap-sim run sets it for the simulated partner account).')
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'CouldNotPromptForCredential', 'InvalidOperation', $user))
        }
        [pscredential]::new($user, (ConvertTo-SecureString -String $env:DAP_PASSWORD -AsPlainText -Force))
    }
}

Export-ModuleMember -Function 'Invoke-Command', 'New-PSSession', 'Import-PSSession', 'Remove-PSSession', 'Get-PSSession', 'Get-Credential'
