// The errors file has one format: the module's Export-DapAggregateReport (PowerShell) must write
// exactly what the CLI's formatErrorsFile (TypeScript) writes for the same tenants, byte for byte,
// under the same default name.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { defaultErrorsFileFor, errorsFileColumns, noDataMessage } from '../../common/errors-file-format.js';
import type { FailureCategory } from '../../common/failure-category.js';
import { formatErrorsFile } from '../../runtime/run/errors-file.js';
import type { TenantSummary } from '../../runtime/run/summary.js';
import { runAggregate } from '../helpers/module-aggregate.js';
import { tempDir } from '../runtime/fakes.js';

describe('the errors file of the module and of the CLI', () => {
  it('is the same CSV, named <out>.errors.csv by default', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.csv');
    const run = await runAggregate(dir, { outputFile: out });
    expect(run.stderr).toBe('');
    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ Failed: 2, NoData: 1, ErrorFile: defaultErrorsFileFor(out) });
    expect(existsSync(join(dir, 'Errors.txt'))).toBe(false);

    const text = readFileSync(defaultErrorsFileFor(out), 'utf8');
    const records = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(text.split('\r\n')[0]).toBe(errorsFileColumns.join(','));
    expect(records.map((r) => [r.TenantDomain, r.Category])).toEqual([
      ['busy.onmicrosoft.com', 'SessionLimit'],
      ['denied.onmicrosoft.com', 'AccessDenied'],
      ['empty.onmicrosoft.com', 'NoData'],
    ]);
    // the session-limit message has line breaks, commas and colons: quoting and flattening are exercised
    expect(records[0]!.Message).toMatch(/maximum number of connections.*Policy: CN=.*,CN=Global Settings/);
    expect(records[2]!.Message).toBe(noDataMessage);

    // the same tenants through the CLI's writer give the same bytes
    const tenants: TenantSummary[] = records.map((r) => ({
      domain: r.TenantDomain!,
      tenantId: r.TenantId!,
      name: '',
      account: '',
      status: r.Category === 'NoData' ? 'noData' : 'failed',
      attempts: 1,
      durationMs: 0,
      rows: 0,
      ...(r.Category === 'NoData' ? {} : { category: r.Category as FailureCategory, message: r.Message! }),
    }));
    expect(formatErrorsFile([...tenants].reverse())).toBe(text);
  });

  it('formats a message with line breaks, quotes and commas on one quoted line in the CLI too', () => {
    const text = formatErrorsFile([
      { domain: 'a.example', tenantId: 't', name: '', account: '', status: 'failed', attempts: 1, durationMs: 0, rows: 0, category: 'RemoteError', message: 'first,\r\n  "second"\nthird' },
    ]);
    expect(text).toBe('TenantDomain,TenantId,Category,Message\r\na.example,t,RemoteError,"first, ""second"" third"\r\n');
  });
});
