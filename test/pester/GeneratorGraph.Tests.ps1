# The generated Microsoft Graph functions of DapReporting (Pester 5, full pwsh): token request,
# report URL, 302 download without the token, byte order mark, real ConvertFrom-Csv, 429 retries
# and Dap.<Category> errors. Invoke-RestMethod, Invoke-WebRequest and Start-Sleep are mocked
# inside the module, so nothing leaves the machine.
BeforeAll {
    $moduleRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'module'))
    Import-Module -Name ([System.IO.Path]::Combine($moduleRoot, 'DapReporting', 'DapReporting.psd1')) -Force
    $script:tenant = '6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b'
    $script:app = '0b8f3c2d-1e4a-4b6c-9d7e-2f1a3b4c5d6e'
    $script:token = ConvertTo-SecureString -String 'tok-1' -AsPlainText -Force
    $script:csvBytes = [byte[]](0xEF, 0xBB, 0xBF) + [System.Text.Encoding]::UTF8.GetBytes(
        "Report Refresh Date,User Principal Name,Prohibit Send/Receive Quota (Byte),Has Archive`r`n2025-06-01,""a@contoso.com"",""1,024"",False`r`n")
    function script:New-Response([int] $Status, [hashtable] $Headers = @{}, [byte[]] $Body = [byte[]]@()) {
        [pscustomobject]@{ StatusCode = $Status; Headers = $Headers; RawContentStream = [System.IO.MemoryStream]::new($Body) }
    }
}

Describe 'Get-DapGraphToken' {
    It 'posts the client credentials form to the tenant token endpoint and returns a SecureString token' {
        # the function clears the form (it holds the secret) after the call: keep a copy of what was sent
        $script:sent = [System.Collections.Generic.List[hashtable]]::new()
        Mock -ModuleName DapReporting Invoke-RestMethod {
            $script:sent.Add(@{ Method = "$Method"; Uri = "$Uri"; ContentType = $ContentType; Body = $Body.Clone() })
            [pscustomobject]@{ access_token = 'tok-9'; expires_in = 3599 }
        }
        $secret = ConvertTo-SecureString -String 'the-secret' -AsPlainText -Force
        $result = Get-DapGraphToken -TenantId $tenant -ClientId $app -ClientSecret $secret
        $result.PSObject.TypeNames[0] | Should -Be 'DapReporting.GraphToken'
        $result.AccessToken | Should -BeOfType [securestring]
        ConvertFrom-SecureString -SecureString $result.AccessToken -AsPlainText | Should -BeExactly 'tok-9'
        Should -Invoke -ModuleName DapReporting Invoke-RestMethod -Times 1 -Exactly
        $call = $script:sent[0]
        $call.Method | Should -Be 'Post'
        $call.Uri | Should -BeExactly "https://login.microsoftonline.com/$tenant/oauth2/v2.0/token"
        $call.ContentType | Should -Be 'application/x-www-form-urlencoded'
        $call.Body.grant_type | Should -Be 'client_credentials'
        $call.Body.client_id | Should -Be $app
        $call.Body.client_secret | Should -BeExactly 'the-secret'
        $call.Body.scope | Should -Be 'https://graph.microsoft.com/.default'
    }

    It 'reports a tenant without consent as a non-terminating Dap.AccessDenied' {
        Mock -ModuleName DapReporting Invoke-RestMethod {
            $record = [System.Management.Automation.ErrorRecord]::new([System.Exception]::new('401'), 'WebCmdletWebResponseException', 'InvalidOperation', $null)
            $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new('{"error":"invalid_client","error_description":"AADSTS650051: The user or administrator has not consented to use the application."}')
            throw $record
        }
        $secret = ConvertTo-SecureString -String 'the-secret' -AsPlainText -Force
        $result = Get-DapGraphToken -TenantId $tenant -ClientId $app -ClientSecret $secret -ErrorAction SilentlyContinue -ErrorVariable failures
        $result | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1 -Because 'one record per failed tenant, nothing else'
        $failures[0].FullyQualifiedErrorId | Should -Be 'Dap.AccessDenied,Get-DapGraphToken'
        $failures[0].TargetObject | Should -Be $tenant
    }
}

