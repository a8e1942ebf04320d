/** The Microsoft Graph CSV report functions the simulator serves, with their exact columns (reference §4). */

export const graphProducts = ['Exchange', 'OneDrive', 'SharePoint', 'Skype For Business', 'Yammer', 'Teams'] as const;
export type GraphProduct = (typeof graphProducts)[number];

export { graphPeriods, type GraphPeriod } from '../../common/graph-periods.js';

export interface GraphReportSpec {
  name: string;
  columns: readonly string[];
  /** Whether `(date=YYYY-MM-DD)` is accepted besides `(period='Dn')`. */
  acceptsDate: boolean;
}

const userHead = ['Report Refresh Date', 'User Principal Name', 'Display Name', 'Is Deleted', 'Deleted Date'];

export const graphReportSpecs: readonly GraphReportSpec[] = [
  {
    name: 'getMailboxUsageDetail',
    columns: [
      ...userHead, 'Created Date', 'Last Activity Date', 'Item Count', 'Storage Used (Byte)', 'Issue Warning Quota (Byte)',
      'Prohibit Send Quota (Byte)', 'Prohibit Send/Receive Quota (Byte)', 'Deleted Item Count', 'Deleted Item Size (Byte)', 'Has Archive', 'Report Period',
    ],
    acceptsDate: false,
  },
  {
    name: 'getEmailActivityUserDetail',
    columns: [
      ...userHead, 'Last Activity Date', 'Send Count', 'Receive Count', 'Read Count', 'Meeting Created Count', 'Meeting Interacted Count',
      'Assigned Products', 'Report Period',
    ],
    acceptsDate: true,
  },
  {
    name: 'getMailboxUsageMailboxCounts',
    columns: ['Report Refresh Date', 'Total', 'Active', 'Report Date', 'Report Period'],
    acceptsDate: false,
  },
  {
    name: 'getOffice365ActiveUserDetail',
    // The order of the real CSV: all "Has X License", then all "X Last Activity Date", then all "X License Assign Date".
    columns: [
      ...userHead,
      ...graphProducts.map((p) => `Has ${p} License`),
      ...graphProducts.map((p) => `${p} Last Activity Date`),
      ...graphProducts.map((p) => `${p} License Assign Date`),
      'Assigned Products',
    ],
    acceptsDate: true,
  },
];

const byLowerName = new Map(graphReportSpecs.map((spec) => [spec.name.toLowerCase(), spec]));

/** The report function by name (Graph matches function names case-insensitively). */
export function graphReportSpec(name: string): GraphReportSpec | undefined {
  return byLowerName.get(name.toLowerCase());
}
