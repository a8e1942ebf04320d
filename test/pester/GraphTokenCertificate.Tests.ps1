# Get-DapGraphToken -Certificate against the simulator's login host (Pester 5, full pwsh): the
# client assertion is built with .NET by the module and verified by the simulator (signature with
# the app's uploaded certificate, x5t, aud, exp). Starts `dap-sim serve` (needs a built dist/) and
# stops that one process afterwards. Its hosts are https: this pwsh trusts them when it was started
# under test/helpers/with-sim-trust.mjs (scripts/test.mjs does so), whose certificate serve presents.
BeforeAll {
    $root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
    Import-Module -Name ([System.IO.Path]::Combine($root, 'module', 'DapReporting', 'DapReporting.psd1')) -Force
    $script:app = '6f0c4b8e-2d1a-4c57-9e3b-5a7d8c9f0b12'
    $script:otherApp = '0b8f3c2d-1e4a-4b6c-9d7e-2f1a3b4c5d6e'
    $script:partner = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
    $script:alpha = '11111111-2222-4333-8444-555555555555'
    $script:beta = '22222222-3333-4444-8555-666666666666'
    # the simulator-only test key (not a secret of anyone) and the default app's certificate
    $pem = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($root, 'simulator', 'scenarios', 'simulator-app.pem'))
    $script:cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($pem, $pem)
    $default = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($root, 'simulator', 'scenarios', 'default.json')) | ConvertFrom-Json
    $scenario = @{
        seed     = 'pester-certificate'
        tenants  = @(
            @{ name = 'Alpha'; initialDomain = 'alpha.onmicrosoft.com'; tenantId = $alpha; mailboxes = 2 }
            @{ name = 'Beta'; initialDomain = 'beta.onmicrosoft.com'; tenantId = $beta; mailboxes = 2 }
        )
        faults   = @(@{ type = 'notConsented'; tenants = @('beta.onmicrosoft.com') })
        graph    = @{
            partnerTenantId          = $partner
            inactiveRelationshipRate = 0
            apps                     = @(
                @{ clientId = $app; clientSecret = 'unused-here'; certificates = @($default.graph.apps[0].certificates) }
                @{ clientId = $otherApp; clientSecret = 'unused-here' }
            )
        }
    }
    $scenarioPath = Join-Path $TestDrive 'scenario.json'
    [System.IO.File]::WriteAllText($scenarioPath, (ConvertTo-Json -InputObject $scenario -Depth 8))
    $start = [System.Diagnostics.ProcessStartInfo]::new('node')
    foreach ($argument in @([System.IO.Path]::Combine($root, 'bin', 'dap-sim.js'), 'serve', '--config', $scenarioPath, '--port', '0')) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $script:simProcess = [System.Diagnostics.Process]::Start($start)
    $script:url = $simProcess.StandardOutput.ReadLine()
    if ($url -notmatch '^http://127\.0\.0\.1:\d+$') { throw "dap-sim serve did not start: '$url' $($simProcess.StandardError.ReadToEnd())" }
    # then NAME=value lines: the hosts (https) and the CA's files
    $script:printed = @{}
    while (-not $printed.ContainsKey('DAP_SIM_TLS_DIR')) {
        $line = $simProcess.StandardOutput.ReadLine()
        if ($null -eq $line) { throw "dap-sim serve stopped early: $($simProcess.StandardError.ReadToEnd())" }
        $name, $value = $line.Split('=', 2)
        $printed[$name] = $value
    }
    if (-not $env:DAP_SIM_CA_FILE -or [System.IO.File]::ReadAllText($printed.DAP_SIM_CA_FILE) -ne [System.IO.File]::ReadAllText($env:DAP_SIM_CA_FILE)) {
        throw 'this pwsh does not trust the simulator: run it under test/helpers/with-sim-trust.mjs'
    }
    $script:login = $printed.DAP_LOGIN_URL
    $script:graph = $printed.DAP_GRAPH_URL
}

AfterAll {
    if ($script:simProcess -and -not $script:simProcess.HasExited) {
        $script:simProcess.Kill()
        $script:simProcess.WaitForExit(10000) | Out-Null
    }
}

Describe 'Get-DapGraphToken -Certificate (simulator)' {
    It 'gets a partner token, lists the customers with it, and a token for each consented customer' {
        $partnerToken = Get-DapGraphToken -TenantId $partner -ClientId $app -Certificate $cert -LoginUri $login
        $partnerToken.PSObject.TypeNames[0] | Should -Be 'DapReporting.GraphToken'
        $customers = @($partnerToken | Get-DapGraphCustomer -GraphUri $graph)
        @($customers.TenantId | Sort-Object) | Should -Be @($alpha, $beta)
        $tokens = @($customers | Get-DapGraphToken -ClientId $app -Certificate $cert -LoginUri $login -ErrorAction SilentlyContinue -ErrorVariable failures)
        $tokens.TenantId | Should -Be @($alpha)
        ConvertFrom-SecureString -SecureString $tokens[0].AccessToken -AsPlainText | Should -Not -BeNullOrEmpty
        # Beta has not consented: one non-terminating error, the others go on
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'Dap.AccessDenied,Get-DapGraphToken'
        $failures[0].TargetObject | Should -Be $beta
    }

    It 'the token works for a report download' {
        $token = Get-DapGraphToken -TenantId $alpha -TenantDomain 'alpha.onmicrosoft.com' -ClientId $app -Certificate $cert -LoginUri $login
        $rows = @($token | Get-DapMailboxUsageDetail -Period D7 -GraphUri $graph)
        $rows.Count | Should -Be 2
        $rows[0].TenantId | Should -Be $alpha
    }

    It 'a certificate the app does not have is refused for every tenant: terminating Dap.AuthenticationFailed with AADSTS700027' {
        { Get-DapGraphToken -TenantId $alpha -ClientId $otherApp -Certificate $cert -LoginUri $login } |
            Should -Throw -ErrorId 'Dap.AuthenticationFailed,Get-DapGraphToken' -ExpectedMessage '*AADSTS700027: Client assertion contains an invalid signature. `[Reason - The key was not found.*'
    }

    It 'a certificate without its private key, or a thumbprint not in the store, is Dap.InvalidParameter before any request' {
        $publicOnly = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($cert.RawData)
        { Get-DapGraphToken -TenantId $alpha -ClientId $app -Certificate $publicOnly -LoginUri $login } |
            Should -Throw -ErrorId 'Dap.InvalidParameter,Get-DapGraphToken' -ExpectedMessage '*has no private key*'
        { Get-DapGraphToken -TenantId $alpha -ClientId $app -CertificateThumbprint ('0' * 40) -LoginUri $login } |
            Should -Throw -ErrorId 'Dap.InvalidParameter,Get-DapGraphToken'
    }
}
