import { errorsFileSuffix } from '../common/errors-file-format.js';
import { psLiteral, psStringArray } from '../common/ps-literal.js';
import { emitReportFunction, reportOutputsHelp } from './emit-report-function.js';
import { generatedHeader } from './generated-header.js';
import { commentHelp } from './ps-comment.js';
import { identifier, parameterDeclaration, parameterHelp } from './ps-code.js';
import type { SharedTemplate } from './render-template.js';
import type { ExchangeReportModel } from './report-model.js';

/**
 * module/scripts/<Name>.ps1: runs one report in every customer tenant without the module. It
 * carries the same shared functions as the module (rendered from the same templates) and the
 * report's own function, then runs Export-DapAggregateReport.
 */
export function emitScript(report: ExchangeReportModel, shared: ReadonlyMap<SharedTemplate, string>, sources: readonly string[]): string {
  const indent = '    ';
  const fileName = `${report.name}.ps1`;
  const help = commentHelp(
    {
      synopsis: `${report.summary} All tenants, one CSV.`,
      description:
        `${report.description}\n\n` +
        'This script runs the report in every customer tenant of the partner and merges the rows into one CSV file ' +
        '(TenantId and TenantDomain first, then the report columns), listing every tenant that failed in the errors file. ' +
        'It needs no other file: it asks for the partner administrator password (Get-Credential), signs in with MSOnline, ' +
        'discovers the customer tenants and runs up to ThrottleLimit tenants at a time on PowerShell 7 (one at a time on Windows PowerShell 5.1). ' +
        'Exit code: 0 when every tenant succeeded, 1 when some failed, 3 when nothing could run (for example a failed sign-in).',
      parameters: [
        { name: 'UserName', help: 'The partner administrator user name, e.g. admin@contoso.onmicrosoft.com; the password is asked for.' },
        { name: 'OutputFile', help: 'The merged CSV file to write.' },
        { name: 'ErrorFile', help: `The errors file (CSV) listing every tenant that failed or returned no rows. Default: OutputFile followed by ${errorsFileSuffix}.` },
        { name: 'ThrottleLimit', help: 'How many tenants run at the same time, 1 to 3 (the service allows 3 sessions per account).' },
        { name: 'Tenant', help: 'Only these tenants: initial domains, default domains or tenant ids.' },
        { name: 'Exclude', help: 'Leave these tenants out: initial domains, default domains or tenant ids.' },
        ...report.parameters.map((parameter) => ({ name: identifier(parameter.name), help: parameterHelp(parameter) })),
      ],
      examples: [
        {
          code: `.\\${fileName} -UserName admin@contoso.onmicrosoft.com -OutputFile ReportOutput.csv`,
          description: `Asks for the password, then writes the report of every customer tenant to ReportOutput.csv and the failed or empty tenants to ReportOutput.csv${errorsFileSuffix}.`,
        },
      ],
      inputs: 'None. The script takes no pipeline input.',
      outputs: `DapReporting.AggregateResult (a summary). The rows go to OutputFile: ${reportOutputsHelp(report)}`,
      links: ['Export-DapAggregateReport', ...report.links],
    },
    '',
  );
  const declarations = [
    `${indent}[Parameter(Mandatory)]\n${indent}[ValidateNotNullOrEmpty()]\n${indent}[string] $UserName`,
    `${indent}[ValidateNotNullOrEmpty()]\n${indent}[string] $OutputFile = 'ReportOutput.csv'`,
    `${indent}[ValidateNotNullOrEmpty()]\n${indent}[string] $ErrorFile`,
    `${indent}[ValidateRange(1, 3)]\n${indent}[int] $ThrottleLimit = 3`,
    `${indent}[ValidateNotNullOrEmpty()]\n${indent}[string[]] $Tenant`,
    `${indent}[ValidateNotNullOrEmpty()]\n${indent}[string[]] $Exclude`,
    ...report.parameters.map((parameter) => parameterDeclaration(parameter, indent)),
  ];
  const functions = [
    shared.get('Connect-DapPartner'),
    shared.get('Get-DapCustomer'),
    shared.get('Invoke-DapTenantReport'),
    emitReportFunction(report),
    shared.get('Export-DapAggregateReport'),
  ];
  const main = [
    '$reportParameters = @{}',
    ...(report.parameters.length > 0
      ? [
          `foreach ($name in ${psStringArray(report.parameters.map((p) => identifier(p.name)))}) {`,
          `${indent}if ($PSBoundParameters.ContainsKey($name)) { $reportParameters[$name] = $PSBoundParameters[$name] }`,
          '}',
        ]
      : []),
    '# MSOnline first: the sign-in needs it, and a missing module is better said before the password prompt',
    'try {',
    `${indent}Import-Module -Name MSOnline -ErrorAction Stop`,
    '}',
    'catch {',
    `${indent}Write-Error -Message ('The MSOnline module could not be imported: {0}' -f $_.Exception.Message) -ErrorId 'Dap.MissingModule' -Category NotInstalled`,
    `${indent}exit 3`,
    '}',
    "$credential = Get-Credential -UserName $UserName -Message 'Password of the partner administrator'",
    'if (-not $credential) {',
    `${indent}Write-Error -Message 'No credential was given.' -ErrorId 'Dap.AuthenticationFailed' -Category AuthenticationError`,
    `${indent}exit 3`,
    '}',
    '$export = @{',
    `${indent}Report        = ${psLiteral(report.name)}`,
    `${indent}Credential    = $credential`,
    `${indent}OutputFile    = $OutputFile`,
    `${indent}ThrottleLimit = $ThrottleLimit`,
    `${indent}Parameters    = $reportParameters`,
    '}',
    'if ($ErrorFile) { $export.ErrorFile = $ErrorFile }',
    'if ($Tenant) { $export.Tenant = $Tenant }',
    'if ($Exclude) { $export.Exclude = $Exclude }',
    'try {',
    `${indent}$result = Export-DapAggregateReport @export`,
    '}',
    'catch {',
    `${indent}$PSCmdlet.WriteError($_)`,
    `${indent}exit 3`,
    '}',
    '$result',
    'if ($result.Failed -gt 0) { exit 1 }',
    'exit 0',
  ];
  return assembleScript({ sources, help, declarations, functions, main });
}

/**
 * A standalone script's text: its generated header, help, param block, the module's functions it
 * runs (copied in, so that it needs no module) and its main lines. Every kind of script is put
 * together this way.
 */
export function assembleScript(parts: { sources: readonly string[]; help: string; declarations: readonly string[]; functions: ReadonlyArray<string | undefined>; main: readonly string[] }): string {
  return [
    generatedHeader(parts.sources),
    '',
    parts.help,
    '[CmdletBinding(SupportsShouldProcess, PositionalBinding = $false)]',
    'param(',
    parts.declarations.join(',\n\n'),
    ')',
    '',
    '# The functions this script runs; the same code as in the DapReporting module.',
    '',
    parts.functions.join('\n'),
    ...parts.main,
    '',
  ].join('\n');
}
