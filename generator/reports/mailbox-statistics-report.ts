import type { ReportDefinition } from '../report-definition.js';

export const mailboxStatisticsReport = {
  name: 'MailboxStatisticsReport',
  summary: 'Lists every mailbox with its item count, size and last logon and user action in each customer tenant.',
  description:
    'Runs Get-Mailbox -ResultSize Unlimited and pipes every mailbox into Get-MailboxStatistics, both inside the remote ' +
    'Exchange Online session of a customer tenant. Each row is one mailbox: display name, mailbox GUID, number of items, ' +
    'total size, and the last logon and last user action times.',
  source: {
    kind: 'exchange',
    cmdlet: 'Get-MailboxStatistics',
    input: { cmdlet: 'Get-Mailbox', parameters: { ResultSize: 'Unlimited' } },
  },
  parameters: [],
  columns: [
    { name: 'DisplayName', type: 'string' },
    { name: 'MailboxGuid', type: 'string' },
    { name: 'ItemCount', type: 'integer' },
    { name: 'TotalItemSize', type: 'string' },
    { name: 'TotalItemSizeBytes', type: 'integer', bytesOf: 'TotalItemSize' },
    { name: 'LastLogonTime', type: 'Date' },
    { name: 'LastUserActionTime', type: 'Date' },
  ],
  examples: [
    {
      code: 'Get-DapCustomer | Get-DapMailboxStatisticsReport -Credential $credential',
      description: 'Statistics of every mailbox in every customer tenant.',
    },
  ],
  links: ['https://learn.microsoft.com/powershell/module/exchange/get-mailboxstatistics'],
} satisfies ReportDefinition;
