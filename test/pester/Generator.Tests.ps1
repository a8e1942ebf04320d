# General tests of the generated DapReporting module (Pester 5, full pwsh): help of every exported
# command (examples, .INPUTS, .OUTPUTS, aliases), named parameters, ShouldProcess on every command
# that writes, no Write-Host, the manifest's Gallery fields and its export list against the function
# files, every PowerShell file parses, and every verb is approved by Get-Verb.
BeforeDiscovery {
    $script:moduleRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'module'))
    $manifestPath = [System.IO.Path]::Combine($script:moduleRoot, 'DapReporting', 'DapReporting.psd1')
    Import-Module -Name $manifestPath -Force
    $script:commands = @(Get-Command -Module DapReporting | ForEach-Object { @{ Name = $_.Name } })
    $script:files = @(Get-ChildItem -LiteralPath $script:moduleRoot -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' |
        ForEach-Object { @{ Path = $_.FullName; Name = $_.FullName.Substring($script:moduleRoot.Length + 1) } })
}

BeforeAll {
    $moduleRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'module'))
    $manifestPath = [System.IO.Path]::Combine($moduleRoot, 'DapReporting', 'DapReporting.psd1')
    Import-Module -Name $manifestPath -Force
}

Describe 'The DapReporting manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'exports exactly the functions of the Public folder, and nothing else' {
        $manifest = Import-PowerShellDataFile -Path $manifestPath
        $publicFiles = Get-ChildItem -LiteralPath ([System.IO.Path]::Combine($moduleRoot, 'DapReporting', 'Public')) -Filter '*.ps1' |
            ForEach-Object BaseName | Sort-Object
        $manifest.FunctionsToExport | Sort-Object | Should -Be $publicFiles
        $manifest.FunctionsToExport | Should -Not -Contain '*'
        $manifest.CmdletsToExport | Should -BeNullOrEmpty
        $manifest.AliasesToExport | Should -BeNullOrEmpty
        $manifest.VariablesToExport | Should -BeNullOrEmpty
        (Get-Command -Module DapReporting).Name | Sort-Object | Should -Be $publicFiles
    }

    It 'has every Gallery field, and says PowerShell 7 (Core) as the Graph functions need' {
        $manifest = Import-PowerShellDataFile -Path $manifestPath
        [version]$manifest.PowerShellVersion | Should -BeGreaterOrEqual ([version]'7.0')
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        foreach ($field in 'Author', 'Description', 'Copyright', 'GUID') { $manifest[$field] | Should -Not -BeNullOrEmpty -Because $field }
        $psData = $manifest.PrivateData.PSData
        @($psData.Tags).Count | Should -BeGreaterThan 3
        $psData.Tags | Should -Contain 'PSEdition_Core'
        foreach ($field in 'ProjectUri', 'LicenseUri') { [uri]::IsWellFormedUriString($psData[$field], 'Absolute') | Should -BeTrue -Because $field }
        $psData.LicenseUri | Should -BeLike ('{0}/*/LICENSE' -f $psData.ProjectUri)
        [System.IO.File]::Exists([System.IO.Path]::Combine($moduleRoot, '..', 'LICENSE')) | Should -BeTrue -Because 'LicenseUri points at the project LICENSE file'
        $psData.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.Description | Should -Match 'MSOnline' -Because 'MSOnline is not a required module, and the description says why'
    }

    It 'exports no private function' {
        $privateDir = [System.IO.Path]::Combine($moduleRoot, 'DapReporting', 'Private')
        if (Test-Path -LiteralPath $privateDir) {
            $private = Get-ChildItem -LiteralPath $privateDir -Filter '*.ps1' | ForEach-Object BaseName
            foreach ($name in $private) { (Get-Command -Module DapReporting).Name | Should -Not -Contain $name }
        }
    }
}

