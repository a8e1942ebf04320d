function Get-DapFailureCategory {
    <#
    .SYNOPSIS
    Names the failure category of an error record a DapReporting command wrote for a tenant.

    .DESCRIPTION
    A tenant that fails writes one error record whose FullyQualifiedErrorId starts with
    Dap.<Category>. This returns that category when it is one of those dap-report records:
    dap-gen:FailureCategories.
    An error id with another name (such as Dap.NotFound of Invoke-DapExoCommand) or none gives
    RemoteError, and a parameter that could not be bound gives InvalidDomain (the tenant's domain)
    or InvalidParameter.

    Export-DapAggregateReport, the standalone scripts and the PowerShell host of dap-report name a
    failed tenant's category with it, so the errors files and the run summary use the same names.

    .PARAMETER ErrorRecord
    The error record, e.g. from -ErrorVariable or $Error.

    .EXAMPLE
    Get-DapCustomer | Get-DapMailboxActivityReport -Credential $credential -ErrorAction SilentlyContinue -ErrorVariable failed
    $failed | Get-DapFailureCategory

    The category of each tenant that failed, e.g. SessionLimit or AccessDenied.

    .INPUTS
    System.Management.Automation.ErrorRecord

    .OUTPUTS
    System.String, one per error record.

    .LINK
    Export-DapAggregateReport
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType([string])]
    param(
        [Parameter(Mandatory, ValueFromPipeline)]
        [System.Management.Automation.ErrorRecord] $ErrorRecord
    )
    begin {
        $categories = @('dap-gen:FailureCategories')
    }
    process {
        if ([string]$ErrorRecord.FullyQualifiedErrorId -match '^Dap\.([A-Za-z]+)(?:,|$)' -and $categories -ccontains $Matches[1]) {
            $Matches[1]
        }
        elseif ($ErrorRecord.Exception -is [System.Management.Automation.ParameterBindingException]) {
            if (@('InitialDomain', 'TenantDomain') -contains $ErrorRecord.Exception.ParameterName) { 'InvalidDomain' } else { 'InvalidParameter' }
        }
        else {
            'RemoteError'
        }
    }
}
