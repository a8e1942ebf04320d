import type { ReportDefinition } from '../report-definition.js';

export const tenantLicenseReport = {
  name: 'TenantLicenseReport',
  summary: 'Lists every licence (SKU) a customer tenant subscribes to, with units bought and used (Microsoft Graph).',
  description:
    'Reads the subscribed SKUs of a customer tenant (GET /v1.0/subscribedSkus): one row per SKU with its part number, whether ' +
    'it is enabled, and its units: enabled (bought), consumed (assigned), available (enabled minus consumed), in warning and ' +
    'suspended. The licence report partners bill from. Needs LicenseAssignment.Read.All (or Organization.Read.All); through GDAP, ' +
    'Global Reader covers it.',
  source: { kind: 'graphQuery', path: 'subscribedSkus', permission: 'LicenseAssignment.Read.All' },
  columns: [
    { name: 'SkuPartNumber', type: 'string', from: 'skuPartNumber' },
    { name: 'SkuId', type: 'string', from: 'skuId' },
    { name: 'CapabilityStatus', type: 'string', from: 'capabilityStatus' },
    { name: 'EnabledUnits', type: 'integer', from: 'prepaidUnits.enabled' },
    { name: 'ConsumedUnits', type: 'integer', from: 'consumedUnits' },
    { name: 'WarningUnits', type: 'integer', from: 'prepaidUnits.warning' },
    { name: 'SuspendedUnits', type: 'integer', from: 'prepaidUnits.suspended' },
    { name: 'AppliesTo', type: 'string', from: 'appliesTo' },
  ],
  examples: [
    {
      code: 'Get-DapGraphToken -TenantId 6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b -ClientId $appId -ClientSecret $secret | Get-DapTenantLicenseReport',
      description: 'The licences of one customer tenant.',
    },
  ],
  links: ['https://learn.microsoft.com/graph/api/subscribedsku-list'],
} satisfies ReportDefinition;
