import type { ReportDefinition } from '../report-definition.js';
import { eachMailboxByIdentity } from '../report-parameters.js';

export const mailboxStatisticsReport = {
  name: 'MailboxStatisticsReport',
  summary: 'Lists every mailbox with its item count, size and last logon and user action in each customer tenant.',
  description:
    'Runs Get-Mailbox -ResultSize Unlimited, then Get-MailboxStatistics for every mailbox, in a customer tenant. Each row is one mailbox: ' +
    'display name, mailbox GUID, number of items, total size (as Exchange writes it, and in bytes), and the last logon and last user action times. ' +
    'Two ways to run it: over the Exchange Online admin API with an Exchange Online token (-AccessToken, from Get-DapExoToken; ' +
    'Get-MailboxStatistics is called with each mailbox\'s ExternalDirectoryObjectId), which needs the partner app consented in the tenant with ' +
    'Exchange.ManageAsApp and the Global Reader or Exchange Administrator role (through GDAP: those roles on the relationship); or, ' +
    'as before, in the remote Exchange Online PowerShell session of the tenant (-Credential), which Microsoft has retired.',
  source: [
    {
      kind: 'exchange',
      cmdlet: 'Get-MailboxStatistics',
      input: { cmdlet: 'Get-Mailbox', parameters: { ResultSize: 'Unlimited' } },
    },
    {
      kind: 'exchangeRest',
      cmdlet: 'Get-MailboxStatistics',
      select: ['DisplayName', 'MailboxGuid', 'ItemCount', 'TotalItemSize', 'LastLogonTime', 'LastUserActionTime'],
      forEach: eachMailboxByIdentity,
    },
  ],
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
      code: "$secret = Read-Host -AsSecureString -Prompt 'Client secret'\n" +
        'Get-DapGraphToken -TenantId $partnerTenantId -ClientId $appId -ClientSecret $secret | Get-DapGraphCustomer | ' +
        'Get-DapExoToken -ClientId $appId -ClientSecret $secret | Get-DapMailboxStatisticsReport',
      description: 'Statistics of every mailbox in every GDAP customer tenant, over the Exchange Online admin API.',
    },
    {
      code: 'Get-DapCustomer | Get-DapMailboxStatisticsReport -Credential $credential',
      description: 'The same through the remote Exchange Online PowerShell sessions (retired by Microsoft).',
    },
  ],
  links: [
    'https://learn.microsoft.com/powershell/module/exchange/get-mailboxstatistics',
    'https://learn.microsoft.com/powershell/module/exchange/get-mailbox',
  ],
} satisfies ReportDefinition;
