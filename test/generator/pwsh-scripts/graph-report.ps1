# Runs Get-DapGraphToken, Invoke-DapGraphReport and the Graph report functions against stand-ins
# for Invoke-RestMethod, Invoke-WebRequest and Start-Sleep defined here (the engine has no Utility
# module; with the full pwsh the stand-ins shadow the real cmdlets, so nothing leaves the machine).
# Prints one line per observation for test/generator/module-engine.test.ts.
param(
    [Parameter(Mandatory)] [string] $ModuleRoot
)
Import-Module -Name ([System.IO.Path]::Combine($ModuleRoot, 'DapReporting', 'DapReporting.psd1'))

$tenant = '6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b'
$otherTenant = '00000000-0000-0000-0000-000000000002'
$clientId = '0b8f3c2d-1e4a-4b6c-9d7e-2f1a3b4c5d6e'
$secretText = 'S3cr3t-value~that.must.never.show'
$clientSecret = [System.Net.NetworkCredential]::new('', $secretText).SecurePassword
$csv = "Report Refresh Date,User Principal Name,Storage Used (Byte)`r`n2025-06-01,a@contoso.com,1024`r`n"
$csvBytes = [byte[]](0xEF, 0xBB, 0xBF) + [System.Text.Encoding]::UTF8.GetBytes($csv)

$global:WebCalls = [System.Collections.Generic.List[string]]::new()
$global:Sleeps = [System.Collections.Generic.List[int]]::new()
$global:CsvInputs = [System.Collections.Generic.List[string]]::new()
$global:Responses = [System.Collections.Generic.Queue[object]]::new()
$global:TokenCalls = [System.Collections.Generic.List[string]]::new()
$global:TokenScenario = 'ok'
$global:SecretText = $secretText

function New-StandInResponse([int] $Status, [hashtable] $Headers = @{}, [byte[]] $Body = [byte[]]@()) {
    [pscustomobject]@{
        StatusCode       = $Status
        Headers          = $Headers
        RawContentStream = [System.IO.MemoryStream]::new($Body)
    }
}
function Add-Responses([object[]] $Items) { foreach ($item in $Items) { $global:Responses.Enqueue($item) } }
$redirect = { New-StandInResponse -Status 302 -Headers @{ Location = @('https://download.example.invalid/report.csv?sig=1') } }
$csvOk = { New-StandInResponse -Status 200 -Headers @{ 'Content-Type' = @('application/octet-stream') } -Body $csvBytes }
$throttled = { New-StandInResponse -Status 429 -Headers @{ 'Retry-After' = @('7') } -Body ([System.Text.Encoding]::UTF8.GetBytes('{"error":{"code":"TooManyRequests","message":"Too many requests. Please try again later."}}')) }
$jsonError = {
    param([int] $Status, [string] $Code, [string] $Message)
    New-StandInResponse -Status $Status -Headers @{} -Body ([System.Text.Encoding]::UTF8.GetBytes(('{{"error":{{"code":"{0}","message":"{1}"}}}}' -f $Code, $Message)))
}

