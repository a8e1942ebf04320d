# MSOnline stand-in: the partner directory cmdlets a DAP partner script uses, answered by the
# DapReporting simulator ($env:DAP_SIM_URL). Same parameters, parameter sets, output property
# names and types and error texts as the real module. Import-time code uses the core language only.

. ([System.IO.Path]::Combine($PSScriptRoot, '..', 'DapSim.Remoting', 'DapSimClient.ps1'))

# A script in the style of Microsoft's sample imports MSOnline and then calls plain
# Invoke-Command -ConnectionUri …; the remoting stand-ins must be visible to it.
Import-Module -Name ([System.IO.Path]::Combine($PSScriptRoot, '..', 'DapSim.Remoting', 'DapSim.Remoting.psd1')) -Global

# The sign-in token of Connect-MsolService, for this PowerShell session.
$script:MsolToken = $null

function Stop-DapSimMsolCommand {
    # Throws the MSOnline error the simulator described, as the real cmdlets do (terminating).
    param(
        [System.Management.Automation.PSCmdlet] $Cmdlet,
        [object] $SimError
    )
    $record = New-DapSimErrorRecord -SimError $SimError
    # The real id ends with the cmdlet class; the function name is appended to it here, so keep only the exception part.
    $errorId = ([string]$SimError.errorId).Split(',')[0]
    $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($record.Exception, $errorId, $record.CategoryInfo.Category, $null))
}

