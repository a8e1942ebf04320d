# The project's PowerShell style, checked over the AST of every PowerShell file it ships or runs
# (the generated module and scripts and their templates, the runtime's host, the simulator's
# stand-ins, the scripts of scripts/ and bench/, the helper scripts of the tests): functions use
# approved verbs, no command is called by an alias, nothing writes data with Write-Host, no text is
# ever run as code (Invoke-Expression), and every argument is named (no positional argument, to a
# command or to a script block). PSScriptAnalyzer is not on the package feed; these are the rules
# of it that matter here. (Where users call the module, positional arguments are refused too:
# every exported function has PositionalBinding off, tested in Generator.Tests.ps1.)
#
# Not checked: the Pester files themselves (*.Tests.ps1), whose language is positional by design
# (It 'name' { }, Should -Be 1), and partner-mailbox-activity.ps1, which stands for a partner's own
# script written from Microsoft's sample and is run as such people write it.
BeforeDiscovery {
    $root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $folders = @(
        'module', 'generator/templates', 'runtime/backends/exchange/powershell', 'simulator/powershell', 'scripts', 'bench',
        'test/fixtures/pwsh', 'test/fixtures/scenarios/scripts', 'test/generator/pwsh-scripts', 'test/generator/__golden__'
    ) | ForEach-Object -Process { [System.IO.Path]::Combine($root, $_) }
    $leftOut = @('test/fixtures/scenarios/scripts/partner-mailbox-activity.ps1')
    $paths = @(Get-ChildItem -LiteralPath $folders -Recurse -File -Include '*.ps1', '*.psm1' |
        Where-Object -FilterScript { $_.Name -notlike '*.Tests.ps1' -and $leftOut -notcontains [System.IO.Path]::GetRelativePath($root, $_.FullName).Replace('\', '/') } |
        ForEach-Object -MemberName FullName)
    # The switch parameters of every function these files define: a switch takes no argument, so a
    # value after it is positional. (Commands PowerShell itself knows are looked up with Get-Command.)
    $switches = @{}
    foreach ($path in $paths) {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$null, [ref]$null)
        foreach ($function in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)) {
            $parameters = if ($function.Body.ParamBlock) { $function.Body.ParamBlock.Parameters } else { $function.Parameters }
            $switches[$function.Name] = @($parameters | Where-Object -FilterScript { $_ -and $_.StaticType -eq [switch] } |
                ForEach-Object -Process { $_.Name.VariablePath.UserPath })
        }
    }
    $script:files = @($paths | ForEach-Object -Process { @{ Path = $_; Name = [System.IO.Path]::GetRelativePath($root, $_); Switches = $switches } })
}

