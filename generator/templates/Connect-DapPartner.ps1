function Connect-DapPartner {
    <#
    .SYNOPSIS
    Signs the partner administrator in to the partner directory (MSOnline).

    .DESCRIPTION
    Calls Connect-MsolService with the given credential. Every other DapReporting command that
    lists customers needs this sign-in first. A failed sign-in ends with a terminating error whose
    FullyQualifiedErrorId is Dap.AuthenticationFailed, so a wrong password is tried once, not once
    per customer tenant (which could lock the account).

    .PARAMETER Credential
    The partner administrator's user name and password.

    .EXAMPLE
    Connect-DapPartner -Credential (Get-Credential -UserName admin@contoso.onmicrosoft.com -Message 'Partner administrator')

    Prompts for the password and signs in.

    .INPUTS
    None. You cannot pipe objects to Connect-DapPartner.

    .OUTPUTS
    None.

    .LINK
    Get-DapCustomer
    #>
    [CmdletBinding(PositionalBinding = $false)]
    [OutputType([void])]
    param(
        [Parameter(Mandatory)]
        [pscredential] $Credential
    )
    Write-Verbose -Message ('Signing in to the partner directory as {0}' -f $Credential.UserName)
    try {
        Connect-MsolService -Credential $Credential -ErrorAction Stop
    }
    catch {
        $message = "Signing in as '{0}' failed: {1}" -f $Credential.UserName, $_.Exception.Message
        $PSCmdlet.ThrowTerminatingError((New-DapErrorRecord -Category AuthenticationFailed -ErrorCategory AuthenticationError -Message $message -Exception $_.Exception -ExceptionType ([System.Security.Authentication.AuthenticationException]) -Target $Credential.UserName))
    }
}
