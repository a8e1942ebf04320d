import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { lockFileName } from '../../runtime/run/run-lock.js';
import { harness, makeTenants, USER, type Harness, type HarnessOptions } from './fakes.js';

const base = (out: string) => ['run', '--report', 'MailboxActivityReport', '--param', 'ReportType=Daily', '--user', USER, '--out', out];
const lockOf = (out: string) => join(`${out}.dap-run`, lockFileName);

/** A pid that was alive a moment ago and is not any more. */
async function deadPid(): Promise<number> {
  const child = execa(process.execPath, ['-e', '']);
  await child;
  return child.pid!;
}

/** A harness whose runner waits at its first attempt until `open()` is called. */
function gated(options: HarnessOptions = {}): { h: Harness; entered: Promise<void>; open: () => void } {
  const h = harness({ tenants: makeTenants(4), ...options });
  let open!: () => void;
  let enter!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const entered = new Promise<void>((resolve) => (enter = resolve));
  const run = h.runner.run.bind(h.runner);
  h.runner.run = async (job, signal) => {
    enter();
    await gate;
    return run(job, signal);
  };
  return { h, entered, open };
}

describe('one run of an output at a time', () => {
  it('a second run (or resume) of the same --out while the first runs: exit 2 RUN_IN_PROGRESS naming it; the first finishes untouched', async () => {
    const first = gated();
    const out = join(first.h.deps.cwd, 'out.csv');
    const running = first.h.run(base(out));
    await first.entered;
    const owner = JSON.parse(readFileSync(lockOf(out), 'utf8')) as { pid: number; hostname: string; startedAt: string };
    expect(owner).toMatchObject({ pid: process.pid, hostname: hostname() });

    for (const extra of [[], ['--resume']]) {
      const second = harness({ tenants: makeTenants(4), cwd: first.h.deps.cwd });
      await expect(second.run([...base(out), ...extra])).rejects.toMatchObject({
        code: 'RUN_IN_PROGRESS',
        exitCode: 2,
        message: expect.stringContaining(`pid ${process.pid} on ${hostname()}, started ${owner.startedAt}`),
      });
      expect(second.openExchangeHost).not.toHaveBeenCalled();
    }
    expect(existsSync(lockOf(out))).toBe(true);

    first.open();
    expect(await running).toBe(0);
    expect(readFileSync(out, 'utf8').split('\r\n').length).toBe(4 * 3 + 2);
    expect(existsSync(lockOf(out))).toBe(false);
  });

  it('a lock left by a process that is gone is taken over', async () => {
    const h = harness({ tenants: makeTenants(3) });
    const out = join(h.deps.cwd, 'out.csv');
    mkdirSync(`${out}.dap-run`);
    writeFileSync(lockOf(out), JSON.stringify({ pid: await deadPid(), hostname: hostname(), startedAt: '2015-03-18T10:00:00.000Z' }));
    expect(await h.run(base(out))).toBe(0);
    expect(existsSync(lockOf(out))).toBe(false);
  });

  it('an empty lock file (its creator died before writing it) is taken over once it is old', async () => {
    const h = harness({ tenants: makeTenants(3) });
    const out = join(h.deps.cwd, 'out.csv');
    mkdirSync(`${out}.dap-run`);
    writeFileSync(lockOf(out), '');
    utimesSync(lockOf(out), new Date('2015-03-18T10:00:00Z'), new Date('2015-03-18T10:00:00Z'));
    expect(await h.run(base(out))).toBe(0);
  });

  it.each([
    ['another host', () => ({ pid: process.pid, hostname: `not-${hostname()}`, startedAt: '2015-03-18T10:00:00.000Z' }), /pid \d+ on not-/],
    ['a live process here', () => ({ pid: process.ppid, hostname: hostname(), startedAt: '2015-03-18T10:00:00.000Z' }), /started 2015-03-18T10:00:00.000Z/],
  ])('a lock of %s is respected', async (_what, owner, message) => {
    const h = harness({ tenants: makeTenants(3) });
    const out = join(h.deps.cwd, 'out.csv');
    mkdirSync(`${out}.dap-run`);
    writeFileSync(lockOf(out), JSON.stringify(owner()));
    await expect(h.run(base(out))).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS', exitCode: 2, message: expect.stringMatching(message) });
    expect(existsSync(lockOf(out))).toBe(true);
  });

  /** [how the run ends, harness options, extra arguments, expected exit code or error code] */
  const endings: Array<[string, HarnessOptions, string[], number | string]> = [
    ['success', {}, [], 0],
    ['some tenants failed', { runner: { behaviour: (domain) => (domain.startsWith('customer000') ? 'AccessDenied' : 'ok') } }, [], 1],
    ['a sign-in refused at discovery', { env: { DAP_PASSWORD: 'wrong' }, badPasswords: ['wrong'] }, [], 'AUTHENTICATION_FAILED'],
    ['a sign-in refused in a tenant', { runner: { behaviour: () => 'AuthenticationFailed' } }, [], 'AUTHENTICATION_FAILED'],
    ['a usage error found under the lock', {}, ['--resume'], 'NO_RUN_TO_RESUME'],
  ];

  it.each(endings)('the lock is removed when the run ends: %s', async (_what, options, extra, expected) => {
    const h = harness({ tenants: makeTenants(3), ...options });
    const out = join(h.deps.cwd, 'out.csv');
    const ended = h.run([...base(out), ...extra]);
    if (typeof expected === 'number') expect(await ended).toBe(expected);
    else await expect(ended).rejects.toMatchObject({ code: expected });
    expect(existsSync(lockOf(out))).toBe(false);
  });

  it('the lock is removed when the run is interrupted (exit 130)', async () => {
    const h = harness({ tenants: makeTenants(6), runner: { afterAttempt: (_job, done) => done === 2 && h.signals.emit('SIGINT') } });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run([...base(out), '--max-sessions', '1'])).toBe(130);
    expect(existsSync(`${out}.dap-run`)).toBe(true);
    expect(existsSync(lockOf(out))).toBe(false);
  });
});
