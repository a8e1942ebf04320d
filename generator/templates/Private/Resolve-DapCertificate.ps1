function Resolve-DapCertificate {
    <#
    .SYNOPSIS
    The certificate a token function signs with: the one given, or the one of the current user's
    store with that thumbprint; checked to hold its private key.

    .DESCRIPTION
    Answers a hashtable: Certificate on success, else Message and Target (the caller throws its own
    terminating Dap.InvalidParameter error, so that the record names the command the user ran).

    .PARAMETER Certificate
    A certificate (X509Certificate2), or $null when a thumbprint is given.

    .PARAMETER Thumbprint
    The SHA-1 thumbprint (40 hex digits) of a certificate in the current user's store (My).

    .EXAMPLE
    $found = Resolve-DapCertificate -Thumbprint $thumbprint

    $found.Certificate, or $found.Message saying why there is none.

    .INPUTS
    None.

    .OUTPUTS
    System.Collections.Hashtable
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,

        [string] $Thumbprint
    )
    if (-not $Certificate -and $Thumbprint) {
        $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')
        try {
            $store.Open('ReadOnly, OpenExistingOnly')
            $Certificate = @($store.Certificates.Find('FindByThumbprint', $Thumbprint, $false)) | Select-Object -First 1
        }
        catch {
            $Certificate = $null
        }
        finally {
            $store.Dispose()
        }
        if (-not $Certificate) {
            return @{ Message = ('No certificate with thumbprint {0} in the current user''s certificate store (My).' -f $Thumbprint); Target = $Thumbprint }
        }
    }
    if (-not $Certificate.HasPrivateKey) {
        return @{ Message = ('The certificate {0} has no private key here: a client assertion must be signed with it.' -f $Certificate.Thumbprint); Target = $Certificate.Thumbprint }
    }
    @{ Certificate = $Certificate }
}