function global:Invoke-WebRequest {
    [CmdletBinding()]
    param([uri] $Uri, [string] $Method, [hashtable] $Headers, [int] $MaximumRedirection = -1, [switch] $SkipHttpErrorCheck)
    $auth = if ($Headers -and $Headers.ContainsKey('Authorization')) { $Headers['Authorization'] } else { '-' }
    $global:WebCalls.Add(('{0} {1} auth={2} maxredir={3} skip={4}' -f $Method, $Uri.OriginalString, $auth, $MaximumRedirection, $SkipHttpErrorCheck.IsPresent))
    $next = $global:Responses.Dequeue()
    if ($next -is [string]) { throw $next }
    $next
}
function global:Start-Sleep { param([int] $Seconds) $global:Sleeps.Add($Seconds) }
function global:Invoke-RestMethod {
    [CmdletBinding()]
    param([string] $Method, [uri] $Uri, [hashtable] $Body, [string] $ContentType, [int] $MaximumRedirection = -1)
    $keys = @($Body.Keys | ForEach-Object -Process { [string]$_ })
    [Array]::Sort($keys, [System.StringComparer]::Ordinal)
    $global:TokenCalls.Add(('{0} {1} type={2} keys={3} grant={4} client={5} scope={6} secret-sent={7}' -f $Method, $Uri.OriginalString, $ContentType, ($keys -join ','),
            $Body['grant_type'], $Body['client_id'], $Body['scope'], ($Body['client_secret'] -ceq $global:SecretText)))
    $fail = {
        param($Json)
        $record = [System.Management.Automation.ErrorRecord]::new([System.Exception]::new('Response status code does not indicate success: 401 (Unauthorized).'), 'WebCmdletWebResponseException', 'InvalidOperation', $null)
        $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($Json)
        $PSCmdlet.ThrowTerminatingError($record)
    }
    switch ($global:TokenScenario) {
        'ok' { [pscustomobject]@{ token_type = 'Bearer'; expires_in = 3599; access_token = 'tok-{0}' -f $Uri.Segments[1].TrimEnd('/') } }
        'consent' { & $fail -Json '{"error":"invalid_client","error_description":"AADSTS650051: The user or administrator has not consented to use the application."}' }
        'bad-secret' { & $fail -Json '{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}' }
        'no-token' { [pscustomobject]@{ token_type = 'Bearer' } }
    }
}
if (-not (Get-Command -Name ConvertFrom-Csv -CommandType Cmdlet -ErrorAction SilentlyContinue)) {
    # The engine has no ConvertFrom-Csv: this stand-in records the text it is given and returns
    # the one row the real cmdlet makes of the test CSV.
    function global:ConvertFrom-Csv {
        param([Parameter(ValueFromPipeline)] [string] $InputObject)
        process {
            $global:CsvInputs.Add($InputObject)
            [pscustomobject][ordered]@{ 'Report Refresh Date' = '2025-06-01'; 'User Principal Name' = 'a@contoso.com'; 'Storage Used (Byte)' = '1024' }
        }
    }
    "CSV-STAND-IN True"
}
if (-not (Get-Command -Name Write-Verbose -CommandType Cmdlet -ErrorAction SilentlyContinue)) {
    # Nor Write-Verbose: the verbose stream is not observed here, so the stand-in drops the text.
    function global:Write-Verbose { param([string] $Message) }
}
# The row's type name, then each property that has a value: Name=value:type (dates as yyyy-MM-dd).
function Format-Row($Row) {
    $values = $Row.PSObject.Properties | Where-Object -FilterScript { $null -ne $_.Value } | ForEach-Object -Process {
        $text = if ($_.Value -is [datetime]) { $_.Value.ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture) } else { [string]$_.Value }
        '{0}={1}:{2}' -f $_.Name, $text, $_.Value.GetType().Name
    }
    'type={0} {1}' -f $Row.PSObject.TypeNames[0], ($values -join ';')
}
# Only the Dap.* records: -ErrorVariable also collects errors a function caught itself.
function Select-DapError($Records) { @($Records | Where-Object -FilterScript { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -like 'Dap.*' }) }
function Format-Failure($Record) { 'error={0} target={1} message={2}' -f $Record.FullyQualifiedErrorId, $Record.TargetObject, ($Record.Exception.Message -replace '\n', '\n') }

