import type { ReportDefinition } from '../report-definition.js';
import { endDate, reportType, resultSize, startDate, tenantColumns } from '../report-parameters.js';

export const connectionByClientTypeReport = {
  name: 'ConnectionByClientTypeReport',
  summary: 'Counts mailbox connections per client type (Outlook, OWA, mobile, POP, IMAP …) in each customer tenant.',
  description:
    'Runs Get-ConnectionByClientTypeReport in the remote Exchange Online session of a customer tenant. Each row gives, for ' +
    'one period and one client type, the number of connections. The service publishes this data about seven days late.',
  source: { kind: 'exchange', cmdlet: 'Get-ConnectionByClientTypeReport' },
  parameters: [reportType, startDate, endDate, resultSize],
  columns: [
    { name: 'Date', type: 'Date' },
    ...tenantColumns,
    { name: 'ClientType', type: 'string' },
    { name: 'Count', type: 'integer' },
  ],
  examples: [
    {
      code: 'Get-DapCustomer | Get-DapConnectionByClientTypeReport -Credential $credential -ReportType Weekly',
      description: 'Weekly connection counts per client type in every customer tenant.',
    },
  ],
  links: ['https://learn.microsoft.com/powershell/module/exchange/get-connectionbyclienttypereport'],
} satisfies ReportDefinition;
