import { psLiteral } from '../common/ps-literal.js';
import type { HelpSections } from './ps-comment.js';
import { advancedFunction, boundReportParameters, domainValidation, identifier, parameterDeclaration, parameterHelp, psScalar, tenantIdParameter } from './ps-code.js';
import { block, hashtable, type PsCode } from './ps-writer.js';
import type { ExchangeReportModel } from './report-model.js';

export const exchangeReportInputsHelp =
  'DapReporting.Customer (from Get-DapCustomer), or any object with TenantId and InitialDomain (or TenantDomain) properties, bound by property name.';

export function reportOutputsHelp(report: ExchangeReportModel): string {
  // a bytesOf column is added by dap-report (its pwsh host), not by the function
  const own = report.columns.filter((c) => !c.bytesOf);
  return `System.Management.Automation.PSCustomObject, one per row: TenantId, TenantDomain, then ${own.map((c) => c.name).join(', ')}.`;
}

/** The `function <Verb>-Dap<Name> { … }` of one report (no file header). */
export function emitReportFunction(report: ExchangeReportModel): string {
  const help: HelpSections = {
    synopsis: report.summary,
    description:
      `${report.description}\n\n` +
      'Runs in one customer tenant per call or per pipeline object: pipe Get-DapCustomer into it to cover every tenant. ' +
      'A tenant that fails writes one non-terminating error whose FullyQualifiedErrorId starts with Dap.<Category> ' +
      '(SessionLimit, AccessDenied, Throttled, InvalidParameter or RemoteError) and the other tenants go on; ' +
      'use -ErrorAction Stop to stop at the first failure. Only the report parameters that are given (or have a default) are sent to the service.',
    parameters: [
      { name: 'TenantId', help: 'The customer tenant id (a GUID), e.g. from Get-DapCustomer.' },
      { name: 'InitialDomain', help: 'The customer tenant initial domain, e.g. contoso.onmicrosoft.com, e.g. from Get-DapCustomer.\nAlias: TenantDomain.' },
      { name: 'Credential', help: 'The partner administrator credential.' },
      ...report.parameters.map((parameter) => ({ name: identifier(parameter.name), help: parameterHelp(parameter) })),
    ],
    examples: report.examples,
    inputs: exchangeReportInputsHelp,
    outputs: reportOutputsHelp(report),
    links: ['Get-DapCustomer', 'Invoke-DapTenantReport', ...report.links],
  };
  const parameters = [
    tenantIdParameter,
    ['[Parameter(Mandatory, ValueFromPipelineByPropertyName)]', "[Alias('TenantDomain')]", domainValidation(), '[string] $InitialDomain'],
    ['[Parameter(Mandatory)]', '[pscredential] $Credential'],
    ...report.parameters.map(parameterDeclaration),
  ];
  return advancedFunction({
    name: report.functionName,
    help,
    cmdletBinding: '[CmdletBinding(PositionalBinding = $false)]',
    parameters,
    body: [block('process {', remotingProcessLines(report, '$InitialDomain'))],
  });
}

/** The lines inside `process { }` that run the report in the tenant's remote session. */
export function remotingProcessLines(report: ExchangeReportModel, domainVariable: string): PsCode[] {
  const input = report.source.input;
  return [
    ...boundReportParameters(report),
    hashtable('$invoke = @{', [
      ['TenantId', '$TenantId'],
      ['InitialDomain', domainVariable],
      ['Credential', '$Credential'],
      ['Command', psLiteral(report.source.cmdlet)],
      ['Parameters', '$reportParameters'],
    ]),
    ...(input
      ? [
          `$invoke.InputCommand = ${psLiteral(input.cmdlet)}`,
          `$invoke.InputParameters = @{${inlineEntries(input.parameters)}}`,
        ]
      : []),
    // No try/catch: Invoke-DapTenantReport writes one non-terminating error per failed tenant, which
    // passes through as it is (catching and writing it again would add records to -ErrorVariable).
    'Invoke-DapTenantReport @invoke',
  ];
}

/** Fixed parameters as the inside of a one-line hashtable: ` 'Name' = value; … ` (empty when none). */
function inlineEntries(parameters: ReadonlyArray<{ name: string; value: string | number | boolean }>): string {
  const entries = parameters.map((p) => `${psLiteral(identifier(p.name))} = ${psScalar(p.value)}`).join('; ');
  return entries === '' ? '' : ` ${entries} `;
}
