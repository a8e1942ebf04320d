import { psLiteral, psStringArray } from '../common/ps-literal.js';
import { exchangeReportInputsHelp, remotingProcessLines, reportParameterLines } from './emit-report-function.js';
import { dnsNamePattern } from '../common/dns-name.js';
import { defaultExchangeUri, graphBaseUriPattern } from './identifiers.js';
import { commentHelp, type HelpSections } from './ps-comment.js';
import { advancedFunction, identifier, parameterDeclaration, parameterHelp, psNumber, psScalar, tenantIdValidation } from './ps-code.js';
import type { ExchangeRestReportModel, ExchangeRestSourceModel, RestParameterModel, ReportModel } from './report-model.js';
import { withSource } from './report-model.js';

const indent = '    ';
const i2 = indent + indent;
const i3 = i2 + indent;

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
export function planLines(report: ReportModel, source: ExchangeRestSourceModel, at: string): string[] {
  const lines = [
    `${at}$plan = @{`,
    `${at}${indent}TypeName     = ${psLiteral(restTypeName(report))}`,
    `${at}${indent}Cmdlet       = ${psLiteral(source.cmdlet)}`,
    `${at}${indent}Parameters   = ${restParameters(source.parameters)}`,
    `${at}${indent}Select       = ${selectList(source.select)}`,
  ];
  const each = source.forEach;
  lines.push(
    each
      ? `${at}${indent}ForEach      = @{ Cmdlet = ${psLiteral(each.cmdlet)}; Parameters = ${restParameters(each.parameters)}; Select = ${selectList(each.select)}; ` +
          `Property = ${psLiteral(identifier(each.property))}; Parameter = ${psLiteral(identifier(each.parameter))} }`
      : `${at}${indent}ForEach      = $null`,
  );
  const window = source.dateWindow;
  lines.push(
    window
      ? `${at}${indent}DateWindow   = @{ Start = ${psLiteral(identifier(window.start))}; End = ${psLiteral(identifier(window.end))}; Days = ${psNumber(window.days)} }`
      : `${at}${indent}DateWindow   = $null`,
  );
  const next = source.continueWith;
  lines.push(
    next
      ? `${at}${indent}ContinueWith = @{ SizeParameter = ${psLiteral(identifier(next.sizeParameter))}; Size = ${psNumber(next.size)}; From = @(` +
          `${next.from.map((f) => `@{ Parameter = ${psLiteral(identifier(f.parameter))}; Property = ${psLiteral(f.property)} }`).join(', ')}) }`
      : `${at}${indent}ContinueWith = $null`,
  );
  const rule = source.rows;
  if (!rule) lines.push(`${at}${indent}Rows         = $null`);
  else if (rule.kind === 'inactiveFor') {
    lines.push(
      `${at}${indent}Rows         = @{ Kind = 'inactiveFor'; Column = ${psLiteral(rule.column)}; DaysParameter = ${psLiteral(identifier(rule.daysParameter))}; DaysColumn = ${psLiteral(rule.daysColumn)} }`,
    );
  } else {
    lines.push(`${at}${indent}Rows         = @{ Kind = 'externalRecipients'; Columns = ${psStringArray(rule.columns)}; MatchColumn = ${psLiteral(rule.matchColumn)} }`);
  }
  // A parameter a row rule reads is the report's, not the cmdlet's: it is not sent.
  const consumed = rule?.kind === 'inactiveFor' ? [rule.daysParameter] : [];
  lines.push(`${at}${indent}Consumed     = ${consumed.length > 0 ? psStringArray(consumed.map(identifier)) : '@()'}`);
  lines.push(`${at}${indent}Columns      = @(`);
  for (const column of report.columns) {
    lines.push(`${at}${indent}${indent}@{ Name = ${psLiteral(column.name)}; Type = ${psLiteral(column.type)}; BytesOf = ${column.bytesOf === undefined ? '$null' : psLiteral(column.bytesOf)} }`);
  }
  lines.push(`${at}${indent})`, `${at}}`);
  return lines;
}

