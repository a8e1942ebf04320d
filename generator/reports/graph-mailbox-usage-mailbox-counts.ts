import type { ReportDefinition } from '../report-definition.js';
import { graphPeriod } from '../report-parameters.js';

export const mailboxUsageMailboxCounts = {
  name: 'MailboxUsageMailboxCounts',
  summary: 'Counts all and active mailboxes per day in each customer tenant (Microsoft Graph).',
  description:
    'Downloads the Microsoft Graph mailbox counts report (getMailboxUsageMailboxCounts) of a customer tenant. Each row is one ' +
    'day of the period: the total number of user mailboxes and how many of them were active (the user sent or read mail) that day. ' +
    'It takes a Period only; there is no single-day form of this report.',
  source: { kind: 'graph', function: 'getMailboxUsageMailboxCounts' },
  parameters: [graphPeriod],
  columns: [
    { name: 'Report Refresh Date', type: 'Date' },
    { name: 'Total', type: 'integer' },
    { name: 'Active', type: 'integer' },
    { name: 'Report Date', type: 'Date' },
    { name: 'Report Period', type: 'integer' },
  ],
  examples: [
    {
      code: 'Get-DapGraphToken -TenantId 6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b -ClientId $appId -ClientSecret $secret | Get-DapMailboxUsageMailboxCounts -Period D180',
      description: 'Daily mailbox counts of one customer tenant over the last 180 days.',
    },
  ],
  links: ['https://learn.microsoft.com/graph/api/reportroot-getmailboxusagemailboxcounts'],
} satisfies ReportDefinition;
