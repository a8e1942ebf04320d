# Inspects a generated module folder with the PowerShell engine and prints one fact per line,
# for test/generator/module-engine.test.ts to assert on. Needs only Microsoft.PowerShell.Core.
param(
    [Parameter(Mandatory)] [string] $ModuleRoot
)
$ErrorActionPreference = 'Stop'
function ConvertTo-SortedList([object[]] $Items) {
    $sorted = [string[]]@($Items | Where-Object -FilterScript { $null -ne $_ })
    [Array]::Sort($sorted, [System.StringComparer]::Ordinal)
    $sorted
}
$files = ConvertTo-SortedList -Items ([System.IO.Directory]::GetFiles($ModuleRoot, '*', [System.IO.SearchOption]::AllDirectories) |
    Where-Object -FilterScript { $_ -match '\.(ps1|psm1|psd1)$' })
foreach ($file in $files) {
    $tokens = $null; $errors = $null
    [void][System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$tokens, [ref]$errors)
    $relative = $file.Substring($ModuleRoot.Length).TrimStart('/', '\')
    if ($errors.Count) { "PARSE-ERROR $relative`: $($errors[0].Message)" } else { "PARSED $relative" }
}
$manifestPath = [System.IO.Path]::Combine($ModuleRoot, 'DapReporting', 'DapReporting.psd1')
$manifest = Test-ModuleManifest -Path $manifestPath
"MANIFEST-VERSION $($manifest.Version)"
"MANIFEST-EXPORTS $((ConvertTo-SortedList -Items @($manifest.ExportedFunctions.Keys)) -join ',')"
foreach ($folder in 'Public', 'Private') {
    $dir = [System.IO.Path]::Combine($ModuleRoot, 'DapReporting', $folder)
    $names = if ([System.IO.Directory]::Exists($dir)) { ConvertTo-SortedList -Items ([System.IO.Directory]::GetFiles($dir, '*.ps1') | ForEach-Object -Process { [System.IO.Path]::GetFileNameWithoutExtension($_) }) } else { @() }
    "$($folder.ToUpperInvariant())-FILES $($names -join ',')"
}
$module = Import-Module -Name $manifestPath -PassThru
"MODULE-COMMANDS $((ConvertTo-SortedList -Items (Get-Command -Module $module.Name | ForEach-Object -MemberName Name)) -join ',')"
$verbs = foreach ($class in 'VerbsCommon', 'VerbsCommunications', 'VerbsData', 'VerbsDiagnostic', 'VerbsLifecycle', 'VerbsSecurity', 'VerbsOther') {
    ([type]"System.Management.Automation.$class").GetFields() | ForEach-Object -Process { $_.GetValue($null) }
}
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
foreach ($name in ConvertTo-SortedList -Items (Get-Command -Module $module.Name | ForEach-Object -MemberName Name)) {
    $command = Get-Command -Name $name -Module $module.Name
    "VERB $($command.Name) $($verbs -ccontains $command.Verb)"
    $help = Get-Help -Name $command.Name -Full
    $synopsis = [string]$help.Synopsis
    $description = ($help.description | ForEach-Object -Process { $_.Text }) -join ''
    $missing = foreach ($parameterName in $command.Parameters.Keys) {
        if ($common -contains $parameterName) { continue }
        $parameter = $help.parameters.parameter | Where-Object -FilterScript { $_.name -eq $parameterName }
        $text = ($parameter.description | ForEach-Object -Process { $_.Text }) -join ''
        if (-not $text.Trim()) { $parameterName }
    }
    $examples = @($help.examples.example).Count
    $hasSynopsis = $synopsis.Trim() -ne '' -and -not $synopsis.Trim().StartsWith($command.Name)
    "HELP $($command.Name) synopsis=$hasSynopsis description=$($description.Trim() -ne '') missing=$($missing -join ';') examples=$examples"
}
"DONE"
