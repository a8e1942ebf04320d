import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { withTmpfs } from '../helpers/tmpfs.js';
import { fixtureCatalog, harness, makeTenants, tempDir, USER, type HarnessOptions } from './fakes.js';

const run = ['run', '--report', 'MailboxActivityReport', '--user', USER];

/** [what, harness options, arguments (given a folder to write in), code, exit code] */
const cases: Array<[string, HarnessOptions, (dir: string) => string[], string, number]> = [
  ['usage: a bad option value', {}, () => [...run, '--max-sessions', '4'], 'BAD_MAX_SESSIONS', 2],
  ['usage: a selection without tenants', {}, () => ['tenants', '--user', USER, '--tenant', 'nosuch.onmicrosoft.com'], 'NO_TENANT_SELECTED', 2],
  ['fatal: a refused password', { env: { DAP_PASSWORD: 'wrong' }, badPasswords: ['wrong'] }, () => run, 'AUTHENTICATION_FAILED', 3],
  ['machine: the disk is full', { tenants: makeTenants(12), runner: { rows: 300 } }, (dir) => [...run, '--out', join(dir, 'out.csv')], 'DISK_FULL', 4],
];

describe('--json: a command ending with an error prints it as one JSON object on stdout, besides the message on stderr', () => {
  it.each(cases)('%s', async (_what, options, args, code, exitCode) => {
    await withTmpfs({ size: '128k' }, async (dir) => {
      const h = harness(options);
      expect(await h.run([...args(dir), '--json'], { asBin: true })).toBe(exitCode);
      const printed = JSON.parse(h.stdout.text) as { error: { code: string; exitCode: number; message: string } };
      expect(printed).toEqual({ error: { code, exitCode, message: expect.any(String) } });
      expect(h.stderr.text).toContain(`dap-report: ${printed.error.message}\n`);
    });
  });

  it('without --json nothing is printed on stdout', async () => {
    const h = harness();
    expect(await h.run([...run, '--max-sessions', '4'], { asBin: true })).toBe(2);
    expect(h.stdout.text).toBe('');
  });

  it.each([
    [['run', '--catalog', fixtureCatalog, '--no-such-flag', '--json'], 'UNKNOWN_OPTION'],
    [['tenants', '--json', '--user'], 'OPTION_MISSING_ARGUMENT'],
  ])('commander errors too, through the built bin: %j', async (args, code) => {
    const result = await execa(process.execPath, [join(projectRoot, 'bin', 'dap-report.js'), ...args], { reject: false, cwd: tempDir() });
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ error: { code, exitCode: 2, message: expect.any(String) } });
    expect(result.stderr).toMatch(/error: /);
  });
});
