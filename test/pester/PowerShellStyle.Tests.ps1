# The project's PowerShell style, checked over the AST of every PowerShell file it ships or runs
# (the generated module and scripts, the runtime's host, the simulator's stand-ins): functions use
# approved verbs, no command is called by an alias, nothing writes data with Write-Host, and no
# text is ever run as code (Invoke-Expression). PSScriptAnalyzer is not on the package feed; these
# are the rules of it that matter here. (Positional arguments are refused where users call the
# module: every exported function has PositionalBinding off, tested in Generator.Tests.ps1.)
BeforeDiscovery {
    $root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $folders = @('module', 'runtime/powershell', 'simulator/powershell') | ForEach-Object { [System.IO.Path]::Combine($root, $_) }
    $script:files = @(Get-ChildItem -LiteralPath $folders -Recurse -File -Include '*.ps1', '*.psm1' |
        ForEach-Object { @{ Path = $_.FullName; Name = [System.IO.Path]::GetRelativePath($root, $_.FullName) } })
}

BeforeAll {
    $aliases = @{}
    foreach ($alias in Get-Alias) { $aliases[$alias.Name] = $alias.Definition }
    $verbs = @(Get-Verb | ForEach-Object Verb)

    function Get-StyleProblem {
        param([Parameter(Mandatory)][string] $Path)
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
        foreach ($parseError in $errors) { 'parse error at line {0}: {1}' -f $parseError.Extent.StartLineNumber, $parseError.Message }
        $functions = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)
        foreach ($function in $functions) {
            if ($function.Name -match '^([A-Za-z]+)-' -and $verbs -notcontains $Matches[1]) {
                'function {0} (line {1}): {2} is not an approved verb (Get-Verb)' -f $function.Name, $function.Extent.StartLineNumber, $Matches[1]
            }
        }
        $commands = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)
        foreach ($command in $commands) {
            $name = $command.GetCommandName()
            if (-not $name) { continue }
            $line = $command.Extent.StartLineNumber
            if ($aliases.ContainsKey($name)) { 'line {0}: {1} is an alias of {2}: write the command''s name' -f $line, $name, $aliases[$name] }
            if ($name -eq 'Write-Host') { 'line {0}: Write-Host (write data to the output, messages to Write-Verbose/Write-Warning)' -f $line }
            if ($name -eq 'Invoke-Expression') { 'line {0}: Invoke-Expression runs text as code' -f $line }
        }
    }
}

Describe 'PowerShell style: <Name>' -ForEach $files {
    It 'uses approved verbs, no aliases, no Write-Host, no Invoke-Expression' {
        @(Get-StyleProblem -Path $Path) | Should -BeNullOrEmpty
    }
}

Describe 'The style check itself' {
    It 'finds each kind of problem in a file that has them all' {
        $file = Join-Path ([System.IO.Path]::GetTempPath()) ('dap-style-{0}.ps1' -f [guid]::NewGuid())
        Set-Content -LiteralPath $file -Value @(
            'function Fetch-Thing { param($x) $x }'
            'gci . | % { $_ }'
            'Write-Host "data"'
            'Invoke-Expression "1 + 1"'
        )
        try {
            $problems = @(Get-StyleProblem -Path $file)
        }
        finally {
            Remove-Item -LiteralPath $file
        }
        $problems | Should -HaveCount 5
        ($problems -join "`n") | Should -Match 'Fetch is not an approved verb'
        ($problems -join "`n") | Should -Match 'gci is an alias of Get-ChildItem'
        ($problems -join "`n") | Should -Match '% is an alias of ForEach-Object'
        ($problems -join "`n") | Should -Match 'Write-Host'
        ($problems -join "`n") | Should -Match 'Invoke-Expression runs text as code'
    }
}