function Assert-DapSimMsolConnected {
    param([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $CmdletClass)
    if ($null -ne $script:MsolToken) { return }
    Stop-DapSimMsolCommand -Cmdlet $Cmdlet -SimError @{
        exceptionType = 'Microsoft.Online.Administration.Automation.MicrosoftOnlineException'
        message       = 'You must call the Connect-MsolService cmdlet before calling any other cmdlets.'
        errorId       = "Microsoft.Online.Administration.Automation.MicrosoftOnlineException,Microsoft.Online.Administration.Automation.$CmdletClass"
        category      = 'OperationStopped'
    }
}

function Connect-MsolService {
    <#
    .SYNOPSIS
    Signs the partner administrator in to the simulated directory.
    .DESCRIPTION
    Sends the credential to the DapReporting simulator. A wrong user name or password fails with
    "Authentication Error: Bad username or password." like the real cmdlet.
    .PARAMETER Credential
    The partner administrator's credential.
    .PARAMETER AzureEnvironment
    Accepted for compatibility; the simulator has one environment.
    .EXAMPLE
    Connect-MsolService -Credential (Get-Credential -Credential admin@contoso.onmicrosoft.com)
    .LINK
    https://learn.microsoft.com/powershell/module/msonline/connect-msolservice
    #>
    [CmdletBinding(DefaultParameterSetName = 'Credential')]
    param(
        [Parameter(ParameterSetName = 'Credential', Position = 0)]
        [pscredential]
        [System.Management.Automation.Credential()]
        $Credential = [pscredential]::Empty,

        [Parameter(ParameterSetName = 'AccessToken')]
        [string] $AdGraphAccessToken,

        [Parameter(ParameterSetName = 'AccessToken')]
        [string] $MsGraphAccessToken,

        [Parameter(ParameterSetName = 'CurrentCredentials')]
        [switch] $CurrentCredentials,

        [ValidateSet('AzureCloud', 'AzureChinaCloud', 'AzureGermanyCloud', 'USGovernment')]
        [string] $AzureEnvironment = 'AzureCloud'
    )
    $userName = $null
    $password = $null
    if ($PSCmdlet.ParameterSetName -eq 'Credential' -and $Credential -ne [pscredential]::Empty) {
        $userName = $Credential.UserName
        $password = $Credential.GetNetworkCredential().Password
    }
    $response = Invoke-DapSimRequest -Method POST -Path '/msol/signin' -Body ([ordered]@{ userName = $userName; password = $password })
    if ($response.Status -ne 200) {
        $script:MsolToken = $null
        Stop-DapSimMsolCommand -Cmdlet $PSCmdlet -SimError $response.Body.error
    }
    $script:MsolToken = [string]$response.Body.token
}

function ConvertTo-DapSimPartnerContract {
    param([object] $Contract)
    [pscustomobject]@{
        PSTypeName        = 'Microsoft.Online.Administration.PartnerContract'
        ExtensionData     = $null
        ContractType      = [string]$Contract.ContractType
        DefaultDomainName = [string]$Contract.DefaultDomainName
        Name              = [string]$Contract.Name
        ObjectId          = [guid][string]$Contract.ObjectId
        PartnerContext    = [guid][string]$Contract.PartnerContext
        TenantId          = [guid][string]$Contract.TenantId
    }
}

function Get-MsolPartnerContract {
    <#
    .SYNOPSIS
    Lists the customer tenants (partner contracts) of the signed-in partner.
    .DESCRIPTION
    Without -All or -MaxResults at most 500 contracts come back, with a warning when there are more.
    .PARAMETER All
    Returns every contract.
    .PARAMETER MaxResults
    Returns at most this many contracts.
    .PARAMETER DomainName
    Only contracts of tenants with a domain starting with this text (or a name, with -SearchKey DisplayName).
    .PARAMETER SearchKey
    What -DomainName is matched against: DomainName (default) or DisplayName.
    .PARAMETER TenantId
    Only the contract of this tenant.
    .EXAMPLE
    Get-MsolPartnerContract -All
    .OUTPUTS
    Microsoft.Online.Administration.PartnerContract
    .LINK
    https://learn.microsoft.com/powershell/module/msonline/get-msolpartnercontract
    #>
    [CmdletBinding(DefaultParameterSetName = 'ListPartnerContracts__0')]
    [OutputType('Microsoft.Online.Administration.PartnerContract')]
    param(
        [Parameter(ParameterSetName = 'ListPartnerContracts__0', ValueFromPipelineByPropertyName)]
        [Parameter(ParameterSetName = 'All__0', ValueFromPipelineByPropertyName)]
        [string] $DomainName,

        [Parameter(ParameterSetName = 'ListPartnerContracts__0', ValueFromPipelineByPropertyName)]
        [Parameter(ParameterSetName = 'All__0', ValueFromPipelineByPropertyName)]
        [ValidateSet('DisplayName', 'DomainName')]
        [string] $SearchKey,

        [Parameter(ParameterSetName = 'ListPartnerContracts__0', ValueFromPipelineByPropertyName)]
        [ValidateRange(1, 2147483647)]
        [int] $MaxResults,

        [Parameter(ParameterSetName = 'All__0', Mandatory)]
        [switch] $All,

        [Parameter(ValueFromPipelineByPropertyName)]
        [guid] $TenantId
    )
    process {
        Assert-DapSimMsolConnected -Cmdlet $PSCmdlet -CmdletClass 'GetPartnerContract'
        $query = [ordered]@{
            all        = if ($All) { 'true' } else { $null }
            maxResults = if ($PSBoundParameters.ContainsKey('MaxResults')) { $MaxResults } else { $null }
            domainName = if ($DomainName) { $DomainName } else { $null }
            searchKey  = if ($SearchKey) { $SearchKey } else { $null }
            tenantId   = if ($PSBoundParameters.ContainsKey('TenantId')) { $TenantId.Guid } else { $null }
        }
        $response = Invoke-DapSimRequest -Method GET -Path '/msol/contracts' -Query $query -Token $script:MsolToken
        if ($response.Status -ne 200) { Stop-DapSimMsolCommand -Cmdlet $PSCmdlet -SimError $response.Body.error }
        foreach ($warning in $response.Body.warnings) { $PSCmdlet.WriteWarning([string]$warning) }
        foreach ($contract in $response.Body.contracts) { ConvertTo-DapSimPartnerContract -Contract $contract }
    }
}

function Get-MsolDomain {
    <#
    .SYNOPSIS
    Lists the domains of a customer tenant.
    .PARAMETER TenantId
    The customer tenant; the partner's own tenant when absent.
    .PARAMETER DomainName
    Returns only this domain.
    .PARAMETER Status
    Only domains in this state.
    .PARAMETER Authentication
    Only domains with this authentication type.
    .PARAMETER Capability
    Only domains with this capability.
    .EXAMPLE
    Get-MsolDomain -TenantId $contract.TenantId | Where-Object { $_.IsInitial }
    .OUTPUTS
    Microsoft.Online.Administration.Domain
    .LINK
    https://learn.microsoft.com/powershell/module/msonline/get-msoldomain
    #>
    [CmdletBinding(DefaultParameterSetName = 'ListDomains__0')]
    [OutputType('Microsoft.Online.Administration.Domain')]
    param(
        [Parameter(ParameterSetName = 'GetDomain__0', Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [string] $DomainName,

        [Parameter(ParameterSetName = 'ListDomains__0', ValueFromPipelineByPropertyName)]
        [ValidateSet('Managed', 'Federated')]
        [string] $Authentication,

        [Parameter(ParameterSetName = 'ListDomains__0', ValueFromPipelineByPropertyName)]
        [ValidateSet('None', 'Email', 'SharePoint', 'OfficeCommunicationsOnline', 'SharePointDefaultDomain', 'FullRedelegation', 'SharePointPublic', 'OrgIdAuthentication', 'Yammer', 'Intune')]
        [string] $Capability,

        [Parameter(ParameterSetName = 'ListDomains__0', ValueFromPipelineByPropertyName)]
        [ValidateSet('Unverified', 'Verified', 'PendingDeletion')]
        [string] $Status,

        [Parameter(ValueFromPipelineByPropertyName)]
        [guid] $TenantId
    )
    process {
        Assert-DapSimMsolConnected -Cmdlet $PSCmdlet -CmdletClass 'GetDomain'
        $query = [ordered]@{
            tenantId       = if ($PSBoundParameters.ContainsKey('TenantId')) { $TenantId.Guid } else { $null }
            domainName     = if ($DomainName) { $DomainName } else { $null }
            status         = if ($Status) { $Status } else { $null }
            authentication = if ($Authentication) { $Authentication } else { $null }
            capability     = if ($Capability) { $Capability } else { $null }
        }
        $response = Invoke-DapSimRequest -Method GET -Path '/msol/domains' -Query $query -Token $script:MsolToken
        if ($response.Status -ne 200) { Stop-DapSimMsolCommand -Cmdlet $PSCmdlet -SimError $response.Body.error }
        foreach ($domain in $response.Body.domains) {
            [pscustomobject]@{
                PSTypeName     = 'Microsoft.Online.Administration.Domain'
                ExtensionData  = $null
                Authentication = [string]$domain.Authentication
                Capabilities   = [string]$domain.Capabilities
                IsDefault      = [bool]$domain.IsDefault
                IsInitial      = [bool]$domain.IsInitial
                Name           = [string]$domain.Name
                RootDomain     = if ($null -eq $domain.RootDomain) { $null } else { [string]$domain.RootDomain }
                Status         = [string]$domain.Status
            }
        }
    }
}

Export-ModuleMember -Function 'Connect-MsolService', 'Get-MsolPartnerContract', 'Get-MsolDomain'
