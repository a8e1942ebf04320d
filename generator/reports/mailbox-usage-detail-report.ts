import type { ReportDefinition } from '../report-definition.js';
import { endDate, resultSize, startDate, tenantColumns } from '../report-parameters.js';

export const mailboxUsageDetailReport = {
  name: 'MailboxUsageDetailReport',
  summary: 'Lists every mailbox with its size, quota and plan in each customer tenant.',
  description:
    'Runs Get-MailboxUsageDetailReport in the remote Exchange Online session of a customer tenant. Each row is one mailbox on ' +
    'one day: its user, current size, the share of its quota in use, its mailbox plan and whether it is inactive or over its warning quota.',
  source: { kind: 'exchange', cmdlet: 'Get-MailboxUsageDetailReport' },
  parameters: [startDate, endDate, resultSize],
  columns: [
    { name: 'Date', type: 'Date' },
    ...tenantColumns,
    { name: 'WindowsLiveID', type: 'string' },
    { name: 'UserName', type: 'string' },
    { name: 'MailboxSize', type: 'number' },
    { name: 'CurrentMailboxSize', type: 'number' },
    { name: 'PercentUsed', type: 'number' },
    { name: 'MailboxPlan', type: 'string' },
    { name: 'IsInactive', type: 'boolean' },
    { name: 'IssueWarningQuota', type: 'number' },
    { name: 'IsOverWarningQuota', type: 'boolean' },
  ],
  examples: [
    {
      code: 'Get-DapCustomer | Get-DapMailboxUsageDetailReport -Credential $credential -ResultSize Unlimited',
      description: 'Every mailbox of every customer tenant, without the default limit of 1000 rows per tenant.',
    },
  ],
  links: ['https://learn.microsoft.com/powershell/module/exchange/get-mailboxusagedetailreport'],
} satisfies ReportDefinition;
