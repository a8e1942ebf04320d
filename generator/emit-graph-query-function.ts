import type { GraphQueryCatalogCall } from '../common/catalog.js';
import { psLiteral, psStringArray } from '../common/ps-literal.js';
import { defaultGraphUri } from './emit-graph-function.js';
import { graphBaseUriPattern } from './identifiers.js';
import { accessTokenParameter, advancedFunction, psNumber, tenantDomainParameter, tenantIdParameter } from './ps-code.js';
import { block, hashtable, type PsBlock } from './ps-writer.js';
import type { GraphQueryReportModel } from './report-model.js';

const psTypeNames = { string: 'string', integer: 'long', number: 'double', boolean: 'bool', datetime: 'datetime' } as const;

/** The type name of a Graph query report's row objects. */
export function graphQueryTypeName(report: GraphQueryReportModel): string {
  return `DapReporting.${report.name}`;
}

/** One call of the plan: every value through psLiteral()/psNumber(), so nothing from the definition becomes code. */
function callTable(call: GraphQueryCatalogCall, extra: Array<readonly [string, string]> = []): string {
  const entries: string[] = [
    `Version = ${psLiteral(call.version)}`,
    `Path = ${psLiteral(call.path)}`,
    `Select = ${call.select ? psStringArray(call.select) : '$null'}`,
    `Filter = ${call.filter !== undefined ? psLiteral(call.filter) : '$null'}`,
    `Expand = ${call.expand !== undefined ? psLiteral(call.expand) : '$null'}`,
    `Top = ${call.top !== undefined ? psNumber(call.top) : '$null'}`,
    `First = ${call.first !== undefined ? psNumber(call.first) : '$null'}`,
    `Count = ${call.count ? '$true' : '$false'}`,
    ...extra.map(([key, value]) => `${key} = ${value}`),
  ];
  return `@{ ${entries.join('; ')} }`;
}

/** The $plan hashtable Invoke-DapGraphQuery runs. */
function plan(report: GraphQueryReportModel): PsBlock {
  const source = report.source;
  return hashtable('$plan = @{', [
    ['Name', psLiteral(report.name)],
    ['TypeName', psLiteral(graphQueryTypeName(report))],
    ['Permission', psLiteral(source.permission)],
    ['Query', callTable(source)],
    ['Lookups', block('@(', (source.lookups ?? []).map((l) => callTable(l, [['Name', psLiteral(l.name)], ['Key', psLiteral(l.key)]])), ')')],
    [
      'Columns',
      block(
        '@(',
        report.columns.map(
          (c) =>
            `@{ Name = ${psLiteral(c.name)}; Type = ${psLiteral(c.type)}; From = ${c.from !== undefined ? psLiteral(c.from) : '$null'}; ` +
            `Lookup = ${c.lookup !== undefined ? psLiteral(c.lookup) : '$null'}; ` +
            `Percent = ${c.percent ? `@{ Of = ${psLiteral(c.percent.of)}; Over = ${psLiteral(c.percent.over)} }` : '$null'} }`,
        ),
        ')',
      ),
    ],
  ]);
}

/**
 * The `function <Verb>-Dap<Name> { … }` of a Graph query report (no file header): -TenantId,
 * -TenantDomain and -AccessToken from the pipeline (Get-DapGraphToken), -GraphUri; the query
 * itself is Invoke-DapGraphQuery's, so the HTTP logic exists once.
 */
export function emitGraphQueryFunction(report: GraphQueryReportModel): string {
  const source = report.source;
  const query = `GET <GraphUri>/${source.version}/${source.path}${source.expand ? `?$expand=${source.expand}` : ''}`;
  const columns = report.columns.map((c) => `${c.name} [${psTypeNames[c.type]}]`);
  return advancedFunction({
    name: report.functionName,
    outputType: graphQueryTypeName(report),
    help: {
      synopsis: report.summary,
      description:
        `${report.description}\n\n` +
        `Runs the Microsoft Graph query ${query}${source.version === 'beta' ? " (Graph's preview API: it may change without notice)" : ''} with an app-only token for one customer tenant ` +
        `(Get-DapGraphToken), every page, and returns one typed object per object the service returns: TenantId, TenantDomain, then the columns (see OUTPUTS). ` +
        `Needs the application permission ${source.permission}, consented in the customer tenant. ` +
        'Runs in one tenant per call or per pipeline object: pipe Get-DapGraphToken into it to cover every tenant. ' +
        'A tenant that fails writes one non-terminating error whose FullyQualifiedErrorId starts with Dap.<Category> ' +
        '(AccessDenied, naming the permission to grant; Throttled; InvalidParameter or RemoteError) and the other tenants go on; use -ErrorAction Stop to stop at the first failure. ' +
        'A throttled request (429) waits for the Retry-After seconds and is tried again, at most 3 times. Needs PowerShell 7.',
      parameters: [
        { name: 'TenantId', help: 'The customer tenant id (a GUID), e.g. from Get-DapGraphToken.' },
        { name: 'TenantDomain', help: 'The customer tenant domain, copied into every row (empty when not given), e.g. from Get-DapGraphCustomer through Get-DapGraphToken.\nAlias: InitialDomain.' },
        { name: 'AccessToken', help: `A Microsoft Graph access token for that tenant, as a SecureString, e.g. the AccessToken of Get-DapGraphToken (needs ${source.permission}).` },
        { name: 'GraphUri', help: `The Microsoft Graph host, without the version (https). Default ${defaultGraphUri}.` },
      ],
      examples: report.examples,
      inputs: 'DapReporting.GraphToken (from Get-DapGraphToken), or any object with TenantId and AccessToken properties, bound by property name.',
      outputs: `${graphQueryTypeName(report)}, one per object: TenantId, TenantDomain, then ${columns.join(', ')}.`,
      links: ['Get-DapGraphToken', 'Get-DapGraphCustomer', ...report.links],
    },
    cmdletBinding: '[CmdletBinding(PositionalBinding = $false)]',
    parameters: [tenantIdParameter, tenantDomainParameter, accessTokenParameter, [`[ValidatePattern(${psLiteral(graphBaseUriPattern)})]`, `[string] $GraphUri = ${psLiteral(defaultGraphUri)}`]],
    body: [
      block('process {', [
        plan(report),
        // No try/catch: Invoke-DapGraphQuery writes the one error of a failed tenant through this function's $PSCmdlet.
        'Invoke-DapGraphQuery -TenantId $TenantId -TenantDomain $TenantDomain -AccessToken $AccessToken -GraphUri $GraphUri -Plan $plan -Caller $PSCmdlet',
      ]),
    ],
  });
}
