import type { ReportDefinition } from '../report-definition.js';
import { graphDate, graphPeriod, graphUserColumns } from '../report-parameters.js';

export const emailActivityUserDetail = {
  name: 'EmailActivityUserDetail',
  summary: 'Counts the mail each user sent, received and read in each customer tenant (Microsoft Graph).',
  description:
    'Downloads the Microsoft Graph email activity user detail report (getEmailActivityUserDetail) of a customer tenant. Each row ' +
    'is one user: the day of their last email activity, how many messages they sent, received and read, how many meetings they ' +
    'created or interacted with, and their assigned products. Give a Period for a span of days, or a Date for one day within ' +
    "the last 30 days. User names may come back concealed (hashed) when the tenant's report settings say so.",
  source: { kind: 'graph', function: 'getEmailActivityUserDetail' },
  parameters: [graphPeriod, graphDate],
  columns: [
    ...graphUserColumns,
    { name: 'Last Activity Date', type: 'Date' },
    { name: 'Send Count', type: 'integer' },
    { name: 'Receive Count', type: 'integer' },
    { name: 'Read Count', type: 'integer' },
    { name: 'Meeting Created Count', type: 'integer' },
    { name: 'Meeting Interacted Count', type: 'integer' },
    { name: 'Assigned Products', type: 'string' },
    { name: 'Report Period', type: 'integer' },
  ],
  examples: [
    {
      code: 'Get-DapGraphToken -TenantId 6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b -ClientId $appId -ClientSecret $secret | Get-DapEmailActivityUserDetail -Period D90',
      description: 'The email activity of every user of one customer tenant over the last 90 days.',
    },
    {
      code: "$token = Get-DapGraphToken -TenantId 6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b -ClientId $appId -ClientSecret $secret\n" +
        "Get-DapEmailActivityUserDetail -TenantId $token.TenantId -AccessToken $token.AccessToken -Date '2025-06-01'",
      description: 'The email activity of one day (within the last 30 days) in one customer tenant.',
    },
  ],
  links: ['https://learn.microsoft.com/graph/api/reportroot-getemailactivityuserdetail'],
} satisfies ReportDefinition;
