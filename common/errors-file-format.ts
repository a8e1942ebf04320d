/**
 * The errors file, as both the CLI (runtime/run/errors-file.ts) and the PowerShell module
 * (Export-DapAggregateReport, whose template dap-gen fills from these constants) write it: a CSV
 * with this header and CRLF line ends, one line per tenant that failed or returned no rows, in
 * domain order. By default it is named after the output file, `<out>.errors.csv`.
 */
export const errorsFileColumns = ['TenantDomain', 'TenantId', 'Category', 'Message'] as const;

/** Appended to the output file's name to make the default errors file's name. */
export const errorsFileSuffix = '.errors.csv';

/** The message of a NoData line (a tenant that succeeded without rows: listed, not a failure). */
export const noDataMessage = 'the report returned no rows for this tenant';

/** The errors file that goes with an output file when none is named. */
export function defaultErrorsFileFor(outputFile: string): string {
  return `${outputFile}${errorsFileSuffix}`;
}
