# The Exchange cmdlets of a simulated remote session. DapSim.Remoting loads this file into a
# fresh module per session, after setting $script:DapSimSession to the session's context
# (@{ Url; SessionId; Name; WebSession; DeclaredCmdlets }); a script block sent with
# Invoke-Command runs in that module's scope, so it sees these functions and nothing of the
# caller's script. Parameters and validation follow the real cmdlets; each call is one POST to
# the simulator. The cmdlets the simulator has no data of its own for, declared by the report
# catalogs it was started with, are defined at the end from the list the simulator sent.

. ([System.IO.Path]::Combine($PSScriptRoot, 'DapSimParameters.ps1'))

function ConvertTo-DapSimSentValue {
    # A parameter value as JSON carries it: dates as ISO 8601.
    param([object] $Value)
    if ($Value -is [datetime]) { return $Value.ToString('o', [cultureinfo]::InvariantCulture) }
    $Value
}

function Invoke-DapSimExchangeCommand {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet,

        [Parameter(Mandatory)]
        [string] $Name,

        [Parameter(Mandatory)]
        [System.Collections.IDictionary] $Parameters
    )
    $sent = [ordered]@{}
    # the common parameters (-WarningAction, -Verbose …) act in the session; the service never sees them
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    foreach ($key in $Parameters.Keys) {
        if ($common -contains $key) { continue }
        $value = $Parameters[$key]
        if ($value -is [System.Management.Automation.SwitchParameter]) { $value = $value.IsPresent }
        elseif ($value -is [array]) { $value = @($value | ForEach-Object -Process { ConvertTo-DapSimSentValue -Value $_ }) }
        else { $value = ConvertTo-DapSimSentValue -Value $value }
        $sent[$key] = $value
    }
    $context = $script:DapSimSession
    $response = Invoke-DapSimRequest -Method POST -Path "/exchange/sessions/$($context.SessionId)/commands" -Body ([ordered]@{
            sessionName = $context.Name
            cmdlet      = $Name
            parameters  = $sent
        })
    if ($response.Status -ne 200) {
        $Cmdlet.WriteError((New-DapSimErrorRecord -SimError $response.Body.error -DefaultMessage "The remote command $Name failed."))
        return
    }
    $result = $response.Body
    foreach ($warning in $result.warnings) { $Cmdlet.WriteWarning([string]$warning) }
    foreach ($problem in $result.errors) { $Cmdlet.WriteError((New-DapSimErrorRecord -SimError $problem)) }
    foreach ($row in $result.rows) {
        $properties = [ordered]@{ PSTypeName = [string]$result.typeName }
        foreach ($column in $result.columns) {
            $value = $row.($column.name)
            if ($null -ne $value) {
                $value = switch ([string]$column.type) {
                    'datetime' {
                        if ($value -is [datetime]) { $value }
                        else { [datetime]::Parse([string]$value, [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind) }
                    }
                    'guid' { [guid][string]$value }
                    'long' { [long]$value }
                    'int' { [int]$value }
                    'double' { [double]$value }
                    'bool' { [bool]$value }
                    # a MultiValuedProperty arrives deserialized as a list of strings
                    'strings' { , [System.Collections.ArrayList]@($value | ForEach-Object -Process { [string]$_ }) }
                    default { [string]$value }
                }
            }
            $properties[[string]$column.name] = $value
        }
        [pscustomobject]$properties
    }
}

# Cmdlets whose parameters are the same: one body each shape, defined under every name that has it
# (the real cmdlets have these parameters too). Each call is one POST to the simulator.

# The activity reports: a report type, a date range and ResultSize.
$script:ReportTypeCmdletBody = {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [ValidateSet('Daily', 'Weekly', 'Monthly', 'Yearly')]
        [string] $ReportType = 'Daily',

        [datetime] $StartDate,

        [datetime] $EndDate,

        [ValidatePattern('^(?i:unlimited|[1-9][0-9]*)$')]
        [string] $ResultSize
    )
    $PSBoundParameters['ReportType'] = $ReportType
    Invoke-DapSimExchangeCommand -Cmdlet $PSCmdlet -Name $MyInvocation.MyCommand.Name -Parameters $PSBoundParameters
}

# The usage and stale-mailbox reports: a date range and ResultSize.
$script:DateRangeCmdletBody = {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [datetime] $StartDate,

        [datetime] $EndDate,

        [ValidatePattern('^(?i:unlimited|[1-9][0-9]*)$')]
        [string] $ResultSize
    )
    Invoke-DapSimExchangeCommand -Cmdlet $PSCmdlet -Name $MyInvocation.MyCommand.Name -Parameters $PSBoundParameters
}

