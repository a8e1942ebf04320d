import type { ColumnDefinition, ReportDefinition } from '../report-definition.js';
import { graphDate, graphPeriod, graphUserColumns } from '../report-parameters.js';

// The services, in the order the report's column groups list them.
const hasLicense = [
  { name: 'Has Exchange License', type: 'boolean' },
  { name: 'Has OneDrive License', type: 'boolean' },
  { name: 'Has SharePoint License', type: 'boolean' },
  { name: 'Has Skype For Business License', type: 'boolean' },
  { name: 'Has Yammer License', type: 'boolean' },
  { name: 'Has Teams License', type: 'boolean' },
] as const satisfies readonly ColumnDefinition[];

const lastActivity = [
  { name: 'Exchange Last Activity Date', type: 'Date' },
  { name: 'OneDrive Last Activity Date', type: 'Date' },
  { name: 'SharePoint Last Activity Date', type: 'Date' },
  { name: 'Skype For Business Last Activity Date', type: 'Date' },
  { name: 'Yammer Last Activity Date', type: 'Date' },
  { name: 'Teams Last Activity Date', type: 'Date' },
] as const satisfies readonly ColumnDefinition[];

const licenseAssigned = [
  { name: 'Exchange License Assign Date', type: 'Date' },
  { name: 'OneDrive License Assign Date', type: 'Date' },
  { name: 'SharePoint License Assign Date', type: 'Date' },
  { name: 'Skype For Business License Assign Date', type: 'Date' },
  { name: 'Yammer License Assign Date', type: 'Date' },
  { name: 'Teams License Assign Date', type: 'Date' },
] as const satisfies readonly ColumnDefinition[];

export const office365ActiveUserDetail = {
  name: 'Office365ActiveUserDetail',
  summary: 'Lists every user with their Microsoft 365 licenses and last activity per service in each customer tenant (Microsoft Graph).',
  description:
    'Downloads the Microsoft Graph Office 365 active user detail report (getOffice365ActiveUserDetail) of a customer tenant. ' +
    'Each row is one user: for each of Exchange, OneDrive, SharePoint, Skype for Business, Yammer and Teams, whether they have ' +
    'a license for it, the day they last used it and the day the license was assigned, then their assigned products. Give a ' +
    "Period for a span of days, or a Date for one day within the last 30 days. User names may come back concealed (hashed) when the tenant's report settings say so.",
  source: { kind: 'graph', function: 'getOffice365ActiveUserDetail' },
  parameters: [graphPeriod, graphDate],
  columns: [...graphUserColumns, ...hasLicense, ...lastActivity, ...licenseAssigned, { name: 'Assigned Products', type: 'string' }],
  examples: [
    {
      code: 'Import-Csv customers.csv | Get-DapGraphToken -ClientId $appId -ClientSecret $secret | Get-DapOffice365ActiveUserDetail -Period D30',
      description: 'The licenses and last activity of every user of every tenant listed (TenantId column) in customers.csv, over the last 30 days.',
    },
  ],
  links: ['https://learn.microsoft.com/graph/api/reportroot-getoffice365activeuserdetail'],
} satisfies ReportDefinition;
