@{
    RootModule           = 'DapSim.Remoting.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0b8f8e-3f51-4f61-9a57-0f4c2f1f7a11'
    Author               = 'DapReporting'
    CompanyName          = 'DapReporting'
    Copyright            = '(c) DapReporting contributors. MIT License.'
    Description          = 'Stand-ins for Invoke-Command, New-PSSession, Import-PSSession, Remove-PSSession, Get-PSSession and a non-interactive Get-Credential: Exchange Online remote sessions (DelegatedOrg=) are answered by the DapReporting simulator, every other call goes to the real cmdlet. Loaded only through dap-sim run or dap-report --simulate.'
    PowerShellVersion    = '7.2'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Invoke-Command', 'New-PSSession', 'Import-PSSession', 'Remove-PSSession', 'Get-PSSession', 'Get-Credential')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    FileList             = @('DapSim.Remoting.psm1', 'DapSimClient.ps1', 'DapSimParameters.ps1', 'ExchangeCmdlets.ps1')
    PrivateData          = @{
        PSData = @{
            Tags = @('DapReporting', 'Simulator')
        }
    }
}
