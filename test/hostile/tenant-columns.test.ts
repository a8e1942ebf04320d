import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { mergeParts, ownColumns } from '../../runtime/run/merge.js';
import type { RunSummary } from '../../runtime/run/summary.js';
import { harness, makeTenants, tempDir, tenantId, USER } from '../runtime/fakes.js';

/** A tenant's own column named like one the merge writes itself is kept under another name, and said so: never dropped. */

describe('ownColumns', () => {
  it('keeps the first TenantId and TenantDomain as the keys and renames CustomerName and a second TenantId', () => {
    expect(ownColumns(['TenantId', 'TenantDomain', 'CustomerName', 'TenantId', 'Count'])).toEqual({
      columns: ['TenantId', 'TenantDomain', 'Service_CustomerName', 'Service_TenantId', 'Count'],
      renamed: [
        { column: 'CustomerName', as: 'Service_CustomerName' },
        { column: 'TenantId', as: 'Service_TenantId' },
      ],
    });
  });

  it('picks a name the part does not have', () => {
    expect(ownColumns(['TenantId', 'TenantDomain', 'Service_CustomerName', 'CustomerName']).columns).toEqual(['TenantId', 'TenantDomain', 'Service_CustomerName', 'Service_CustomerName_2']);
  });

  it('leaves a header without such columns as it is', () => {
    expect(ownColumns(['Date', 'TenantId', 'TenantDomain', 'Count'])).toEqual({ columns: ['Date', 'TenantId', 'TenantDomain', 'Count'], renamed: [] });
  });
});

describe.each([false, true])('mergeParts (excelSafe %s)', (excelSafe) => {
  it("keeps a tenant's CustomerName and second TenantId values in their renamed columns", async () => {
    const dir = tempDir();
    const path = join(dir, 'part.csv');
    writeFileSync(
      path,
      stringify([
        ['TenantId', 'TenantDomain', 'CustomerName', 'TenantId', 'Count'],
        [tenantId(1), 'a.onmicrosoft.com', 'the service says Fabrikam', 'service-tenant', '7'],
      ]),
    );
    const out = join(dir, 'out.csv');
    const result = await mergeParts([{ tenantId: tenantId(1), domain: 'a.onmicrosoft.com', customerName: 'Contoso', path, rows: 1 }], out, { excelSafe, columns: ['Count'] });
    expect(result.renamed).toEqual([
      { column: 'CustomerName', as: 'Service_CustomerName' },
      { column: 'TenantId', as: 'Service_TenantId' },
    ]);
    expect(result.undeclared).toEqual(['Service_CustomerName', 'Service_TenantId']);
    expect(parse(readFileSync(out))).toEqual([
      ['TenantId', 'TenantDomain', 'CustomerName', 'Count', 'Service_CustomerName', 'Service_TenantId'],
      [tenantId(1), 'a.onmicrosoft.com', 'Contoso', '7', 'the service says Fabrikam', 'service-tenant'],
    ]);
  });
});

it('dap-report run names the renamed columns on stderr and in the summary', async () => {
  const h = harness({ tenants: makeTenants(2) });
  h.runner.run = async (job) => {
    writeFileSync(job.outPath, stringify([['TenantId', 'TenantDomain', 'Date', 'CustomerName'], [job.tenantId, job.domain, '2015-03-18', 'Service name']], { quoted: true }));
    return { status: 'succeeded', rows: 1, partPath: job.outPath };
  };
  const out = join(h.deps.cwd, 'out.csv');
  expect(await h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--out', out])).toBe(0);
  expect(h.stderr.text).toContain("dap-report: the tenants' rows have columns named like one the output fills itself, kept under another name: CustomerName as Service_CustomerName\n");
  const summary = JSON.parse(readFileSync(`${out}.summary.json`, 'utf8')) as RunSummary;
  expect(summary.columns?.renamed).toEqual([{ column: 'CustomerName', as: 'Service_CustomerName' }]);
  expect(summary.columns?.undeclared).toEqual(['Service_CustomerName']);
  const records = parse(readFileSync(out), { columns: true }) as Array<Record<string, string>>;
  expect(records.map((r) => r.Service_CustomerName)).toEqual(['Service name', 'Service name']);
  expect(records.map((r) => r.CustomerName)).toEqual(['Customer 1', 'Customer 0']);
});
