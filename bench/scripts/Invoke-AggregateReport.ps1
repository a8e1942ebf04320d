<#
.SYNOPSIS
Contender (c) of the makespan and overhead benchmarks: Export-DapAggregateReport from the module.

.DESCRIPTION
Imports the DapReporting module from this checkout and MSOnline (the sign-in needs it; under
`dap-sim run` it also brings the non-interactive Get-Credential, which reads DAP_PASSWORD), asks
for the partner administrator's password and runs MailboxActivityReport (daily, 18 March 2015)
over every customer tenant into one CSV file and one errors file, as the module's README shows.
Exit code 0 when every tenant succeeded, 1 when some failed, 3 when nothing could run (a missing
module, no credential, a failed sign-in).

.PARAMETER UserName
The partner administrator, e.g. admin@contoso.onmicrosoft.com.

.PARAMETER OutputFile
The merged CSV file.

.PARAMETER ErrorFile
The errors file.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidateNotNullOrEmpty()]
    [string] $UserName,

    [Parameter(Mandatory)]
    [ValidateNotNullOrEmpty()]
    [string] $OutputFile,

    [Parameter(Mandatory)]
    [ValidateNotNullOrEmpty()]
    [string] $ErrorFile
)

$manifest = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'module', 'DapReporting', 'DapReporting.psd1')
# a run that cannot start exits 3 with the reason, never 0 without an output file
try {
    Import-Module -Name $manifest -ErrorAction Stop
    Import-Module -Name MSOnline -ErrorAction Stop
    $credential = Get-Credential -UserName $UserName -Message 'Password of the partner administrator' -ErrorAction Stop
}
catch {
    $PSCmdlet.WriteError($_)
    exit 3
}
$parameters = @{
    ReportType = 'Daily'
    StartDate  = [datetime]'2015-03-18'
    EndDate    = [datetime]'2015-03-18'
}
try {
    $result = Export-DapAggregateReport -Report MailboxActivityReport -Credential $credential -OutputFile $OutputFile -ErrorFile $ErrorFile -Parameters $parameters
}
catch {
    $PSCmdlet.WriteError($_)
    exit 3
}
$result
if ($result.Failed -gt 0) { exit 1 }
exit 0
