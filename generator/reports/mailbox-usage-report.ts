import type { ReportDefinition } from '../report-definition.js';
import { endDate, resultSize, startDate, tenantColumns } from '../report-parameters.js';

export const mailboxUsageReport = {
  name: 'MailboxUsageReport',
  summary: 'Counts mailboxes, inactive mailboxes and mailboxes near their quota per day in each customer tenant.',
  description:
    'Runs Get-MailboxUsageReport in the remote Exchange Online session of a customer tenant. Each daily row gives the number ' +
    'of mailboxes, how many are inactive, how many are over their warning size and how many use less than a quarter of their quota.',
  source: { kind: 'exchange', cmdlet: 'Get-MailboxUsageReport' },
  parameters: [startDate, endDate, resultSize],
  columns: [
    ...tenantColumns,
    { name: 'Date', type: 'Date' },
    { name: 'TotalMailboxCount', type: 'integer' },
    { name: 'TotalInactiveMailboxCount', type: 'integer' },
    { name: 'MailboxesOverWarningSize', type: 'integer' },
    { name: 'MailboxesUsedLessthan25Percent', type: 'integer' },
  ],
  examples: [
    {
      code: "Get-DapCustomer -Tenant contoso.onmicrosoft.com | Get-DapMailboxUsageReport -Credential $credential -StartDate '2015-03-18' -EndDate '2015-03-18'",
      description: 'Mailbox usage on 18 March 2015 in one customer tenant.',
    },
  ],
  links: ['https://learn.microsoft.com/powershell/module/exchange/get-mailboxusagereport'],
} satisfies ReportDefinition;
