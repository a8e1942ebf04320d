# The generated Exchange admin API functions and scripts against the simulator's Exchange admin API
# (Pester 5, full pwsh, real HTTP on the loopback host): GDAP customers through Graph, an Exchange
# token per tenant, the report functions and one standalone script. The simulator runs in a node
# process this file starts (test/helpers/serve-simulator.mjs) and stops (by closing its stdin).
BeforeDiscovery {
    $root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
    # The admin API is part of the simulator from the branch that adds it; until the build has it, these tests are skipped.
    $script:noExo = -not [System.IO.File]::Exists([System.IO.Path]::Combine($root, 'dist', 'simulator', 'exo-routes.js'))
}

BeforeAll {
    $root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
    Import-Module -Name ([System.IO.Path]::Combine($root, 'module', 'DapReporting', 'DapReporting.psd1')) -Force
    $script:simulator = $null
    $script:sim = $null
    if (-not [System.IO.File]::Exists([System.IO.Path]::Combine($root, 'dist', 'simulator', 'exo-routes.js'))) { return }
    $start = [System.Diagnostics.ProcessStartInfo]::new((Get-Command node -CommandType Application | Select-Object -First 1).Source)
    $start.ArgumentList.Add([System.IO.Path]::Combine($root, 'test', 'helpers', 'serve-simulator.mjs'))
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $script:simulator = [System.Diagnostics.Process]::Start($start)
    $line = $script:simulator.StandardOutput.ReadLine()
    $script:sim = $line | ConvertFrom-Json -AsHashtable
    $script:secret = ConvertTo-SecureString -String $sim.DAP_GRAPH_CLIENT_SECRET -AsPlainText -Force
    $script:app = $sim.DAP_GRAPH_CLIENT_ID
    $partner = Get-DapGraphToken -TenantId $sim.DAP_GRAPH_TENANT_ID -ClientId $app -ClientSecret $secret -LoginUri $sim.DAP_LOGIN_URL -ErrorAction Stop
    $script:customers = @(Get-DapGraphCustomer -AccessToken $partner.AccessToken -GraphUri $sim.DAP_GRAPH_URL -ErrorAction Stop)
    $script:tokens = @($customers | Select-Object -First 3 | Get-DapExoToken -ClientId $app -ClientSecret $secret -LoginUri $sim.DAP_LOGIN_URL -ErrorAction Stop)
}

AfterAll {
    if ($script:simulator) {
        # Closing stdin stops the simulator; the process is ours, ended by its id if it lingers.
        $script:simulator.StandardInput.Close()
        if (-not $script:simulator.WaitForExit(10000)) { Stop-Process -Id $script:simulator.Id -Force }
    }
}

