# The generated Exchange admin API (exchangeRest) functions of DapReporting (Pester 5, full pwsh):
# Get-DapExoToken, Invoke-DapExoCommand (headers, body, pages, next-link host, 429, Dap.<Category>)
# and the report functions (forEach, dateWindow, continueWith, the row rules, typed rows and the
# cell-text rule). Invoke-WebRequest, Invoke-RestMethod and Start-Sleep are mocked inside the
# module, so nothing leaves the machine; GeneratorExoSimulator.Tests.ps1 runs them against the simulator.
BeforeAll {
    $moduleRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'module'))
    Import-Module -Name ([System.IO.Path]::Combine($moduleRoot, 'DapReporting', 'DapReporting.psd1')) -Force
    $script:tenant = '6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b'
    $script:app = '0b8f3c2d-1e4a-4b6c-9d7e-2f1a3b4c5d6e'
    $script:token = ConvertTo-SecureString -String 'exo-tok-1' -AsPlainText -Force
    $script:base = "https://outlook.office365.com/adminapi/beta/$tenant/InvokeCommand"
    function script:New-Response([int] $Status, $Json, [hashtable] $Headers = @{}) {
        $text = if ($Json -is [string]) { $Json } else { ConvertTo-Json -InputObject $Json -Depth 10 -Compress }
        [pscustomobject]@{ StatusCode = $Status; Headers = $Headers; RawContentStream = [System.IO.MemoryStream]::new([System.Text.Encoding]::UTF8.GetBytes($text)) }
    }
    # Every request the mocked Invoke-WebRequest saw: the functions clear their header tables after the calls.
    function script:Reset-Sent { $script:sent = [System.Collections.Generic.List[hashtable]]::new() }
    function script:Save-Sent($Uri, $Headers, $Body) {
        $parsed = $Body | ConvertFrom-Json -AsHashtable -DateKind String
        $script:sent.Add(@{ Uri = "$Uri"; Headers = $Headers.Clone(); Body = $Body; Cmdlet = $parsed.CmdletInput.CmdletName; Parameters = $parsed.CmdletInput.Parameters })
        $script:sent[-1]
    }
}

Describe 'Get-DapExoToken' {
    It 'asks the tenant token endpoint for the Exchange Online scope and returns a DapReporting.ExoToken, from the pipeline' {
        $script:forms = [System.Collections.Generic.List[hashtable]]::new()
        Mock -ModuleName DapReporting Invoke-RestMethod {
            $script:forms.Add(@{ Uri = "$Uri"; Body = $Body.Clone() })
            [pscustomobject]@{ access_token = 'exo-9'; expires_in = 3599 }
        }
        $secret = ConvertTo-SecureString -String 'the-secret' -AsPlainText -Force
        $result = [pscustomobject]@{ TenantId = $tenant; InitialDomain = 'contoso.onmicrosoft.com' } | Get-DapExoToken -ClientId $app -ClientSecret $secret
        $result.PSObject.TypeNames[0] | Should -Be 'DapReporting.ExoToken'
        $result.TenantDomain | Should -Be 'contoso.onmicrosoft.com'
        ConvertFrom-SecureString -SecureString $result.AccessToken -AsPlainText | Should -BeExactly 'exo-9'
        $result.ExpiresOn | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(50))
        $script:forms[0].Uri | Should -BeExactly "https://login.microsoftonline.com/$tenant/oauth2/v2.0/token"
        $script:forms[0].Body.scope | Should -BeExactly 'https://outlook.office365.com/.default'
        $script:forms[0].Body.grant_type | Should -Be 'client_credentials'
    }

    It 'reports a tenant without consent as one non-terminating Dap.AccessDenied of Get-DapExoToken' {
        Mock -ModuleName DapReporting Invoke-RestMethod {
            $record = [System.Management.Automation.ErrorRecord]::new([System.Exception]::new('400'), 'WebCmdletWebResponseException', 'InvalidOperation', $null)
            $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new('{"error":"invalid_client","error_description":"AADSTS65001: The user or administrator has not consented to use the application."}')
            throw $record
        }
        $secret = ConvertTo-SecureString -String 'the-secret' -AsPlainText -Force
        $result = Get-DapExoToken -TenantId $tenant -ClientId $app -ClientSecret $secret -ErrorAction SilentlyContinue -ErrorVariable failures
        $result | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'Dap.AccessDenied,Get-DapExoToken'
        $failures[0].Exception.Message | Should -Match 'Exchange Online token.*AADSTS65001'
    }
}

