# Parameters as data, for the dynamicparam blocks of the stand-ins: never written out as text and
# never run as code. The remoting proxies take the real cmdlets' parameters from the cmdlets' own
# metadata, Import-PSSession takes a session command's, and a simulated session's declared cmdlets
# (those of the report catalogs the simulator was started with) take the parameter list the
# simulator sends when the session opens. Dot-sourced; defines functions only.

# A declared cmdlet or parameter name, checked again here before it names anything: Verb-Noun, and
# an identifier. (simulator/world/declared-cmdlets.ts checks the same; a contract test holds them equal.)
$script:DapSimDeclaredCmdletPattern = '^[A-Za-z]+-[A-Za-z][A-Za-z0-9]*$'
$script:DapSimDeclaredParameterPattern = '^[A-Za-z][A-Za-z0-9]*$'

function Get-DapSimParameterSpec {
    <#
    .SYNOPSIS
    A command's own parameters (not the common ones) as data: name, type and attributes.
    .DESCRIPTION
    The attributes are the command's: one Parameter attribute per parameter set (Position,
    Mandatory, pipeline binding), aliases, validation and argument transformation. -TypeOverride
    gives a parameter another type and drops its argument transformation, which belongs to the
    original type.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.CommandInfo] $Command,

        [hashtable] $TypeOverride = @{}
    )
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    foreach ($parameter in $Command.Parameters.Values) {
        if ($common -contains $parameter.Name) { continue }
        $type = $parameter.ParameterType
        $overridden = $TypeOverride.ContainsKey($parameter.Name)
        if ($overridden) { $type = $TypeOverride[$parameter.Name] }
        $attributes = [System.Collections.ObjectModel.Collection[System.Attribute]]::new()
        $hasAlias = $false
        foreach ($attribute in $parameter.Attributes) {
            if ($overridden -and $attribute -is [System.Management.Automation.ArgumentTransformationAttribute]) { continue }
            if ($attribute -is [System.Management.Automation.AliasAttribute]) { $hasAlias = $true }
            $attributes.Add($attribute)
        }
        if (-not $hasAlias -and $parameter.Aliases.Count -gt 0) {
            $attributes.Add([System.Management.Automation.AliasAttribute]::new([string[]]@($parameter.Aliases)))
        }
        [pscustomobject]@{ Name = $parameter.Name; Type = $type; Attributes = $attributes }
    }
}

function Assert-DapSimDeclaredName {
    # Throws unless a name the simulator declared matches its rule.
    param([string] $Name, [string] $Pattern, [string] $What, [string] $Rule)
    if ($Name -notmatch $Pattern) {
        throw [System.ArgumentException]::new("The simulator declared a $What named '$Name'; a $What name is $Rule.")
    }
}

function ConvertFrom-DapSimDeclaredParameter {
    <#
    .SYNOPSIS
    A parameter of a declared cmdlet, as the simulator sends it ({name, type, array, pipeline, pattern}), as data.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [object] $Declared
    )
    $name = [string]$Declared.name
    Assert-DapSimDeclaredName -Name $name -Pattern $script:DapSimDeclaredParameterPattern -What 'parameter' -Rule 'a letter followed by letters and digits'
    $scalar = @{ string = [string]; integer = [int]; number = [double]; boolean = [switch]; datetime = [datetime] }
    $array = @{ string = [string[]]; integer = [int[]]; number = [double[]]; boolean = [bool[]]; datetime = [datetime[]] }
    $types = if ($Declared.array) { $array } else { $scalar }
    $type = $types[[string]$Declared.type]
    if ($null -eq $type) {
        throw [System.ArgumentException]::new("The simulator declared parameter '$name' with type '$($Declared.type)'; expected string, integer, number, boolean or datetime.")
    }
    $binding = [System.Management.Automation.ParameterAttribute]::new()
    $binding.ValueFromPipelineByPropertyName = [bool]$Declared.pipeline
    $attributes = [System.Collections.ObjectModel.Collection[System.Attribute]]::new()
    $attributes.Add($binding)
    if ($Declared.pattern) { $attributes.Add([System.Management.Automation.ValidatePatternAttribute]::new([string]$Declared.pattern)) }
    [pscustomobject]@{ Name = $name; Type = $type; Attributes = $attributes }
}

function New-DapSimParameterDictionary {
    <#
    .SYNOPSIS
    A fresh dynamic parameter dictionary from parameter specs (each call binds its own values).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.RuntimeDefinedParameterDictionary])]
    param(
        [AllowEmptyCollection()]
        [object[]] $Spec = @()
    )
    $dictionary = [System.Management.Automation.RuntimeDefinedParameterDictionary]::new()
    foreach ($parameter in $Spec) {
        $dictionary.Add($parameter.Name, [System.Management.Automation.RuntimeDefinedParameter]::new($parameter.Name, $parameter.Type, $parameter.Attributes))
    }
    $dictionary
}
