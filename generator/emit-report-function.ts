import { psLiteral, psStringArray } from '../common/ps-literal.js';
import { commentHelp } from './ps-comment.js';
import { advancedFunction, domainValidation, identifier, parameterDeclaration, parameterHelp, psScalar, tenantIdValidation } from './ps-code.js';
import type { ExchangeReportModel } from './report-model.js';

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
  const body: string[] = [`${indent}process {`, `${indent}${indent}$reportParameters = @{}`];
  if (report.parameters.length > 0) {
    body.push(
      `${indent}${indent}foreach ($name in ${psStringArray(report.parameters.map((p) => identifier(p.name)))}) {`,
      `${indent}${indent}${indent}if ($PSBoundParameters.ContainsKey($name)) {`,
      `${indent}${indent}${indent}${indent}$value = $PSBoundParameters[$name]`,
      `${indent}${indent}${indent}${indent}if ($value -is [switch]) { $value = $value.IsPresent }`,
      `${indent}${indent}${indent}${indent}$reportParameters[$name] = $value`,
      `${indent}${indent}${indent}}`,
      `${indent}${indent}}`,
    );
  }
  for (const parameter of report.parameters) {
    if (parameter.default === undefined || parameter.default === false) continue;
    const name = identifier(parameter.name);
    body.push(`${indent}${indent}if (-not $reportParameters.ContainsKey(${psLiteral(name)})) { $reportParameters[${psLiteral(name)}] = $${name} }`);
  }
  body.push(
    `${indent}${indent}$invoke = @{`,
    `${indent}${indent}${indent}TenantId      = $TenantId`,
    `${indent}${indent}${indent}InitialDomain = $InitialDomain`,
    `${indent}${indent}${indent}Credential    = $Credential`,
    `${indent}${indent}${indent}Command       = ${psLiteral(report.source.cmdlet)}`,
    `${indent}${indent}${indent}Parameters    = $reportParameters`,
    `${indent}${indent}}`,
  );
  const input = report.source.input;
  if (input) {
    const entries = input.parameters.map((p) => `${psLiteral(identifier(p.name))} = ${psScalar(p.value)}`).join('; ');
    body.push(
      `${indent}${indent}$invoke.InputCommand = ${psLiteral(input.cmdlet)}`,
      `${indent}${indent}$invoke.InputParameters = @{${entries === '' ? '' : ` ${entries} `}}`,
    );
  }
  // No try/catch: Invoke-DapTenantReport writes one non-terminating error per failed tenant, which
  // passes through as it is (catching and writing it again would add records to -ErrorVariable).
  body.push(`${indent}${indent}Invoke-DapTenantReport @invoke`, `${indent}}`);
  return advancedFunction({ name: report.functionName, help, cmdletBinding: '[CmdletBinding(PositionalBinding = $false)]', declarations, body });
}