# Tokens: the form body, the URI, the returned object.
$token = Get-DapGraphToken -TenantId $tenant -ClientId $clientId -ClientSecret $clientSecret
"TOKEN-CALL $($global:TokenCalls[0])"
"TOKEN type=$($token.PSObject.TypeNames[0]) tenant=$($token.TenantId) secure=$($token.AccessToken -is [securestring]) value-ok=$([System.Net.NetworkCredential]::new('', $token.AccessToken).Password -ceq "tok-$tenant") expires-future=$($token.ExpiresOn -gt [datetime]::UtcNow)"
$null = Get-DapGraphToken -TenantId $tenant -ClientId $clientId -ClientSecret $clientSecret -LoginUri 'https://127.0.0.1:8080/login/'
"TOKEN-CALL-LOCAL $($global:TokenCalls[1])"
foreach ($scenario in 'consent', 'no-token', 'bad-secret') {
    $global:TokenScenario = $scenario
    $tokenErrors = $null
    try {
        $result = @(Get-DapGraphToken -TenantId $tenant -ClientId $clientId -ClientSecret $clientSecret -ErrorAction SilentlyContinue -ErrorVariable tokenErrors)
        "TOKEN-SCENARIO $scenario terminating=False results=$($result.Count) $(Format-Failure -Record (Select-DapError -Records $tokenErrors)[0]) count=$((Select-DapError -Records $tokenErrors).Count)"
    }
    catch {
        "TOKEN-SCENARIO $scenario terminating=True $(Format-Failure -Record $_)"
    }
}
$global:TokenScenario = 'ok'

# A report through the pipeline: token object -> report function; 302 followed, BOM stripped.
Add-Responses -Items @((& $redirect), (& $csvOk))
$rows = @($token | Get-DapMailboxUsageDetail -Period D30)
foreach ($row in $rows) { "ROW $(Format-Row -Row $row)" }
foreach ($call in $global:WebCalls) { "CALL $call" }
foreach ($text in $global:CsvInputs) { "CSV-INPUT bom=$($text.StartsWith([char]0xFEFF)) header-first=$($text.StartsWith('Report Refresh Date,'))" }

# Headers the definition does not know: kept, named by the same rule as the known ones.
$global:WebCalls.Clear()
$extraCsv = [System.Text.Encoding]::UTF8.GetBytes("Report Refresh Date,Mailbox Type (New),x/y  z-2,Storage Used (Byte)`r`n2025-06-01,User,1,5`r`n")
Add-Responses -Items @((& $redirect), (New-StandInResponse -Status 200 -Headers @{} -Body $extraCsv))
$extra = @([pscustomobject]@{ TenantId = $tenant; TenantDomain = 'contoso.onmicrosoft.com'; AccessToken = $token.AccessToken } | Get-DapMailboxUsageDetail -Period D7)
"EXTRA-NAMES $(@($extra[0].PSObject.Properties.Name) -join ',')"
"EXTRA-VALUES domain=$($extra[0].TenantDomain) type=$($extra[0].MailboxTypeNew) other=$($extra[0].XYZ2)"

# The date form, with a token piped by property name, and a local GraphUri.
$global:WebCalls.Clear()
Add-Responses -Items @((& $redirect), (& $csvOk))
$null = @($token | Get-DapEmailActivityUserDetail -Date ([datetime]::new(2025, 6, 1, 23, 30, 0)) -GraphUri 'https://127.0.0.1:8080/graph/')
"DATE-CALL $($global:WebCalls[0])"
$global:WebCalls.Clear()
Add-Responses -Items @((& $redirect), (& $csvOk))
$null = @(Get-DapOffice365ActiveUserDetail -TenantId $tenant -AccessToken $token.AccessToken)
"DEFAULT-CALL $($global:WebCalls[0])"

# Throttled once, then served: waits Retry-After seconds.
$global:WebCalls.Clear()
Add-Responses -Items @((& $throttled), (& $redirect), (& $csvOk))
$rows = @(Invoke-DapGraphReport -TenantId $tenant -AccessToken $token.AccessToken -Function getMailboxUsageDetail)
"THROTTLED-ONCE rows=$($rows.Count) calls=$($global:WebCalls.Count) sleeps=$($global:Sleeps -join ',')"

