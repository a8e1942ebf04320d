import type { ReportDefinition } from '../report-definition.js';
import { endDate, resultSize, startDate, tenantColumns } from '../report-parameters.js';

export const staleMailboxReport = {
  name: 'StaleMailboxReport',
  summary: 'Counts active mailboxes and mailboxes unused for 31-60, 61-90 and 91-1460 days in each customer tenant.',
  description:
    'Runs Get-StaleMailboxReport in the remote Exchange Online session of a customer tenant. Each row gives, for one period, ' +
    'the number of active mailboxes and of mailboxes nobody has signed in to for 31 to 60, 61 to 90 and 91 to 1460 days.',
  source: { kind: 'exchange', cmdlet: 'Get-StaleMailboxReport' },
  parameters: [startDate, endDate, resultSize],
  columns: [
    ...tenantColumns,
    { name: 'Date', type: 'Date' },
    { name: 'ActiveMailboxes', type: 'integer' },
    { name: 'InactiveMailboxes31To60Days', type: 'integer' },
    { name: 'InactiveMailboxes61To90Days', type: 'integer' },
    { name: 'InactiveMailboxes91To1460Days', type: 'integer' },
  ],
  examples: [
    {
      code: 'Get-DapCustomer | Get-DapStaleMailboxReport -Credential $credential',
      description: 'Stale mailbox counts in every customer tenant for the periods the service keeps.',
    },
  ],
  links: ['https://learn.microsoft.com/powershell/module/exchange/get-stalemailboxreport'],
} satisfies ReportDefinition;
