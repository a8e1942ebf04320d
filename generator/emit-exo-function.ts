import { psLiteral, psStringArray } from '../common/ps-literal.js';
import { exchangeReportInputsHelp, remotingProcessLines } from './emit-report-function.js';
import { defaultExchangeUri, graphBaseUriPattern } from './identifiers.js';
import type { HelpSections } from './ps-comment.js';
import {
  accessTokenParameter,
  advancedFunction,
  boundReportParameters,
  domainValidation,
  identifier,
  parameterDeclaration,
  parameterHelp,
  psNumber,
  psScalar,
  tenantDomainParameter,
  tenantIdParameter,
} from './ps-code.js';
import { block, hashtable, type PsBlock, type PsCode } from './ps-writer.js';
import type { ExchangeRestReportModel, ExchangeRestSourceModel, RestParameterModel, ReportModel } from './report-model.js';
import { withSource } from './report-model.js';

/** The type name of an Exchange admin API report's row objects. */
export function restTypeName(report: ReportModel): string {
  return `DapReporting.${report.name}`;
}

const psTypeNames = { string: 'string', integer: 'long', number: 'double', boolean: 'bool', datetime: 'datetime' } as const;

export function restOutputsHelp(report: ReportModel): string {
  const columns = report.columns.map((c) => `${c.name} [${c.bytesOf ? 'long' : psTypeNames[c.type]}]`);
  return `${restTypeName(report)}, one per row: TenantId, TenantDomain, then ${columns.join(', ')}.`;
}

/** The permissions text every Exchange admin API report states in its help. */
export const restPermissionsHelp =
  'Needs an Exchange Online token for the customer tenant (Get-DapExoToken, scope https://outlook.office365.com/.default): ' +
  "the partner's app consented in the customer tenant with the Exchange.ManageAsApp application permission and an Entra role " +
  'that can read the data there (Global Reader, or Exchange Administrator), or, for a partner user, a GDAP relationship that ' +
  'grants Exchange Administrator or Global Reader.';

function restParameters(parameters: RestParameterModel | undefined): string {
  if (!parameters || parameters.length === 0) return '[ordered]@{}';
  return `[ordered]@{ ${parameters.map((p) => `${psLiteral(identifier(p.name))} = ${psScalar(p.value)}`).join('; ')} }`;
}

function selectList(select: readonly string[] | undefined): string {
  return select ? psStringArray(select.map(identifier)) : '@()';
}

/**
 * The $plan hashtable Invoke-DapExoReport runs: every name validated as an identifier, every
 * value written with psLiteral()/psNumber(), so nothing from the definition becomes code.
 */
function plan(report: ReportModel, source: ExchangeRestSourceModel): PsBlock {
  const each = source.forEach;
  const window = source.dateWindow;
  const next = source.continueWith;
  const rule = source.rows;
  const rows = !rule
    ? '$null'
    : rule.kind === 'inactiveFor'
      ? `@{ Kind = 'inactiveFor'; Column = ${psLiteral(rule.column)}; DaysParameter = ${psLiteral(identifier(rule.daysParameter))}; DaysColumn = ${psLiteral(rule.daysColumn)} }`
      : `@{ Kind = 'externalRecipients'; Columns = ${psStringArray(rule.columns)}; MatchColumn = ${psLiteral(rule.matchColumn)} }`;
  // A parameter a row rule reads is the report's, not the cmdlet's: it is not sent.
  const consumed = rule?.kind === 'inactiveFor' ? [rule.daysParameter] : [];
  return hashtable('$plan = @{', [
    ['TypeName', psLiteral(restTypeName(report))],
    ['Cmdlet', psLiteral(source.cmdlet)],
    ['Parameters', restParameters(source.parameters)],
    ['Select', selectList(source.select)],
    [
      'ForEach',
      each
        ? `@{ Cmdlet = ${psLiteral(each.cmdlet)}; Parameters = ${restParameters(each.parameters)}; Select = ${selectList(each.select)}; ` +
          `Property = ${psLiteral(identifier(each.property))}; Parameter = ${psLiteral(identifier(each.parameter))} }`
        : '$null',
    ],
    ['DateWindow', window ? `@{ Start = ${psLiteral(identifier(window.start))}; End = ${psLiteral(identifier(window.end))}; Days = ${psNumber(window.days)} }` : '$null'],
    [
      'ContinueWith',
      next
        ? `@{ SizeParameter = ${psLiteral(identifier(next.sizeParameter))}; Size = ${psNumber(next.size)}; From = @(` +
          `${next.from.map((f) => `@{ Parameter = ${psLiteral(identifier(f.parameter))}; Property = ${psLiteral(f.property)} }`).join(', ')}) }`
        : '$null',
    ],
    ['Rows', rows],
    ['Consumed', consumed.length > 0 ? psStringArray(consumed.map(identifier)) : '@()'],
    [
      'Columns',
      block(
        '@(',
        report.columns.map((column) => `@{ Name = ${psLiteral(column.name)}; Type = ${psLiteral(column.type)}; BytesOf = ${column.bytesOf === undefined ? '$null' : psLiteral(column.bytesOf)} }`),
        ')',
      ),
    ],
  ]);
}

