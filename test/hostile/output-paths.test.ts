// Every path a run writes, pointed at what is not a plain new file: a character device (made with
// mknod, like /dev/null), a FIFO, a symbolic link (to a file, to nothing, to a folder), a folder and
// a read-only file. No run may replace such a node or write through it: each is a usage error
// (exit 2) before anything starts, and the node is left exactly as it was.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { DapError } from '../../common/dap-error.js';
import { projectRoot } from '../../common/project-paths.js';
import { harness, tempDir, USER } from '../runtime/fakes.js';

type Kind = 'device' | 'fifo' | 'link to a file' | 'dangling link' | 'link to a folder' | 'folder' | 'read-only file';
const kinds: Kind[] = ['device', 'fifo', 'link to a file', 'dangling link', 'link to a folder', 'folder', 'read-only file'];

/** Makes `path` a node of that kind; answers a snapshot of everything the test must find unchanged. */
function make(kind: Kind, path: string): () => unknown {
  const outside = tempDir('dap-hostile-outside-');
  const target = join(outside, 'precious.txt');
  writeFileSync(target, 'not the run’s\n');
  switch (kind) {
    case 'device':
      execFileSync('mknod', [path, 'c', '1', '3']); // the numbers of /dev/null
      break;
    case 'fifo':
      execFileSync('mkfifo', [path]);
      break;
    case 'link to a file':
      symlinkSync(target, path);
      break;
    case 'dangling link':
      symlinkSync(join(outside, 'not-yet.txt'), path);
      break;
    case 'link to a folder':
      symlinkSync(outside, path);
      break;
    case 'folder':
      mkdirSync(path);
      break;
    case 'read-only file':
      writeFileSync(path, 'kept\n');
      chmodSync(path, 0o444);
      break;
  }
  return () => {
    const stats = lstatSync(path);
    return {
      ino: stats.ino,
      mode: stats.mode,
      rdev: stats.rdev,
      content: stats.isFile() ? readFileSync(path, 'utf8') : null,
      outside: readdirSync(outside).sort(),
      target: readFileSync(target, 'utf8'),
    };
  };
}

const expectUsage = async (promise: Promise<unknown>, code: RegExp) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DapError);
  expect(error).toMatchObject({ exitCode: 2, code: expect.stringMatching(code) });
  return error as DapError;
};

const refused = /^(OUTPUT_NOT_A_FILE|OUTPUT_IS_DIRECTORY|OUTPUT_READ_ONLY|RUN_FOLDER_IS_LINK|RUN_FOLDER_NOT_A_FOLDER)$/;

