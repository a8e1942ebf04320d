# Pester 5 tests of the simulator's PowerShell stand-ins (run with the full pwsh + Pester).
BeforeAll {
    $script:StandIns = Join-Path $PSScriptRoot '..' '..' 'simulator' 'powershell' | Resolve-Path | Select-Object -ExpandProperty Path
    $script:Files = Get-ChildItem -Path $script:StandIns -Recurse -Include '*.ps1', '*.psm1', '*.psd1'
}

Describe 'Simulator stand-in files' {
    It 'parses <_> with zero errors' -ForEach @(
        'MSOnline/MSOnline.psm1', 'MSOnline/MSOnline.psd1',
        'DapSim.Remoting/DapSim.Remoting.psm1', 'DapSim.Remoting/DapSim.Remoting.psd1',
        'DapSim.Remoting/DapSimClient.ps1', 'DapSim.Remoting/DapSimParameters.ps1', 'DapSim.Remoting/ExchangeCmdlets.ps1'
    ) {
        $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $script:StandIns $_), [ref]$null, [ref]$errors)
        $errors | Should -BeNullOrEmpty
    }

    It 'has a valid manifest for <_> with an explicit export list' -ForEach @('MSOnline', 'DapSim.Remoting') {
        $manifest = Test-ModuleManifest -Path (Join-Path $script:StandIns $_ "$_.psd1")
        $manifest.ExportedFunctions.Keys | Should -Not -Contain '*'
        $manifest.ExportedFunctions.Count | Should -BeGreaterThan 2
    }
}

Describe 'MSOnline stand-in' {
    BeforeAll {
        $env:PSModulePath = $script:StandIns + [System.IO.Path]::PathSeparator + $env:PSModulePath
        Import-Module MSOnline -Force
    }
    AfterAll {
        Remove-Module MSOnline, DapSim.Remoting -ErrorAction SilentlyContinue
    }

    It 'makes Invoke-Command resolve to the remoting stand-in' {
        (Get-Command Invoke-Command).Source | Should -Be 'DapSim.Remoting'
    }

    It 'rejects -All with -MaxResults' {
        { Get-MsolPartnerContract -All -MaxResults 5 } | Should -Throw -ErrorId 'AmbiguousParameterSet,Get-MsolPartnerContract'
    }

    It 'fails before Connect-MsolService with the real text' {
        { Get-MsolDomain -TenantId ([guid]::NewGuid()) } | Should -Throw 'You must call the Connect-MsolService cmdlet before calling any other cmdlets.'
    }

    It 'Get-Credential builds a credential from DAP_PASSWORD without prompting' {
        $env:DAP_PASSWORD = 'Pester-Only-Secret'
        try {
            $credential = Get-Credential -Credential 'admin@contoso.onmicrosoft.com'
            $credential.UserName | Should -Be 'admin@contoso.onmicrosoft.com'
            $credential.GetNetworkCredential().Password | Should -Be 'Pester-Only-Secret'
        } finally {
            Remove-Item Env:DAP_PASSWORD
        }
    }

    It 'hands non-Exchange calls to the real Invoke-Command' {
        Invoke-Command -ScriptBlock { param($x) $x + 1 } -ArgumentList 41 | Should -Be 42
    }
}

Describe 'Exchange session cmdlets' {
    BeforeAll {
        . (Join-Path $script:StandIns 'DapSim.Remoting' 'DapSimClient.ps1')
        . (Join-Path $script:StandIns 'DapSim.Remoting' 'ExchangeCmdlets.ps1')
    }

    It 'rejects <Call>' -ForEach @(
        @{ Call = { Get-MailboxActivityReport -ReportType Hourly }; Id = 'ParameterArgumentValidationError,Get-MailboxActivityReport' }
        @{ Call = { Get-MessageTrace -PageSize 5001 }; Id = 'ParameterArgumentValidationError,Get-MessageTrace' }
        @{ Call = { Get-MailboxUsageReport -ResultSize lots }; Id = 'ParameterArgumentValidationError,Get-MailboxUsageReport' }
    ) {
        $Call | Should -Throw -ErrorId $Id
    }
}
