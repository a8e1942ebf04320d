import type { ReportDefinition } from '../report-definition.js';
import { graphPeriod, graphUserColumns } from '../report-parameters.js';

export const mailboxUsageDetail = {
  name: 'MailboxUsageDetail',
  summary: 'Lists every mailbox with its size, item count and quotas in each customer tenant (Microsoft Graph).',
  description:
    'Downloads the Microsoft Graph mailbox usage detail report (getMailboxUsageDetail) of a customer tenant. Each row is one ' +
    'mailbox: its user, when it was created and last active, how many items it holds and how many bytes they use, its warning, ' +
    'send and send/receive quotas in bytes, its deleted items and whether it has an archive. ' +
    'It replaces the retired Exchange Online MailboxUsageDetailReport. User names may come back concealed (hashed) when the ' +
    "tenant's report settings say so.",
  source: { kind: 'graph', function: 'getMailboxUsageDetail' },
  parameters: [graphPeriod],
  columns: [
    ...graphUserColumns,
    { name: 'Created Date', type: 'Date' },
    { name: 'Last Activity Date', type: 'Date' },
    { name: 'Item Count', type: 'integer' },
    { name: 'Storage Used (Byte)', type: 'number' },
    { name: 'Issue Warning Quota (Byte)', type: 'number' },
    { name: 'Prohibit Send Quota (Byte)', type: 'number' },
    { name: 'Prohibit Send/Receive Quota (Byte)', type: 'number' },
    { name: 'Deleted Item Count', type: 'integer' },
    { name: 'Deleted Item Size (Byte)', type: 'number' },
    { name: 'Has Archive', type: 'boolean' },
    { name: 'Report Period', type: 'integer' },
  ],
  examples: [
    {
      code: "$secret = Read-Host -AsSecureString -Prompt 'Client secret'\n" +
        'Get-DapGraphToken -TenantId 6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b -ClientId $appId -ClientSecret $secret | Get-DapMailboxUsageDetail -Period D30',
      description: 'Every mailbox of one customer tenant, with its usage over the last 30 days.',
    },
    {
      code: 'Import-Csv customers.csv | Get-DapGraphToken -ClientId $appId -ClientSecret $secret | Get-DapMailboxUsageDetail | Export-Csv MailboxUsage.csv -NoTypeInformation -Encoding utf8BOM',
      description: 'Every mailbox of every tenant listed (TenantId column) in customers.csv, over the last 7 days, in one CSV file that starts with TenantId.',
    },
  ],
  links: ['https://learn.microsoft.com/graph/api/reportroot-getmailboxusagedetail'],
} satisfies ReportDefinition;
