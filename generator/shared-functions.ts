import { psLiteral } from '../common/ps-literal.js';
import { domainValidation, literalList, tenantIdValidation } from './ps-code.js';
import { renderTemplate, type SharedTemplate, sharedTemplates } from './render-template.js';
import type { ReportModel } from './report-model.js';

/** The shared functions rendered for a set of reports, by function name, in template order. */
export function renderSharedFunctions(reports: readonly ReportModel[]): Map<SharedTemplate, string> {
  const cmdlets = [...new Set(reports.flatMap((r) => [r.source.cmdlet, ...(r.source.input ? [r.source.input.cmdlet] : [])]))].sort();
  const reportNames = reports.map((r) => r.name);
  const reportFunctions = reports.length === 0
    ? '@{}'
    : ['[ordered]@{', ...reports.map((r) => `        ${psLiteral(r.name)} = ${psLiteral(r.functionName)}`), '    }'].join('\n');
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
    },
  };
  return new Map(sharedTemplates.map((name) => [name, renderTemplate(name, values[name])]));
}