Describe 'The Exchange admin API functions against the simulator' -Skip:$noExo {
    It 'Get-DapGraphCustomer | Get-DapExoToken gives an Exchange token per customer, which Graph refuses' {
        $tokens.Count | Should -Be 3
        $tokens[0].PSObject.TypeNames[0] | Should -Be 'DapReporting.ExoToken'
        $tokens[0].TenantDomain | Should -Match '\.'
        # an Exchange token is not a Graph token
        $graph = Invoke-DapGraphReport -TenantId $tokens[0].TenantId -AccessToken $tokens[0].AccessToken -Function getMailboxUsageDetail -GraphUri $sim.DAP_GRAPH_URL -ErrorAction SilentlyContinue -ErrorVariable refused
        $graph | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -Be 'Dap.AccessDenied,Invoke-DapGraphReport'
    }

    It 'Invoke-DapExoCommand reads every mailbox of a tenant, page after page' {
        $all = @($tokens[0] | Invoke-DapExoCommand -Cmdlet Get-Mailbox -Parameters @{ ResultSize = 'Unlimited' } -Select UserPrincipalName, ExternalDirectoryObjectId -ExchangeUri $sim.DAP_EXO_URL)
        $all.Count | Should -BeGreaterThan 0
        $all[0].UserPrincipalName | Should -Match '@'
        $all[0].TenantId | Should -Be $tokens[0].TenantId
        @($all.ExternalDirectoryObjectId | Select-Object -Unique).Count | Should -Be $all.Count
    }

    It 'refuses a Graph token with Dap.AccessDenied' {
        $partner = Get-DapGraphToken -TenantId $tokens[0].TenantId -ClientId $app -ClientSecret $secret -LoginUri $sim.DAP_LOGIN_URL
        $null = Invoke-DapExoCommand -TenantId $tokens[0].TenantId -AccessToken $partner.AccessToken -Cmdlet Get-Mailbox -ExchangeUri $sim.DAP_EXO_URL -ErrorAction SilentlyContinue -ErrorVariable refused
        @($refused).Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be 'Dap.AccessDenied,Invoke-DapExoCommand'
        $refused[0].Exception.Message | Should -Match 'audience'
    }

    It 'MailboxStatisticsReport (Rest) gives one typed row per mailbox, with the bytes of its size' {
        $mailboxes = @($tokens | Invoke-DapExoCommand -Cmdlet Get-Mailbox -Parameters @{ ResultSize = 'Unlimited' } -Select ExternalDirectoryObjectId -ExchangeUri $sim.DAP_EXO_URL)
        $rows = @($tokens | Get-DapMailboxStatisticsReport -ExchangeUri $sim.DAP_EXO_URL)
        $rows.Count | Should -Be $mailboxes.Count
        $rows[0].PSObject.TypeNames[0] | Should -Be 'DapReporting.MailboxStatisticsReport'
        @($rows[0].PSObject.Properties.Name)[0..2] | Should -Be @('TenantId', 'TenantDomain', 'DisplayName')
        $sized = @($rows | Where-Object { $_.TotalItemSize })
        $sized.Count | Should -BeGreaterThan 0
        foreach ($row in $sized) { $row.TotalItemSizeBytes | Should -BeOfType [long] }
        @($rows | Where-Object { $_.LastLogonTime } | Select-Object -First 1).LastLogonTime | Should -BeOfType [datetime]
    }

    It 'UnusedMailboxReport keeps exactly the mailboxes idle for InactiveDays or never used' {
        $all = @($tokens | Get-DapMailboxStatisticsReport -ExchangeUri $sim.DAP_EXO_URL)
        $unused = @($tokens | Get-DapUnusedMailboxReport -InactiveDays 30 -ExchangeUri $sim.DAP_EXO_URL)
        $now = [datetime]::UtcNow
        $expected = @($all | Where-Object { -not $_.LastUserActionTime -or $_.LastUserActionTime -lt $now.AddDays(-30) })
        $unused.Count | Should -Be $expected.Count
        foreach ($row in $unused) {
            if ($row.LastUserActionTime) { $row.DaysInactive | Should -BeGreaterOrEqual 30 } else { $row.DaysInactive | Should -BeNullOrEmpty }
        }
    }

    It 'InboxRuleExternalForwardingReport lists only rules with addresses outside the accepted domains' {
        $rows = @($tokens | Get-DapInboxRuleExternalForwardingReport -ExchangeUri $sim.DAP_EXO_URL)
        foreach ($token in $tokens) {
            $domains = @($token | Invoke-DapExoCommand -Cmdlet Get-AcceptedDomain -ExchangeUri $sim.DAP_EXO_URL).DomainName
            foreach ($row in @($rows | Where-Object { $_.TenantId -eq $token.TenantId })) {
                $row.ExternalRecipients | Should -Not -BeNullOrEmpty
                foreach ($address in $row.ExternalRecipients -split '; ') { $domains | Should -Not -Contain ($address -split '@')[1] }
            }
        }
    }

    It 'CasMailboxProtocolReport gives one row per mailbox with typed switches' {
        $rows = @($tokens[0] | Get-DapCasMailboxProtocolReport -ExchangeUri $sim.DAP_EXO_URL)
        $rows.Count | Should -BeGreaterThan 0
        $rows[0].PopEnabled | Should -BeOfType [bool]
    }

    It 'MessageTraceV2Report reads a 25-day range in 10-day windows, every message once' {
        $end = [datetime]::UtcNow.Date
        $rows = @($tokens[0] | Get-DapMessageTraceV2Report -StartDate $end.AddDays(-25) -EndDate $end -ExchangeUri $sim.DAP_EXO_URL)
        $rows.Count | Should -BeGreaterThan 0
        @($rows | Where-Object { $_.Received -lt $end.AddDays(-25) -or $_.Received -gt $end }).Count | Should -Be 0
        @($rows | ForEach-Object { '{0}|{1}' -f $_.MessageTraceId, $_.RecipientAddress } | Select-Object -Unique).Count | Should -Be $rows.Count
    }
}

Describe 'A standalone exchangeRest script against the simulator' -Skip:$noExo {
    It 'CasMailboxProtocolReport.ps1 writes one CSV of every customer and an errors file' {
        $out = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), ('dap-exo-{0}.csv' -f [guid]::NewGuid().ToString('N')))
        $script = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'module', 'scripts', 'CasMailboxProtocolReport.ps1'))
        $env:DAP_GRAPH_CLIENT_SECRET = $sim.DAP_GRAPH_CLIENT_SECRET
        try {
            $result = & $script -PartnerTenantId $sim.DAP_GRAPH_TENANT_ID -ClientId $app -OutputFile $out -LoginUri $sim.DAP_LOGIN_URL -GraphUri $sim.DAP_GRAPH_URL -ExchangeUri $sim.DAP_EXO_URL
            $result.Tenants | Should -Be $customers.Count
            $rows = @(Import-Csv -LiteralPath $out)
            $rows.Count | Should -Be $result.Rows
            @($rows[0].PSObject.Properties.Name)[0..3] | Should -Be @('TenantId', 'TenantDomain', 'PrimarySmtpAddress', 'DisplayName')
            $rows[0].PopEnabled | Should -BeIn @('True', 'False')
            [System.IO.File]::ReadAllBytes($out)[0..2] | Should -Be @(0xEF, 0xBB, 0xBF)
            (Get-Content -LiteralPath "$out.errors.csv" -TotalCount 1) | Should -Be 'TenantDomain,TenantId,Category,Message'
        }
        finally {
            Remove-Item Env:DAP_GRAPH_CLIENT_SECRET
            Remove-Item -LiteralPath $out, "$out.errors.csv" -ErrorAction SilentlyContinue
        }
    }
}
