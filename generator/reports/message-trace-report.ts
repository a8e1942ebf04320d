import type { ReportDefinition } from '../report-definition.js';
import { messageTraceColumns, messageTraceFilters } from '../report-parameters.js';

export const messageTraceReport = {
  name: 'MessageTraceReport',
  summary: 'Traces messages sent and received in each customer tenant over the last ten days.',
  description:
    'Runs Get-MessageTrace in the remote Exchange Online session of a customer tenant. Each row is one message: when it was ' +
    'received, sender, recipient, subject, delivery status, the IP addresses it came from and went to, its size and its ids. ' +
    'The service keeps ten days of trace data, searches the last 48 hours when no dates are given, and returns pages of up to 1000 rows.',
  source: { kind: 'exchange', cmdlet: 'Get-MessageTrace' },
  parameters: [
    { name: 'StartDate', type: 'Date', help: 'The start of the search window (at most ten days ago). The last 48 hours are searched when no dates are given.' },
    { name: 'EndDate', type: 'Date', help: 'The end of the search window; it must not be earlier than StartDate.' },
    { name: 'Page', type: 'integer', help: 'The page of results to return, starting at 1.' },
    { name: 'PageSize', type: 'integer', help: 'The number of rows per page, at most 5000; the service uses 1000 when it is not given.' },
    ...messageTraceFilters,
  ],
  columns: messageTraceColumns,
  examples: [
    {
      code: 'Get-DapCustomer | Get-DapMessageTraceReport -Credential $credential -Status Failed -PageSize 5000',
      description: 'Failed deliveries of the last 48 hours in every customer tenant.',
    },
  ],
  links: ['https://learn.microsoft.com/powershell/module/exchange/get-messagetrace'],
} satisfies ReportDefinition;
