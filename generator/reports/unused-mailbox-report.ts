import type { ReportDefinition } from '../report-definition.js';
import { eachMailboxByIdentity } from '../report-parameters.js';

export const unusedMailboxReport = {
  name: 'UnusedMailboxReport',
  summary: 'Lists the mailboxes nobody has used for a number of days (90 by default), or ever, in each customer tenant.',
  description:
    'Runs Get-Mailbox -ResultSize Unlimited, then Get-MailboxStatistics for every mailbox (by its ExternalDirectoryObjectId), over the ' +
    'Exchange Online admin API of a customer tenant, and keeps the mailboxes whose last user action (LastUserActionTime: the owner ' +
    'reading, sending or filing mail, not the system touching the mailbox) is more than InactiveDays days ago, or that have never had one. ' +
    'DaysInactive holds the whole days since that last action, and is empty for a mailbox never used. Shared and resource mailboxes are ' +
    'included: nobody signs in to them, so they often show as unused. ' +
    'Needs an Exchange Online token (Get-DapExoToken): the partner app consented in the tenant with Exchange.ManageAsApp and the Global Reader ' +
    'or Exchange Administrator role, or a GDAP relationship that grants one of those roles.',
  source: {
    kind: 'exchangeRest',
    cmdlet: 'Get-MailboxStatistics',
    select: ['DisplayName', 'MailboxGuid', 'LastUserActionTime', 'LastLogonTime', 'ItemCount', 'TotalItemSize'],
    forEach: eachMailboxByIdentity,
    rows: { kind: 'inactiveFor', column: 'LastUserActionTime', daysParameter: 'InactiveDays', daysColumn: 'DaysInactive' },
  },
  parameters: [
    {
      name: 'InactiveDays',
      type: 'integer',
      default: 90,
      help: 'How many days without a user action make a mailbox unused. Mailboxes never used are always listed.',
    },
  ],
  columns: [
    { name: 'DisplayName', type: 'string' },
    { name: 'MailboxGuid', type: 'string' },
    { name: 'LastUserActionTime', type: 'Date' },
    { name: 'DaysInactive', type: 'integer' },
    { name: 'LastLogonTime', type: 'Date' },
    { name: 'ItemCount', type: 'integer' },
    { name: 'TotalItemSize', type: 'string' },
    { name: 'TotalItemSizeBytes', type: 'integer', bytesOf: 'TotalItemSize' },
  ],
  examples: [
    {
      code: 'Get-DapGraphToken -TenantId $partnerTenantId -ClientId $appId -ClientSecret $secret | Get-DapGraphCustomer | ' +
        'Get-DapExoToken -ClientId $appId -ClientSecret $secret | Get-DapUnusedMailboxReport -InactiveDays 180',
      description: 'The mailboxes of every GDAP customer tenant that nobody has used for more than 180 days, or ever.',
    },
  ],
  links: [
    'https://learn.microsoft.com/powershell/module/exchange/get-mailboxstatistics',
    'https://learn.microsoft.com/powershell/module/exchange/get-mailbox',
  ],
} satisfies ReportDefinition;
