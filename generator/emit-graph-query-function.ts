import { psLiteral } from '../common/ps-literal.js';
import { accessTokenParameter, advancedFunction, tenantDomainParameter, tenantIdParameter } from './ps-code.js';
import { block } from './ps-writer.js';
import type { GraphQueryReportModel } from './report-model.js';

/**
 * The `function <Verb>-Dap<Name> { … }` of a Graph query report. The module does not run Graph
 * queries yet: the function takes the same input as the other Graph functions and writes one
 * Dap.InvalidParameter error per tenant that points to dap-report, which runs the report.
 */
export function emitGraphQueryFunction(report: GraphQueryReportModel): string {
  const source = report.source;
  const message = `${report.functionName} runs through the runtime only for now: dap-report run --backend graph --report ${report.name} (GET ${source.version}/${source.path}; permission ${source.permission}).`;
  return advancedFunction({
    name: report.functionName,
    help: {
      synopsis: report.summary,
      description: `${report.description}\n\nThe module does not run Microsoft Graph queries yet: this function writes one error per tenant (Dap.InvalidParameter) naming the dap-report command that runs the report.`,
      parameters: [
        { name: 'TenantId', help: 'The customer tenant id (a GUID), e.g. from Get-DapGraphToken.' },
        { name: 'TenantDomain', help: 'The customer tenant domain.\nAlias: InitialDomain.' },
        { name: 'AccessToken', help: 'A Microsoft Graph access token for that tenant, as a SecureString (Get-DapGraphToken).' },
      ],
      examples: report.examples,
      inputs: 'DapReporting.GraphToken (from Get-DapGraphToken), bound by property name.',
      outputs: 'None.',
      links: ['Get-DapGraphToken', ...report.links],
    },
    cmdletBinding: '[CmdletBinding(PositionalBinding = $false)]',
    parameters: [tenantIdParameter, tenantDomainParameter, accessTokenParameter],
    body: [
      block('process {', [
        `$exception = [System.NotSupportedException]::new(${psLiteral(message)})`,
        "$PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'Dap.InvalidParameter', [System.Management.Automation.ErrorCategory]::NotImplemented, $TenantId))",
      ]),
    ],
  });
}
