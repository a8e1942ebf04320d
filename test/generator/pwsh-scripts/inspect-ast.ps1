# Lists what the parser sees in every generated PowerShell file: each command invocation, each
# parameter default and each ValidateSet value (base64 of the UTF-8 text, so any character survives).
param(
    [Parameter(Mandatory)] [string] $ModuleRoot
)
function ConvertTo-Base64([string] $Text) { [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Text)) }
foreach ($file in [System.IO.Directory]::GetFiles($ModuleRoot, '*', [System.IO.SearchOption]::AllDirectories)) {
    if ($file -notmatch '\.(ps1|psm1|psd1)$') { continue }
    $relative = $file.Substring($ModuleRoot.Length).TrimStart('/', '\')
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$tokens, [ref]$errors)
    "PARSE $relative $($errors.Count)"
    foreach ($command in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $command.GetCommandName()
        if ($name) { "CMD $relative $name" } else { "DYNAMIC $relative $(ConvertTo-Base64 -Text $command.CommandElements[0].Extent.Text)" }
    }
    if ($relative -match 'NastyRest|NastyQuery') {
        foreach ($constant in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $true)) {
            "STRING $relative $(ConvertTo-Base64 -Text $constant.Value)"
        }
    }
    foreach ($parameter in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.ParameterAst] }, $true)) {
        $name = $parameter.Name.VariablePath.UserPath
        $default = $parameter.DefaultValue
        if ($default -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
            "DEFAULT $relative $name $(ConvertTo-Base64 -Text $default.Value)"
        }
        elseif ($default) {
            foreach ($item in $default.FindAll({ param($n) $n -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $true)) {
                "DEFAULT-ITEM $relative $name $(ConvertTo-Base64 -Text $item.Value)"
            }
        }
        foreach ($attribute in $parameter.Attributes) {
            if ($attribute.TypeName.Name -ne 'ValidateSet') { continue }
            foreach ($argument in $attribute.PositionalArguments) { "SET $relative $name $(ConvertTo-Base64 -Text $argument.Value)" }
        }
    }
}
Import-Module -Name ([System.IO.Path]::Combine($ModuleRoot, 'DapReporting', 'DapReporting.psd1'))
foreach ($command in Get-Command -Module DapReporting) {
    $help = Get-Help -Name $command.Name
    "HELP-PARAMS $($command.Name) $(($help.parameters.parameter | ForEach-Object -Process { $_.name }) -join ',')"
    "HELP-SYNOPSIS $($command.Name) $(ConvertTo-Base64 -Text $help.Synopsis)"
}
"DONE"
