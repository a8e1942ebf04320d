# The generated Exchange admin API functions and scripts against the simulator's Exchange admin API
# (Pester 5, full pwsh, real HTTPS on the loopback host): GDAP customers through Graph, an Exchange
# token per tenant, the report functions and one standalone script. The simulator runs in a node
# process this file starts (test/helpers/serve-simulator.mjs) and stops (by closing its stdin); this
# pwsh trusts its certificate when started under test/helpers/with-sim-trust.mjs (scripts/test.mjs does so).
BeforeAll {
    $root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
    . ([System.IO.Path]::Combine($root, 'test', 'helpers', 'Build-DapScript.ps1'))
    $script:scripts = Build-DapScript
    Import-Module -Name ([System.IO.Path]::Combine($root, 'module', 'DapReporting', 'DapReporting.psd1')) -Force
    # A simulator of its own (the given scenario, else the default one): its process and its environment.
    function script:Start-Simulator([string] $Scenario) {
        $start = [System.Diagnostics.ProcessStartInfo]::new((Get-Command node -CommandType Application | Select-Object -First 1).Source)
        $start.ArgumentList.Add([System.IO.Path]::Combine($root, 'test', 'helpers', 'serve-simulator.mjs'))
        if ($Scenario) { $start.ArgumentList.Add($Scenario) }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($start)
        @{ Process = $process; Env = ($process.StandardOutput.ReadLine() | ConvertFrom-Json -AsHashtable) }
    }
    function script:Stop-Simulator($Simulator) {
        if (-not $Simulator) { return }
        # Closing stdin stops the simulator; the process is ours, ended by its id if it lingers.
        $Simulator.Process.StandardInput.Close()
        if (-not $Simulator.Process.WaitForExit(10000)) { Stop-Process -Id $Simulator.Process.Id -Force }
    }
    $script:simulator = Start-Simulator
    $script:sim = $simulator.Env
    $script:secret = ConvertTo-SecureString -String $sim.DAP_GRAPH_CLIENT_SECRET -AsPlainText -Force
    $script:app = $sim.DAP_GRAPH_CLIENT_ID
    $partner = Get-DapGraphToken -TenantId $sim.DAP_GRAPH_TENANT_ID -ClientId $app -ClientSecret $secret -LoginUri $sim.DAP_LOGIN_URL -ErrorAction Stop
    $script:customers = @(Get-DapGraphCustomer -AccessToken $partner.AccessToken -GraphUri $sim.DAP_GRAPH_URL -ErrorAction Stop)
    $script:tokens = @($customers | Select-Object -First 3 | Get-DapExoToken -ClientId $app -ClientSecret $secret -LoginUri $sim.DAP_LOGIN_URL -ErrorAction Stop)
    # Some tenants of the world have no mailbox: the single-tenant tests use the first one that has some.
    $script:busy = $customers | Get-DapExoToken -ClientId $app -ClientSecret $secret -LoginUri $sim.DAP_LOGIN_URL |
        Where-Object { @($_ | Invoke-DapExoCommand -Cmdlet Get-Mailbox -Select ExternalDirectoryObjectId -ExchangeUri $sim.DAP_EXO_URL).Count -gt 0 } |
        Select-Object -First 1
}

AfterAll {
    Stop-Simulator $script:simulator
    if ($script:scripts) { Remove-Item -LiteralPath $script:scripts -Recurse -Force }
}

