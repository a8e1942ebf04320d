import { errorsFileColumns, errorsFileSuffix, noDataMessage } from '../common/errors-file-format.js';
import { psLiteral, psStringArray } from '../common/ps-literal.js';
import { emitExoFunction, restOutputsHelp, restPermissionsHelp } from './emit-exo-function.js';
import { type StandaloneScript, sharedFunction } from './emit-script.js';
import { defaultExchangeUri, graphBaseUriPattern } from './identifiers.js';
import { defaultGraphUri } from './emit-graph-function.js';
import type { HelpSections } from './ps-comment.js';
import { boundReportParameters, identifier, parameterDeclaration, parameterHelp, tenantIdValidation } from './ps-code.js';
import { block, hashtable, type PsCode } from './ps-writer.js';
import { graphQueryScriptTemplates, restScriptTemplates, type SharedTemplate } from './render-template.js';
import { type ReportModel, withSource } from './report-model.js';
import { emitGraphQueryFunction, graphQueryTypeName } from './emit-graph-query-function.js';

/**
 * scripts/<Name>.ps1 of a report whose first source is exchangeRest or graphQuery: runs the report in
 * every GDAP customer tenant without the module. It carries the shared functions it needs
 * (rendered from the same templates as the module) and the report's own function; it signs in
 * with the partner app's secret (a SecureString, the DAP_GRAPH_CLIENT_SECRET environment variable,
 * or a prompt: never a command-line argument), lists the customers through Graph, gets an Exchange
 * (or, for a Graph query, a Graph) token per tenant, and writes one CSV (cell text rule of the
 * catalog) plus the errors file.
 */