Describe 'Every PowerShell file parses: <Name>' -ForEach $files {
    It 'has no parse error' {
        $tokens = $null; $errors = $null
        [void][System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
    }
}

Describe 'Exported command <Name>' -ForEach $commands {
    BeforeAll {
        $command = Get-Command -Name $Name -Module DapReporting
        $help = Get-Help -Name $Name -Full
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $own = @($command.Parameters.Values | Where-Object { $_.Name -notin $common })
        $functionAst = $command.ScriptBlock.Ast
        $commandNames = @($functionAst.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() })
    }

    It 'uses an approved verb' {
        (Get-Verb).Verb | Should -Contain $command.Verb
    }

    It 'has a synopsis' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -BeLike "$Name*"
    }

    It 'has a description' {
        ($help.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example' {
        @($help.examples.example).Count | Should -BeGreaterThan 0
    }

    It 'describes every parameter' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $entry = $help.parameters.parameter | Where-Object Name -EQ $parameter
            ($entry.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "parameter $parameter needs help"
        }
    }

    It 'is an advanced function ([CmdletBinding()])' {
        $command.CmdletBinding | Should -BeTrue
    }

    It 'says what it takes from the pipeline (.INPUTS) and what it returns (.OUTPUTS)' {
        ((@($help.inputTypes.inputType.type.name) -join '')).Trim() | Should -Not -BeNullOrEmpty
        ((@($help.returnValues.returnValue.type.name) -join '')).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'takes named parameters only, but for -Report of Export-DapAggregateReport' {
        foreach ($parameter in $own) {
            $positions = @($parameter.ParameterSets.Values | ForEach-Object Position | Where-Object { $_ -ge 0 })
            if ($Name -eq 'Export-DapAggregateReport' -and $parameter.Name -eq 'Report') {
                $positions | Should -Be @(0)
            }
            else {
                $positions | Should -BeNullOrEmpty -Because "parameter $($parameter.Name) should be named"
            }
        }
    }

    It 'names every parameter alias in that parameter''s help' {
        foreach ($parameter in $own | Where-Object { $_.Aliases.Count -gt 0 }) {
            $text = (($help.parameters.parameter | Where-Object Name -EQ $parameter.Name).description.Text -join ' ')
            foreach ($alias in $parameter.Aliases) { $text | Should -Match ('\bAlias(es)?: .*\b{0}\b' -f [regex]::Escape($alias)) }
        }
    }

    It 'supports -WhatIf and -Confirm when it writes files' {
        $fileWriters = @('Set-Content', 'Add-Content', 'Out-File', 'Export-Csv', 'Move-Item', 'Copy-Item', 'Remove-Item', 'New-Item')
        $writesByCmdlet = @($commandNames | Where-Object { $_ -in $fileWriters })
        $writesByDotNet = @($functionAst.FindAll({
                    param($node)
                    $node -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and $node.Static -and
                    $node.Expression.TypeName.FullName -match '^(System\.)?IO\.(File|Directory)$' -and
                    $node.Member.Value -match '^(Write|Append|Create|Delete|Move|Copy|Replace|SetAttributes)'
                }, $true))
        if ($writesByCmdlet.Count + $writesByDotNet.Count -gt 0) {
            $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue
            $command.Parameters.ContainsKey('Confirm') | Should -BeTrue
            $functionAst.Extent.Text | Should -Match '\$PSCmdlet\.ShouldProcess\('
        }
        else {
            $command.Parameters.ContainsKey('WhatIf') | Should -BeFalse -Because 'a command that writes nothing has nothing to confirm'
        }
    }

    It 'never writes data with Write-Host' {
        $commandNames | Should -Not -Contain 'Write-Host'
    }
}

Describe 'The file-writing check' {
    It 'finds Export-DapAggregateReport writing files, so it would notice a writer without ShouldProcess' {
        $ast = (Get-Command -Name Export-DapAggregateReport -Module DapReporting).ScriptBlock.Ast
        $writes = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and $node.Static -and $node.Member.Value -eq 'WriteAllText' }, $true))
        $writes.Count | Should -BeGreaterThan 0
    }
}

Describe 'The standalone scripts' {
    BeforeDiscovery {
        # one per catalog entry with a script: the scripts are built, not committed
        $catalogPath = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'module', 'DapReporting', 'DapReporting.catalog.json')
        $scriptNames = @((Get-Content -Raw -LiteralPath $catalogPath | ConvertFrom-Json).reports | Where-Object { $_.script } | ForEach-Object { @{ Name = [System.IO.Path]::GetFileName($_.script) } })
    }

    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, '..', 'helpers', 'Build-DapScript.ps1'))
        $scripts = Build-DapScript
    }

    AfterAll {
        Remove-Item -LiteralPath $scripts -Recurse -Force
    }

    It 'are built, one per catalog entry with a script' {
        $catalog = Get-Content -Raw -LiteralPath ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'module', 'DapReporting', 'DapReporting.catalog.json')) | ConvertFrom-Json
        $expected = @($catalog.reports | Where-Object { $_.script } | ForEach-Object { [System.IO.Path]::GetFileName($_.script) } | Sort-Object)
        @(Get-ChildItem -LiteralPath $scripts -Filter '*.ps1' | ForEach-Object Name | Sort-Object) | Should -Be $expected
    }

    It '<Name> has help and the shared parameters, parses, and has each function once' -ForEach $scriptNames {
        $Script = [System.IO.Path]::Combine($scripts, $Name)
        $help = Get-Help -Name $Script -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0
        $names = (Get-Command -Name $Script).Parameters.Keys
        # The script follows the report's first source: remoting (MSOnline sign-in), the Exchange admin API or a Graph query (the app's secret).
        $catalog = Get-Content -Raw -LiteralPath ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'module', 'DapReporting', 'DapReporting.catalog.json')) | ConvertFrom-Json
        $report = $catalog.reports | Where-Object { $_.script -eq ('scripts/{0}' -f [System.IO.Path]::GetFileName($Script)) }
        $shared = switch ($report.sources[0].kind) {
            'exchangeRest' { 'PartnerTenantId', 'ClientId', 'ClientSecret', 'ExchangeUri' }
            'graphQuery' { 'PartnerTenantId', 'ClientId', 'ClientSecret', 'GraphUri' }
            default { 'UserName', 'ThrottleLimit' }
        }
        foreach ($name in @($shared) + @('OutputFile', 'ErrorFile', 'WhatIf', 'Confirm')) { $names | Should -Contain $name }
        ((@($help.inputTypes.inputType.type.name) -join '')).Trim() | Should -Not -BeNullOrEmpty
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Script, [ref]$tokens, [ref]$errors)
        @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() }) | Should -Not -Contain 'Write-Host'
        $errors | Should -BeNullOrEmpty
        # the functions it carries: each once, the module's Get-DapFailureCategory among them
        $functions = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false) | ForEach-Object { $_.Name })
        $functions | Should -Contain 'Get-DapFailureCategory'
        $functions | Should -Contain 'New-DapErrorRecord'
        @($functions | Select-Object -Unique).Count | Should -Be $functions.Count
    }
}
