import { stringify } from 'csv-stringify/sync';
import { errorsFileColumns, noDataMessage } from '../../common/errors-file-format.js';
import { excelSafeCell } from '../../common/excel-safe.js';
import { writeFileAtomic } from '../../common/output-path.js';
import { compareTenants } from './manifest.js';
import type { TenantSummary } from './summary.js';

export { errorsFileColumns } from '../../common/errors-file-format.js';

/**
 * The errors file (format in common/errors-file-format.ts): a CSV with a header and one line per
 * tenant that failed or returned no data (NoData is listed but is not a failure), and one per tenant
 * whose rows need attention (its warning's code as Category, e.g. ConcealedNames), in domain order.
 * Written even when empty, so a stale file from an earlier run never remains. With `excelSafe`
 * (--excel-safe) every cell follows the merged CSV's rule.
 */
export function formatErrorsFile(tenants: readonly TenantSummary[], options: { excelSafe?: boolean } = {}): string {
  const lines = [...tenants]
    .filter((t) => t.status === 'failed' || t.status === 'noData' || t.warning)
    .sort(compareTenants)
    .map((t) => [
      t.domain,
      t.tenantId,
      t.status === 'noData' ? 'NoData' : t.status === 'failed' ? (t.category ?? 'RemoteError') : t.warning!.code,
      // one line, as the module writes it: a CSV reader never sees a record break inside a message
      (t.status === 'succeeded' ? t.warning!.message : (t.message ?? (t.status === 'noData' ? noDataMessage : ''))).replace(/\s*[\r\n]+\s*/g, ' '),
    ]);
  const records = [[...errorsFileColumns], ...lines];
  return stringify(options.excelSafe ? records.map((record) => record.map(excelSafeCell)) : records, { record_delimiter: 'windows' });
}

export async function writeErrorsFile(path: string, tenants: readonly TenantSummary[], options: { excelSafe?: boolean } = {}): Promise<void> {
  await writeFileAtomic(path, formatErrorsFile(tenants, options), { option: '--errors' });
}
