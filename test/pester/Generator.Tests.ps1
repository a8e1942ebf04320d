# General tests of the generated DapReporting module (Pester 5, full pwsh): help of every exported
# command, the manifest's export list against the function files, every PowerShell file parses,
# and every verb is approved by Get-Verb.
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
}

Describe 'The standalone scripts' {
    It 'each have help and the shared parameters' -ForEach @(Get-ChildItem -LiteralPath ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'module', 'scripts')) -Filter '*.ps1' | ForEach-Object { @{ Script = $_.FullName } }) {
        $help = Get-Help -Name $Script -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0
        $names = (Get-Command -Name $Script).Parameters.Keys
        foreach ($name in 'UserName', 'OutputFile', 'ErrorFile', 'ThrottleLimit') { $names | Should -Contain $name }
    }
}
