# DapSim.Remoting: stand-ins for the remoting cmdlets a partner script uses against Exchange
# Online (Invoke-Command, New-PSSession, Import-PSSession, Remove-PSSession, Get-PSSession) and a
# non-interactive Get-Credential. Calls aimed at the Exchange endpoint with DelegatedOrg= go to
# the DapReporting simulator ($env:DAP_SIM_URL); every other call is handed to the real cmdlet
# with the same bound parameters. Loaded only through `dap-sim run` / `dap-report --simulate`.
# Import-time code uses the core language only.

. ([System.IO.Path]::Combine($PSScriptRoot, 'DapSimClient.ps1'))

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
        $simulated = @($uris | Where-Object { Test-DapSimExchangeUri -Uri $_ })
        if ($uris.Count -gt 0 -and $simulated.Count -eq $uris.Count) { return @{ Kind = 'Uri'; Uris = $uris } }
        return $null
    }
    if ($BoundParameters.ContainsKey('Session')) {
        $sessions = @($BoundParameters['Session'])
        $simulated = @($sessions | Where-Object { Test-DapSimSession -Session $_ })
        if ($sessions.Count -gt 0 -and $simulated.Count -eq $sessions.Count) { return @{ Kind = 'Session'; Sessions = $sessions } }
    }
    $null
}

