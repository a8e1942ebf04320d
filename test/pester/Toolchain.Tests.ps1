# Proves Pester itself works under the project's pwsh: Should and Mock on a PowerShell function.
BeforeAll {
    function Get-TenantGreeting {
        param([Parameter(Mandatory)][string] $Domain)
        $name = Get-TenantName -Domain $Domain
        "Hello, $name"
    }
    function Get-TenantName {
        param([string] $Domain)
        throw 'not reachable in a test'
    }
}

Describe 'Pester under the project pwsh' {
    It 'runs on PowerShell 7' {
        $PSVersionTable.PSVersion.Major | Should -Be 7
    }

    It 'Mock replaces a function and records the call' {
        Mock Get-TenantName { 'Contoso' }
        Get-TenantGreeting -Domain 'contoso.onmicrosoft.com' | Should -Be 'Hello, Contoso'
        Should -Invoke Get-TenantName -Times 1 -Exactly -ParameterFilter { $Domain -eq 'contoso.onmicrosoft.com' }
    }

    It 'Should -Throw sees the real error' {
        { Get-TenantName -Domain 'x' } | Should -Throw 'not reachable in a test'
    }
}