/** The lines inside `process { }` that run the report over the Exchange admin API. */
export function restProcessLines(report: ExchangeRestReportModel, domainVariable: string): PsCode[] {
  return [
    ...boundReportParameters(report),
    plan(report, report.source),
    // No try/catch: Invoke-DapExoReport writes the one error of a failed tenant through this
    // function's $PSCmdlet.
    `Invoke-DapExoReport -TenantId $TenantId -TenantDomain ${domainVariable} -AccessToken $AccessToken -ExchangeUri $ExchangeUri -Plan $plan -ReportParameters $reportParameters -Caller $PSCmdlet`,
  ];
}

function restDescription(report: ExchangeRestReportModel): string {
  const source = report.source;
  const calls = source.forEach
    ? `${source.forEach.cmdlet}, then ${source.cmdlet} once per object it returns (its ${source.forEach.property} sent as -${source.forEach.parameter})`
    : source.cmdlet;
  return (
    `Runs ${calls} in one customer tenant over the Exchange Online admin API (POST <ExchangeUri>/adminapi/beta/<TenantId>/InvokeCommand), ` +
    'every page, and returns one typed object per row: TenantId, TenantDomain, then the report columns (see OUTPUTS). ' +
    `${restPermissionsHelp} ` +
    'Runs in one tenant per call or per pipeline object: pipe Get-DapExoToken into it to cover every tenant. ' +
    'A tenant that fails writes one non-terminating error whose FullyQualifiedErrorId starts with Dap.<Category> ' +
    '(AccessDenied, Throttled, InvalidParameter, NotFound or RemoteError) and returns no rows, and the other tenants go on; ' +
    'use -ErrorAction Stop to stop at the first failure. A throttled call (429) waits for the Retry-After seconds and is tried again, at most 3 times. Needs PowerShell 7.'
  );
}

const restCommonHelp = {
  accessToken: 'An Exchange Online access token for that tenant, as a SecureString, e.g. the AccessToken of Get-DapExoToken (scope https://outlook.office365.com/.default).',
  exchangeUri: `The Exchange Online host (https). Default ${defaultExchangeUri}.`,
};

/**
 * The `function <Verb>-Dap<Name> { … }` of a report with an exchangeRest source (no file header).
 * With an exchange source too, one function with two parameter sets: 'Remoting' (-Credential, the
 * remote session) and 'Rest' (-AccessToken, the admin API), the first source's set the default.
 */