# Failures of Invoke-DapGraphReport: one Dap.<Category> error each (terminating with -ErrorAction Stop).
$global:Sleeps.Clear()
$scenarios = [ordered]@{
    'throttled'   = { @((& $throttled), (& $throttled), (& $throttled), (& $throttled)) }
    'forbidden'   = { @((& $jsonError -Status 403 -Code 'Forbidden' -Message 'Reports.Read.All is required for this operation.')) }
    'unauthorized' = { @((& $jsonError -Status 401 -Code 'InvalidAuthenticationToken' -Message 'Access token has expired.')) }
    'bad-date'    = { @((& $jsonError -Status 400 -Code 'BadRequest' -Message 'Invalid date: only the last 30 days are available.')) }
    'server'      = { @((& $jsonError -Status 500 -Code 'UnknownError' -Message 'Something went wrong.')) }
    'unreachable' = { @('No such host is known. (graph.microsoft.com:443)') }
    'bad-location' = { @((New-StandInResponse -Status 302 -Headers @{ Location = @('file:///etc/passwd') })) }
    'download-gone' = { @((& $redirect), (New-StandInResponse -Status 404 -Headers @{} -Body ([System.Text.Encoding]::UTF8.GetBytes('BlobNotFound')))) }
    'empty'       = { @((& $redirect), (New-StandInResponse -Status 200 -Headers @{} -Body ([byte[]](0xEF, 0xBB, 0xBF)))) }
}
foreach ($scenario in $scenarios.GetEnumerator()) {
    $global:Responses.Clear()
    $global:WebCalls.Clear()
    Add-Responses -Items (& $scenario.Value)
    try {
        $rows = @(Invoke-DapGraphReport -TenantId $tenant -AccessToken $token.AccessToken -Function getMailboxUsageDetail -Period D7 -ErrorAction Stop)
        "GRAPH-SCENARIO $($scenario.Key) rows=$($rows.Count) calls=$($global:WebCalls.Count)"
    }
    catch {
        "GRAPH-SCENARIO $($scenario.Key) calls=$($global:WebCalls.Count) $(Format-Failure -Record $_)"
    }
}
"SLEEPS $($global:Sleeps -join ',')"

# What the caller's -ErrorVariable holds after a failure: the one Dap record, nothing else.
foreach ($scenario in 'forbidden', 'unreachable', 'empty') {
    $global:Responses.Clear()
    Add-Responses -Items (& $scenarios[$scenario])
    $collected = $null
    $null = @(Invoke-DapGraphReport -TenantId $tenant -AccessToken $token.AccessToken -Function getMailboxUsageDetail -Period D7 -ErrorAction SilentlyContinue -ErrorVariable collected)
    ("RECORDS $scenario $((@($collected) | ForEach-Object -Process { '{0}@{1}' -f $_.FullyQualifiedErrorId, $_.TargetObject }) -join ',')").TrimEnd()
}

# The report function: a failing tenant writes a non-terminating error and the next one goes on.
$global:Responses.Clear()
$global:WebCalls.Clear()
Add-Responses -Items @((& $jsonError -Status 403 -Code 'Forbidden' -Message 'Reports.Read.All is required.'), (& $redirect), (& $csvOk))
$tokens = @(
    [pscustomobject]@{ TenantId = $otherTenant; AccessToken = $token.AccessToken }
    [pscustomobject]@{ TenantId = $tenant; AccessToken = $token.AccessToken }
)
$reportErrors = $null
$rows = @($tokens | Get-DapMailboxUsageDetail -ErrorAction SilentlyContinue -ErrorVariable reportErrors)
# Every record the caller's -ErrorVariable got, not only the Dap.* ones: one per failed tenant.
"PIPELINE rows=$($rows.Count) tenants=$(($rows | ForEach-Object -MemberName TenantId) -join ',') errors=$((@($reportErrors) | ForEach-Object -Process { '{0}@{1}' -f $_.FullyQualifiedErrorId, $_.TargetObject }) -join ',')"
"DONE"
