import type { ReportDefinition } from '../report-definition.js';

export const casMailboxProtocolReport = {
  name: 'CasMailboxProtocolReport',
  summary: 'Lists which client protocols (ActiveSync, OWA, POP, IMAP, MAPI, EWS, SMTP AUTH) each mailbox may use in each customer tenant.',
  description:
    'Runs Get-CASMailbox -ResultSize Unlimited over the Exchange Online admin API of a customer tenant. Each row is one mailbox and ' +
    'whether Exchange ActiveSync, Outlook on the web, POP3, IMAP4, MAPI (Outlook) and Exchange Web Services are enabled for it. ' +
    'POP, IMAP and authenticated SMTP (SMTP AUTH) are the protocols left to legacy clients that sign in with a password alone: a mailbox ' +
    'with PopEnabled or ImapEnabled True, or SmtpClientAuthenticationDisabled False, can be reached by such clients when the tenant allows ' +
    'basic authentication for them, and is a common target of password spraying. An empty SmtpClientAuthenticationDisabled means the ' +
    'mailbox follows the organisation\'s setting (Get-TransportConfig). ' +
    'Needs an Exchange Online token (Get-DapExoToken): the partner app consented in the tenant with Exchange.ManageAsApp and the Global Reader ' +
    'or Exchange Administrator role, or a GDAP relationship that grants one of those roles.',
  source: {
    kind: 'exchangeRest',
    cmdlet: 'Get-CASMailbox',
    parameters: { ResultSize: 'Unlimited' },
    select: [
      'PrimarySmtpAddress', 'DisplayName', 'ActiveSyncEnabled', 'OWAEnabled', 'PopEnabled', 'ImapEnabled', 'MAPIEnabled', 'EwsEnabled',
      'SmtpClientAuthenticationDisabled',
    ],
  },
  parameters: [],
  columns: [
    { name: 'PrimarySmtpAddress', type: 'string' },
    { name: 'DisplayName', type: 'string' },
    { name: 'ActiveSyncEnabled', type: 'boolean' },
    { name: 'OWAEnabled', type: 'boolean' },
    { name: 'PopEnabled', type: 'boolean' },
    { name: 'ImapEnabled', type: 'boolean' },
    { name: 'MAPIEnabled', type: 'boolean' },
    { name: 'EwsEnabled', type: 'boolean' },
    { name: 'SmtpClientAuthenticationDisabled', type: 'boolean' },
  ],
  examples: [
    {
      code: 'Get-DapGraphToken -TenantId $partnerTenantId -ClientId $appId -ClientSecret $secret | Get-DapGraphCustomer | ' +
        'Get-DapExoToken -ClientId $appId -ClientSecret $secret | Get-DapCasMailboxProtocolReport | Where-Object { $_.PopEnabled -or $_.ImapEnabled }',
      description: 'The mailboxes of every GDAP customer tenant that still allow POP or IMAP.',
    },
  ],
  links: [
    'https://learn.microsoft.com/powershell/module/exchange/get-casmailbox',
    'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online',
  ],
} satisfies ReportDefinition;