export function emitExoFunction(report: ReportModel): string {
  const rest = withSource(report, 'exchangeRest');
  if (!rest) throw new Error(`${report.name} has no exchangeRest source`);
  const remoting = withSource(report, 'exchange');
  const reportParameters = report.parameters.map((parameter) => ({ name: identifier(parameter.name), help: parameterHelp(parameter) }));
  const help: HelpSections = remoting
    ? {
        synopsis: report.summary,
        description:
          `${report.description}\n\n` +
          `With -AccessToken (parameter set Rest): ${restDescription(rest)}\n\n` +
          `With -Credential (parameter set Remoting): runs ${remoting.source.cmdlet} in the remote Exchange Online session of the tenant ` +
          '(retired by Microsoft; kept for existing scripts) and returns untyped objects; a failed tenant writes one Dap.<Category> error ' +
          '(SessionLimit, AccessDenied, Throttled, InvalidParameter or RemoteError). Only the report parameters that are given (or have a default) are sent to the service.',
        parameters: [
          { name: 'TenantId', help: 'The customer tenant id (a GUID), e.g. from Get-DapExoToken or Get-DapCustomer.' },
          { name: 'InitialDomain', help: 'The customer tenant domain: required with -Credential (the initial domain, e.g. contoso.onmicrosoft.com); with -AccessToken only copied into every row.\nAlias: TenantDomain.' },
          { name: 'Credential', help: 'The partner administrator credential (parameter set Remoting).' },
          { name: 'AccessToken', help: `${restCommonHelp.accessToken} Selects the parameter set Rest.` },
          ...reportParameters,
          { name: 'ExchangeUri', help: `${restCommonHelp.exchangeUri} Parameter set Rest only.` },
        ],
        examples: report.examples,
        inputs: `DapReporting.ExoToken (from Get-DapExoToken) for the Rest set; ${exchangeReportInputsHelp}`,
        outputs: `With -AccessToken: ${restOutputsHelp(report)} With -Credential: System.Management.Automation.PSCustomObject, one per row: TenantId, TenantDomain, then the columns.`,
        links: ['Get-DapExoToken', 'Invoke-DapExoCommand', 'Get-DapCustomer', 'Invoke-DapTenantReport', ...report.links],
      }
    : {
        synopsis: report.summary,
        description: `${report.description}\n\n${restDescription(rest)}`,
        parameters: [
          { name: 'TenantId', help: 'The customer tenant id (a GUID), e.g. from Get-DapExoToken.' },
          { name: 'TenantDomain', help: 'The customer tenant domain, copied into every row (empty when not given), e.g. from Get-DapGraphCustomer through Get-DapExoToken.\nAlias: InitialDomain.' },
          { name: 'AccessToken', help: restCommonHelp.accessToken },
          ...reportParameters,
          { name: 'ExchangeUri', help: restCommonHelp.exchangeUri },
        ],
        examples: report.examples,
        inputs: 'DapReporting.ExoToken (from Get-DapExoToken), or any object with TenantId and AccessToken properties, bound by property name.',
        outputs: restOutputsHelp(report),
        links: ['Get-DapExoToken', 'Invoke-DapExoCommand', ...report.links],
      };
  const reportDeclarations = report.parameters.map(parameterDeclaration);
  const exchangeUri = [`[ValidatePattern(${psLiteral(graphBaseUriPattern)})]`, `[string] $ExchangeUri = ${psLiteral(defaultExchangeUri)}`];
  if (!remoting) {
    return advancedFunction({
      name: report.functionName,
      outputType: restTypeName(report),
      help,
      cmdletBinding: '[CmdletBinding(PositionalBinding = $false)]',
      parameters: [tenantIdParameter, tenantDomainParameter, accessTokenParameter, ...reportDeclarations, exchangeUri],
      body: [block('process {', restProcessLines(rest, '$TenantDomain'))],
    });
  }
  const defaultSet = report.sources[0]!.kind === 'exchange' ? 'Remoting' : 'Rest';
  // One -InitialDomain for both sets: required and a DNS name with -Credential, optional (empty
  // allowed) with -AccessToken, so the check of the Remoting set is made in the body.
  return advancedFunction({
    name: report.functionName,
    outputType: restTypeName(report),
    help,
    cmdletBinding: `[CmdletBinding(DefaultParameterSetName = ${psLiteral(defaultSet)}, PositionalBinding = $false)]`,
    parameters: [
      tenantIdParameter,
      [
        "[Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'Remoting')]",
        "[Parameter(ValueFromPipelineByPropertyName, ParameterSetName = 'Rest')]",
        "[Alias('TenantDomain')]",
        '[AllowEmptyString()]',
        domainValidation({ allowEmpty: true }),
        "[string] $InitialDomain = ''",
      ],
      ["[Parameter(Mandatory, ParameterSetName = 'Remoting')]", '[pscredential] $Credential'],
      ["[Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'Rest')]", '[securestring] $AccessToken'],
      ...reportDeclarations,
      ["[Parameter(ParameterSetName = 'Rest')]", ...exchangeUri],
    ],
    body: [
      block('process {', [
        block("if ($PSCmdlet.ParameterSetName -eq 'Rest') {", [...restProcessLines(rest, '$InitialDomain'), 'return']),
        block("if ($InitialDomain -eq '') {", [
          "$exception = [System.ArgumentException]::new('-InitialDomain is required with -Credential: the initial domain of the customer tenant, e.g. contoso.onmicrosoft.com.')",
          "$PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'Dap.InvalidParameter', [System.Management.Automation.ErrorCategory]::InvalidArgument, $TenantId))",
          'return',
        ]),
        ...remotingProcessLines(remoting, '$InitialDomain'),
      ]),
    ],
  });
}
