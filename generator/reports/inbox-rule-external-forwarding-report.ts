import type { ReportDefinition } from '../report-definition.js';

export const inboxRuleExternalForwardingReport = {
  name: 'InboxRuleExternalForwardingReport',
  summary: 'Lists the inbox rules that forward or redirect mail outside the organisation in each customer tenant.',
  description:
    'Runs Get-Mailbox -ResultSize Unlimited, then Get-InboxRule for every mailbox (by its ExternalDirectoryObjectId), over the Exchange ' +
    'Online admin API of a customer tenant, and keeps the rules with an address in ForwardTo, RedirectTo or ForwardAsAttachmentTo whose ' +
    'domain is not one of the tenant\'s accepted domains (Get-AcceptedDomain): the usual sign of a compromised mailbox leaking mail. ' +
    'ExternalRecipients lists those outside addresses. Disabled rules are listed too (Enabled is False). ' +
    'Needs an Exchange Online token (Get-DapExoToken): the partner app consented in the tenant with Exchange.ManageAsApp and the Global Reader ' +
    'or Exchange Administrator role, or a GDAP relationship that grants one of those roles.',
  source: {
    kind: 'exchangeRest',
    cmdlet: 'Get-InboxRule',
    forEach: {
      cmdlet: 'Get-Mailbox',
      parameters: { ResultSize: 'Unlimited' },
      select: ['ExternalDirectoryObjectId'],
      property: 'ExternalDirectoryObjectId',
      parameter: 'Mailbox',
    },
    rows: { kind: 'externalRecipients', columns: ['ForwardTo', 'RedirectTo', 'ForwardAsAttachmentTo'], matchColumn: 'ExternalRecipients' },
  },
  parameters: [],
  columns: [
    { name: 'MailboxOwnerId', type: 'string' },
    { name: 'Name', type: 'string' },
    { name: 'Enabled', type: 'boolean' },
    { name: 'ForwardTo', type: 'string' },
    { name: 'RedirectTo', type: 'string' },
    { name: 'ForwardAsAttachmentTo', type: 'string' },
    { name: 'ExternalRecipients', type: 'string' },
  ],
  examples: [
    {
      code: 'Get-DapGraphToken -TenantId $partnerTenantId -ClientId $appId -ClientSecret $secret | Get-DapGraphCustomer | ' +
        'Get-DapExoToken -ClientId $appId -ClientSecret $secret | Get-DapInboxRuleExternalForwardingReport | Export-Csv Forwarding.csv -NoTypeInformation -Encoding utf8BOM',
      description: 'Every inbox rule forwarding outside its organisation, in every GDAP customer tenant, in one CSV file.',
    },
  ],
  links: [
    'https://learn.microsoft.com/powershell/module/exchange/get-inboxrule',
    'https://learn.microsoft.com/powershell/module/exchange/get-accepteddomain',
  ],
} satisfies ReportDefinition;
