import { errorsFileColumns, errorsFileSuffix, noDataMessage } from '../common/errors-file-format.js';
import { psLiteral, psStringArray } from '../common/ps-literal.js';
import { emitExoFunction, restOutputsHelp, restPermissionsHelp } from './emit-exo-function.js';
import { assembleScript } from './emit-script.js';
import { defaultExchangeUri, graphBaseUriPattern } from './identifiers.js';
import { commentHelp } from './ps-comment.js';
import { identifier, parameterDeclaration, parameterHelp, tenantIdValidation } from './ps-code.js';
import { restScriptTemplates, type SharedTemplate } from './render-template.js';
import type { ReportModel } from './report-model.js';

/**
 * module/scripts/<Name>.ps1 of a report whose first source is exchangeRest: runs the report in
 * every GDAP customer tenant without the module. It carries the shared functions it needs
 * (rendered from the same templates as the module) and the report's own function; it signs in
 * with the partner app's secret (a SecureString, the DAP_GRAPH_CLIENT_SECRET environment variable,
 * or a prompt: never a command-line argument), lists the customers through Graph, gets an Exchange
 * token per tenant, and writes one CSV (cell text rule of the catalog) plus the errors file.
 */
export function emitRestScript(report: ReportModel, shared: ReadonlyMap<SharedTemplate, string>, sources: readonly string[]): string {
  const indent = '    ';
  const fileName = `${report.name}.ps1`;
  const help = commentHelp(
    {
      synopsis: `${report.summary} All tenants, one CSV.`,
      description:
        `${report.description}\n\n` +
        'This script runs the report in every customer tenant of the partner (its active GDAP relationships) over the Exchange Online admin API ' +
        'and merges the rows into one CSV file (UTF-8 with a byte order mark; TenantId and TenantDomain first, then the report columns; ' +
        'dates as yyyy-MM-dd at midnight UTC, else yyyy-MM-ddTHH:mm:ssZ, lists joined by "; "), listing every tenant that failed or returned no rows in the errors file. ' +
        'It needs no other file. It signs in as the partner app (ClientId, with its secret from -ClientSecret, else the DAP_GRAPH_CLIENT_SECRET ' +
        'environment variable, else a prompt), reads the customers with Microsoft Graph in the partner tenant (DelegatedAdminRelationship.Read.All), ' +
        `then gets an Exchange Online token per customer tenant. ${restPermissionsHelp} ` +
        'Exit code: 0 when every tenant succeeded, 1 when some failed, 3 when nothing could run (for example a rejected secret).',
      parameters: [
        { name: 'PartnerTenantId', help: "The partner's own tenant id (a GUID): where the app reads the GDAP customers." },
        { name: 'ClientId', help: "The application (client) id of the partner's multi-tenant app (a GUID)." },
        { name: 'ClientSecret', help: 'The app secret as a SecureString. When not given: the DAP_GRAPH_CLIENT_SECRET environment variable, else a prompt.' },
        { name: 'OutputFile', help: 'The merged CSV file to write.' },
        { name: 'ErrorFile', help: `The errors file (CSV) listing every tenant that failed or returned no rows. Default: OutputFile followed by ${errorsFileSuffix}.` },
        { name: 'Tenant', help: 'Only these tenants: tenant ids or domains.' },
        { name: 'Exclude', help: 'Leave these tenants out: tenant ids or domains.' },
        { name: 'LoginUri', help: 'The Microsoft identity platform host: https, or http to the loopback host for a local stand-in. Default https://login.microsoftonline.com.' },
        { name: 'GraphUri', help: 'The Microsoft Graph host, without /v1.0: https, or http to the loopback host. Default https://graph.microsoft.com.' },
        { name: 'ExchangeUri', help: `The Exchange Online host: https, or http to the loopback host. Default ${defaultExchangeUri}.` },
        ...report.parameters.map((parameter) => ({ name: identifier(parameter.name), help: parameterHelp(parameter) })),
      ],
      examples: [
        {
          code: `$secret = Read-Host -AsSecureString -Prompt 'Client secret'\n.\\${fileName} -PartnerTenantId $partnerTenantId -ClientId $appId -ClientSecret $secret -OutputFile ReportOutput.csv`,
          description: `Writes the report of every GDAP customer tenant to ReportOutput.csv and the failed or empty tenants to ReportOutput.csv${errorsFileSuffix}.`,
        },
      ],
      inputs: 'None. The script takes no pipeline input.',
      outputs: `DapReporting.AggregateResult (a summary). The rows go to OutputFile: ${restOutputsHelp(report)}`,
      links: ['Get-DapExoToken', 'Get-DapGraphCustomer', ...report.links],
    },
    '',
  );
  const uriPattern = psLiteral(graphBaseUriPattern);
  const declarations = [
    `${indent}[Parameter(Mandatory)]\n${indent}[ValidatePattern(${tenantIdValidation()})]\n${indent}[string] $PartnerTenantId`,
    `${indent}[Parameter(Mandatory)]\n${indent}[ValidatePattern(${tenantIdValidation()})]\n${indent}[string] $ClientId`,
    `${indent}[securestring] $ClientSecret`,
    `${indent}[ValidateNotNullOrEmpty()]\n${indent}[string] $OutputFile = 'ReportOutput.csv'`,
    `${indent}[ValidateNotNullOrEmpty()]\n${indent}[string] $ErrorFile`,
    `${indent}[ValidateNotNullOrEmpty()]\n${indent}[string[]] $Tenant`,
    `${indent}[ValidateNotNullOrEmpty()]\n${indent}[string[]] $Exclude`,
    `${indent}[ValidatePattern(${uriPattern})]\n${indent}[string] $LoginUri = 'https://login.microsoftonline.com'`,
    `${indent}[ValidatePattern(${uriPattern})]\n${indent}[string] $GraphUri = 'https://graph.microsoft.com'`,
    `${indent}[ValidatePattern(${uriPattern})]\n${indent}[string] $ExchangeUri = ${psLiteral(defaultExchangeUri)}`,
    ...report.parameters.map((parameter) => parameterDeclaration(parameter, indent)),
  ];
  const functions = [...restScriptTemplates.map((name) => shared.get(name)), emitExoFunction(report)];
  const header = ['TenantId', 'TenantDomain', ...report.columns.map((c) => c.name)];
  const main = [
    '$reportParameters = @{}',
    ...(report.parameters.length > 0
      ? [
          `foreach ($name in ${psStringArray(report.parameters.map((p) => identifier(p.name)))}) {`,
          `${indent}if ($PSBoundParameters.ContainsKey($name)) { $reportParameters[$name] = $PSBoundParameters[$name] }`,
          '}',
        ]
      : []),
    'if (-not $ClientSecret) {',
    `${indent}$ClientSecret = if ($env:DAP_GRAPH_CLIENT_SECRET) {`,
    `${indent}${indent}ConvertTo-SecureString -String $env:DAP_GRAPH_CLIENT_SECRET -AsPlainText -Force`,
    `${indent}}`,
    `${indent}else {`,
    `${indent}${indent}Read-Host -AsSecureString -Prompt 'Client secret of the partner app'`,
    `${indent}}`,
    '}',
    '$outputPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputFile)',
    `$errorPath = if ($ErrorFile) { $PSCmdlet.GetUnresolvedProviderPathFromPSPath($ErrorFile) } else { $outputPath + ${psLiteral(errorsFileSuffix)} }`,
    '$rows = [System.Collections.Generic.List[object]]::new()',
    '$entries = [System.Collections.Generic.List[object]]::new()',
    '$tenants = 0',
    '$failed = 0',
    '$noData = 0',
    '# The category of a failed tenant: Dap.<Category> from the FullyQualifiedErrorId of its error.',
    '$categoryOf = { param($Record) ([string]$Record.FullyQualifiedErrorId).Split(\',\')[0] -replace \'^Dap\\.\', \'\' }',
    'try {',
    `${indent}$partner = Get-DapGraphToken -TenantId $PartnerTenantId -ClientId $ClientId -ClientSecret $ClientSecret -LoginUri $LoginUri -ErrorAction Stop`,
    `${indent}$listing = @{ AccessToken = $partner.AccessToken; GraphUri = $GraphUri }`,
    `${indent}if ($Tenant) { $listing.Tenant = $Tenant }`,
    `${indent}if ($Exclude) { $listing.Exclude = $Exclude }`,
    `${indent}# A tenant whose domain cannot be looked up still comes, with an empty TenantDomain.`,
    `${indent}$customers = @(Get-DapGraphCustomer @listing -ErrorAction SilentlyContinue -ErrorVariable lookups)`,
    `${indent}foreach ($lookup in @($lookups)) { Write-Warning -Message $lookup.Exception.Message }`,
    `${indent}foreach ($customer in $customers) {`,
    `${indent}${indent}$tenants++`,
    `${indent}${indent}$failure = $null`,
    `${indent}${indent}$token = Get-DapExoToken -TenantId $customer.TenantId -TenantDomain $customer.TenantDomain -ClientId $ClientId -ClientSecret $ClientSecret -LoginUri $LoginUri -ErrorAction SilentlyContinue -ErrorVariable failure`,
    `${indent}${indent}$got = @()`,
    `${indent}${indent}if (-not $failure) {`,
    `${indent}${indent}${indent}$got = @(${report.functionName} -TenantId $customer.TenantId -TenantDomain $customer.TenantDomain -AccessToken $token.AccessToken -ExchangeUri $ExchangeUri @reportParameters -ErrorAction SilentlyContinue -ErrorVariable failure)`,
    `${indent}${indent}}`,
    `${indent}${indent}if ($failure) {`,
    `${indent}${indent}${indent}$failed++`,
    `${indent}${indent}${indent}$entries.Add([pscustomobject]@{ TenantDomain = [string]$customer.TenantDomain; TenantId = $customer.TenantId; Category = (& $categoryOf -Record $failure[0]); Message = $failure[0].Exception.Message })`,
    `${indent}${indent}${indent}continue`,
    `${indent}${indent}}`,
    `${indent}${indent}if ($got.Count -eq 0) {`,
    `${indent}${indent}${indent}$noData++`,
    `${indent}${indent}${indent}$entries.Add([pscustomobject]@{ TenantDomain = [string]$customer.TenantDomain; TenantId = $customer.TenantId; Category = 'NoData'; Message = ${psLiteral(noDataMessage)} })`,
    `${indent}${indent}}`,
    `${indent}${indent}foreach ($row in $got) {`,
    `${indent}${indent}${indent}# Each cell as text, by the one rule (ConvertTo-DapCellText): dates in ISO 8601, lists joined by '; '.`,
    `${indent}${indent}${indent}$cells = [ordered]@{}`,
    `${indent}${indent}${indent}foreach ($property in $row.PSObject.Properties) { $cells[$property.Name] = ConvertTo-DapCellText -Value $property.Value }`,
    `${indent}${indent}${indent}$rows.Add([pscustomobject]$cells)`,
    `${indent}${indent}}`,
    `${indent}}`,
    '}',
    'catch {',
    `${indent}$PSCmdlet.WriteError($_)`,
    `${indent}exit 3`,
    '}',
    '$utf8 = [System.Text.UTF8Encoding]::new($true)',
    "if ($PSCmdlet.ShouldProcess($outputPath, 'Write the report')) {",
    `${indent}if ($rows.Count -gt 0) {`,
    `${indent}${indent}$rows | Export-Csv -LiteralPath $outputPath -NoTypeInformation -Encoding $utf8`,
    `${indent}}`,
    `${indent}else {`,
    `${indent}${indent}[System.IO.File]::WriteAllText($outputPath, ((${psStringArray(header)} | ForEach-Object -Process { '"{0}"' -f $_.Replace('"', '""') }) -join ',') + [Environment]::NewLine, $utf8)`,
    `${indent}}`,
    '}',
    '# The errors file as dap-report writes it: a field is quoted when it holds a comma, a quote or a',
    '# line break, a message is one line, records end with CRLF, in domain order.',
    '$csvField = { param([string] $Value) if ($Value -match \'[,"\\r\\n]\') { return \'"{0}"\' -f $Value.Replace(\'"\', \'""\') } $Value }',
    '$text = [System.Text.StringBuilder]::new()',
    `[void]$text.Append(((${psStringArray(errorsFileColumns)} | ForEach-Object -Process { & $csvField -Value $_ }) -join ',')).Append("\`r\`n")`,
    'foreach ($entry in @($entries | Sort-Object -Property @{ Expression = { [string]$_.TenantDomain } }, @{ Expression = { [string]$_.TenantId } } -CaseSensitive)) {',
    `${indent}$fields = @([string]$entry.TenantDomain, [string]$entry.TenantId, [string]$entry.Category, ([string]$entry.Message -replace '\\s*[\\r\\n]+\\s*', ' '))`,
    `${indent}[void]$text.Append((($fields | ForEach-Object -Process { & $csvField -Value $_ }) -join ',')).Append("\`r\`n")`,
    '}',
    "if ($PSCmdlet.ShouldProcess($errorPath, 'Write the errors file')) {",
    `${indent}[System.IO.File]::WriteAllText($errorPath, $text.ToString(), [System.Text.UTF8Encoding]::new($false))`,
    '}',
    '[pscustomobject]@{',
    `${indent}PSTypeName = 'DapReporting.AggregateResult'`,
    `${indent}Report     = ${psLiteral(report.name)}`,
    `${indent}Tenants    = $tenants`,
    `${indent}Succeeded  = $tenants - $failed`,
    `${indent}NoData     = $noData`,
    `${indent}Failed     = $failed`,
    `${indent}Rows       = $rows.Count`,
    `${indent}OutputFile = $outputPath`,
    `${indent}ErrorFile  = $errorPath`,
    '}',
    'if ($failed -gt 0) { exit 1 }',
    'exit 0',
  ];
  return assembleScript({ sources, help, declarations, functions, main });
}