Describe 'Invoke-DapExoCommand' {
    BeforeEach { Reset-Sent }

    It 'POSTs the cmdlet with the headers of the service, follows the next page on the same host, and returns the objects with TenantId' {
        Mock -ModuleName DapReporting Invoke-WebRequest {
            $call = Save-Sent $Uri $Headers $Body
            if ($script:sent.Count -eq 1) {
                New-Response 200 @{ '@odata.context' = 'x'; value = @(@{ UserPrincipalName = 'a@contoso.com' }); '@odata.nextLink' = "$base`?`$skiptoken=2"; '@adminapi.warnings' = @('The output is truncated.') }
            }
            else {
                New-Response 200 @{ '@odata.context' = 'x'; value = @(@{ UserPrincipalName = "b'@contoso.com" }); '@adminapi.warnings' = @('The output is truncated.') }
            }
        }
        $rows = @(Invoke-DapExoCommand -TenantId $tenant -AccessToken $token -Cmdlet Get-Mailbox -Parameters @{ ResultSize = 'Unlimited'; Since = [datetime]::new(2026, 11, 20, 8, 0, 0, [System.DateTimeKind]::Utc); Archive = [switch]$true } -Select UserPrincipalName, DisplayName -WarningVariable warned -WarningAction SilentlyContinue)
        $rows.UserPrincipalName | Should -Be @('a@contoso.com', "b'@contoso.com")
        $rows[0].TenantId | Should -Be $tenant
        @($warned).Count | Should -Be 1 -Because 'every page repeats the warnings of its call'
        $script:sent.Count | Should -Be 2
        $first = $script:sent[0]
        $first.Uri | Should -BeExactly "$base`?`$select=UserPrincipalName,DisplayName"
        $first.Headers.Authorization | Should -BeExactly 'Bearer exo-tok-1'
        $first.Headers['X-AnchorMailbox'] | Should -BeExactly "APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@$tenant"
        $first.Headers.Prefer | Should -BeExactly 'odata.maxpagesize=1000'
        $first.Cmdlet | Should -Be 'Get-Mailbox'
        $first.Parameters.ResultSize | Should -Be 'Unlimited'
        $first.Parameters.Since | Should -BeExactly '2026-11-20T08:00:00Z'
        $first.Parameters.Archive | Should -BeTrue
        $script:sent[1].Uri | Should -BeExactly "$base`?`$skiptoken=2"
        $script:sent[1].Body | Should -BeExactly $first.Body
    }

    It 'does not send the token to a next page link on another host: one Dap.RemoteError' {
        Mock -ModuleName DapReporting Invoke-WebRequest {
            $null = Save-Sent $Uri $Headers $Body
            New-Response 200 @{ value = @(@{ Name = 'a' }); '@odata.nextLink' = 'https://evil.example.com/adminapi/beta/x/InvokeCommand?page=2' }
        }
        $rows = Invoke-DapExoCommand -TenantId $tenant -AccessToken $token -Cmdlet Get-Mailbox -ErrorAction SilentlyContinue -ErrorVariable failures
        $rows | Should -BeNullOrEmpty
        $script:sent.Count | Should -Be 1
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'Dap.RemoteError,Invoke-DapExoCommand'
        $failures[0].Exception.Message | Should -Match 'evil\.example\.com'
    }

    It 'waits the Retry-After seconds of a 429 and tries again' {
        Mock -ModuleName DapReporting Start-Sleep {}
        Mock -ModuleName DapReporting Invoke-WebRequest {
            $null = Save-Sent $Uri $Headers $Body
            if ($script:sent.Count -le 2) { return New-Response 429 '{"error":{"code":"TooManyRequests","message":"Too many requests"}}' @{ 'Retry-After' = @('7') } }
            New-Response 200 @{ value = @(@{ Name = 'ok' }) }
        }
        $rows = @(Invoke-DapExoCommand -TenantId $tenant -AccessToken $token -Cmdlet Get-AcceptedDomain)
        $rows.Name | Should -Be 'ok'
        Should -Invoke -ModuleName DapReporting Start-Sleep -Times 2 -Exactly -ParameterFilter { $Seconds -eq 7 }
    }

    It 'gives up after MaxRetries with one Dap.Throttled' {
        Mock -ModuleName DapReporting Start-Sleep {}
        Mock -ModuleName DapReporting Invoke-WebRequest { New-Response 429 '{"error":{"code":"TooManyRequests","message":"Too many requests"}}' @{ 'Retry-After' = @('1') } }
        $null = Invoke-DapExoCommand -TenantId $tenant -AccessToken $token -Cmdlet Get-Mailbox -MaxRetries 1 -ErrorAction SilentlyContinue -ErrorVariable failures
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'Dap.Throttled,Invoke-DapExoCommand'
        Should -Invoke -ModuleName DapReporting Invoke-WebRequest -Times 2 -Exactly
    }

    It 'maps <Status> to Dap.<Category> and keeps the service text' -ForEach @(
        @{ Status = 403; Category = 'AccessDenied' }
        @{ Status = 401; Category = 'AccessDenied' }
        @{ Status = 400; Category = 'InvalidParameter' }
        @{ Status = 500; Category = 'RemoteError' }
    ) {
        Mock -ModuleName DapReporting Invoke-WebRequest {
            New-Response $Status '{"error":{"code":"Forbidden","message":"The role assigned to application isn''t supported in this scenario.","details":[{"message":"More detail."}]}}'
        }
        $null = Invoke-DapExoCommand -TenantId $tenant -AccessToken $token -Cmdlet Get-Mailbox -ErrorAction SilentlyContinue -ErrorVariable failures
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "Dap.$Category,Invoke-DapExoCommand"
        $failures[0].TargetObject | Should -Be $tenant
        $failures[0].Exception.Message | Should -Match "Get-Mailbox failed for tenant $tenant`: HTTP $Status`: Forbidden: The role assigned .* More detail\."
    }
}