# The recipient lists: an identity (from the pipeline too) and ResultSize.
$script:RecipientCmdletBody = {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [string] $Identity,

        [ValidatePattern('^(?i:unlimited|[1-9][0-9]*)$')]
        [string] $ResultSize
    )
    process {
        Invoke-DapSimExchangeCommand -Cmdlet $PSCmdlet -Name $MyInvocation.MyCommand.Name -Parameters $PSBoundParameters
    }
}

$script:SharedCmdletBodies = [ordered]@{
    'Get-MailboxActivityReport'        = $script:ReportTypeCmdletBody
    'Get-ConnectionByClientTypeReport' = $script:ReportTypeCmdletBody
    'Get-MailboxUsageReport'           = $script:DateRangeCmdletBody
    'Get-MailboxUsageDetailReport'     = $script:DateRangeCmdletBody
    'Get-StaleMailboxReport'           = $script:DateRangeCmdletBody
    'Get-StaleMailboxDetailReport'     = $script:DateRangeCmdletBody
    'Get-Mailbox'                      = $script:RecipientCmdletBody
    'Get-CASMailbox'                   = $script:RecipientCmdletBody
}
foreach ($name in $script:SharedCmdletBodies.Keys) {
    Microsoft.PowerShell.Management\Set-Item -LiteralPath "function:script:$name" -Value $script:SharedCmdletBodies[$name]
}

function Get-MailboxStatistics {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Identity
    )
    process {
        Invoke-DapSimExchangeCommand -Cmdlet $PSCmdlet -Name $MyInvocation.MyCommand.Name -Parameters @{ Identity = $Identity }
    }
}

function Get-MessageTrace {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [datetime] $StartDate,

        [datetime] $EndDate,

        [ValidateRange(1, 1000)]
        [int] $Page,

        [ValidateRange(1, 5000)]
        [int] $PageSize,

        [string[]] $SenderAddress,

        [string[]] $RecipientAddress,

        [ValidateSet('None', 'GettingStatus', 'Failed', 'Pending', 'Delivered', 'Expanded', 'Quarantined', 'FilteredAsSpam')]
        [string[]] $Status,

        [string] $MessageId,

        [guid] $MessageTraceId
    )
    Invoke-DapSimExchangeCommand -Cmdlet $PSCmdlet -Name $MyInvocation.MyCommand.Name -Parameters $PSBoundParameters
}

function Get-InboxRule {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [ValidateNotNullOrEmpty()]
        [string] $Mailbox
    )
    process {
        Invoke-DapSimExchangeCommand -Cmdlet $PSCmdlet -Name $MyInvocation.MyCommand.Name -Parameters @{ Mailbox = $Mailbox }
    }
}

function Get-AcceptedDomain {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [Parameter(Position = 0)]
        [string] $Identity
    )
    Invoke-DapSimExchangeCommand -Cmdlet $PSCmdlet -Name $MyInvocation.MyCommand.Name -Parameters $PSBoundParameters
}

# The declared cmdlets: one shared body, defined under each declared name (Verb-Noun, checked),
# whose parameters are built from the list the simulator sent (ConvertFrom-DapSimDeclaredParameter);
# never code made from text. A name the session already has is left to its own function.
$script:DeclaredCmdlets = @{}
$script:DeclaredCmdletBody = {
    [CmdletBinding(PositionalBinding = $false)]
    param()
    dynamicparam { New-DapSimParameterDictionary -Spec $script:DeclaredCmdlets[$MyInvocation.MyCommand.Name] }
    process {
        Invoke-DapSimExchangeCommand -Cmdlet $PSCmdlet -Name $MyInvocation.MyCommand.Name -Parameters $PSBoundParameters
    }
}

function Add-DapSimDeclaredCmdlet {
    <#
    .SYNOPSIS
    Defines a declared cmdlet ({name, parameters}) in this session.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [object] $Declared
    )
    $name = [string]$Declared.name
    Assert-DapSimDeclaredName -Name $name -Pattern $script:DapSimDeclaredCmdletPattern -What 'cmdlet' -Rule 'Verb-Noun'
    if (Microsoft.PowerShell.Management\Test-Path -LiteralPath "function:script:$name") { return }
    $script:DeclaredCmdlets[$name] = @($Declared.parameters | Where-Object -FilterScript { $null -ne $_ } | ForEach-Object -Process { ConvertFrom-DapSimDeclaredParameter -Declared $_ })
    Microsoft.PowerShell.Management\Set-Item -LiteralPath "function:script:$name" -Value $script:DeclaredCmdletBody
}

if ($script:DapSimSession) {
    foreach ($declared in $script:DapSimSession.DeclaredCmdlets) { Add-DapSimDeclaredCmdlet -Declared $declared }
}
