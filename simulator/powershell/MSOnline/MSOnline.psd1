@{
    RootModule           = 'MSOnline.psm1'
    # The version of the retired MSOnline module whose cmdlets this stands in for.
    ModuleVersion        = '1.1.183.81'
    GUID                 = '9b2d0c1e-6f3a-4d8e-b7c5-2a4e1f0d9c63'
    Author               = 'DapReporting'
    CompanyName          = 'DapReporting'
    Copyright            = '(c) DapReporting contributors. MIT License.'
    Description          = 'Stand-in for the MSOnline partner cmdlets (Connect-MsolService, Get-MsolPartnerContract, Get-MsolDomain) answered by the DapReporting simulator. Importing it also imports DapSim.Remoting globally, so Invoke-Command -ConnectionUri to Exchange Online reaches the simulator. Loaded only through dap-sim run or dap-report --simulate.'
    PowerShellVersion    = '7.2'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Connect-MsolService', 'Get-MsolPartnerContract', 'Get-MsolDomain')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    FileList             = @('MSOnline.psm1')
    PrivateData          = @{
        PSData = @{
            Tags = @('DapReporting', 'Simulator')
        }
    }
}
