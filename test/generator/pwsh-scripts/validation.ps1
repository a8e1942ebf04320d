# Calls generated functions with bad values; each call must fail while binding parameters,
# before the function body runs. Prints "<case> <FullyQualifiedErrorId>" per case.
param(
    [Parameter(Mandatory)] [string] $ModuleRoot
)
Import-Module -Name ([System.IO.Path]::Combine($ModuleRoot, 'DapReporting', 'DapReporting.psd1'))
# A stand-in that proves the body never ran: any call to it is recorded.
$global:DapRemoteCalls = 0
function global:Invoke-Command { $global:DapRemoteCalls++ }
function global:Invoke-WebRequest { $global:DapRemoteCalls++ }
function global:Invoke-RestMethod { $global:DapRemoteCalls++ }
$token = [System.Net.NetworkCredential]::new('', 'not-a-real-token').SecurePassword
$secret = [System.Net.NetworkCredential]::new('', 'not-a-real-secret').SecurePassword
$app = '0b8f3c2d-1e4a-4b6c-9d7e-2f1a3b4c5d6e'
$credential = [pscredential]::new('admin@contoso.onmicrosoft.com', [securestring]::new())
$tenant = '6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b'
$cases = [ordered]@{
    'report-type-hourly'   = { Get-DapMailboxActivityReport -TenantId $tenant -InitialDomain contoso.onmicrosoft.com -Credential $credential -ReportType Hourly }
    'result-size-zero'     = { Get-DapMailboxActivityReport -TenantId $tenant -InitialDomain contoso.onmicrosoft.com -Credential $credential -ResultSize 0 }
    'result-size-words'    = { Get-DapMailboxUsageReport -TenantId $tenant -InitialDomain contoso.onmicrosoft.com -Credential $credential -ResultSize 'all of them' }
    'start-date-garbage'   = { Get-DapMailboxUsageReport -TenantId $tenant -InitialDomain contoso.onmicrosoft.com -Credential $credential -StartDate 'not a date' }
    'status-unknown'       = { Get-DapMessageTraceReport -TenantId $tenant -InitialDomain contoso.onmicrosoft.com -Credential $credential -Status Delivered, Lost }
    'page-not-integer'     = { Get-DapMessageTraceReport -TenantId $tenant -InitialDomain contoso.onmicrosoft.com -Credential $credential -Page many }
    'tenant-id-not-guid'   = { Get-DapMailboxActivityReport -TenantId 'x; y' -InitialDomain contoso.onmicrosoft.com -Credential $credential }
    'report-domain-query'  = { Get-DapMailboxActivityReport -TenantId $tenant -InitialDomain 'evil.com/x?y' -Credential $credential }
    'domain-query'         = { Invoke-DapTenantReport -TenantId $tenant -InitialDomain 'evil.com/x?y' -Credential $credential -Command Get-MailboxActivityReport }
    'domain-empty-label'   = { Invoke-DapTenantReport -TenantId $tenant -InitialDomain 'a..b' -Credential $credential -Command Get-MailboxActivityReport }
    'domain-one-label'     = { Invoke-DapTenantReport -TenantId $tenant -InitialDomain 'localhost' -Credential $credential -Command Get-MailboxActivityReport }
    'domain-hyphen-start'  = { Invoke-DapTenantReport -TenantId $tenant -InitialDomain '-contoso.com' -Credential $credential -Command Get-MailboxActivityReport }
    'domain-long-label'    = { Invoke-DapTenantReport -TenantId $tenant -InitialDomain (('a' * 64) + '.com') -Credential $credential -Command Get-MailboxActivityReport }
    'domain-newline'       = { Invoke-DapTenantReport -TenantId $tenant -InitialDomain "contoso.com`n" -Credential $credential -Command Get-MailboxActivityReport }
    'domain-alias'         = { Invoke-DapTenantReport -TenantId $tenant -TenantDomain 'a b.com' -Credential $credential -Command Get-MailboxActivityReport }
    'command-not-in-catalog' = { Invoke-DapTenantReport -TenantId $tenant -InitialDomain contoso.onmicrosoft.com -Credential $credential -Command Remove-Mailbox }
    'input-not-in-catalog' = { Invoke-DapTenantReport -TenantId $tenant -InitialDomain contoso.onmicrosoft.com -Credential $credential -Command Get-MailboxStatistics -InputCommand Remove-Item }
    'uri-with-query'       = { Invoke-DapTenantReport -TenantId $tenant -InitialDomain contoso.onmicrosoft.com -Credential $credential -Command Get-MailboxStatistics -ConnectionUri 'https://x/?DelegatedOrg=evil' }
    'throttle-four'        = { Export-DapAggregateReport -Report MailboxActivityReport -Credential $credential -OutputFile o.csv -ErrorFile e.txt -ThrottleLimit 4 }
    'report-unknown'       = { Export-DapAggregateReport -Report NoSuchReport -Credential $credential -OutputFile o.csv -ErrorFile e.txt }
    'aggregate-graph-report' = { Export-DapAggregateReport -Report MailboxUsageDetail -Credential $credential -OutputFile o.csv -ErrorFile e.txt }
    'graph-period-d1'      = { Get-DapMailboxUsageDetail -TenantId $tenant -AccessToken $token -Period D1 }
    'graph-tenant-not-guid' = { Get-DapMailboxUsageDetail -TenantId 'contoso.onmicrosoft.com' -AccessToken $token }
    'graph-tenant-newline' = { Get-DapOffice365ActiveUserDetail -TenantId "$tenant`n" -AccessToken $token }
    'graph-period-and-date' = { Get-DapEmailActivityUserDetail -TenantId $tenant -AccessToken $token -Period D7 -Date '2025-06-01' }
    'graph-date-garbage'   = { Get-DapEmailActivityUserDetail -TenantId $tenant -AccessToken $token -Date 'last tuesday' }
    'graph-date-on-counts' = { Get-DapMailboxUsageMailboxCounts -TenantId $tenant -AccessToken $token -Date '2025-06-01' }
    'graph-uri-remote-http' = { Get-DapMailboxUsageDetail -TenantId $tenant -AccessToken $token -GraphUri 'http://graph.example.com' }
    'graph-uri-query'      = { Get-DapMailboxUsageDetail -TenantId $tenant -AccessToken $token -GraphUri 'https://graph.microsoft.com/?x=1' }
    'graph-uri-loopback-lookalike' = { Get-DapMailboxUsageDetail -TenantId $tenant -AccessToken $token -GraphUri 'http://localhost.example.com' }
    'graph-uri-loopback-http' = { Get-DapMailboxUsageDetail -TenantId $tenant -AccessToken $token -GraphUri 'http://127.0.0.1:8080' }
    'graph-function-unknown' = { Invoke-DapGraphReport -TenantId $tenant -AccessToken $token -Function getSecrets }
    'graph-function-quote' = { Invoke-DapGraphReport -TenantId $tenant -AccessToken $token -Function "getMailboxUsageDetail(period='D7')/x" }
    'graph-retries-eleven' = { Invoke-DapGraphReport -TenantId $tenant -AccessToken $token -Function getMailboxUsageDetail -MaxRetries 11 }
    'token-tenant-not-guid' = { Get-DapGraphToken -TenantId 'common' -ClientId $app -ClientSecret $secret }
    'token-client-not-guid' = { Get-DapGraphToken -TenantId $tenant -ClientId 'my-app' -ClientSecret $secret }
    'token-login-path-query' = { Get-DapGraphToken -TenantId $tenant -ClientId $app -ClientSecret $secret -LoginUri 'https://login.example.com/?tenant=evil' }
    'token-secret-string'  = { Get-DapGraphToken -TenantId $tenant -ClientId $app -ClientSecret 'plain text' }
}
foreach ($case in $cases.GetEnumerator()) {
    try {
        & $case.Value
        "$($case.Key) ACCEPTED"
    }
    catch {
        "$($case.Key) $($_.FullyQualifiedErrorId)"
    }
}
"REMOTE-CALLS $global:DapRemoteCalls"
"DONE"
