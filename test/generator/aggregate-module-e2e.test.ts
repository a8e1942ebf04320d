// Export-DapAggregateReport's file handling and streams, in real pwsh under the simulator:
// -WhatIf, -NoClobber, -Force, the default errors file, -Verbose.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultErrorsFileFor } from '../../common/errors-file-format.js';
import { aggregateUser, runAggregate } from '../helpers/module-aggregate.js';
import { tempDir } from '../runtime/fakes.js';

describe('Export-DapAggregateReport in pwsh against the simulator', () => {
  it('-WhatIf says what it would write, then signs in nowhere and writes nothing', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.csv');
    const run = await runAggregate(dir, { outputFile: out, switches: ['WhatIf'] });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`What if: Performing the operation "Run MailboxActivityReport in every customer tenant and write" on target "${out} and ${defaultErrorsFileFor(out)}"`);
    expect(run.result).toBeUndefined();
    expect(existsSync(out)).toBe(false);
    expect(existsSync(defaultErrorsFileFor(out))).toBe(false);
    expect(run.stats.accounts[aggregateUser]).toMatchObject({ signIns: 0, sessionsOpened: 0 });
  });

  it('-NoClobber stops before signing in when the output exists, and leaves it as it was', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.csv');
    writeFileSync(out, 'earlier\n');
    const run = await runAggregate(dir, { outputFile: out, switches: ['NoClobber'] });
    expect(run.error).toBe(`Dap.FileExists,Export-DapAggregateReport ${out}`);
    expect(readFileSync(out, 'utf8')).toBe('earlier\n');
    expect(run.stats.accounts[aggregateUser]).toMatchObject({ signIns: 0, sessionsOpened: 0 });
  });

  it('-NoClobber also guards the errors file; without it both files are replaced', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.csv');
    const errors = join(dir, 'failed.csv');
    writeFileSync(errors, 'earlier\n');
    const refused = await runAggregate(dir, { outputFile: out, errorFile: errors, switches: ['NoClobber'] });
    expect(refused.error).toBe(`Dap.FileExists,Export-DapAggregateReport ${errors}`);
    expect(existsSync(out)).toBe(false);
    const replaced = await runAggregate(dir, { outputFile: out, errorFile: errors });
    expect(replaced.error).toBeUndefined();
    expect(replaced.result).toMatchObject({ OutputFile: out, ErrorFile: errors, Rows: 7 });
    expect(readFileSync(errors, 'utf8')).toMatch(/^TenantDomain,TenantId,Category,Message\r\n/);
  });

  it('a read-only output is refused before signing in, and replaced with -Force', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.csv');
    writeFileSync(out, 'earlier\n');
    chmodSync(out, 0o444);
    const refused = await runAggregate(dir, { outputFile: out });
    expect(refused.error).toBe(`Dap.FileReadOnly,Export-DapAggregateReport ${out}`);
    expect(refused.stats.accounts[aggregateUser]).toMatchObject({ signIns: 0 });
    expect(readFileSync(out, 'utf8')).toBe('earlier\n');
    const forced = await runAggregate(dir, { outputFile: out, switches: ['Force'] });
    expect(forced.error).toBeUndefined();
    expect(forced.result).toMatchObject({ Rows: 7, Failed: 2 });
    expect(readFileSync(out, 'utf8')).toMatch(/^"TenantId","TenantDomain"/);
    expect(statSync(out).mode & 0o200).toBe(0o200);
  });

  it('-Force and -NoClobber together are a parameter error', async () => {
    const dir = tempDir();
    const run = await runAggregate(dir, { outputFile: join(dir, 'out.csv'), switches: ['Force', 'NoClobber'] });
    expect(run.error).toMatch(/^Dap\.InvalidParameter,Export-DapAggregateReport /);
    expect(run.stats.accounts[aggregateUser]).toMatchObject({ signIns: 0 });
  });

  it('-Verbose reports the sign-in, the tenant count, each tenant as it finishes and the files written', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.csv');
    const run = await runAggregate(dir, { outputFile: out, switches: ['Verbose'] });
    expect(run.stderr).toBe('');
    const verbose = run.lines.filter((l) => l.startsWith('VERBOSE '));
    expect(verbose).toContain(`VERBOSE Signing in as ${aggregateUser}`);
    expect(verbose.some((l) => /^VERBOSE \d+ customer tenants to run MailboxActivityReport in, 3 at a time$/.test(l))).toBe(true);
    for (const domain of ['adatum', 'zeta']) expect(verbose.some((l) => l.startsWith(`VERBOSE [${domain}.onmicrosoft.com] 1 rows (`))).toBe(true);
    expect(verbose.some((l) => l.startsWith('VERBOSE [empty.onmicrosoft.com] 0 rows ('))).toBe(true);
    expect(verbose.some((l) => l.startsWith('VERBOSE [denied.onmicrosoft.com] failed (AccessDenied): '))).toBe(true);
    expect(verbose.at(-1)).toBe(`VERBOSE Wrote ${String(run.result!.Rows)} rows to ${out} and 3 lines to ${defaultErrorsFileFor(out)}`);
  });

  it('leaves nothing in -ErrorVariable or $Error, whether tenants run in parallel or one at a time: the same errors file either way', async () => {
    const files: string[] = [];
    for (const throttleLimit of [3, 1]) {
      const dir = tempDir();
      const out = join(dir, 'out.csv');
      const run = await runAggregate(dir, { outputFile: out, throttleLimit });
      expect(run.stderr).toBe('');
      expect(run.result).toMatchObject({ Failed: 2, NoData: 1 });
      expect(run.lines).toContain('ERRVAR 0');
      expect(run.lines).toContain('ERRORCOUNT 0');
      files.push(readFileSync(defaultErrorsFileFor(out), 'utf8').replace(/AuthZRequestId=[0-9a-f-]+|GlobalThrottlingPolicy_[0-9a-f-]+|\w{3}, \d\d \w{3} \d{4} [\d:]+ GMT/g, '…'));
    }
    expect(files[1]).toBe(files[0]);
  });
});
