# Parameters as data, for the dynamicparam blocks of the stand-ins: never written out as text and
# never run as code. The remoting proxies take the real cmdlets' parameters from the cmdlets' own
# metadata, and Import-PSSession takes a session command's. Dot-sourced; defines functions only.

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