export function emitRestScript(report: ReportModel, shared: ReadonlyMap<SharedTemplate, string>, sources: readonly string[]): StandaloneScript {
  const fileName = `${report.name}.ps1`;
  const query = report.sources[0]!.kind === 'graphQuery' ? withSource(report, 'graphQuery') : undefined;
  const permission = query?.source.permission;
  const over = query ? `with the Microsoft Graph query GET ${query.source.version}/${query.source.path}` : 'over the Exchange Online admin API';
  const tokenKind = query ? 'a Microsoft Graph token' : 'an Exchange Online token';
  const permissionsHelp = query
    ? `Needs the application permission ${permission} consented in each customer tenant; through GDAP, a role that covers the read (Global Reader covers it).`
    : restPermissionsHelp;
  const outputsHelp = query
    ? `${graphQueryTypeName(query)}: TenantId, TenantDomain, then ${report.columns.map((c) => c.name).join(', ')}.`
    : restOutputsHelp(report);
  const help: HelpSections = {
      synopsis: `${report.summary} All tenants, one CSV.`,
      description:
        `${report.description}\n\n` +
        `This script runs the report in every customer tenant of the partner (its active GDAP relationships) ${over} ` +
        'and merges the rows into one CSV file (UTF-8 with a byte order mark; TenantId and TenantDomain first, then the report columns; ' +
        'dates as yyyy-MM-dd at midnight UTC, else yyyy-MM-ddTHH:mm:ssZ, lists joined by "; "), listing every tenant that failed or returned no rows in the errors file. ' +
        'It needs no other file. It signs in as the partner app (ClientId, with its secret from -ClientSecret, else the DAP_GRAPH_CLIENT_SECRET ' +
        'environment variable, else a prompt), reads the customers with Microsoft Graph in the partner tenant (DelegatedAdminRelationship.Read.All), ' +
        `then gets ${tokenKind} per customer tenant. ${permissionsHelp} ` +
        'Exit code: 0 when every tenant succeeded, 1 when some failed, 3 when nothing could run (for example a rejected secret).',
      parameters: [
        { name: 'PartnerTenantId', help: "The partner's own tenant id (a GUID): where the app reads the GDAP customers." },
        { name: 'ClientId', help: "The application (client) id of the partner's multi-tenant app (a GUID)." },
        { name: 'ClientSecret', help: 'The app secret as a SecureString. When not given: the DAP_GRAPH_CLIENT_SECRET environment variable, else a prompt.' },
        { name: 'OutputFile', help: 'The merged CSV file to write.' },
        { name: 'ErrorFile', help: `The errors file (CSV) listing every tenant that failed or returned no rows. Default: OutputFile followed by ${errorsFileSuffix}.` },
        { name: 'Tenant', help: 'Only these tenants: tenant ids or domains.' },
        { name: 'Exclude', help: 'Leave these tenants out: tenant ids or domains.' },
        { name: 'LoginUri', help: 'The Microsoft identity platform host (https). Default https://login.microsoftonline.com.' },
        { name: 'GraphUri', help: 'The Microsoft Graph host, without /v1.0 (https). Default https://graph.microsoft.com.' },
        ...(query ? [] : [{ name: 'ExchangeUri', help: `The Exchange Online host (https). Default ${defaultExchangeUri}.` }]),
        ...report.parameters.map((parameter) => ({ name: identifier(parameter.name), help: parameterHelp(parameter) })),
      ],
      examples: [
        {
          code: `$secret = Read-Host -AsSecureString -Prompt 'Client secret'\n.\\${fileName} -PartnerTenantId $partnerTenantId -ClientId $appId -ClientSecret $secret -OutputFile ReportOutput.csv`,
          description: `Writes the report of every GDAP customer tenant to ReportOutput.csv and the failed or empty tenants to ReportOutput.csv${errorsFileSuffix}.`,
        },
      ],
      inputs: 'None. The script takes no pipeline input.',
      outputs: `DapReporting.AggregateResult (a summary). The rows go to OutputFile: ${outputsHelp}`,
      links: [query ? 'Get-DapGraphToken' : 'Get-DapExoToken', 'Get-DapGraphCustomer', ...report.links],
  };
  const uriPattern = psLiteral(graphBaseUriPattern);
  const uri = (name: string, fallback: string): string[] => [`[ValidatePattern(${uriPattern})]`, `[string] $${name} = ${psLiteral(fallback)}`];
  const parameters = [
    ['[Parameter(Mandatory)]', `[ValidatePattern(${tenantIdValidation()})]`, '[string] $PartnerTenantId'],
    ['[Parameter(Mandatory)]', `[ValidatePattern(${tenantIdValidation()})]`, '[string] $ClientId'],
    ['[securestring] $ClientSecret'],
    ['[ValidateNotNullOrEmpty()]', "[string] $OutputFile = 'ReportOutput.csv'"],
    ['[ValidateNotNullOrEmpty()]', '[string] $ErrorFile'],
    ['[ValidateNotNullOrEmpty()]', '[string[]] $Tenant'],
    ['[ValidateNotNullOrEmpty()]', '[string[]] $Exclude'],
    uri('LoginUri', 'https://login.microsoftonline.com'),
    uri('GraphUri', defaultGraphUri),
    ...(query ? [] : [uri('ExchangeUri', defaultExchangeUri)]),
    ...report.parameters.map(parameterDeclaration),
  ];
  const functions = query
    ? [...graphQueryScriptTemplates.map((name) => sharedFunction(shared, name)), { name: report.functionName, text: emitGraphQueryFunction(query) }]
    : [...restScriptTemplates.map((name) => sharedFunction(shared, name)), { name: report.functionName, text: emitExoFunction(report) }];
  const header = ['TenantId', 'TenantDomain', ...report.columns.map((c) => c.name)];
  const main: PsCode[] = [
    ...boundReportParameters(report),
    block('if (-not $ClientSecret) {', [
      block('$ClientSecret = if ($env:DAP_GRAPH_CLIENT_SECRET) {', [
        'ConvertTo-SecureString -String $env:DAP_GRAPH_CLIENT_SECRET -AsPlainText -Force',
      ]),
      block('else {', [
        "Read-Host -AsSecureString -Prompt 'Client secret of the partner app'",
      ]),
    ]),
    '$outputPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputFile)',
    `$errorPath = if ($ErrorFile) { $PSCmdlet.GetUnresolvedProviderPathFromPSPath($ErrorFile) } else { $outputPath + ${psLiteral(errorsFileSuffix)} }`,
    '$rows = [System.Collections.Generic.List[object]]::new()',
    '$entries = [System.Collections.Generic.List[object]]::new()',
    '$tenants = 0',
    '$failed = 0',
    '$noData = 0',
    block('try {', [
      '$partner = Get-DapGraphToken -TenantId $PartnerTenantId -ClientId $ClientId -ClientSecret $ClientSecret -LoginUri $LoginUri -ErrorAction Stop',
      '$listing = @{ AccessToken = $partner.AccessToken; GraphUri = $GraphUri }',
      'if ($Tenant) { $listing.Tenant = $Tenant }',
      'if ($Exclude) { $listing.Exclude = $Exclude }',
      '# A tenant whose domain cannot be looked up still comes, with an empty TenantDomain.',
      '$customers = @(Get-DapGraphCustomer @listing -ErrorAction SilentlyContinue -ErrorVariable lookups)',
      'foreach ($lookup in @($lookups)) { Write-Warning -Message $lookup.Exception.Message }',
      block('foreach ($customer in $customers) {', [
        '$tenants++',
        '$failure = $null',
        query
          ? '$token = Get-DapGraphToken -TenantId $customer.TenantId -ClientId $ClientId -ClientSecret $ClientSecret -LoginUri $LoginUri -ErrorAction SilentlyContinue -ErrorVariable failure'
          : '$token = Get-DapExoToken -TenantId $customer.TenantId -TenantDomain $customer.TenantDomain -ClientId $ClientId -ClientSecret $ClientSecret -LoginUri $LoginUri -ErrorAction SilentlyContinue -ErrorVariable failure',
        '$got = @()',
        block('if (-not $failure) {', [
          query
            ? `$got = @(${report.functionName} -TenantId $customer.TenantId -TenantDomain $customer.TenantDomain -AccessToken $token.AccessToken -GraphUri $GraphUri -ErrorAction SilentlyContinue -ErrorVariable failure)`
            : `$got = @(${report.functionName} -TenantId $customer.TenantId -TenantDomain $customer.TenantDomain -AccessToken $token.AccessToken -ExchangeUri $ExchangeUri @reportParameters -ErrorAction SilentlyContinue -ErrorVariable failure)`,
        ]),
        block('if ($failure) {', [
          '$failed++',
          '$entries.Add([pscustomobject]@{ TenantDomain = [string]$customer.TenantDomain; TenantId = $customer.TenantId; Category = (Get-DapFailureCategory -ErrorRecord $failure[0]); Message = $failure[0].Exception.Message })',
          'continue',
        ]),
        block('if ($got.Count -eq 0) {', [
          '$noData++',
          `$entries.Add([pscustomobject]@{ TenantDomain = [string]$customer.TenantDomain; TenantId = $customer.TenantId; Category = 'NoData'; Message = ${psLiteral(noDataMessage)} })`,
        ]),
        block('foreach ($row in $got) {', [
          "# Each cell as text, by the one rule (ConvertTo-DapCellText): dates in ISO 8601, lists joined by '; '.",
          '$cells = [ordered]@{}',
          'foreach ($property in $row.PSObject.Properties) { $cells[$property.Name] = ConvertTo-DapCellText -Value $property.Value }',
          '$rows.Add([pscustomobject]$cells)',
        ]),
      ]),
    ]),
    block('catch {', [
      '$PSCmdlet.WriteError($_)',
      'exit 3',
    ]),
    '$utf8 = [System.Text.UTF8Encoding]::new($true)',
    block("if ($PSCmdlet.ShouldProcess($outputPath, 'Write the report')) {", [
      block('if ($rows.Count -gt 0) {', [
        '$rows | Export-Csv -LiteralPath $outputPath -NoTypeInformation -Encoding $utf8',
      ]),
      block('else {', [
        `[System.IO.File]::WriteAllText($outputPath, ((${psStringArray(header)} | ForEach-Object -Process { '"{0}"' -f $_.Replace('"', '""') }) -join ',') + [Environment]::NewLine, $utf8)`,
      ]),
    ]),
    '# The errors file as dap-report writes it: a field is quoted when it holds a comma, a quote or a',
    '# line break, a message is one line, records end with CRLF, in domain order.',
    '$csvField = { param([string] $Value) if ($Value -match \'[,"\\r\\n]\') { return \'"{0}"\' -f $Value.Replace(\'"\', \'""\') } $Value }',
    '$text = [System.Text.StringBuilder]::new()',
    `[void]$text.Append(((${psStringArray(errorsFileColumns)} | ForEach-Object -Process { & $csvField -Value $_ }) -join ',')).Append("\`r\`n")`,
    block('foreach ($entry in @($entries | Sort-Object -Property @{ Expression = { [string]$_.TenantDomain } }, @{ Expression = { [string]$_.TenantId } } -CaseSensitive)) {', [
      "$fields = @([string]$entry.TenantDomain, [string]$entry.TenantId, [string]$entry.Category, ([string]$entry.Message -replace '\\s*[\\r\\n]+\\s*', ' '))",
      `[void]$text.Append((($fields | ForEach-Object -Process { & $csvField -Value $_ }) -join ',')).Append("\`r\`n")`,
    ]),
    block("if ($PSCmdlet.ShouldProcess($errorPath, 'Write the errors file')) {", [
      '[System.IO.File]::WriteAllText($errorPath, $text.ToString(), [System.Text.UTF8Encoding]::new($false))',
    ]),
    hashtable('[pscustomobject]@{', [
      ['PSTypeName', "'DapReporting.AggregateResult'"],
      ['Report', psLiteral(report.name)],
      ['Tenants', '$tenants'],
      ['Succeeded', '$tenants - $failed'],
      ['NoData', '$noData'],
      ['Failed', '$failed'],
      ['Rows', '$rows.Count'],
      ['OutputFile', '$outputPath'],
      ['ErrorFile', '$errorPath'],
    ]),
    'if ($failed -gt 0) { exit 1 }',
    'exit 0',
  ];
  return { sources, help, parameters, functions, main };
}
