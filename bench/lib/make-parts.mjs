// Writes N tenant part files with R rows in all, for the merge benchmark, as a worker writes them
// (Export-Csv style: every field quoted, LF): 10% of the parts have an extra or a missing column,
// and some fields hold commas, quotes, newlines and non-ASCII text. Deterministic for a seed.
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { stringify } from 'csv-stringify';
import { mulberry32 } from '../../dist/simulator/world/prng.js';

const baseColumns = ['TenantId', 'TenantDomain', 'Date', 'TenantGuid', 'TenantName', 'WindowsLiveID', 'UserName', 'MailboxSize', 'CurrentMailboxSize', 'PercentUsed', 'MailboxPlan', 'IsInactive'];
const tricky = ['Smith, John', 'He said "hi"', 'two\nlines', 'Zoë Ångström 日本', '=1+2', 'plain'];


/** @returns {Promise<Array<{ path: string, domain: string, tenantId: string, rows: number }>>} in tenant order */
export async function makeParts(dir, { parts, rows, seed = 1 }) {
  mkdirSync(dir, { recursive: true });
  const random = mulberry32(seed);
  const perPart = Math.floor(rows / parts);
  const paths = [];
  for (let p = 0; p < parts; p += 1) {
    const domain = `tenant${String(p).padStart(4, '0')}.onmicrosoft.com`;
    const tenantId = `00000000-0000-4000-8000-${String(p).padStart(12, '0')}`;
    let columns = baseColumns;
    if (p % 10 === 3) columns = [...baseColumns, 'ArchiveStatus'];
    if (p % 10 === 7) columns = baseColumns.filter((c) => c !== 'MailboxPlan');
    const path = join(dir, `${domain}.csv`);
    const out = createWriteStream(path);
    const csv = stringify({ header: true, columns, quoted: true });
    csv.pipe(out);
    for (let r = 0; r < perPart; r += 1) {
      const user = random() < 0.01 ? tricky[Math.floor(random() * tricky.length)] : `user${r}`;
      const record = {
        TenantId: tenantId, TenantDomain: domain, Date: `2015-03-${String(1 + (r % 28)).padStart(2, '0')}T00:00:00`,
        TenantGuid: tenantId, TenantName: domain, WindowsLiveID: `user${r}@${domain}`, UserName: user,
        MailboxSize: String(Math.floor(random() * 50_000)), CurrentMailboxSize: String(Math.floor(random() * 50_000)),
        PercentUsed: (random() * 100).toFixed(2), MailboxPlan: 'ExchangeOnlineEnterprise', IsInactive: random() < 0.1 ? 'True' : 'False',
        ArchiveStatus: 'Active',
      };
      if (!csv.write(record)) await once(csv, 'drain');
    }
    csv.end();
    await once(out, 'finish');
    paths.push({ path, domain, tenantId, rows: perPart });
  }
  return paths;
}
