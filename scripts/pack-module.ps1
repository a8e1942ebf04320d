# Packs the DapReporting folder it is given (module/DapReporting with the standalone scripts built
# into Scripts/) into a .nupkg with PowerShell's own tooling (PSResourceGet, bundled
# with PowerShell 7.4+): registers the output folder as a local file repository and publishes the
# module to it. Run by scripts/pack-module.mjs (npm run pack:module), which gives this process a
# HOME of its own, so the registration never reaches the user's repository list.
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [Parameter(Mandatory)][string] $Repository
)
$ErrorActionPreference = 'Stop'
$name = 'DapReportingPack'
Register-PSResourceRepository -Name $name -Uri ([uri]::new($Repository).AbsoluteUri) -Trusted
try {
    Publish-PSResource -Path $ModulePath -Repository $name
}
finally {
    Unregister-PSResourceRepository -Name $name
}
