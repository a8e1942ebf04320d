import type { ReportDefinition } from '../report-definition.js';
import { messageTraceColumns, messageTraceFilters } from '../report-parameters.js';

export const messageTraceV2Report = {
  name: 'MessageTraceV2Report',
  summary: 'Traces the messages sent and received between two dates (up to 90 days back) in each customer tenant, with Get-MessageTraceV2.',
  description:
    'Runs Get-MessageTraceV2 over the Exchange Online admin API of a customer tenant. Each row is one message to one recipient: when it was ' +
    'received, sender, recipient, subject, delivery status, the IP addresses it came from and went to, its size and its ids. ' +
    'The service searches at most 10 days per query and keeps 90 days: a longer StartDate-EndDate range is split into 10-day windows, ' +
    'newest first, and a query that returns its 5000-row maximum is continued from its last row (StartingRecipientAddress and EndDate), ' +
    'so every message of the range comes back once. The service allows about 100 queries per 5 minutes per tenant. ' +
    'It replaces Get-MessageTrace (MessageTraceReport), which Microsoft is retiring. ' +
    'Needs an Exchange Online token (Get-DapExoToken): the partner app consented in the tenant with Exchange.ManageAsApp and the Global Reader ' +
    'or Exchange Administrator role, or a GDAP relationship that grants one of those roles.',
  source: {
    kind: 'exchangeRest',
    cmdlet: 'Get-MessageTraceV2',
    dateWindow: { start: 'StartDate', end: 'EndDate', days: 10 },
    continueWith: { sizeParameter: 'ResultSize', size: 5000, from: { StartingRecipientAddress: 'RecipientAddress', EndDate: 'Received' } },
  },
  parameters: [
    { name: 'StartDate', type: 'Date', required: true, help: 'The start of the search (at most 90 days ago), in UTC when no time zone is given.' },
    { name: 'EndDate', type: 'Date', required: true, help: 'The end of the search, in UTC when no time zone is given; later than StartDate.' },
    ...messageTraceFilters,
  ],
  columns: messageTraceColumns,
  examples: [
    {
      code: 'Get-DapGraphToken -TenantId $partnerTenantId -ClientId $appId -ClientSecret $secret | Get-DapGraphCustomer | ' +
        'Get-DapExoToken -ClientId $appId -ClientSecret $secret | Get-DapMessageTraceV2Report -StartDate (Get-Date).AddDays(-30) -EndDate (Get-Date) -Status Failed',
      description: 'The failed deliveries of the last 30 days in every GDAP customer tenant (three 10-day queries per tenant, or more).',
    },
  ],
  links: [
    'https://learn.microsoft.com/powershell/module/exchange/get-messagetracev2',
  ],
} satisfies ReportDefinition;
