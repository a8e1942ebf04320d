/**
 * `--out -`: the merged CSV on stdout and nothing else there; progress, summary line and messages on
 * stderr; the run folder temporary; the errors file, summary and page under ./dap-report.* (or
 * --errors).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../runtime/run/summary.js';
import { harness, makeTenants, USER, type Behaviour } from './fakes.js';

const run = ['run', '--report', 'MailboxActivityReport', '--param', 'ReportType=Daily', '--user', USER];
/** The run folders of this process's runs to stdout still in the temporary folder. */
const stdoutRunFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`dap-report-${process.pid}-`));

describe('run --out -', () => {
  it('writes exactly the CSV a run to a file writes, on stdout; the summary line on stderr; its own files under ./dap-report.*', async () => {
    const toFile = harness({ tenants: makeTenants(7) });
    const file = join(toFile.deps.cwd, 'out.csv');
    expect(await toFile.run([...run, '--out', file])).toBe(0);

    const before = stdoutRunFolders();
    const h = harness({ tenants: makeTenants(7) });
    expect(await h.run([...run, '--out', '-'])).toBe(0);
    expect(h.stdout.text).toBe(readFileSync(file, 'utf8'));
    expect(parse(h.stdout.text, { columns: true })).toHaveLength(21);
    expect(h.stderr.text).toMatch(/MailboxActivityReport: 7 tenants, 7 succeeded, 0 failed, 21 rows -> stdout \(errors: .*dap-report\.errors\.csv\)/);

    const cwd = h.deps.cwd;
    expect(readdirSync(cwd).sort()).toEqual(['dap-report.errors.csv', 'dap-report.html', 'dap-report.summary.json']);
    const summary = JSON.parse(readFileSync(join(cwd, 'dap-report.summary.json'), 'utf8')) as RunSummary;
    expect(summary).toMatchObject({ output: '-', errorsFile: join(cwd, 'dap-report.errors.csv'), runDirectory: null, exitCode: 0 });
    expect(stdoutRunFolders()).toEqual(before);
  });

  it('failed tenants: exit 1, the others on stdout, the failures in the errors file (--errors names it), no run folder kept', async () => {
    const tenants = makeTenants(5);
    const behaviours: Record<string, Behaviour> = { [tenants[0]!.initialDomain]: 'AccessDenied', [tenants[1]!.initialDomain]: 'noData' };
    const before = stdoutRunFolders();
    const h = harness({ tenants, runner: { behaviour: (domain) => behaviours[domain] ?? 'ok' } });
    const errors = join(h.deps.cwd, 'failed.csv');
    expect(await h.run([...run, '--out', '-', '--errors', errors, '--no-page'])).toBe(1);
    const rows = parse(h.stdout.text, { columns: true }) as Array<Record<string, string>>;
    expect(new Set(rows.map((r) => r.TenantDomain))).toEqual(new Set(tenants.slice(2).map((t) => t.initialDomain)));
    const listed = parse(readFileSync(errors, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(listed.map((e) => e.Category).sort()).toEqual(['AccessDenied', 'NoData']);
    expect(readdirSync(h.deps.cwd).sort()).toEqual(['dap-report.summary.json', 'failed.csv']);
    expect(stdoutRunFolders()).toEqual(before);
  });

  it('interrupted: exit 130, nothing on stdout, nothing kept to resume, and it says so', async () => {
    const before = stdoutRunFolders();
    const h = harness({ tenants: makeTenants(6), runner: { delayMs: 5, afterAttempt: (_job, done) => done === 2 && h.signals.emit('SIGINT') } });
    expect(await h.run([...run, '--out', '-', '--max-sessions', '1'])).toBe(130);
    expect(h.stdout.text).toBe('');
    expect(h.stderr.text).toMatch(/a run to stdout cannot be resumed: run the same command again/);
    expect(stdoutRunFolders()).toEqual(before);
  });

  it.each([
    ['--resume', ['--resume']],
    ['--keep-spool', ['--keep-spool']],
    ['--json', ['--json']],
  ])('with %s is a usage error (exit 2): nothing runs', async (_what, extra) => {
    const h = harness();
    await expect(h.run([...run, '--out', '-', ...extra])).rejects.toMatchObject({ code: 'OPTION_CONFLICT', exitCode: 2, message: expect.stringMatching(/^--out - writes the CSV to stdout/) });
    expect(h.openExchangeHost).not.toHaveBeenCalled();
    expect(h.stdout.text).toBe('');
    expect(readdirSync(h.deps.cwd)).toEqual([]);
  });

  it('dap-report show - finds the page of a run to stdout', async () => {
    const h = harness();
    expect(await h.run([...run, '--out', '-', '--quiet'])).toBe(0);
    const page = join(h.deps.cwd, 'dap-report.html');
    expect(existsSync(page)).toBe(true);
    h.stdout.text = '';
    await h.run(['show', '-']);
    expect(h.stdout.text.split('\n')[0]).toBe(page);
    expect(h.stdout.text).toMatch(/6 tenants, 6 succeeded, 0 failed, 18 rows -> stdout/);
  });
});