Describe 'The Exchange admin API functions against the simulator' {
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
        $all = @($busy | Invoke-DapExoCommand -Cmdlet Get-Mailbox -Parameters @{ ResultSize = 'Unlimited' } -Select UserPrincipalName, ExternalDirectoryObjectId -ExchangeUri $sim.DAP_EXO_URL -Verbose 4>&1)
        $pages = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'POST *' })
        $all = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $all.Count | Should -BeGreaterThan 0
        $all[0].UserPrincipalName | Should -Match '@'
        $all[0].TenantId | Should -Be $busy.TenantId
        # pages of at most 1000: one request per started thousand
        $pages.Count | Should -Be ([Math]::Max(1, [Math]::Ceiling($all.Count / 1000)))
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
        $rows.Count | Should -BeGreaterThan 0
        $mailboxes = @($tokens | Invoke-DapExoCommand -Cmdlet Get-Mailbox -Parameters @{ ResultSize = 'Unlimited' } -Select ExternalDirectoryObjectId -ExchangeUri $sim.DAP_EXO_URL)
        $rules = @($mailboxes | ForEach-Object {
                $token = $tokens | Where-Object TenantId -EQ $_.TenantId
                $token | Invoke-DapExoCommand -Cmdlet Get-InboxRule -Parameters @{ Mailbox = $_.ExternalDirectoryObjectId } -ExchangeUri $sim.DAP_EXO_URL
            })
        $rows.Count | Should -BeLessThan $rules.Count -Because 'rules forwarding inside the tenant (EX: or an accepted domain) are left out'
        foreach ($token in $tokens) {
            $domains = @($token | Invoke-DapExoCommand -Cmdlet Get-AcceptedDomain -ExchangeUri $sim.DAP_EXO_URL).DomainName
            foreach ($row in @($rows | Where-Object { $_.TenantId -eq $token.TenantId })) {
                $row.ExternalRecipients | Should -Not -BeNullOrEmpty
                foreach ($address in $row.ExternalRecipients -split '; ') { $domains | Should -Not -Contain ($address -split '@')[1] }
            }
        }
    }

    It 'CasMailboxProtocolReport gives one row per mailbox with typed switches' {
        $rows = @($busy | Get-DapCasMailboxProtocolReport -ExchangeUri $sim.DAP_EXO_URL)
        $rows.Count | Should -BeGreaterThan 0
        $rows[0].PopEnabled | Should -BeOfType [bool]
    }

    It 'MessageTraceV2Report reads a 25-day range in 10-day windows, every message once' {
        $end = [datetime]::UtcNow.Date
        $rows = @($busy | Get-DapMessageTraceV2Report -StartDate $end.AddDays(-25) -EndDate $end -ExchangeUri $sim.DAP_EXO_URL)
        # the same range a day at a time (each day well under the 5000-row cap), straight from the service
        $daily = 0
        for ($day = $end.AddDays(-25); $day -lt $end; $day = $day.AddDays(1)) {
            $daily += @($busy | Invoke-DapExoCommand -Cmdlet Get-MessageTraceV2 -Parameters @{ StartDate = $day; EndDate = $day.AddDays(1); ResultSize = 5000 } -Select MessageTraceId -ExchangeUri $sim.DAP_EXO_URL -WarningAction SilentlyContinue).Count
        }
        $rows.Count | Should -Be $daily
        @($rows | Where-Object { $_.Received -lt $end.AddDays(-25) -or $_.Received -gt $end }).Count | Should -Be 0
        @($rows | ForEach-Object { '{0}|{1}' -f $_.MessageTraceId, $_.RecipientAddress } | Select-Object -Unique).Count | Should -Be $rows.Count
    }
}

Describe 'A standalone exchangeRest script against the simulator' {
    It 'CasMailboxProtocolReport.ps1 writes one CSV of every customer and an errors file' {
        $out = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), ('dap-exo-{0}.csv' -f [guid]::NewGuid().ToString('N')))
        $script = [System.IO.Path]::Combine($scripts, 'CasMailboxProtocolReport.ps1')
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

