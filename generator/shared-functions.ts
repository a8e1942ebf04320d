import { dnsNamePattern } from '../common/dns-name.js';
import { errorsFileColumns, errorsFileSuffix, noDataMessage } from '../common/errors-file-format.js';
import { MAX_SESSIONS_PER_ACCOUNT } from '../common/exchange-limits.js';
import { failureCategories } from '../common/failure-category.js';
import { graphPeriods } from '../common/graph-periods.js';
import { MAX_REDIRECTS, MAX_RETRY_AFTER_SECONDS } from '../common/http-limits.js';
import { privateIpv4Ranges, privateIpv6Ranges } from '../common/private-addresses.js';
import { psLiteral } from '../common/ps-literal.js';
import { graphTypeName } from './emit-graph-function.js';
import { cmdletNamePsPattern, exchangeScope, graphBaseUriPattern, psPropertyName, tenantIdPattern } from './identifiers.js';
import { dnsNameMessage, identifier } from './ps-code.js';
import { block, hashtable } from './ps-writer.js';
import { renderTemplate, type SharedTemplate, sharedTemplates, type TemplateFact } from './render-template.js';
import { exchangeReports, type GraphReportModel, graphReports, type ReportModel } from './report-model.js';

/** The shared functions rendered for a set of reports, by function name, in template order. */
export function renderSharedFunctions(reports: readonly ReportModel[]): Map<SharedTemplate, string> {
  const exchange = exchangeReports(reports);
  const graph = graphReports(reports);
  const cmdlets = [...new Set(exchange.flatMap((r) => [r.source.cmdlet, ...(r.source.input ? [r.source.input.cmdlet] : [])]))].sort();
  const graphFunctions = [...new Set(graph.map((r) => r.source.function))].sort();
  // Export-DapAggregateReport signs in with MSOnline and passes -InitialDomain and -Credential:
  // it runs the Exchange reports only.
  const reportNames = exchange.map((r) => r.name);
  const reportFunctions: TemplateFact =
    exchange.length === 0 ? { code: '@{}' } : { code: hashtable('[ordered]@{', exchange.map((r) => [psLiteral(r.name), psLiteral(r.functionName)] as const)) };
  // Invoke-DapGraphReport's table of each Graph function's object type and typed columns.
  const shapeOf = new Map<string, GraphReportModel>();
  for (const report of graph) if (!shapeOf.has(report.source.function)) shapeOf.set(report.source.function, report);
  const graphReportShapes: TemplateFact =
    shapeOf.size === 0
      ? { code: '@{}' }
      : {
          code: hashtable(
            '@{',
            [...shapeOf]
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([name, report]) => [
                psLiteral(name),
                hashtable('@{', [
                  ['TypeName', psLiteral(graphTypeName(report))],
                  [
                    'Columns',
                    block(
                      '@(',
                      report.columns.map(
                        (c) => `@{ Header = ${psLiteral(c.name)}; Property = ${psLiteral(identifier(psPropertyName(c.name)))}; Type = ${psLiteral(c.type)} }`,
                      ),
                      ')',
                    ),
                  ],
                ]),
              ]),
          ),
        };
  const facts: Record<SharedTemplate, Record<string, TemplateFact>> = {
    'Connect-DapPartner': {},
    'Get-DapCustomer': {},
    'Invoke-DapTenantReport': {
      TenantIdPattern: tenantIdPattern,
      DnsNamePattern: dnsNamePattern,
      DnsNameMessage: dnsNameMessage,
      // ValidateSet needs at least one value; with no report the list holds a name no cmdlet has.
      ExchangeCmdlets: cmdlets.length > 0 ? cmdlets : ['Get-DapNoReport'],
    },
    'Export-DapAggregateReport': {
      ReportNames: reportNames.length > 0 ? reportNames : ['NoReport'],
      ReportFunctions: reportFunctions,
      ErrorsFileColumns: errorsFileColumns,
      ErrorsFileSuffix: errorsFileSuffix,
      NoDataMessage: noDataMessage,
      MaxSessionsPerAccount: MAX_SESSIONS_PER_ACCOUNT,
    },
    'Get-DapFailureCategory': { FailureCategories: failureCategories },
    'Get-DapGraphToken': {
      TenantIdPattern: tenantIdPattern,
      BaseUriPattern: graphBaseUriPattern,
    },
    'Get-DapGraphCustomer': {
      BaseUriPattern: graphBaseUriPattern,
    },
    'Invoke-DapGraphReport': {
      TenantIdPattern: tenantIdPattern,
      // As above: with no Graph report the set holds a name no report function has.
      GraphFunctions: graphFunctions.length > 0 ? graphFunctions : ['getNoReport'],
      GraphPeriods: graphPeriods,
      BaseUriPattern: graphBaseUriPattern,
      GraphReportShapes: graphReportShapes,
      MaxRetryAfterSeconds: MAX_RETRY_AFTER_SECONDS,
      MaxRedirects: MAX_REDIRECTS,
    },
    'Get-DapExoToken': {
      TenantIdPattern: tenantIdPattern,
      BaseUriPattern: graphBaseUriPattern,
      ExchangeScope: exchangeScope,
    },
    'Invoke-DapExoCommand': {
      TenantIdPattern: tenantIdPattern,
      CmdletPattern: cmdletNamePsPattern,
      BaseUriPattern: graphBaseUriPattern,
      MaxRetryAfterSeconds: MAX_RETRY_AFTER_SECONDS,
    },
    'Invoke-DapTokenRequest': {},
    'New-DapClientAssertion': {},
    'Resolve-DapCertificate': {},
    'Invoke-DapExoRequest': { MaxRetryAfterSeconds: MAX_RETRY_AFTER_SECONDS },
    'ConvertTo-DapExoValue': {},
    'ConvertTo-DapCellText': {},
    'Invoke-DapExoReport': {},
    'Invoke-DapGraphQuery': { MaxRetryAfterSeconds: MAX_RETRY_AFTER_SECONDS },
    'Get-DapUrlRefusal': { PrivateIpvFourRanges: privateIpv4Ranges, PrivateIpvSixRanges: privateIpv6Ranges },
    'Invoke-DapRedirectedRequest': { MaxRedirects: MAX_REDIRECTS },
    'Invoke-DapWebRequest': {},
    'New-DapErrorRecord': { FailureCategories: failureCategories },
  };
  return new Map(sharedTemplates.map((name) => [name, renderTemplate(name, facts[name])]));
}