Describe 'The cell-text rule' {
    It 'writes <Name> as <Text>' -ForEach @(
        @{ Name = 'null'; Value = $null; Text = '' }
        @{ Name = 'a string'; Value = 'a;b "c"'; Text = 'a;b "c"' }
        @{ Name = 'a number'; Value = 1.5; Text = '1.5' }
        @{ Name = 'a long'; Value = [long]35903716480; Text = '35903716480' }
        @{ Name = 'true'; Value = $true; Text = 'True' }
        @{ Name = 'an array'; Value = @('a@x.com', 'b@y.com'); Text = 'a@x.com; b@y.com' }
        @{ Name = 'an empty array'; Value = @(); Text = '' }
        @{ Name = 'an array with empty items'; Value = @($null, 'a', ''); Text = 'a' }
        @{ Name = 'an object'; Value = [pscustomobject]@{ a = 1; b = 'x' }; Text = '{"a":1,"b":"x"}' }
        @{ Name = 'a date at midnight UTC'; Value = [datetime]::new(2015, 3, 18, 0, 0, 0, [System.DateTimeKind]::Utc); Text = '2015-03-18' }
        @{ Name = 'a date and time'; Value = [datetime]::new(2026, 11, 25, 13, 5, 9, [System.DateTimeKind]::Utc).AddTicks(1234); Text = '2026-11-25T13:05:09Z' }
    ) {
        InModuleScope DapReporting -Parameters @{ Value = $Value } { param($Value) ConvertTo-DapCellText $Value } | Should -BeExactly $Text
    }
}