Describe 'Faults and volume of the Exchange admin API (scenario exo-faults)' {
    BeforeAll {
        $scenario = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'simulator', 'scenarios', 'exo-faults.json')
        $script:faulty = Start-Simulator ([System.IO.Path]::GetFullPath($scenario))
        $script:env2 = $faulty.Env
        $secret2 = ConvertTo-SecureString -String $env2.DAP_GRAPH_CLIENT_SECRET -AsPlainText -Force
        $partner = Get-DapGraphToken -TenantId $env2.DAP_GRAPH_TENANT_ID -ClientId $env2.DAP_GRAPH_CLIENT_ID -ClientSecret $secret2 -LoginUri $env2.DAP_LOGIN_URL -ErrorAction Stop
        $script:customers2 = @(Get-DapGraphCustomer -AccessToken $partner.AccessToken -GraphUri $env2.DAP_GRAPH_URL -ErrorAction Stop)
        $script:tokenOf = @{}
        foreach ($customer in $customers2) {
            $token = $customer | Get-DapExoToken -ClientId $env2.DAP_GRAPH_CLIENT_ID -ClientSecret $secret2 -LoginUri $env2.DAP_LOGIN_URL -ErrorAction SilentlyContinue -ErrorVariable refused
            $tokenOf[$customer.TenantDomain] = if ($token) { $token } else { $refused[0] }
        }
        $script:domainOf = { param([string] $Prefix) ($customers2 | Where-Object { $_.TenantDomain -like "$Prefix*" } | Select-Object -First 1).TenantDomain }
    }
    AfterAll {
        Stop-Simulator $script:faulty
    }

    It 'a tenant without consent gets no Exchange token: Dap.AccessDenied' {
        $refused = $tokenOf[(& $domainOf 'unconsentedbank')]
        $refused | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $refused.FullyQualifiedErrorId | Should -Be 'Dap.AccessDenied,Get-DapExoToken'
    }

    It 'a throttled tenant waits the Retry-After and gets its rows' {
        $rows = @($tokenOf[(& $domainOf 'throttledone')] | Get-DapCasMailboxProtocolReport -ExchangeUri $env2.DAP_EXO_URL -ErrorAction Stop)
        $rows.Count | Should -Be 12
    }

    It 'a relationship without the roles: one Dap.AccessDenied with the service text; a server error: one Dap.RemoteError' {
        $null = $tokenOf[(& $domainOf 'noroletravel')] | Get-DapCasMailboxProtocolReport -ExchangeUri $env2.DAP_EXO_URL -ErrorAction SilentlyContinue -ErrorVariable denied
        @($denied).Count | Should -Be 1
        $denied[0].FullyQualifiedErrorId | Should -Be 'Dap.AccessDenied,Get-DapCasMailboxProtocolReport'
        $denied[0].Exception.Message | Should -Match 'not allowed to call Get-CASMailbox'
        $null = $tokenOf[(& $domainOf 'flakyfoods')] | Get-DapUnusedMailboxReport -ExchangeUri $env2.DAP_EXO_URL -ErrorAction SilentlyContinue -ErrorVariable failed
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'Dap.RemoteError,Get-DapUnusedMailboxReport'
    }

    It 'MessageTraceV2Report of a busy tenant passes the 5000-row cap and comes back whole, each message once' {
        $busy = $tokenOf[(& $domainOf 'busytraders')]
        $end = [datetime]::new(2026, 11, 20, 0, 0, 0, [System.DateTimeKind]::Utc)
        $rows = @($busy | Get-DapMessageTraceV2Report -StartDate $end.AddDays(-10) -EndDate $end -ExchangeUri $env2.DAP_EXO_URL -WarningAction SilentlyContinue)
        $daily = 0
        for ($day = $end.AddDays(-10); $day -lt $end; $day = $day.AddDays(1)) {
            $daily += @($busy | Invoke-DapExoCommand -Cmdlet Get-MessageTraceV2 -Parameters @{ StartDate = $day; EndDate = $day.AddDays(1); ResultSize = 5000 } -Select MessageTraceId -ExchangeUri $env2.DAP_EXO_URL -WarningAction SilentlyContinue).Count
        }
        $daily | Should -BeGreaterThan 5000 -Because 'a 10-day window of this tenant passes the 5000-row cap'
        $rows.Count | Should -Be $daily
        @($rows | ForEach-Object { '{0}|{1}' -f $_.MessageTraceId, $_.RecipientAddress } | Select-Object -Unique).Count | Should -Be $rows.Count
    }

    It 'the standalone script runs every tenant, lists the failed ones in the errors file and exits 1' {
        $out = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), ('dap-exo-{0}.csv' -f [guid]::NewGuid().ToString('N')))
        $script = [System.IO.Path]::Combine($scripts, 'UnusedMailboxReport.ps1')
        try {
            $secret2 = ConvertTo-SecureString -String $env2.DAP_GRAPH_CLIENT_SECRET -AsPlainText -Force
            # exit in a script run with & ends the script, not this process, and sets $LASTEXITCODE
            $result = & $script -PartnerTenantId $env2.DAP_GRAPH_TENANT_ID -ClientId $env2.DAP_GRAPH_CLIENT_ID -ClientSecret $secret2 -OutputFile $out -LoginUri $env2.DAP_LOGIN_URL -GraphUri $env2.DAP_GRAPH_URL -ExchangeUri $env2.DAP_EXO_URL -InactiveDays 0 -WarningAction SilentlyContinue
            # (flakyfoods' one server error was taken by the test above: faults are one-shot)
            $result.Failed | Should -Be 2
            $result.Tenants | Should -Be $customers2.Count
            $LASTEXITCODE | Should -Be 1
            $errors = @(Import-Csv -LiteralPath "$out.errors.csv")
            ($errors | Where-Object { $_.TenantDomain -like 'noroletravel*' }).Category | Should -Be 'AccessDenied'
            ($errors | Where-Object { $_.TenantDomain -like 'unconsentedbank*' }).Category | Should -Be 'AccessDenied'
            @($errors | Where-Object { $_.Category -ne 'NoData' }).Count | Should -Be 2
            $rows = @(Import-Csv -LiteralPath $out)
            ($rows | Where-Object { $_.TenantDomain -like 'busytraders*' }).Count | Should -Be 120 -Because 'InactiveDays 0 keeps every mailbox'
            $rows[0].LastUserActionTime | Should -Match '^(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?)?$'
        }
        finally {
            Remove-Item -LiteralPath $out, "$out.errors.csv" -ErrorAction SilentlyContinue
        }
    }
}