describe('every output of a run against every kind of node: refused, the node untouched, nothing started', () => {
  const outputs: Array<[string, (dir: string) => { args: string[]; path: string }]> = [
    ['--out', (dir) => ({ args: ['--out', join(dir, 'node')], path: join(dir, 'node') })],
    ['--errors', (dir) => ({ args: ['--out', join(dir, 'r.csv'), '--errors', join(dir, 'node')], path: join(dir, 'node') })],
    ["the run's summary (<out>.summary.json)", (dir) => ({ args: ['--out', join(dir, 'r.csv')], path: join(dir, 'r.csv.summary.json') })],
    ['the run page (<out>.html)', (dir) => ({ args: ['--out', join(dir, 'r.csv')], path: join(dir, 'r.csv.html') })],
    ['the run folder (<out>.dap-run)', (dir) => ({ args: ['--out', join(dir, 'r.csv')], path: join(dir, 'r.csv.dap-run') })],
    ['--out - (its summary in the current folder)', (dir) => ({ args: ['--out', '-'], path: join(dir, 'dap-report.summary.json') })],
    ['--out - (its errors file in the current folder)', (dir) => ({ args: ['--out', '-'], path: join(dir, 'dap-report.errors.csv') })],
  ];
  for (const [what, place] of outputs) {
    // a folder is a run folder's proper kind
    it.each(what.startsWith('the run folder') ? kinds.filter((k) => k !== 'folder') : kinds)(`${what}: %s`, async (kind) => {
      const h = harness();
      const { args, path } = place(h.deps.cwd);
      const snapshot = make(kind, path);
      const before = snapshot();
      const error = await expectUsage(h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, ...args]), refused);
      expect(error.message).toContain(path);
      expect(snapshot()).toEqual(before);
      expect(h.openExchangeHost).not.toHaveBeenCalled();
    });
  }

  it.each(kinds)('check --page: %s', async (kind) => {
    const h = harness();
    const path = join(h.deps.cwd, 'node');
    const snapshot = make(kind, path);
    const before = snapshot();
    const error = await expectUsage(h.run(['check', '--report', 'MailboxActivityReport', '--user', USER, '--page', path]), refused);
    expect(error.message).toMatch(/^--page /);
    expect(snapshot()).toEqual(before);
    expect(h.openExchangeHost).not.toHaveBeenCalled();
  });

  it.each(kinds.filter((k) => k !== 'folder'))('the parts folder of a run folder being resumed: %s', async (kind) => {
    const h = harness();
    const out = join(h.deps.cwd, 'r.csv');
    mkdirSync(`${out}.dap-run`);
    const snapshot = make(kind, join(`${out}.dap-run`, 'parts'));
    const before = snapshot();
    await expectUsage(h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--out', out]), /^RUN_FOLDER_/);
    expect(snapshot()).toEqual(before);
  });
});