Describe 'A Graph report function' {
    It 'calls the report URL with the token, downloads the CSV without it and returns typed rows, TenantId and TenantDomain first' {
        # the function clears its header table (it holds the token) after the calls: keep copies
        $script:sent = [System.Collections.Generic.List[hashtable]]::new()
        Mock -ModuleName DapReporting Invoke-WebRequest {
            $script:sent.Add(@{ Uri = "$Uri"; Headers = if ($Headers) { $Headers.Clone() } else { $null }; MaximumRedirection = $MaximumRedirection })
            if ("$Uri" -like 'https://graph.microsoft.com/*') { New-Response 302 @{ Location = @('https://download.example.invalid/r.csv?sig=1') } }
            else { New-Response 200 @{} $csvBytes }
        }
        $rows = @(Get-DapMailboxUsageDetail -TenantId $tenant -AccessToken $token -Period D30)
        $rows.Count | Should -Be 1
        $rows[0].PSObject.TypeNames[0] | Should -Be 'DapReporting.MailboxUsageDetail'
        @($rows[0].PSObject.Properties.Name)[0..3] | Should -Be @('TenantId', 'TenantDomain', 'ReportRefreshDate', 'UserPrincipalName')
        $rows[0].ReportRefreshDate | Should -BeOfType [datetime]
        $rows[0].ReportRefreshDate | Should -Be ([datetime]::new(2025, 6, 1))
        $rows[0].HasArchive | Should -BeOfType [bool]
        $rows[0].HasArchive | Should -BeFalse
        # a cell that does not parse as its type keeps its text; a column the CSV lacks is $null
        $rows[0].ProhibitSendReceiveQuotaByte | Should -BeExactly '1,024'
        $rows[0].StorageUsedByte | Should -BeNullOrEmpty
        Should -Invoke -ModuleName DapReporting Invoke-WebRequest -Times 2 -Exactly
        $script:sent[0].Uri | Should -BeExactly "https://graph.microsoft.com/v1.0/reports/getMailboxUsageDetail(period='D30')"
        $script:sent[0].Headers.Authorization | Should -BeExactly 'Bearer tok-1'
        $script:sent[0].MaximumRedirection | Should -Be 0
        $script:sent[1].Uri | Should -BeExactly 'https://download.example.invalid/r.csv?sig=1'
        $script:sent[1].Headers | Should -BeNullOrEmpty
    }

    It 'waits Retry-After seconds on 429, then gives up with Dap.Throttled after MaxRetries' {
        Mock -ModuleName DapReporting Start-Sleep { }
        Mock -ModuleName DapReporting Invoke-WebRequest { New-Response 429 @{ 'Retry-After' = @('7') } }
        { Invoke-DapGraphReport -TenantId $tenant -AccessToken $token -Function getMailboxUsageDetail -MaxRetries 2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'Dap.Throttled,Invoke-DapGraphReport'
        Should -Invoke -ModuleName DapReporting Invoke-WebRequest -Times 3 -Exactly
        Should -Invoke -ModuleName DapReporting Start-Sleep -Times 2 -Exactly -ParameterFilter { $Seconds -eq 7 }
    }

    It 'turns 403 into Dap.AccessDenied with the service message, and keeps going with the next tenant' {
        Mock -ModuleName DapReporting Invoke-WebRequest {
            New-Response 403 @{} ([System.Text.Encoding]::UTF8.GetBytes('{"error":{"code":"Forbidden","message":"Reports.Read.All is required."}}'))
        }
        $null = Get-DapOffice365ActiveUserDetail -TenantId $tenant -AccessToken $token -ErrorAction SilentlyContinue -ErrorVariable failures
        @($failures).Count | Should -Be 1 -Because 'one record per failed tenant, nothing else'
        $last = $failures[0]
        $last.FullyQualifiedErrorId | Should -BeLike 'Dap.AccessDenied,*'
        $last.TargetObject | Should -Be $tenant
        $last.Exception.Message | Should -BeLike '*Forbidden: Reports.Read.All is required.*'
    }
}
