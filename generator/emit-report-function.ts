import { psLiteral, psStringArray } from '../common/ps-literal.js';
import { commentHelp } from './ps-comment.js';
import { advancedFunction, domainValidation, identifier, parameterDeclaration, parameterHelp, psScalar, tenantIdValidation } from './ps-code.js';
import type { ExchangeReportModel, ReportModel } from './report-model.js';

const indent = '    ';

export const exchangeReportInputsHelp =
  'DapReporting.Customer (from Get-DapCustomer), or any object with TenantId and InitialDomain (or TenantDomain) properties, bound by property name.';

export function reportOutputsHelp(report: ExchangeReportModel): string {
  // a bytesOf column is added by dap-report (its pwsh host), not by the function
  const own = report.columns.filter((c) => !c.bytesOf);
  return `System.Management.Automation.PSCustomObject, one per row: TenantId, TenantDomain, then ${own.map((c) => c.name).join(', ')}.`;
}

/** The `function <Verb>-Dap<Name> { … }` of one report (no file header). */
export function emitReportFunction(report: ExchangeReportModel): string {
  const help = commentHelp(
    {
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
    },
    indent,
  );
  const declarations = [
    `${indent}${indent}[Parameter(Mandatory, ValueFromPipelineByPropertyName)]\n${indent}${indent}[ValidatePattern(${tenantIdValidation()})]\n${indent}${indent}[string] $TenantId`,
    `${indent}${indent}[Parameter(Mandatory, ValueFromPipelineByPropertyName)]\n${indent}${indent}[Alias('TenantDomain')]\n${domainValidation(indent + indent)}\n${indent}${indent}[string] $InitialDomain`,
    `${indent}${indent}[Parameter(Mandatory)]\n${indent}${indent}[pscredential] $Credential`,
    ...report.parameters.map((parameter) => parameterDeclaration(parameter, indent + indent)),
  ];
  const body = [`${indent}process {`, ...remotingProcessLines(report, '$InitialDomain'), `${indent}}`];
  return advancedFunction({ name: report.functionName, help, cmdletBinding: '[CmdletBinding(PositionalBinding = $false)]', declarations, body });
}

/**
 * The report parameters the caller bound (a switch as true or false), then those with a definition
 * default, in $reportParameters: what is sent to the service.
 */
export function reportParameterLines(report: ReportModel, at: string): string[] {
  const lines = [`${at}$reportParameters = @{}`];
  if (report.parameters.length > 0) {
    lines.push(
      `${at}foreach ($name in ${psStringArray(report.parameters.map((p) => identifier(p.name)))}) {`,
      `${at}${indent}if ($PSBoundParameters.ContainsKey($name)) {`,
      `${at}${indent}${indent}$value = $PSBoundParameters[$name]`,
      `${at}${indent}${indent}if ($value -is [switch]) { $value = $value.IsPresent }`,
      `${at}${indent}${indent}$reportParameters[$name] = $value`,
      `${at}${indent}}`,
      `${at}}`,
    );
  }
  for (const parameter of report.parameters) {
    if (parameter.default === undefined || parameter.default === false) continue;
    const name = identifier(parameter.name);
    lines.push(`${at}if (-not $reportParameters.ContainsKey(${psLiteral(name)})) { $reportParameters[${psLiteral(name)}] = $${name} }`);
  }
  return lines;
}

/** The lines inside `process { }` that run the report in the tenant's remote session. */
export function remotingProcessLines(report: ExchangeReportModel, domainVariable: string): string[] {
  const at = indent + indent;
  const body = reportParameterLines(report, at);
  body.push(
    `${at}$invoke = @{`,
    `${at}${indent}TenantId      = $TenantId`,
    `${at}${indent}InitialDomain = ${domainVariable}`,
    `${at}${indent}Credential    = $Credential`,
    `${at}${indent}Command       = ${psLiteral(report.source.cmdlet)}`,
    `${at}${indent}Parameters    = $reportParameters`,
    `${at}}`,
  );
  const input = report.source.input;
  if (input) {
    const entries = input.parameters.map((p) => `${psLiteral(identifier(p.name))} = ${psScalar(p.value)}`).join('; ');
    body.push(
      `${at}$invoke.InputCommand = ${psLiteral(input.cmdlet)}`,
      `${at}$invoke.InputParameters = @{${entries === '' ? '' : ` ${entries} `}}`,
    );
  }
  // No try/catch: Invoke-DapTenantReport writes one non-terminating error per failed tenant, which
  // passes through as it is (catching and writing it again would add records to -ErrorVariable).
  body.push(`${at}Invoke-DapTenantReport @invoke`);
  return body;
}