/** The lines inside `process { }` that run the report over the Exchange admin API. */
export function restProcessLines(report: ExchangeRestReportModel, domainVariable: string, at: string): string[] {
  return [
    ...reportParameterLines(report, at),
    ...planLines(report, report.source, at),
    // No try/catch: Invoke-DapExoReport writes the one error of a failed tenant through this
    // function's $PSCmdlet.
    `${at}Invoke-DapExoReport -TenantId $TenantId -TenantDomain ${domainVariable} -AccessToken $AccessToken -ExchangeUri $ExchangeUri -Plan $plan -ReportParameters $reportParameters -Caller $PSCmdlet`,
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
  exchangeUri: `The Exchange Online host: https, or http to the loopback host for a local stand-in. Default ${defaultExchangeUri}.`,
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
  const commonTail = [
    ...report.parameters.map((parameter) => parameterDeclaration(parameter, i2)),
  ];
  if (!remoting) {
    return advancedFunction({
      name: report.functionName,
      outputType: restTypeName(report),
      help: commentHelp(help, indent),
      cmdletBinding: '[CmdletBinding(PositionalBinding = $false)]',
      declarations: [
        `${i2}[Parameter(Mandatory, ValueFromPipelineByPropertyName)]\n${i2}[ValidatePattern(${tenantIdValidation()})]\n${i2}[string] $TenantId`,
        `${i2}[Parameter(ValueFromPipelineByPropertyName)]\n${i2}[Alias('InitialDomain')]\n${i2}[AllowEmptyString()]\n${i2}[string] $TenantDomain = ''`,
        `${i2}[Parameter(Mandatory, ValueFromPipelineByPropertyName)]\n${i2}[securestring] $AccessToken`,
        ...commonTail,
        `${i2}[ValidatePattern(${psLiteral(graphBaseUriPattern)})]\n${i2}[string] $ExchangeUri = ${psLiteral(defaultExchangeUri)}`,
      ],
      body: [`${indent}process {`, ...restProcessLines(rest, '$TenantDomain', i2), `${indent}}`],
    });
  }
  const defaultSet = report.sources[0]!.kind === 'exchange' ? 'Remoting' : 'Rest';
  // One -InitialDomain for both sets: required and a DNS name with -Credential, optional (empty
  // allowed) with -AccessToken, so the check of the Remoting set is made in the body.
  const domainCheck = [
    `${i2}[ValidateScript({`,
    `${i3}if ($_ -eq '' -or $_ -match ${psLiteral(dnsNamePattern)}) { return $true }`,
    `${i3}throw ("'{0}' is not a DNS domain name: expected at least two labels of 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen, at most 253 characters." -f $_)`,
    `${i2}})]`,
  ].join('\n');
  return advancedFunction({
    name: report.functionName,
    outputType: restTypeName(report),
    help: commentHelp(help, indent),
    cmdletBinding: `[CmdletBinding(DefaultParameterSetName = ${psLiteral(defaultSet)}, PositionalBinding = $false)]`,
    declarations: [
      `${i2}[Parameter(Mandatory, ValueFromPipelineByPropertyName)]\n${i2}[ValidatePattern(${tenantIdValidation()})]\n${i2}[string] $TenantId`,
      `${i2}[Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'Remoting')]\n${i2}[Parameter(ValueFromPipelineByPropertyName, ParameterSetName = 'Rest')]\n` +
        `${i2}[Alias('TenantDomain')]\n${i2}[AllowEmptyString()]\n${domainCheck}\n${i2}[string] $InitialDomain = ''`,
      `${i2}[Parameter(Mandatory, ParameterSetName = 'Remoting')]\n${i2}[pscredential] $Credential`,
      `${i2}[Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'Rest')]\n${i2}[securestring] $AccessToken`,
      ...commonTail,
      `${i2}[Parameter(ParameterSetName = 'Rest')]\n${i2}[ValidatePattern(${psLiteral(graphBaseUriPattern)})]\n${i2}[string] $ExchangeUri = ${psLiteral(defaultExchangeUri)}`,
    ],
    body: [
      `${indent}process {`,
      `${i2}if ($PSCmdlet.ParameterSetName -eq 'Rest') {`,
      ...restProcessLines(rest, '$InitialDomain', i3),
      `${i3}return`,
      `${i2}}`,
      `${i2}if ($InitialDomain -eq '') {`,
      `${i3}$exception = [System.ArgumentException]::new('-InitialDomain is required with -Credential: the initial domain of the customer tenant, e.g. contoso.onmicrosoft.com.')`,
      `${i3}$PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'Dap.InvalidParameter', [System.Management.Automation.ErrorCategory]::InvalidArgument, $TenantId))`,
      `${i3}return`,
      `${i2}}`,
      ...remotingProcessLines(remoting, '$InitialDomain'),
      `${indent}}`,
    ],
  });
}