BeforeAll {
    $aliases = @{}
    foreach ($alias in Get-Alias) { $aliases[$alias.Name] = $alias.Definition }
    $verbs = @(Get-Verb | ForEach-Object -MemberName Verb)

    # Whether -Parameter of the named command is a switch: from the project's own functions, else
    # from the command PowerShell finds; an unknown command's parameter is taken to have a value.
    function Test-SwitchParameter {
        param([string] $Command, [string] $Parameter, [hashtable] $Switches)
        if ($Command -and $Switches.ContainsKey($Command)) { return $Switches[$Command] -contains $Parameter }
        $info = if ($Command) { Get-Command -Name $Command -ErrorAction SilentlyContinue | Select-Object -First 1 }
        if (-not $info -or -not $info.Parameters) { return $false }
        try {
            $metadata = $info.ResolveParameter($Parameter)
        }
        catch {
            return $false
        }
        $metadata -and $metadata.SwitchParameter
    }

    # The arguments of a command call that are bound by position: the elements after the command
    # that are neither a parameter (-Name, -Name:value), nor the value after a parameter that is not
    # a switch, nor a splatted variable (@values). A native program takes its arguments as they are,
    # and `& $module { … }` runs the script block in a module's scope (its arguments are checked).
    function Get-PositionalArgument {
        param([System.Management.Automation.Language.CommandAst] $Command, [hashtable] $Switches)
        $name = $Command.GetCommandName()
        if ($name -and -not $Switches.ContainsKey($name)) {
            $info = Get-Command -Name $name -ErrorAction SilentlyContinue | Select-Object -First 1
            if ($info -and $info.CommandType -eq 'Application') { return }
        }
        $elements = $Command.CommandElements
        $first = 1
        if (-not $name -and $elements.Count -gt 1 -and $elements[1] -is [System.Management.Automation.Language.ScriptBlockExpressionAst]) { $first = 2 }
        for ($index = $first; $index -lt $elements.Count; $index++) {
            $element = $elements[$index]
            if ($element -is [System.Management.Automation.Language.CommandParameterAst]) {
                $next = if ($index + 1 -lt $elements.Count) { $elements[$index + 1] }
                if ($null -eq $element.Argument -and $next -and $next -isnot [System.Management.Automation.Language.CommandParameterAst] -and
                    -not (Test-SwitchParameter -Command $name -Parameter $element.ParameterName -Switches $Switches)) {
                    $index++
                }
                continue
            }
            if ($element -is [System.Management.Automation.Language.VariableExpressionAst] -and $element.Splatted) { continue }
            $element
        }
    }

    function Get-StyleProblem {
        param([Parameter(Mandatory)][string] $Path, [hashtable] $Switches = @{})
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
            $line = $command.Extent.StartLineNumber
            foreach ($argument in @(Get-PositionalArgument -Command $command -Switches $Switches)) {
                'line {0}: {1} is given {2} by position: name its parameter' -f $argument.Extent.StartLineNumber, $command.CommandElements[0].Extent.Text, $argument.Extent.Text
            }
            $name = $command.GetCommandName()
            if (-not $name) { continue }
            if ($aliases.ContainsKey($name)) { 'line {0}: {1} is an alias of {2}: write the command''s name' -f $line, $name, $aliases[$name] }
            if ($name -eq 'Write-Host') { 'line {0}: Write-Host (write data to the output, messages to Write-Verbose/Write-Warning)' -f $line }
            if ($name -eq 'Invoke-Expression') { 'line {0}: Invoke-Expression runs text as code' -f $line }
        }
    }
}

Describe 'PowerShell style: <Name>' -ForEach $files {
    It 'uses approved verbs, no aliases, no Write-Host, no Invoke-Expression, no positional arguments' {
        @(Get-StyleProblem -Path $Path -Switches $Switches) | Should -BeNullOrEmpty
    }
}

Describe 'The style check itself' {
    It 'finds each kind of problem in a file that has them all, and nothing in named calls' {
        $file = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), ('dap-style-{0}.ps1' -f [guid]::NewGuid()))
        Set-Content -LiteralPath $file -Value @(
            'function Fetch-Thing { param($x) $x }'
            'gci -Path . | % -Process { $_ }'
            'Write-Host -Object "data"'
            'Invoke-Expression -Command "1 + 1"'
            'Write-Verbose ''positional message'''
            'Join-Path -Path a b'
            'Get-ChildItem -Recurse c'
            '$block = { param($Value) $Value }; & $block 1'
            'Get-ChildItem -Path . -Recurse -Filter *.ps1 | Where-Object -FilterScript { $_ } | ForEach-Object -MemberName Name'
            '& $block -Value 2; Get-ChildItem @splatted -Force:$true; & (Get-Module -Name Pester) { param($Name) $Name } -Name x'
        )
        try {
            $problems = @(Get-StyleProblem -Path $file)
        }
        finally {
            Remove-Item -LiteralPath $file
        }
        $problems | Should -HaveCount 9
        $text = $problems -join "`n"
        $text | Should -Match 'Fetch is not an approved verb'
        $text | Should -Match 'gci is an alias of Get-ChildItem'
        $text | Should -Match '% is an alias of ForEach-Object'
        $text | Should -Match 'Write-Host'
        $text | Should -Match 'Invoke-Expression runs text as code'
        $text | Should -Match "line 5: Write-Verbose is given 'positional message' by position"
        $text | Should -Match 'line 6: Join-Path is given b by position'
        $text | Should -Match 'line 7: Get-ChildItem is given c by position'
        $text | Should -Match 'line 8: \$block is given 1 by position'
    }
}
