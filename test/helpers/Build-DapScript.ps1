# The standalone scripts are built, not committed: a Pester file that runs them dot-sources this and
# builds them with dap-gen (bin/dap-gen.js, the project's build in dist/) into a folder of its own.
function Build-DapScript {
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $root = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $folder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), ('dap-scripts-{0}' -f [guid]::NewGuid().ToString('N')))
    $node = (Get-Command -Name node -CommandType Application | Select-Object -First 1).Source
    $output = & $node ([System.IO.Path]::Combine($root, 'bin', 'dap-gen.js')) --scripts $folder 2>&1
    if ($LASTEXITCODE -ne 0) { throw ('dap-gen --scripts failed ({0}): {1}' -f $LASTEXITCODE, ($output -join "`n")) }
    $folder
}
