import type { ReportDefinition } from '../report-definition.js';
import { endDate, resultSize, startDate, tenantColumns } from '../report-parameters.js';

export const staleMailboxDetailReport = {
  name: 'StaleMailboxDetailReport',
  summary: 'Lists mailboxes nobody has signed in to for a month or more, with their last sign-in, in each customer tenant.',
  description:
    'Runs Get-StaleMailboxDetailReport in the remote Exchange Online session of a customer tenant. Each row is one stale ' +
    'mailbox: its user, the last sign-in and the number of days since. The service returns at most 50,000 rows per tenant.',
  source: { kind: 'exchange', cmdlet: 'Get-StaleMailboxDetailReport' },
  parameters: [startDate, endDate, resultSize],
  columns: [
    { name: 'Date', type: 'Date' },
    ...tenantColumns,
    { name: 'WindowsLiveID', type: 'string' },
    { name: 'UserName', type: 'string' },
    { name: 'LastLogin', type: 'Date' },
    { name: 'DaysInactive', type: 'integer' },
  ],
  examples: [
    {
      code: 'Get-DapCustomer -Exclude fabrikam.onmicrosoft.com | Get-DapStaleMailboxDetailReport -Credential $credential -ResultSize 5000',
      description: 'Up to 5000 stale mailboxes per tenant, in every customer tenant but one.',
    },
  ],
  links: ['https://learn.microsoft.com/powershell/module/exchange/get-stalemailboxdetailreport'],
} satisfies ReportDefinition;
