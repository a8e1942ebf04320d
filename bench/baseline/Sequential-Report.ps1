<#
.SYNOPSIS
The sequential baseline of the makespan benchmark: one customer tenant after another.

.DESCRIPTION
Follows the documented partner procedure step by step, on purpose without any parallelism:
ask for the partner administrator's password, sign in with MSOnline, list every partner
contract, and for each customer look its initial domain up, open a remote Exchange Online session
delegated to that domain, run Get-MailboxActivityReport (daily, 18 March 2015, the day every
contender of the benchmark reports) and append the rows to the CSV file. The first tenant with
rows writes the header; later tenants append rows only.

Run it under `dap-sim run` (bench/lib/contenders.mjs does), where Get-Credential reads the
password from DAP_PASSWORD.

.PARAMETER UserName
The partner administrator, e.g. admin@contoso.onmicrosoft.com.

.PARAMETER OutputFile
The CSV file the rows are appended to.

.EXAMPLE
./bench/baseline/Sequential-Report.ps1 -UserName admin@contoso.onmicrosoft.com -OutputFile ReportOutput.csv
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidateNotNullOrEmpty()]
    [string] $UserName,

    [Parameter(Mandatory)]
    [ValidateNotNullOrEmpty()]
    [string] $OutputFile
)

Import-Module -Name MSOnline
$credential = Get-Credential -UserName $UserName -Message 'Password of the partner administrator'
Connect-MsolService -Credential $credential

$headerWritten = $false
foreach ($contract in Get-MsolPartnerContract -All) {
    $domain = (Get-MsolDomain -TenantId $contract.TenantId | Where-Object -Property IsInitial).Name
    if ([System.Uri]::CheckHostName($domain) -ne [System.UriHostNameType]::Dns) {
        continue
    }
    $rows = Invoke-Command -ConnectionUri "https://ps.outlook.com/powershell-liveid?DelegatedOrg=$domain" `
        -ConfigurationName Microsoft.Exchange -Credential $credential -Authentication Basic -AllowRedirection `
        -ScriptBlock { Get-MailboxActivityReport -ReportType Daily -StartDate '2015-03-18' -EndDate '2015-03-18' }
    if (-not $rows) {
        continue
    }
    $lines = $rows | ConvertTo-Csv -NoTypeInformation
    if ($headerWritten) {
        $lines = $lines | Select-Object -Skip 1
    }
    $lines | Out-File -FilePath $OutputFile -Append
    $headerWritten = $true
}