Describe 'The report functions' {
    BeforeEach {
        Reset-Sent
        Mock -ModuleName DapReporting Start-Sleep {}
    }

    It 'CasMailboxProtocolReport: one typed row per object, TenantId and TenantDomain first, only the declared columns' {
        Mock -ModuleName DapReporting Invoke-WebRequest {
            $null = Save-Sent $Uri $Headers $Body
            New-Response 200 @{ value = @(
                    [ordered]@{ PrimarySmtpAddress = 'a@contoso.com'; DisplayName = 'A'; ActiveSyncEnabled = $true; OWAEnabled = $true; PopEnabled = $false; ImapEnabled = $true; MAPIEnabled = $true; EwsEnabled = $false; SmtpClientAuthenticationDisabled = $null; Extra = 'x' }
                ) }
        }
        $rows = @([pscustomobject]@{ TenantId = $tenant; TenantDomain = 'contoso.com'; AccessToken = $token } | Get-DapCasMailboxProtocolReport)
        $rows.Count | Should -Be 1
        $rows[0].PSObject.TypeNames[0] | Should -Be 'DapReporting.CasMailboxProtocolReport'
        @($rows[0].PSObject.Properties.Name) | Should -Be @('TenantId', 'TenantDomain', 'PrimarySmtpAddress', 'DisplayName', 'ActiveSyncEnabled', 'OWAEnabled', 'PopEnabled', 'ImapEnabled', 'MAPIEnabled', 'EwsEnabled', 'SmtpClientAuthenticationDisabled')
        $rows[0].TenantDomain | Should -Be 'contoso.com'
        $rows[0].ImapEnabled | Should -BeOfType [bool]
        $rows[0].ImapEnabled | Should -BeTrue
        $rows[0].SmtpClientAuthenticationDisabled | Should -BeNullOrEmpty
        $script:sent[0].Cmdlet | Should -Be 'Get-CASMailbox'
        $script:sent[0].Parameters.ResultSize | Should -Be 'Unlimited'
        $script:sent[0].Uri | Should -Match '\$select=PrimarySmtpAddress,DisplayName,ActiveSyncEnabled'
    }

    It 'UnusedMailboxReport: Get-MailboxStatistics per mailbox by ExternalDirectoryObjectId; keeps the ones idle for InactiveDays or never used' {
        $recent = [datetime]::UtcNow.AddDays(-5).ToString('o')
        $old = [datetime]::UtcNow.AddDays(-40).AddHours(-1).ToString('o')
        Mock -ModuleName DapReporting Invoke-WebRequest {
            $call = Save-Sent $Uri $Headers $Body
            if ($call.Cmdlet -eq 'Get-Mailbox') {
                return New-Response 200 @{ value = @(@{ ExternalDirectoryObjectId = 'id-1' }, @{ ExternalDirectoryObjectId = 'id-2' }, @{ ExternalDirectoryObjectId = 'id-3' }) }
            }
            $stats = @{
                'id-1' = @{ DisplayName = 'Recent'; LastUserActionTime = $recent; TotalItemSize = '1.5 MB (1,572,864 bytes)' }
                'id-2' = @{ DisplayName = 'Old'; LastUserActionTime = $old; TotalItemSize = '33.438 GB (35,903,716,480 bytes)'; ItemCount = 12 }
                'id-3' = @{ DisplayName = 'Never'; LastUserActionTime = $null; TotalItemSize = '0 B (0 bytes)' }
            }
            New-Response 200 @{ value = @($stats[$call.Parameters.Identity]) }
        }
        $rows = @(Get-DapUnusedMailboxReport -TenantId $tenant -AccessToken $token -InactiveDays 30)
        $rows.DisplayName | Should -Be @('Old', 'Never')
        $rows[0].DaysInactive | Should -Be 40
        $rows[0].LastUserActionTime | Should -BeOfType [datetime]
        $rows[0].LastUserActionTime.Kind | Should -Be 'Utc'
        $rows[0].TotalItemSizeBytes | Should -Be 35903716480
        $rows[0].ItemCount | Should -BeOfType [long]
        $rows[1].DaysInactive | Should -BeNullOrEmpty
        $statistics = @($script:sent | Where-Object { $_.Cmdlet -eq 'Get-MailboxStatistics' })
        $statistics.Count | Should -Be 3
        $statistics.Parameters.Identity | Should -Be @('id-1', 'id-2', 'id-3')
        $statistics[0].Parameters.Keys | Should -Not -Contain 'InactiveDays' -Because 'a row rule parameter is the report''s, not the cmdlet''s'
        $script:sent[0].Parameters.ResultSize | Should -Be 'Unlimited'
        $script:sent[0].Uri | Should -Match '\$select=ExternalDirectoryObjectId$'
    }

    It 'InboxRuleExternalForwardingReport: keeps the rules with an address outside the accepted domains and lists those addresses' {
        Mock -ModuleName DapReporting Invoke-WebRequest {
            $call = Save-Sent $Uri $Headers $Body
            switch ($call.Cmdlet) {
                'Get-AcceptedDomain' { New-Response 200 @{ value = @(@{ DomainName = 'contoso.com' }, @{ DomainName = 'Contoso.onmicrosoft.com' }) } }
                'Get-Mailbox' { New-Response 200 @{ value = @(@{ ExternalDirectoryObjectId = 'id-1' }) } }
                'Get-InboxRule' {
                    New-Response 200 @{ value = @(
                            @{ MailboxOwnerId = 'Ann'; Name = 'inside'; Enabled = $true; ForwardTo = @('"Bob" [SMTP:bob@contoso.com]'); RedirectTo = $null; ForwardAsAttachmentTo = @() }
                            @{ MailboxOwnerId = 'Ann'; Name = 'leak'; Enabled = $false; ForwardTo = @('"Eve" [SMTP:eve@evil.example]', 'x@CONTOSO.ONMICROSOFT.COM'); RedirectTo = @('mallory@other.example'); ForwardAsAttachmentTo = $null }
                            @{ MailboxOwnerId = 'Ann'; Name = 'legacy'; Enabled = $true; ForwardTo = @('Bob [EX:/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=bob]'); RedirectTo = $null; ForwardAsAttachmentTo = $null }
                        ) }
                }
            }
        }
        $rows = @(Get-DapInboxRuleExternalForwardingReport -TenantId $tenant -TenantDomain contoso.com -AccessToken $token)
        $rows.Count | Should -Be 1
        $rows[0].Name | Should -Be 'leak'
        $rows[0].Enabled | Should -BeFalse
        $rows[0].ForwardTo | Should -BeExactly '"Eve" [SMTP:eve@evil.example]; x@CONTOSO.ONMICROSOFT.COM'
        $rows[0].ExternalRecipients | Should -BeExactly 'eve@evil.example; mallory@other.example'
        ($script:sent | Where-Object { $_.Cmdlet -eq 'Get-InboxRule' }).Parameters.Mailbox | Should -Be 'id-1'
    }

    It 'MessageTraceV2Report: 10-day windows newest first, continued from the last row of a full set, no row twice' {
        $script:full = 0
        Mock -ModuleName DapReporting Invoke-WebRequest {
            $call = Save-Sent $Uri $Headers $Body
            $p = $call.Parameters
            if ($p.ContainsKey('StartingRecipientAddress')) {
                # the continuation repeats the last row of the full set, then one more
                return New-Response 200 @{ value = @(
                        @{ Received = '2026-11-24T10:00:00.1234567Z'; RecipientAddress = 'r4999@contoso.com'; SenderAddress = 's@x.com'; MessageTraceId = 't-4999'; Size = 1 }
                        @{ Received = '2026-11-24T09:00:00Z'; RecipientAddress = 'last@contoso.com'; SenderAddress = 's@x.com'; MessageTraceId = 't-last'; Size = 2 }
                    ) }
            }
            if ($p.EndDate -eq '2026-11-25T00:00:00Z') {
                $rows = foreach ($i in 0..4999) { @{ Received = '2026-11-24T10:00:00.1234567Z'; RecipientAddress = "r$i@contoso.com"; SenderAddress = 's@x.com'; MessageTraceId = "t-$i"; Size = 1 } }
                return New-Response 200 @{ value = @($rows) }
            }
            New-Response 200 @{ value = @() }
        }
        $rows = @(Get-DapMessageTraceV2Report -TenantId $tenant -AccessToken $token -StartDate ([datetime]::new(2026, 10, 31, 0, 0, 0, [System.DateTimeKind]::Utc)) -EndDate ([datetime]::new(2026, 11, 25, 0, 0, 0, [System.DateTimeKind]::Utc)) -Status Failed, Delivered)
        $rows.Count | Should -Be 5001
        $rows[-1].RecipientAddress | Should -Be 'last@contoso.com'
        $rows[0].Received | Should -Be ([datetime]::new(2026, 11, 24, 10, 0, 0, [System.DateTimeKind]::Utc).AddTicks(1234567))
        $windows = @($script:sent | Where-Object { -not $_.Parameters.ContainsKey('StartingRecipientAddress') } | ForEach-Object { '{0}..{1}' -f $_.Parameters.StartDate, $_.Parameters.EndDate })
        $windows | Should -Be @('2026-11-15T00:00:00Z..2026-11-25T00:00:00Z', '2026-11-05T00:00:00Z..2026-11-15T00:00:00Z', '2026-10-31T00:00:00Z..2026-11-05T00:00:00Z')
        $next = @($script:sent | Where-Object { $_.Parameters.ContainsKey('StartingRecipientAddress') })
        $next.Count | Should -Be 1
        $next[0].Parameters.StartingRecipientAddress | Should -Be 'r4999@contoso.com'
        $next[0].Parameters.EndDate | Should -Be '2026-11-24T10:00:00.1234567Z'
        $next[0].Parameters.StartDate | Should -Be '2026-11-15T00:00:00Z'
        foreach ($call in $script:sent) {
            $call.Parameters.ResultSize | Should -Be 5000
            $call.Parameters.Status | Should -Be @('Failed', 'Delivered')
        }
    }

    It 'MailboxStatisticsReport: the Rest set from a token on the pipeline, the Remoting set stays the default' {
        Mock -ModuleName DapReporting Invoke-WebRequest {
            $call = Save-Sent $Uri $Headers $Body
            if ($call.Cmdlet -eq 'Get-Mailbox') { return New-Response 200 @{ value = @(@{ ExternalDirectoryObjectId = 'id-1' }) } }
            New-Response 200 @{ value = @(@{ DisplayName = 'Ann'; MailboxGuid = 'g'; ItemCount = 3; TotalItemSize = '1 KB (1,024 bytes)'; LastLogonTime = '2026-11-20T00:00:00Z'; LastUserActionTime = $null }) }
        }
        $rows = @([pscustomobject]@{ TenantId = $tenant; TenantDomain = ''; AccessToken = $token } | Get-DapMailboxStatisticsReport)
        $rows.Count | Should -Be 1
        $rows[0].PSObject.TypeNames[0] | Should -Be 'DapReporting.MailboxStatisticsReport'
        $rows[0].TotalItemSizeBytes | Should -Be 1024
        $command = Get-Command Get-DapMailboxStatisticsReport
        $command.DefaultParameterSet | Should -Be 'Remoting'
        $command.ParameterSets.Name | Should -Contain 'Rest'
        $command.Parameters['Credential'].ParameterSets.Keys | Should -Be @('Remoting')
    }

    It 'MailboxStatisticsReport: -Credential with a customer from the pipeline still runs the remote session' {
        Mock -ModuleName DapReporting Invoke-DapTenantReport { [pscustomobject]@{ Command = $Command; InputCommand = $InputCommand; Domain = $InitialDomain; Resultsize = $InputParameters.ResultSize } }
        Mock -ModuleName DapReporting Invoke-DapExoReport {}
        $credential = [pscredential]::new('admin@contoso.onmicrosoft.com', (ConvertTo-SecureString -String 'x' -AsPlainText -Force))
        $rows = @([pscustomobject]@{ TenantId = $tenant; InitialDomain = 'contoso.onmicrosoft.com' } | Get-DapMailboxStatisticsReport -Credential $credential)
        $rows[0].Command | Should -Be 'Get-MailboxStatistics'
        $rows[0].InputCommand | Should -Be 'Get-Mailbox'
        $rows[0].Resultsize | Should -Be 'Unlimited'
        $rows[0].Domain | Should -Be 'contoso.onmicrosoft.com'
        Should -Invoke -ModuleName DapReporting Invoke-DapExoReport -Times 0 -Exactly
        $null = Get-DapMailboxStatisticsReport -TenantId $tenant -InitialDomain '' -Credential $credential -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'Dap.InvalidParameter,Get-DapMailboxStatisticsReport'
        { Get-DapMailboxStatisticsReport -TenantId $tenant -InitialDomain 'not a domain' -Credential $credential } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Get-DapMailboxStatisticsReport'
    }

    It 'writes one error per failed tenant and returns none of its rows' {
        Mock -ModuleName DapReporting Invoke-WebRequest {
            $call = Save-Sent $Uri $Headers $Body
            if ($call.Cmdlet -eq 'Get-Mailbox') { return New-Response 200 @{ value = @(@{ ExternalDirectoryObjectId = 'id-1' }, @{ ExternalDirectoryObjectId = 'id-2' }) } }
            if ($call.Parameters.Identity -eq 'id-1') { return New-Response 200 @{ value = @(@{ DisplayName = 'Ann' }) } }
            New-Response 403 '{"error":{"code":"Forbidden","message":"Access denied"}}'
        }
        $rows = Get-DapMailboxStatisticsReport -TenantId $tenant -AccessToken $token -ErrorAction SilentlyContinue -ErrorVariable failures
        $rows | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'Dap.AccessDenied,Get-DapMailboxStatisticsReport'
    }

    It 'refuses an -ExchangeUri that is http to another host' {
        { Get-DapCasMailboxProtocolReport -TenantId $tenant -AccessToken $token -ExchangeUri 'http://outlook.example.com' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Get-DapCasMailboxProtocolReport'
    }
}

Describe 'The standalone exchangeRest scripts' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, '..', 'helpers', 'Build-DapScript.ps1'))
        $scripts = Build-DapScript
    }

    AfterAll {
        Remove-Item -LiteralPath $scripts -Recurse -Force
    }

    It '<_> parses and has its help' -ForEach @('CasMailboxProtocolReport', 'InboxRuleExternalForwardingReport', 'MessageTraceV2Report', 'UnusedMailboxReport') {
        $path = [System.IO.Path]::Combine($scripts, "$_.ps1")
        $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$null, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        $help = Get-Help $path
        $help.Synopsis | Should -Match 'All tenants, one CSV'
        (Get-Command $path).Parameters.Keys | Should -Contain 'ClientSecret'
        (Get-Command $path).Parameters['ClientSecret'].ParameterType | Should -Be ([securestring])
    }
}
