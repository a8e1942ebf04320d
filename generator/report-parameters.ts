import { defaultGraphPeriod, graphPeriods } from '../common/graph-periods.js';
import type { ColumnDefinition, ExchangeRestSource, ParameterDefinition } from './report-definition.js';

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

/** The period of a Microsoft Graph usage report; every Graph definition has it, with exactly these values. */
export const graphPeriod = {
  name: 'Period',
  type: { oneOf: graphPeriods },
  default: defaultGraphPeriod,
  help: 'The number of days the report covers, counted back from the last day the service has data for: D7, D30, D90 or D180.',
} as const satisfies ParameterDefinition;

/** The single day of a Microsoft Graph detail report, the (date=YYYY-MM-DD) form. */
export const graphDate = {
  name: 'Date',
  type: 'Date',
  help: 'One day within the last 30 days: the report then shows that day only, instead of a Period. Only the date part is used.',
} as const satisfies ParameterDefinition;

/** The first columns of the Microsoft Graph per-user detail reports. */
export const graphUserColumns = [
  { name: 'Report Refresh Date', type: 'Date' },
  { name: 'User Principal Name', type: 'string' },
  { name: 'Display Name', type: 'string' },
  { name: 'Is Deleted', type: 'boolean' },
  { name: 'Deleted Date', type: 'Date' },
] as const satisfies readonly ColumnDefinition[];

/** The filters Get-MessageTrace and Get-MessageTraceV2 share. */
export const messageTraceFilters = [
  { name: 'SenderAddress', type: 'string[]', help: 'Only messages from these sender email addresses.' },
  { name: 'RecipientAddress', type: 'string[]', help: 'Only messages to these recipient email addresses.' },
  {
    name: 'Status',
    type: { oneOf: ['None', 'GettingStatus', 'Failed', 'Pending', 'Delivered', 'Expanded', 'Quarantined', 'FilteredAsSpam'], array: true },
    help: 'Only messages with one of these delivery statuses.',
  },
] as const satisfies readonly ParameterDefinition[];

/** The columns of a message trace row, on both Exchange paths. */
export const messageTraceColumns = [
  { name: 'Received', type: 'Date' },
  { name: 'SenderAddress', type: 'string' },
  { name: 'RecipientAddress', type: 'string' },
  { name: 'Subject', type: 'string' },
  { name: 'Status', type: 'string' },
  { name: 'ToIP', type: 'string' },
  { name: 'FromIP', type: 'string' },
  { name: 'Size', type: 'integer' },
  { name: 'MessageId', type: 'string' },
  { name: 'MessageTraceId', type: 'string' },
] as const satisfies readonly ColumnDefinition[];

/** Over the Exchange admin API: every mailbox (Get-Mailbox), then a call per mailbox with -Identity its ExternalDirectoryObjectId. */
export const eachMailboxByIdentity = {
  cmdlet: 'Get-Mailbox',
  parameters: { ResultSize: 'Unlimited' },
  select: ['ExternalDirectoryObjectId'],
  property: 'ExternalDirectoryObjectId',
  parameter: 'Identity',
} as const satisfies NonNullable<ExchangeRestSource['forEach']>;