describe('a run folder that is a link to another folder is never followed', () => {
  it('refused before anything in either folder is read, removed or written; the link stays', async () => {
    const h = harness();
    const other = tempDir('dap-hostile-other-');
    writeFileSync(join(other, 'manifest.json'), 'someone else’s\n');
    mkdirSync(join(other, 'parts'));
    writeFileSync(join(other, 'parts', 'x.csv'), 'theirs\n');
    const out = join(h.deps.cwd, 'r.csv');
    symlinkSync(other, `${out}.dap-run`);
    const error = await expectUsage(h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--out', out]), /^RUN_FOLDER_IS_LINK$/);
    expect(error.message).toMatch(/symbolic link/);
    expect(readdirSync(other).sort()).toEqual(['manifest.json', 'parts']);
    expect(readFileSync(join(other, 'manifest.json'), 'utf8')).toBe('someone else’s\n');
    expect(readdirSync(join(other, 'parts'))).toEqual(['x.csv']);
    expect(lstatSync(`${out}.dap-run`).isSymbolicLink()).toBe(true);
    expect(existsSync(out)).toBe(false);
  });
});

describe('the files of one run are distinct files', () => {
  it.each([
    ['--errors <out>.html', (out: string) => `${out}.html`],
    ['--errors <out>.summary.json', (out: string) => `${out}.summary.json`],
    ['--errors <out>', (out: string) => out],
    ['--errors inside the run folder', (out: string) => join(`${out}.dap-run`, 'errors.csv')],
    ['--errors the run folder itself', (out: string) => `${out}.dap-run`],
  ])('%s is refused, naming --errors as the one to change', async (_what, errorsOf) => {
    const h = harness();
    const out = join(h.deps.cwd, 'r.csv');
    if (_what.includes('inside')) mkdirSync(`${out}.dap-run`);
    const error = await expectUsage(h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--out', out, '--errors', errorsOf(out)]), /^(OPTION_CONFLICT|OUTPUT_IS_DIRECTORY)$/);
    expect(error.message).toMatch(/--errors/);
    expect(h.openExchangeHost).not.toHaveBeenCalled();
  });

  it('a second name (hard link) of the output given as --errors is refused', async () => {
    const h = harness();
    const out = join(h.deps.cwd, 'r.csv');
    writeFileSync(out, 'old output\n');
    execFileSync('ln', [out, join(h.deps.cwd, 'same.csv')]);
    const error = await expectUsage(h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--out', out, '--errors', join(h.deps.cwd, 'same.csv')]), /^OPTION_CONFLICT$/);
    expect(error.message).toMatch(/both name/);
    expect(readFileSync(out, 'utf8')).toBe('old output\n');
  });
});

describe('a node put in place of an output while the run goes is not replaced', () => {
  it('the output became a FIFO during the run: the merge refuses it (exit 2), the FIFO stays, the run folder is kept for --resume', async () => {
    let out = '';
    const h = harness({
      runner: {
        afterAttempt: (_job, completed) => {
          if (completed === 1) execFileSync('mkfifo', [out]);
        },
      },
    });
    out = join(h.deps.cwd, 'r.csv');
    await expectUsage(h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--out', out]), /^OUTPUT_NOT_A_FILE$/);
    expect(lstatSync(out).isFIFO()).toBe(true);
    expect(existsSync(join(`${out}.dap-run`, 'manifest.json'))).toBe(true);
    // once the FIFO is gone, --resume finishes from what was collected
    execFileSync('rm', [out]);
    await h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--out', out, '--resume']);
    expect(h.exitCode ?? 0).toBe(0);
    expect(lstatSync(out).isFile()).toBe(true);
  });
});

describe('through the built dap-report (dist/), on the simulator', () => {
  const bin = join(projectRoot, 'bin', 'dap-report.js');
  it('run --simulate --out <a character device like /dev/null>: exit 2, the device is still a device', async () => {
    const dir = tempDir();
    const device = join(dir, 'null');
    execFileSync('mknod', [device, 'c', '1', '3']);
    const result = await execa(process.execPath, [bin, 'run', '--simulate', '--backend', 'graph', '--quiet', '--out', device], { cwd: dir, reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/is a character device.*give --out -/);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['null']);
  });

  it('run --out - into a full stdout (/dev/full): exit 4, naming stdout, not a removed temporary folder', async () => {
    const dir = tempDir();
    const result = await execa('sh', ['-c', `"${process.execPath}" "${bin}" run --simulate --backend graph --quiet --out - > /dev/full`], { cwd: dir, reject: false });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toMatch(/ENOSPC.*stdout \(--out -\)/);
    expect(result.stderr).not.toMatch(/dap-report-\d+-[0-9a-f]+/);
  });
});

describe('dap-sim --stats and the module dap-gen writes', () => {
  const simBin = join(projectRoot, 'bin', 'dap-sim.js');
  it.each(kinds)('dap-sim run --stats <%s>: exit 2 before the simulator starts, the node untouched', async (kind) => {
    const dir = tempDir();
    const path = join(dir, 'stats.json');
    const snapshot = make(kind, path);
    const before = snapshot();
    const result = await execa(process.execPath, [simBin, 'run', '--stats', path, '--', process.execPath, '-e', 'process.exit(0)'], { cwd: dir, reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--stats /);
    expect(snapshot()).toEqual(before);
  });

  it.each(['link to a folder', 'link to a file', 'device', 'fifo', 'read-only file'] as Kind[])('a node in the module folder (%s): dap-gen refuses it and writes nothing through it', async (kind) => {
    const { writeGeneratedFiles } = await import('../../generator/write-module.js');
    const out = tempDir('dap-gen-out-');
    // a link in place of a folder of the module, or a node in place of one of its files
    const folderKinds = kind === 'link to a folder';
    const path = folderKinds ? join(out, 'DapReporting') : join(out, 'DapReporting', 'DapReporting.psm1');
    if (!folderKinds) mkdirSync(join(out, 'DapReporting'));
    const snapshot = make(kind, path);
    const before = snapshot();
    expect(() => writeGeneratedFiles(out, new Map([['DapReporting/DapReporting.psm1', '# generated\n']]))).toThrow(DapError);
    expect(snapshot()).toEqual(before);
  });
});
