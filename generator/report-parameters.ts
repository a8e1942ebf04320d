import type { ColumnDefinition, ParameterDefinition } from './report-definition.js';

/**
 * Parameters and columns shared by several built-in reports. Definition files import these by
 * name; dap-gen resolves such imports statically.
 */
export const startDate = {
  name: 'StartDate',
  type: 'Date',
  help: 'The first day of the report period. Only rows dated on or after this day are returned.',
} as const satisfies ParameterDefinition;

export const endDate = {
  name: 'EndDate',
  type: 'Date',
  help: 'The last day of the report period. Only rows dated on or before this day are returned; it must not be earlier than StartDate.',
} as const satisfies ParameterDefinition;

export const resultSize = {
  name: 'ResultSize',
  type: 'string',
  pattern: '^(?:Unlimited|[1-9][0-9]{0,9})\\z',
  help: "The most rows to return per tenant: a positive whole number, or 'Unlimited'. The service returns 1000 rows when it is not given.",
} as const satisfies ParameterDefinition;

export const reportType = {
  name: 'ReportType',
  type: { oneOf: ['Daily', 'Weekly', 'Monthly', 'Yearly'] },
  help: 'How rows are grouped over time: Daily, Weekly, Monthly or Yearly. The service uses Daily when it is not given.',
} as const satisfies ParameterDefinition;

export const tenantColumns = [
  { name: 'TenantGuid', type: 'string' },
  { name: 'TenantName', type: 'string' },
] as const satisfies readonly ColumnDefinition[];
