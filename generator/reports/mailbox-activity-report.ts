import type { ReportDefinition } from '../report-definition.js';
import { endDate, reportType, resultSize, startDate, tenantColumns } from '../report-parameters.js';

export const mailboxActivityReport = {
  name: 'MailboxActivityReport',
  summary: 'Counts active, created and deleted mailboxes per period in each customer tenant.',
  description:
    'Runs Get-MailboxActivityReport in the remote Exchange Online session of a customer tenant. Each row covers one period ' +
    '(a day, week, month or year) and gives the number of active mailboxes and of mailboxes created and deleted in it.',
  source: { kind: 'exchange', cmdlet: 'Get-MailboxActivityReport' },
  parameters: [reportType, startDate, endDate, resultSize],
  columns: [
    ...tenantColumns,
    { name: 'Date', type: 'Date' },
    { name: 'TotalNumberOfActiveMailboxes', type: 'integer' },
    { name: 'AccountCreated', type: 'integer' },
    { name: 'AccountDeleted', type: 'integer' },
  ],
  examples: [
    {
      code: "Get-DapCustomer | Get-DapMailboxActivityReport -Credential $credential -ReportType Monthly -StartDate '2015-03-01' -EndDate '2015-03-31'",
      description: 'Monthly mailbox activity for March 2015 in every customer tenant.',
    },
  ],
  links: ['https://learn.microsoft.com/powershell/module/exchange/get-mailboxactivityreport'],
} satisfies ReportDefinition;