function Open-DapSimSession {
    # Opens a simulated remote session; on failure writes the real service's error record
    # through the calling cmdlet and returns nothing.
    # -OpenedIds gets the session's id as soon as the service has answered, so a caller's finally
    # block can close it even when the call is stopped before this function returns.
    param(
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [uri] $Uri,
        [pscredential] $Credential,
        [string] $Name,
        [System.Collections.Generic.List[string]] $OpenedIds
    )
    $body = [ordered]@{
        userName      = if ($Credential) { $Credential.UserName } else { $null }
        password      = if ($Credential) { $Credential.GetNetworkCredential().Password } else { $null }
        connectionUri = $Uri.AbsoluteUri
        psVersion     = $PSVersionTable.PSVersion.ToString()
    }
    $response = Invoke-DapSimRequest -Method POST -Path '/exchange/sessions' -Body $body
    if ($response.Status -ne 201) {
        $Cmdlet.WriteError((New-DapSimErrorRecord -SimError $response.Body.error -DefaultMessage "Connecting to remote server $($Uri.Host) failed."))
        return
    }
    $opened = $response.Body
    if ($null -ne $OpenedIds) { $OpenedIds.Add([string]$opened.sessionId) }
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
    $context = @{ Url = Get-DapSimBaseUrl; SessionId = $session.SimSessionId; Name = $Name; WebSession = Get-DapSimWebSession }
    # The session's own scope: a module of its own, made with the PSModuleInfo constructor rather
    # than New-Module, which would keep every session module for good as a nested module of this one.
    $module = [System.Management.Automation.PSModuleInfo]::new($true)
    . $module {
        param($Context, $CmdletsPath, $ClientPath)
        $script:DapSimSession = $Context
        . $ClientPath
        . $CmdletsPath
    } $context $script:ExchangeCmdletsPath ([System.IO.Path]::Combine($PSScriptRoot, 'DapSimClient.ps1'))
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
    $arguments = if ($null -eq $ArgumentList) { @() } else { $ArgumentList }
    $computer = $Session.ComputerName
    $runspaceId = $Session.RunspaceId
    try {
        $output = if ($InputObject) { $InputObject | & $entry.Module $remoteBlock @arguments } else { & $entry.Module $remoteBlock @arguments }
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
    [CmdletBinding(DefaultParameterSetName='InProcess', HelpUri='https://go.microsoft.com/fwlink/?LinkID=2096789', RemotingCapability='OwnedByCommand')]
    param(
        [Parameter(ParameterSetName='Session', Position=0)]
        [Parameter(ParameterSetName='FilePathRunspace', Position=0)]
        [ValidateNotNullOrEmpty()]
        [object[]]  # PSSession objects, real or simulated
        ${Session},

        [Parameter(ParameterSetName='ComputerName', Position=0)]
        [Parameter(ParameterSetName='FilePathComputerName', Position=0)]
        [Alias('Cn')]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${ComputerName},

        [Parameter(ParameterSetName='ComputerName', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='Uri', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathComputerName', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathUri', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMName', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathVMId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathVMName', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [pscredential]
        [System.Management.Automation.CredentialAttribute()]
        ${Credential},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='FilePathComputerName')]
        [Parameter(ParameterSetName='SSHHost')]
        [ValidateRange(1, 65535)]
        [int]
        ${Port},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='FilePathComputerName')]
        [switch]
        ${UseSSL},

        [Parameter(ParameterSetName='ComputerName', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='Uri', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathComputerName', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathUri', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ContainerId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMName', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathContainerId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathVMId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathVMName', ValueFromPipelineByPropertyName=$true)]
        [string]
        ${ConfigurationName},

        [Parameter(ParameterSetName='ComputerName', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathComputerName', ValueFromPipelineByPropertyName=$true)]
        [string]
        ${ApplicationName},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='Session')]
        [Parameter(ParameterSetName='Uri')]
        [Parameter(ParameterSetName='FilePathComputerName')]
        [Parameter(ParameterSetName='FilePathRunspace')]
        [Parameter(ParameterSetName='FilePathUri')]
        [Parameter(ParameterSetName='VMId')]
        [Parameter(ParameterSetName='VMName')]
        [Parameter(ParameterSetName='ContainerId')]
        [Parameter(ParameterSetName='FilePathVMId')]
        [Parameter(ParameterSetName='FilePathVMName')]
        [Parameter(ParameterSetName='FilePathContainerId')]
        [int]
        ${ThrottleLimit},

        [Parameter(ParameterSetName='Uri', Position=0)]
        [Parameter(ParameterSetName='FilePathUri', Position=0)]
        [Alias('URI','CU')]
        [ValidateNotNullOrEmpty()]
        [uri[]]
        ${ConnectionUri},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='Session')]
        [Parameter(ParameterSetName='Uri')]
        [Parameter(ParameterSetName='FilePathComputerName')]
        [Parameter(ParameterSetName='FilePathRunspace')]
        [Parameter(ParameterSetName='FilePathUri')]
        [Parameter(ParameterSetName='VMId')]
        [Parameter(ParameterSetName='VMName')]
        [Parameter(ParameterSetName='ContainerId')]
        [Parameter(ParameterSetName='FilePathVMId')]
        [Parameter(ParameterSetName='FilePathVMName')]
        [Parameter(ParameterSetName='FilePathContainerId')]
        [Parameter(ParameterSetName='SSHHost')]
        [Parameter(ParameterSetName='SSHHostHashParam')]
        [Parameter(ParameterSetName='FilePathSSHHost')]
        [Parameter(ParameterSetName='FilePathSSHHostHash')]
        [switch]
        ${AsJob},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='FilePathComputerName')]
        [Parameter(ParameterSetName='Uri')]
        [Parameter(ParameterSetName='FilePathUri')]
        [Alias('Disconnected')]
        [switch]
        ${InDisconnectedSession},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='FilePathComputerName')]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${SessionName},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='Session')]
        [Parameter(ParameterSetName='Uri')]
        [Parameter(ParameterSetName='FilePathComputerName')]
        [Parameter(ParameterSetName='FilePathRunspace')]
        [Parameter(ParameterSetName='FilePathUri')]
        [Parameter(ParameterSetName='VMId')]
        [Parameter(ParameterSetName='VMName')]
        [Parameter(ParameterSetName='ContainerId')]
        [Parameter(ParameterSetName='FilePathVMId')]
        [Parameter(ParameterSetName='FilePathVMName')]
        [Parameter(ParameterSetName='FilePathContainerId')]
        [Parameter(ParameterSetName='SSHHost')]
        [Parameter(ParameterSetName='SSHHostHashParam')]
        [Parameter(ParameterSetName='FilePathSSHHost')]
        [Parameter(ParameterSetName='FilePathSSHHostHash')]
        [Alias('HCN')]
        [switch]
        ${HideComputerName},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='Session')]
        [Parameter(ParameterSetName='Uri')]
        [Parameter(ParameterSetName='FilePathComputerName')]
        [Parameter(ParameterSetName='FilePathRunspace')]
        [Parameter(ParameterSetName='FilePathUri')]
        [Parameter(ParameterSetName='ContainerId')]
        [Parameter(ParameterSetName='FilePathContainerId')]
        [Parameter(ParameterSetName='SSHHostHashParam')]
        [Parameter(ParameterSetName='SSHHost')]
        [string]
        ${JobName},

        [Parameter(ParameterSetName='ComputerName', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='Session', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='Uri', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='InProcess', Mandatory=$true, Position=0)]
        [Parameter(ParameterSetName='VMId', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='VMName', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='ContainerId', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='SSHHost', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='SSHHostHashParam', Mandatory=$true, Position=1)]
        [Alias('Command')]
        [ValidateNotNull()]
        [scriptblock]
        ${ScriptBlock},

        [Parameter(ParameterSetName='InProcess')]
        [switch]
        ${NoNewScope},

        [Parameter(ParameterSetName='FilePathComputerName', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='FilePathRunspace', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='FilePathUri', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='FilePathVMId', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='FilePathVMName', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='FilePathContainerId', Mandatory=$true, Position=1)]
        [Parameter(ParameterSetName='FilePathSSHHost', Mandatory=$true)]
        [Parameter(ParameterSetName='FilePathSSHHostHash', Mandatory=$true)]
        [Alias('PSPath')]
        [ValidateNotNull()]
        [string]
        ${FilePath},

        [Parameter(ParameterSetName='Uri')]
        [Parameter(ParameterSetName='FilePathUri')]
        [switch]
        ${AllowRedirection},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='Uri')]
        [Parameter(ParameterSetName='FilePathComputerName')]
        [Parameter(ParameterSetName='FilePathUri')]
        [System.Management.Automation.Remoting.PSSessionOption]
        ${SessionOption},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='FilePathComputerName')]
        [Parameter(ParameterSetName='Uri')]
        [Parameter(ParameterSetName='FilePathUri')]
        [System.Management.Automation.Runspaces.AuthenticationMechanism]
        ${Authentication},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='FilePathComputerName')]
        [Parameter(ParameterSetName='Uri')]
        [Parameter(ParameterSetName='FilePathUri')]
        [switch]
        ${EnableNetworkAccess},

        [Parameter(ParameterSetName='ContainerId')]
        [Parameter(ParameterSetName='FilePathContainerId')]
        [switch]
        ${RunAsAdministrator},

        [Parameter(ParameterSetName='SSHHost', Mandatory=$true)]
        [Parameter(ParameterSetName='FilePathSSHHost', Mandatory=$true)]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${HostName},

        [Parameter(ParameterSetName='SSHHost')]
        [Parameter(ParameterSetName='FilePathSSHHost')]
        [ValidateNotNullOrEmpty()]
        [string]
        ${UserName},

        [Parameter(ParameterSetName='SSHHost')]
        [Parameter(ParameterSetName='FilePathSSHHost')]
        [Alias('IdentityFilePath')]
        [ValidateNotNullOrEmpty()]
        [string]
        ${KeyFilePath},

        [Parameter(ParameterSetName='SSHHost')]
        [Parameter(ParameterSetName='FilePathSSHHost')]
        [string]
        ${Subsystem},

        [Parameter(ParameterSetName='SSHHost')]
        [Parameter(ParameterSetName='FilePathSSHHost')]
        [int]
        ${ConnectingTimeout},

        [Parameter(ParameterSetName='SSHHost')]
        [Parameter(ParameterSetName='FilePathSSHHost')]
        [ValidateSet('true')]
        [switch]
        ${SSHTransport},

        [Parameter(ParameterSetName='SSHHostHashParam', Mandatory=$true)]
        [Parameter(ParameterSetName='FilePathSSHHostHash', Mandatory=$true)]
        [ValidateNotNullOrEmpty()]
        [hashtable[]]
        ${SSHConnection},

        [Parameter(ParameterSetName='SSHHost')]
        [Parameter(ParameterSetName='FilePathSSHHost')]
        [ValidateNotNullOrEmpty()]
        [hashtable]
        ${Options},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='Session')]
        [Parameter(ParameterSetName='Uri')]
        [Parameter(ParameterSetName='FilePathComputerName')]
        [Parameter(ParameterSetName='FilePathRunspace')]
        [Parameter(ParameterSetName='FilePathUri')]
        [Parameter(ParameterSetName='VMId')]
        [Parameter(ParameterSetName='VMName')]
        [Parameter(ParameterSetName='ContainerId')]
        [Parameter(ParameterSetName='FilePathVMId')]
        [Parameter(ParameterSetName='FilePathVMName')]
        [Parameter(ParameterSetName='FilePathContainerId')]
        [Parameter(ParameterSetName='SSHHost')]
        [Parameter(ParameterSetName='SSHHostHashParam')]
        [Parameter(ParameterSetName='FilePathSSHHost')]
        [Parameter(ParameterSetName='FilePathSSHHostHash')]
        [switch]
        ${RemoteDebug},

        [Parameter(ValueFromPipeline=$true)]
        [psobject]
        ${InputObject},

        [Alias('Args')]
        [System.Object[]]
        ${ArgumentList},

        [Parameter(ParameterSetName='VMId', Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathVMId', Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]
        [Alias('VMGuid')]
        [ValidateNotNullOrEmpty()]
        [guid[]]
        ${VMId},

        [Parameter(ParameterSetName='VMName', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathVMName', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${VMName},

        [Parameter(ParameterSetName='ContainerId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='FilePathContainerId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${ContainerId},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='Uri')]
        [string]
        ${CertificateThumbprint}
    )
    begin {
        $target = Get-DapSimTarget -BoundParameters $PSBoundParameters
        if ($null -eq $target) {
            $wrapped = $ExecutionContext.InvokeCommand.GetCommand('Microsoft.PowerShell.Core\Invoke-Command', [System.Management.Automation.CommandTypes]::Cmdlet)
            $scriptCmd = { & $wrapped @PSBoundParameters }
            $steppablePipeline = $scriptCmd.GetSteppablePipeline($MyInvocation.CommandOrigin)
            $steppablePipeline.Begin($PSCmdlet)
            return
        }
        $pipelineInput = [System.Collections.Generic.List[object]]::new()
    }
    process {
        if ($steppablePipeline) { $steppablePipeline.Process($_); return }
        if ($PSBoundParameters.ContainsKey('InputObject')) { $pipelineInput.Add($InputObject) }
    }
    end {
        if ($steppablePipeline) { $steppablePipeline.End(); return }
        $text = if ($PSBoundParameters.ContainsKey('FilePath')) {
            [System.IO.File]::ReadAllText($PSCmdlet.GetUnresolvedProviderPathFromPSPath($FilePath))
        } else {
            $ScriptBlock.ToString()
        }
        $run = @{
            Cmdlet           = $PSCmdlet
            Text             = $text
            ArgumentList     = $ArgumentList
            InputObject      = $pipelineInput.ToArray()
            HideComputerName = $HideComputerName
        }
        # not $session: that is this function's [PSSession[]] -Session parameter
        if ($target.Kind -eq 'Uri') {
            foreach ($uri in $target.Uris) {
                # the session is closed however the call ends, even when it is stopped while the
                # session is being opened, as remoting closes its temporary session
                $openedIds = [System.Collections.Generic.List[string]]::new()
                $simSession = $null
                try {
                    $simSession = Open-DapSimSession -Cmdlet $PSCmdlet -Uri $uri -Credential $Credential -Name $SessionName -OpenedIds $openedIds
                    if ($null -ne $simSession) { Invoke-DapSimScript -Session $simSession @run }
                }
                finally {
                    if ($null -ne $simSession) { Close-DapSimSession -Session $simSession }
                    elseif ($openedIds.Count -gt 0) { $null = Invoke-DapSimRequest -Method DELETE -Path "/exchange/sessions/$($openedIds[0])" }
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
    [CmdletBinding(DefaultParameterSetName='ComputerName', HelpUri='https://go.microsoft.com/fwlink/?LinkID=2096484', RemotingCapability='OwnedByCommand')]
    param(
        [Parameter(ParameterSetName='ComputerName', Position=0, ValueFromPipeline=$true, ValueFromPipelineByPropertyName=$true)]
        [Alias('Cn')]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${ComputerName},

        [Parameter(ParameterSetName='ComputerName', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='Uri', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMName', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [pscredential]
        [System.Management.Automation.CredentialAttribute()]
        ${Credential},

        [Parameter(ParameterSetName='Session', Position=0, ValueFromPipeline=$true, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNullOrEmpty()]
        [object[]]  # PSSession objects, real or simulated
        ${Session},

        [string[]]
        ${Name},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='Session')]
        [Parameter(ParameterSetName='Uri')]
        [switch]
        ${EnableNetworkAccess},

        [Parameter(ParameterSetName='ComputerName', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='Uri', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ContainerId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMName', ValueFromPipelineByPropertyName=$true)]
        [string]
        ${ConfigurationName},

        [Parameter(ParameterSetName='UseWindowsPowerShellParameterSet', Mandatory=$true)]
        [switch]
        ${UseWindowsPowerShell},

        [Parameter(ParameterSetName='VMId', Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]
        [Alias('VMGuid')]
        [ValidateNotNullOrEmpty()]
        [guid[]]
        ${VMId},

        [Parameter(ParameterSetName='VMName', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${VMName},

        [Parameter(ParameterSetName='ContainerId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${ContainerId},

        [Parameter(ParameterSetName='ContainerId')]
        [switch]
        ${RunAsAdministrator},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='SSHHost')]
        [ValidateRange(1, 65535)]
        [int]
        ${Port},

        [Parameter(ParameterSetName='ComputerName')]
        [switch]
        ${UseSSL},

        [Parameter(ParameterSetName='ComputerName', ValueFromPipelineByPropertyName=$true)]
        [string]
        ${ApplicationName},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='Session')]
        [Parameter(ParameterSetName='Uri')]
        [Parameter(ParameterSetName='ContainerId')]
        [Parameter(ParameterSetName='VMId')]
        [Parameter(ParameterSetName='VMName')]
        [int]
        ${ThrottleLimit},

        [Parameter(ParameterSetName='Uri', Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]
        [Alias('URI','CU')]
        [ValidateNotNullOrEmpty()]
        [uri[]]
        ${ConnectionUri},

        [Parameter(ParameterSetName='Uri')]
        [switch]
        ${AllowRedirection},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='Uri')]
        [ValidateNotNull()]
        [System.Management.Automation.Remoting.PSSessionOption]
        ${SessionOption},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='Uri')]
        [System.Management.Automation.Runspaces.AuthenticationMechanism]
        ${Authentication},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='Uri')]
        [string]
        ${CertificateThumbprint},

        [Parameter(ParameterSetName='SSHHost', Mandatory=$true, Position=0)]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${HostName},

        [Parameter(ParameterSetName='SSHHost')]
        [ValidateNotNullOrEmpty()]
        [string]
        ${UserName},

        [Parameter(ParameterSetName='SSHHost')]
        [Alias('IdentityFilePath')]
        [ValidateNotNullOrEmpty()]
        [string]
        ${KeyFilePath},

        [Parameter(ParameterSetName='SSHHost', ValueFromPipelineByPropertyName=$true)]
        [string]
        ${Subsystem},

        [Parameter(ParameterSetName='SSHHost')]
        [int]
        ${ConnectingTimeout},

        [Parameter(ParameterSetName='SSHHost')]
        [ValidateSet('true')]
        [switch]
        ${SSHTransport},

        [Parameter(ParameterSetName='SSHHostHashParam', Mandatory=$true)]
        [ValidateNotNullOrEmpty()]
        [hashtable[]]
        ${SSHConnection},

        [Parameter(ParameterSetName='SSHHost')]
        [ValidateNotNullOrEmpty()]
        [hashtable]
        ${Options}
    )
    begin {
        $target = Get-DapSimTarget -BoundParameters $PSBoundParameters
        if ($null -eq $target -or $target.Kind -ne 'Uri') {
            $wrapped = $ExecutionContext.InvokeCommand.GetCommand('Microsoft.PowerShell.Core\New-PSSession', [System.Management.Automation.CommandTypes]::Cmdlet)
            $scriptCmd = { & $wrapped @PSBoundParameters }
            $steppablePipeline = $scriptCmd.GetSteppablePipeline($MyInvocation.CommandOrigin)
            $steppablePipeline.Begin($PSCmdlet)
        }
    }
    process {
        if ($steppablePipeline) { $steppablePipeline.Process($_) }
    }
    end {
        if ($steppablePipeline) { $steppablePipeline.End(); return }
        $names = @($Name)
        for ($i = 0; $i -lt $target.Uris.Count; $i++) {
            $sessionName = if ($i -lt $names.Count) { $names[$i] } else { $null }
            Open-DapSimSession -Cmdlet $PSCmdlet -Uri $target.Uris[$i] -Credential $Credential -Name $sessionName
        }
    }
}

function Remove-PSSession {
    <#
    .SYNOPSIS
    Remove-PSSession, closing simulated Exchange sessions in the DapReporting simulator.
    .LINK
    Microsoft.PowerShell.Core\Remove-PSSession
    #>
    [CmdletBinding(DefaultParameterSetName='Id', SupportsShouldProcess=$true, ConfirmImpact='Medium', HelpUri='https://go.microsoft.com/fwlink/?LinkID=2096963', RemotingCapability='OwnedByCommand')]
    param(
        [Parameter(ParameterSetName='Session', Mandatory=$true, Position=0, ValueFromPipeline=$true, ValueFromPipelineByPropertyName=$true)]
        [object[]]  # PSSession objects, real or simulated
        ${Session},

        [Parameter(ParameterSetName='ContainerId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${ContainerId},

        [Parameter(ParameterSetName='VMId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [Alias('VMGuid')]
        [ValidateNotNullOrEmpty()]
        [guid[]]
        ${VMId},

        [Parameter(ParameterSetName='VMName', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${VMName},

        [Parameter(ParameterSetName='InstanceId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNull()]
        [guid[]]
        ${InstanceId},

        [Parameter(ParameterSetName='Id', Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNull()]
        [int[]]
        ${Id},

        [Parameter(ParameterSetName='Name', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${Name},

        [Parameter(ParameterSetName='ComputerName', Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]
        [Alias('Cn')]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${ComputerName}
    )
    process {
        $simulated = [System.Collections.Generic.List[object]]::new()
        switch ($PSCmdlet.ParameterSetName) {
            'Session' { foreach ($s in $Session) { if (Test-DapSimSession -Session $s) { $simulated.Add($s) } } }
            'Id' { foreach ($entry in @($script:OpenSessions.Values)) { if ($Id -contains $entry.Session.Id) { $simulated.Add($entry.Session) } } }
            'Name' { foreach ($entry in @($script:OpenSessions.Values)) { foreach ($pattern in $Name) { if ($entry.Session.Name -like $pattern) { $simulated.Add($entry.Session); break } } } }
            'InstanceId' { foreach ($entry in @($script:OpenSessions.Values)) { if ($InstanceId -contains $entry.Session.InstanceId) { $simulated.Add($entry.Session) } } }
            'ComputerName' { foreach ($entry in @($script:OpenSessions.Values)) { foreach ($pattern in $ComputerName) { if ($entry.Session.ComputerName -like $pattern) { $simulated.Add($entry.Session); break } } } }
        }
        foreach ($s in $simulated) {
            if ($PSCmdlet.ShouldProcess("$($s.Name) ($($s.ComputerName))", 'Remove-PSSession')) { Close-DapSimSession -Session $s }
        }
        if ($PSCmdlet.ParameterSetName -eq 'Session') {
            $real = @($Session | Where-Object { -not (Test-DapSimSession -Session $_) })
            if ($real.Count -eq 0) { return }
            $PSBoundParameters['Session'] = $real
        } elseif ($simulated.Count -gt 0) {
            return
        }
        Microsoft.PowerShell.Core\Remove-PSSession @PSBoundParameters
    }
}

function Get-PSSession {
    <#
    .SYNOPSIS
    Get-PSSession, listing the open simulated Exchange sessions before the real ones.
    .LINK
    Microsoft.PowerShell.Core\Get-PSSession
    #>
    [CmdletBinding(DefaultParameterSetName='Name', HelpUri='https://go.microsoft.com/fwlink/?LinkID=2096697', RemotingCapability='OwnedByCommand')]
    param(
        [Parameter(ParameterSetName='ComputerName', Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ComputerInstanceId', Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]
        [Alias('Cn')]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${ComputerName},

        [Parameter(ParameterSetName='ComputerName', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ComputerInstanceId', ValueFromPipelineByPropertyName=$true)]
        [string]
        ${ApplicationName},

        [Parameter(ParameterSetName='ConnectionUri', Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ConnectionUriInstanceId', Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]
        [Alias('URI','CU')]
        [ValidateNotNullOrEmpty()]
        [uri[]]
        ${ConnectionUri},

        [Parameter(ParameterSetName='ComputerName', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ComputerInstanceId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ConnectionUri', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ConnectionUriInstanceId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ContainerId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ContainerIdInstanceId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMIdInstanceId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMName', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMNameInstanceId', ValueFromPipelineByPropertyName=$true)]
        [string]
        ${ConfigurationName},

        [Parameter(ParameterSetName='ConnectionUri')]
        [Parameter(ParameterSetName='ConnectionUriInstanceId')]
        [switch]
        ${AllowRedirection},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='ConnectionUri')]
        [Parameter(ParameterSetName='Name', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ContainerId')]
        [Parameter(ParameterSetName='VMId')]
        [Parameter(ParameterSetName='VMName')]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${Name},

        [Parameter(ParameterSetName='ComputerInstanceId', Mandatory=$true)]
        [Parameter(ParameterSetName='ConnectionUriInstanceId', Mandatory=$true)]
        [Parameter(ParameterSetName='InstanceId', ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ContainerIdInstanceId', Mandatory=$true)]
        [Parameter(ParameterSetName='VMIdInstanceId', Mandatory=$true)]
        [Parameter(ParameterSetName='VMNameInstanceId', Mandatory=$true)]
        [ValidateNotNull()]
        [guid[]]
        ${InstanceId},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='ComputerInstanceId')]
        [Parameter(ParameterSetName='ConnectionUri')]
        [Parameter(ParameterSetName='ConnectionUriInstanceId')]
        [pscredential]
        [System.Management.Automation.CredentialAttribute()]
        ${Credential},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='ComputerInstanceId')]
        [Parameter(ParameterSetName='ConnectionUri')]
        [Parameter(ParameterSetName='ConnectionUriInstanceId')]
        [System.Management.Automation.Runspaces.AuthenticationMechanism]
        ${Authentication},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='ComputerInstanceId')]
        [Parameter(ParameterSetName='ConnectionUri')]
        [Parameter(ParameterSetName='ConnectionUriInstanceId')]
        [string]
        ${CertificateThumbprint},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='ComputerInstanceId')]
        [ValidateRange(1, 65535)]
        [int]
        ${Port},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='ComputerInstanceId')]
        [switch]
        ${UseSSL},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='ComputerInstanceId')]
        [Parameter(ParameterSetName='ConnectionUri')]
        [Parameter(ParameterSetName='ConnectionUriInstanceId')]
        [int]
        ${ThrottleLimit},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='ComputerInstanceId')]
        [Parameter(ParameterSetName='ConnectionUri')]
        [Parameter(ParameterSetName='ConnectionUriInstanceId')]
        [Parameter(ParameterSetName='ContainerId')]
        [Parameter(ParameterSetName='ContainerIdInstanceId')]
        [Parameter(ParameterSetName='VMId')]
        [Parameter(ParameterSetName='VMIdInstanceId')]
        [Parameter(ParameterSetName='VMName')]
        [Parameter(ParameterSetName='VMNameInstanceId')]
        [Microsoft.PowerShell.Commands.SessionFilterState]
        ${State},

        [Parameter(ParameterSetName='ComputerName')]
        [Parameter(ParameterSetName='ComputerInstanceId')]
        [Parameter(ParameterSetName='ConnectionUri')]
        [Parameter(ParameterSetName='ConnectionUriInstanceId')]
        [System.Management.Automation.Remoting.PSSessionOption]
        ${SessionOption},

        [Parameter(ParameterSetName='Id', Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNull()]
        [int[]]
        ${Id},

        [Parameter(ParameterSetName='ContainerId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='ContainerIdInstanceId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${ContainerId},

        [Parameter(ParameterSetName='VMId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMIdInstanceId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [Alias('VMGuid')]
        [ValidateNotNullOrEmpty()]
        [guid[]]
        ${VMId},

        [Parameter(ParameterSetName='VMName', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [Parameter(ParameterSetName='VMNameInstanceId', Mandatory=$true, ValueFromPipelineByPropertyName=$true)]
        [ValidateNotNullOrEmpty()]
        [string[]]
        ${VMName}
    )
    foreach ($entry in @($script:OpenSessions.Values)) {
        $s = $entry.Session
        $keep = switch ($PSCmdlet.ParameterSetName) {
            'Id' { -not $PSBoundParameters.ContainsKey('Id') -or $Id -contains $s.Id }
            'Name' { -not $PSBoundParameters.ContainsKey('Name') -or @($Name | Where-Object { $s.Name -like $_ }).Count -gt 0 }
            'InstanceId' { $InstanceId -contains $s.InstanceId }
            'ConnectionUri' { @($ConnectionUri | Where-Object { $_.Host -eq $s.ComputerName }).Count -gt 0 }
            'ComputerName' { @($ComputerName | Where-Object { $s.ComputerName -like $_ }).Count -gt 0 }
            default { $false }
        }
        if ($keep) { $s }
    }
    $asksSimulator = $PSBoundParameters.ContainsKey('ConnectionUri') -and @($ConnectionUri | Where-Object { Test-DapSimExchangeUri -Uri $_ }).Count -gt 0
    if (-not $asksSimulator) { Microsoft.PowerShell.Core\Get-PSSession @PSBoundParameters }
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
    param(
        [Parameter(Mandatory, Position = 0)]
        [ValidateNotNull()]
        [object] $Session,

        [Parameter(Position = 2)]
        [Alias('Name')]
        [string[]] $CommandName,

        [Parameter(Position = 3)]
        [ValidateNotNull()]
        [string[]] $FormatTypeName,

        [string] $Prefix,

        [switch] $DisableNameChecking,

        [switch] $AllowClobber,

        [Alias('Args')]
        [object[]] $ArgumentList,

        [Alias('Type')]
        [System.Management.Automation.CommandTypes] $CommandType = 'All',

        [Parameter(Position = 1)]
        [Alias('PSSnapin')]
        [string[]] $Module,

        [Microsoft.PowerShell.Commands.ModuleSpecification[]] $FullyQualifiedModule,

        [ValidateNotNull()]
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate
    )
    if (-not (Test-DapSimSession -Session $Session)) {
        return Microsoft.PowerShell.Utility\Import-PSSession @PSBoundParameters
    }
    $entry = $script:OpenSessions[$Session.SimSessionId]
    if ($null -eq $entry) {
        $exception = [System.InvalidOperationException]::new("The session $($Session.Name) is not open.")
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'ImportSessionNotOpen', 'InvalidOperation', $Session))
    }
    $definitions = [System.Text.StringBuilder]::new()
    $exported = [System.Collections.Generic.List[string]]::new()
    $sessionModule = $entry.Module
    $commands = & $sessionModule { Get-Command -Name '*-*' -CommandType Function } | Where-Object { $_.Module -eq $sessionModule -and $_.Name -notlike '*-DapSim*' }
    foreach ($command in $commands) {
        if ($CommandName -and -not @($CommandName | Where-Object { $command.Name -like $_ }).Count) { continue }
        $verb, $noun = $command.Name.Split('-', 2)
        $localName = "$verb-$Prefix$noun"
        $metadata = [System.Management.Automation.CommandMetadata]::new($command)
        $binding = [System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($metadata)
        $parameters = [System.Management.Automation.ProxyCommand]::GetParamBlock($metadata)
        [void]$definitions.AppendLine("function $localName {`n$binding`nparam($parameters)`nprocess { & `$script:Invoke `$PSCmdlet `$script:Session '$($command.Name)' ([hashtable]`$PSBoundParameters) }`n}")
        $exported.Add($localName)
    }
    [void]$definitions.AppendLine('Export-ModuleMember -Function $script:Exported')
    # Bound to this module, so it reaches the private session functions from the imported module.
    $invoke = {
        param($Cmdlet, $TargetSession, $RemoteName, $Parameters)
        Invoke-DapSimScript -Cmdlet $Cmdlet -Session $TargetSession -Text "param(`$p) & '$RemoteName' @p" -ArgumentList (, $Parameters)
    }
    $body = [scriptblock]::Create("param(`$Invoke, `$Session, `$Exported)`n`$script:Invoke = `$Invoke`n`$script:Session = `$Session`n`$script:Exported = `$Exported`n" + $definitions.ToString())
    $imported = New-Module -Name ('tmp_' + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.' + $Session.Name) -ScriptBlock $body -ArgumentList $invoke, $Session, $exported.ToArray()
    Import-Module -ModuleInfo $imported -Global -DisableNameChecking:$DisableNameChecking -Force -PassThru
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
    param(
        # A PSCredential, or a user name (which the real cmdlet's credential attribute turns into a prompt).
        [Parameter(ParameterSetName = 'CredentialSet', Position = 0)]
        [object] $Credential,

        [Parameter(ParameterSetName = 'MessageSet')]
        [string] $Message,

        [Parameter(ParameterSetName = 'MessageSet', Position = 0)]
        [string] $UserName,

        [Parameter(ParameterSetName = 'MessageSet')]
        [string] $Title
    )
    if ($Credential -is [pscredential]) { return $Credential }
    $user = if ($PSCmdlet.ParameterSetName -eq 'CredentialSet') { [string]$Credential } else { $UserName }
    if ([string]::IsNullOrEmpty($user)) { $user = $env:DAP_USERNAME }
    if ([string]::IsNullOrEmpty($user) -or [string]::IsNullOrEmpty($env:DAP_PASSWORD)) {
        $exception = [System.Management.Automation.PSInvalidOperationException]::new(
            'Get-Credential cannot prompt here: give a user name and set DAP_PASSWORD (dap-sim run sets it for the simulated partner account).')
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'CouldNotPromptForCredential', 'InvalidOperation', $user))
    }
    [pscredential]::new($user, (ConvertTo-SecureString -String $env:DAP_PASSWORD -AsPlainText -Force))
}

Export-ModuleMember -Function 'Invoke-Command', 'New-PSSession', 'Import-PSSession', 'Remove-PSSession', 'Get-PSSession', 'Get-Credential'
