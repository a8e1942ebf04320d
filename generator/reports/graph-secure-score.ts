import type { ReportDefinition } from '../report-definition.js';

export const secureScoreReport = {
  name: 'SecureScoreReport',
  summary: "Shows a customer tenant's latest Microsoft Secure Score: the score, its maximum and the percentage (Microsoft Graph).",
  description:
    'Reads the latest Secure Score of a customer tenant (GET /v1.0/security/secureScores?$top=1): one row with the day it was ' +
    'computed, the current score, the maximum, the current score as a percentage of the maximum, and the active and licensed users. ' +
    'Needs SecurityEvents.Read.All; through GDAP, Global Reader or Security Reader covers it.',
  source: { kind: 'graphQuery', path: 'security/secureScores', first: 1, permission: 'SecurityEvents.Read.All' },
  columns: [
    { name: 'CreatedDateTime', type: 'Date', from: 'createdDateTime' },
    { name: 'CurrentScore', type: 'number', from: 'currentScore' },
    { name: 'MaxScore', type: 'number', from: 'maxScore' },
    { name: 'Percentage', type: 'number', percent: { of: 'currentScore', over: 'maxScore' } },
    { name: 'ActiveUserCount', type: 'integer', from: 'activeUserCount' },
    { name: 'LicensedUserCount', type: 'integer', from: 'licensedUserCount' },
  ],
  examples: [
    {
      code: 'Get-DapGraphToken -TenantId 6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b -ClientId $appId -ClientSecret $secret | Get-DapSecureScoreReport',
      description: 'The latest Secure Score of one customer tenant.',
    },
  ],
  links: ['https://learn.microsoft.com/graph/api/security-list-securescores'],
} satisfies ReportDefinition;
