function New-DapErrorRecord {
    <#
    .SYNOPSIS
    The error record of a failure the DapReporting functions write or throw.

    .DESCRIPTION
    Every error record the functions build is made here, so each has the same shape: the error id
    Dap.<Category>, the PowerShell error category, the target object (the tenant, the user name,
    the file or the parameter at fault) and the exception. The category is one Get-DapFailureCategory
    reads back (dap-gen:FailureCategories), or NotFound (Invoke-DapExoCommand's 404), FileExists or
    FileReadOnly (Export-DapAggregateReport's refusals before any tenant runs).

    With -Message, a new exception of -ExceptionType carries the message and keeps -Exception as
    its inner exception; without it, -Exception itself is the record's exception.

    .PARAMETER Category
    The name after Dap. in the error id.

    .PARAMETER ErrorCategory
    The PowerShell error category, e.g. PermissionDenied.

    .PARAMETER Message
    The message of the new exception.

    .PARAMETER Exception
    The exception the failure came from: kept as the inner exception, or the record's own without -Message.

    .PARAMETER ExceptionType
    The type of the new exception (a message and an inner exception as its constructor's arguments).
    Default: System.Management.Automation.RuntimeException.

    .PARAMETER Target
    The object the failure is about.

    .EXAMPLE
    $PSCmdlet.WriteError((New-DapErrorRecord -Category AccessDenied -ErrorCategory PermissionDenied -Message $text -Exception $_.Exception -Target $TenantId))

    Writes a tenant's failure as Dap.AccessDenied, its cause kept as the inner exception.

    .INPUTS
    None.

    .OUTPUTS
    System.Management.Automation.ErrorRecord
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)]
        [ValidateSet('dap-gen:FailureCategories', 'NotFound', 'FileExists', 'FileReadOnly')]
        [string] $Category,

        [Parameter(Mandatory)]
        [System.Management.Automation.ErrorCategory] $ErrorCategory,

        [string] $Message,

        [System.Exception] $Exception,

        [type] $ExceptionType = [System.Management.Automation.RuntimeException],

        [AllowNull()]
        [object] $Target
    )
    $thrown = if ($Message) { $ExceptionType::new($Message, $Exception) } else { $Exception }
    [System.Management.Automation.ErrorRecord]::new($thrown, ('Dap.{0}' -f $Category), $ErrorCategory, $Target)
}
