import { errorsFileColumns, errorsFileSuffix, noDataMessage } from '../common/errors-file-format.js';
import { psLiteral } from '../common/ps-literal.js';
import { graphTypeName } from './emit-graph-function.js';
import { cmdletNamePsPattern, exchangeScope, graphBaseUriPattern, graphPeriods, psPropertyName } from './identifiers.js';
import { domainValidation, identifier, literalList, tenantIdValidation } from './ps-code.js';
import { renderTemplate, type SharedTemplate, sharedTemplates } from './render-template.js';
import { MAX_RETRY_AFTER_SECONDS } from '../common/http-limits.js';
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
  const reportFunctions = exchange.length === 0
    ? '@{}'
    : ['[ordered]@{', ...exchange.map((r) => `        ${psLiteral(r.name)} = ${psLiteral(r.functionName)}`), '    }'].join('\n');
  // Invoke-DapGraphReport's table of each Graph function's object type and typed columns.
  const shapeOf = new Map<string, GraphReportModel>();
  for (const report of graph) if (!shapeOf.has(report.source.function)) shapeOf.set(report.source.function, report);
  const graphReportShapes = shapeOf.size === 0
    ? '@{}'
    : [
        '@{',
        ...[...shapeOf].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, report]) => [
          `            ${psLiteral(name)} = @{`,
          `                TypeName = ${psLiteral(graphTypeName(report))}`,
          '                Columns  = @(',
          ...report.columns.map((c) => `                    @{ Header = ${psLiteral(c.name)}; Property = ${psLiteral(identifier(psPropertyName(c.name)))}; Type = ${psLiteral(c.type)} }`),
          '                )',
          '            }',
        ].join('\n')),
        '        }',
      ].join('\n');
  const values: Record<SharedTemplate, Record<string, string>> = {
    'Connect-DapPartner': {},
    'Get-DapCustomer': {},
    'Invoke-DapTenantReport': {
      TenantIdPattern: tenantIdValidation(),
      DomainValidation: domainValidation('        '),
      // ValidateSet needs at least one value; with no report the list holds a name no cmdlet has.
      ExchangeCmdlets: literalList(cmdlets.length > 0 ? cmdlets : ['Get-DapNoReport']),
    },
    'Export-DapAggregateReport': {
      ReportNames: literalList(reportNames.length > 0 ? reportNames : ['NoReport']),
      ReportFunctions: reportFunctions,
      ErrorsFileColumns: literalList(errorsFileColumns),
      ErrorsFileHeader: errorsFileColumns.join(','),
      ErrorsFileSuffix: psLiteral(errorsFileSuffix),
      ErrorsFileSuffixText: errorsFileSuffix,
      NoDataMessage: psLiteral(noDataMessage),
    },
    'Get-DapGraphToken': {
      TenantIdPattern: tenantIdValidation(),
      GraphUriPattern: psLiteral(graphBaseUriPattern),
    },
    'Get-DapGraphCustomer': {
      GraphUriPattern: psLiteral(graphBaseUriPattern),
    },
    'Invoke-DapGraphReport': {
      TenantIdPattern: tenantIdValidation(),
      // As above: with no Graph report the set holds a name no report function has.
      GraphFunctions: literalList(graphFunctions.length > 0 ? graphFunctions : ['getNoReport']),
      GraphPeriods: literalList(graphPeriods),
      GraphUriPattern: psLiteral(graphBaseUriPattern),
      GraphReportShapes: graphReportShapes,
      MaxRetryAfterSeconds: String(MAX_RETRY_AFTER_SECONDS),
    },
    'Get-DapExoToken': {
      TenantIdPattern: tenantIdValidation(),
      LoginUriPattern: psLiteral(graphBaseUriPattern),
      ExchangeScope: psLiteral(exchangeScope),
    },
    'Invoke-DapExoCommand': {
      TenantIdPattern: tenantIdValidation(),
      CmdletPattern: psLiteral(cmdletNamePsPattern),
      ExchangeUriPattern: psLiteral(graphBaseUriPattern),
      MaxRetryAfterSeconds: String(MAX_RETRY_AFTER_SECONDS),
    },
    'Invoke-DapTokenRequest': {},
    'New-DapClientAssertion': {},
    'Resolve-DapCertificate': {},
    'Invoke-DapExoRequest': { MaxRetryAfterSeconds: String(MAX_RETRY_AFTER_SECONDS) },
    'ConvertTo-DapExoValue': {},
    'ConvertTo-DapCellText': {},
    'Invoke-DapExoReport': {},
  };
  return new Map(sharedTemplates.map((name) => [name, renderTemplate(name, values[name])]));
}
