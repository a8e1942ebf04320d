import { psLiteral } from '../common/ps-literal.js';
import { graphBaseUriPattern, graphParameterNames, psPropertyName } from './identifiers.js';
import { accessTokenParameter, advancedFunction, identifier, literalList, parameterHelp, tenantDomainParameter, tenantIdParameter } from './ps-code.js';
import { block, hashtable } from './ps-writer.js';
import type { GraphReportModel, ParameterModel } from './report-model.js';

export const defaultGraphUri = 'https://graph.microsoft.com';

/** The type name of a Graph report's row objects. */
export function graphTypeName(report: GraphReportModel): string {
  return `DapReporting.${report.name}`;
}

const psTypeNames = { string: 'string', integer: 'long', number: 'double', boolean: 'bool', datetime: 'datetime' } as const;

export function graphOutputsHelp(report: GraphReportModel): string {
  const columns = report.columns.map((c) => `${psPropertyName(c.name)} [${psTypeNames[c.type]}] ('${c.name}')`);
  return `${graphTypeName(report)}, one per row: TenantId, TenantDomain, then ${columns.join(', ')}.`;
}

function periodDeclaration(period: ParameterModel, withDateSet: boolean): string[] {
  const arguments_ = [...(period.required ? ['Mandatory'] : []), ...(withDateSet ? ["ParameterSetName = 'Period'"] : [])];
  return [
    ...(arguments_.length > 0 ? [`[Parameter(${arguments_.join(', ')})]`] : []),
    `[ValidateSet(${literalList(period.values ?? [])})]`,
    `[string] $${identifier(period.name)}${typeof period.default === 'string' ? ` = ${psLiteral(period.default)}` : ''}`,
  ];
}

/**
 * The `function <Verb>-Dap<Name> { … }` of one Graph report (no file header): -TenantId and
 * -AccessToken from the pipeline, -Period or (in its own parameter set) -Date, -GraphUri; the
 * request itself is Invoke-DapGraphReport's, so the HTTP logic exists once.
 */
export function emitGraphFunction(report: GraphReportModel): string {
  const period = report.parameters.find((p) => p.name === graphParameterNames.period);
  const date = report.parameters.find((p) => p.name === graphParameterNames.date);
  if (!period || report.parameters.some((p) => p !== period && p !== date)) {
    throw new Error(`graph report ${report.name} must have a Period parameter and may have a Date parameter, nothing else`);
  }
  const help = {
      synopsis: report.summary,
      description:
        `${report.description}\n\n` +
        `Calls the Microsoft Graph report function ${report.source.function} with an app-only token for one customer tenant ` +
        '(Get-DapGraphToken), follows the redirect to the CSV download and returns one typed object per CSV row: TenantId, TenantDomain, then the columns ' +
        "with PowerShell names (the CSV header's words joined, e.g. 'Storage Used (Byte)' as StorageUsedByte) and types (see OUTPUTS). " +
        'Runs in one tenant per call or per pipeline object: pipe Get-DapGraphToken into it to cover every tenant. ' +
        'A tenant that fails writes one non-terminating error whose FullyQualifiedErrorId starts with Dap.<Category> ' +
        '(AccessDenied, Throttled, InvalidParameter or RemoteError) and the other tenants go on; use -ErrorAction Stop to stop at the first failure. ' +
        'A throttled request (429) waits for the Retry-After seconds and is tried again, at most 3 times. Needs PowerShell 7.',
      parameters: [
        { name: 'TenantId', help: 'The customer tenant id (a GUID), e.g. from Get-DapGraphToken or Get-DapCustomer.' },
        { name: 'TenantDomain', help: 'The customer tenant domain, copied into every row (empty when not given), e.g. from Get-DapGraphCustomer through Get-DapGraphToken.\nAlias: InitialDomain.' },
        { name: 'AccessToken', help: 'A Microsoft Graph access token for that tenant, as a SecureString, e.g. the AccessToken of Get-DapGraphToken (needs Reports.Read.All).' },
        { name: identifier(period.name), help: parameterHelp(period) },
        ...(date ? [{ name: identifier(date.name), help: `${parameterHelp(date)}\nCannot be combined with ${period.name}.` }] : []),
        { name: 'GraphUri', help: `The Microsoft Graph host, without /v1.0 (https). Default ${defaultGraphUri}.` },
      ],
      examples: report.examples,
      inputs: 'DapReporting.GraphToken (from Get-DapGraphToken), or any object with TenantId and AccessToken properties, bound by property name.',
      outputs: graphOutputsHelp(report),
      links: ['Get-DapGraphToken', 'Invoke-DapGraphReport', ...report.links],
  };
  const parameters = [
    tenantIdParameter,
    tenantDomainParameter,
    accessTokenParameter,
    periodDeclaration(period, date !== undefined),
    ...(date ? [["[Parameter(Mandatory, ParameterSetName = 'Date')]", `[datetime] $${identifier(date.name)}`]] : []),
    [`[ValidatePattern(${psLiteral(graphBaseUriPattern)})]`, `[string] $GraphUri = ${psLiteral(defaultGraphUri)}`],
  ];
  const periodName = identifier(period.name);
  const body = block('process {', [
    hashtable('$invoke = @{', [
      ['TenantId', '$TenantId'],
      ['TenantDomain', '$TenantDomain'],
      ['AccessToken', '$AccessToken'],
      ['Function', psLiteral(report.source.function)],
      ['GraphUri', '$GraphUri'],
    ]),
    ...(date
      ? [
          block("if ($PSCmdlet.ParameterSetName -eq 'Date') {", [`$invoke.Date = $${identifier(date.name)}`]),
          block(`elseif ($${periodName}) {`, [`$invoke.Period = $${periodName}`]),
        ]
      : [`if ($${periodName}) { $invoke.Period = $${periodName} }`]),
    // No try/catch: Invoke-DapGraphReport writes one non-terminating error per failed tenant,
    // which passes through as it is.
    'Invoke-DapGraphReport @invoke',
  ]);
  return advancedFunction({
    name: report.functionName,
    outputType: graphTypeName(report),
    help,
    cmdletBinding: date ? "[CmdletBinding(DefaultParameterSetName = 'Period', PositionalBinding = $false)]" : '[CmdletBinding(PositionalBinding = $false)]',
    parameters,
    body: [body],
  });
}
