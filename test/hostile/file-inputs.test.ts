import { execFileSync } from 'node:child_process';
import { chmodSync, createReadStream, existsSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBoundedFile } from '../../common/bounded-read.js';
import { readCatalog } from '../../common/catalog.js';
import { DapError } from '../../common/dap-error.js';
import { inputLimits } from '../../common/input-limits.js';
import { readCertificateFile } from '../../runtime/backends/app/auth/certificate-file.js';
import { TokenFile } from '../../runtime/backends/app/auth/token-file.js';
import { readManifest } from '../../runtime/run/manifest.js';
import { showRun } from '../../runtime/run/page/show.js';
import { readSecretStdin } from '../../runtime/platform/files/read-all.js';
import { checkScenario, parseTenantFilter } from '../../runtime/cli/run-options.js';
import { harness, tempDir, USER } from '../runtime/fakes.js';

/**
 * Every file the tools read from a path a person gives: a device without end, a named pipe no one
 * writes to, a folder, a file over its limit and one without read permission each end at once with
 * an error naming the file (exit 2 where the input is an option), never a read without end or a hang.
 */

let dir: string;
let fifo: string;
let folder: string;
let unreadable: string;
/** A sparse file one byte over the largest limit: costs no disk, is over every limit. */
let oversized: string;
const asRoot = process.getuid?.() === 0;

beforeAll(() => {
  dir = tempDir();
  fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  folder = join(dir, 'folder');
  mkdirSync(folder);
  unreadable = join(dir, 'unreadable.txt');
  writeFileSync(unreadable, 'contoso.onmicrosoft.com\n');
  chmodSync(unreadable, 0o000);
  oversized = join(dir, 'oversized');
  writeFileSync(oversized, '');
  truncateSync(oversized, inputLimits.runFile + 1);
  chmodSync(oversized, 0o600);
});

function failure(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('readBoundedFile: the one reader of a file a person names', () => {
  it('refuses /dev/zero after limit+1 bytes', () => {
    const started = Date.now();
    expect(failure(() => readBoundedFile('/dev/zero', 1 << 20))).toMatchObject({ code: 'EFBIG', message: 'larger than 1 MiB, the most that is read' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reads a named pipe that no one writes to as empty, without waiting', () => {
    expect(readBoundedFile(fifo, 100)).toBe('');
  });

  it('refuses a folder', () => {
    expect(failure(() => readBoundedFile(folder, 100))).toMatchObject({ code: 'EISDIR', message: 'a folder, not a file' });
  });

  it('refuses a regular file one byte over the limit and reads one at the limit', () => {
    const file = join(dir, 'exact.txt');
    writeFileSync(file, 'x'.repeat(100));
    expect(readBoundedFile(file, 100)).toBe('x'.repeat(100));
    expect(failure(() => readBoundedFile(file, 99))).toMatchObject({ code: 'EFBIG', message: 'larger than 99 bytes, the most that is read' });
  });

  it('a file without read permission: EACCES, except for root, whom the mode does not stop', () => {
    if (asRoot) expect(readBoundedFile(unreadable, 100)).toBe('contoso.onmicrosoft.com\n');
    else expect(failure(() => readBoundedFile(unreadable, 100))).toMatchObject({ code: 'EACCES' });
  });
});

/** Each input: how it is read from a path, and the message start that must name it. */
const inputs: Array<[string, (path: string) => unknown, RegExp]> = [
  ['--tenants-file', (path) => parseTenantFilter({ tenantsFile: path }, '/'), /^--tenants-file .* cannot be read: /],
  ['--catalog', (path) => readCatalog(path), /^the catalog .* cannot be read \(/],
  ['--simulate <scenario>', (path) => checkScenario(path, '/'), /^--simulate .*: the scenario file cannot be read \(/],
  ['--certificate', (path) => readCertificateFile(path, { simulate: true, warn: () => undefined }), /^--certificate .*: cannot read it \(/],
  ['the saved manifest (--resume)', (path) => readManifest(path), /^the run manifest .* cannot be read: /],
];

describe.each(inputs)('%s', (_option, read, names) => {
  const usageError = (path: string, reason: RegExp) => {
    const error = failure(() => read(path));
    expect(error).toBeInstanceOf(DapError);
    expect(error).toMatchObject({ exitCode: 2 });
    expect((error as Error).message).toMatch(names);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(reason);
  };

  it('/dev/zero: refused at its limit', () => usageError('/dev/zero', /larger than \d+ [MK]iB, the most that is read/));
  it('a file over its limit: refused, naming the limit', () => usageError(oversized, /larger than \d+ MiB, the most that is read/));
  it('a folder: refused as a folder', () => usageError(folder, /a folder/));
  it('a named pipe no one writes to: read as empty at once (then refused as empty or invalid, or nothing to read)', () => {
    const error = failure(() => read(fifo));
    // an empty tenants file is an empty filter, not an error; every other input is refused as not valid
    if (error !== undefined) expect(error).toMatchObject({ exitCode: 2 });
  });
  it('a file without read permission: as root it is read (the mode does not stop root); otherwise EACCES', () => {
    const error = failure(() => read(unreadable));
    if (asRoot) expect((error as Error | undefined)?.message ?? '').not.toMatch(/EACCES/);
    else expect((error as Error).message).toMatch(/EACCES/);
  });
});

describe('the token file', () => {
  it('over its limit: an error naming the file and the limit', () => {
    const file = join(dir, 'token.json');
    writeFileSync(file, '');
    truncateSync(file, inputLimits.tokenFile + 1);
    chmodSync(file, 0o600);
    expect(() => new TokenFile(file, 'app').read()).toThrow(`${file} cannot be read: larger than 1 MiB, the most that is read`);
  });

  it('/dev/zero (open to others) and a named pipe are refused at once', () => {
    expect(() => new TokenFile('/dev/zero', 'app').read()).toThrow(/other users/);
    chmodSync(fifo, 0o600);
    expect(() => new TokenFile(fifo, 'app').read()).toThrow(/not a dap-report token file/);
    expect(() => new TokenFile(folder, 'app').read()).toThrow();
  });
});

describe('a secret read from stdin', () => {
  it('/dev/zero on stdin: refused after 64 KiB, exit 2, naming the option', async () => {
    const error = await readSecretStdin(createReadStream('/dev/zero'), '--client-secret-stdin').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DapError);
    expect(error).toMatchObject({ code: 'STDIN_TOO_LARGE', exitCode: 2, message: '--client-secret-stdin: stdin is larger than 64 KiB, the most that is read' });
  });

  it('a secret at the limit is read whole', async () => {
    const secret = 's'.repeat(inputLimits.stdinSecret);
    expect(await readSecretStdin(Readable.from([Buffer.from(secret)]), '--password-stdin')).toBe(secret);
  });
});

describe('dap-report show', () => {
  it('a summary.json that is /dev/zero costs only its summary line', async () => {
    const page = join(dir, 'out.html');
    writeFileSync(page, '<html></html>');
    execFileSync('ln', ['-s', '/dev/zero', join(dir, 'out.summary.json')]);
    let out = '';
    const stream = {
      write: (text: string) => {
        out += text;
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    await showRun(page, {}, { cwd: dir, env: {}, stdout: stream, stderr: stream, signals: process });
    expect(out).toBe(`${page}\n`);
  });
});

describe('through the command line', () => {
  it('dap-report run --tenants-file /dev/zero: exit 2 at once, naming the file and the limit; nothing starts', async () => {
    const h = harness();
    const error = await h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--tenants-file', '/dev/zero']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TENANTS_FILE_UNREADABLE', exitCode: 2, message: '--tenants-file /dev/zero cannot be read: larger than 16 MiB, the most that is read' });
    expect(h.startSimulator).not.toHaveBeenCalled();
  });

  it('as the bin ends it: one line on stderr and exit code 2', async () => {
    const h = harness();
    expect(await h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--tenants-file', folder], { asBin: true })).toBe(2);
    expect(h.stderr.text).toBe(`dap-report: --tenants-file ${folder} cannot be read: a folder, not a file\n`);
  });
});

describe('dap-gen and dap-sim (the bins)', () => {
  const root = join(__dirname, '..', '..');
  /** A hang ends the test at the timeout, as a failure. */
  const bin = (name: string, args: string[]) => execa(process.execPath, [join(root, 'bin', name), ...args], { cwd: dir, reject: false, timeout: 30_000 });

  it('dap-gen --reports /dev/zero, a named pipe, a folder and a file over the limit: exit 2, each file named with its problem, nothing written', async () => {
    const out = join(dir, 'gen-out');
    const run = await bin('dap-gen.js', ['--reports', '/dev/zero', fifo, folder, oversized, '--out', out]);
    expect(run.timedOut).toBe(false);
    expect(run.exitCode).toBe(2);
    const lines = run.stderr.split('\n');
    expect(lines).toContain('/dev/zero:1:1: cannot be read: larger than 16 MiB, the most that is read');
    expect(lines).toContain(`${oversized}:1:1: cannot be read: larger than 16 MiB, the most that is read`);
    expect(lines).toContain(`${folder}:1:1: cannot be read: a folder, not a file (name the definition files in it, such as '${folder}/*.ts')`);
    // a pipe no one writes to reads as empty at once: a file without definitions
    expect(lines.some((line) => line.startsWith(`${fifo}:1:1: no report definition found`))).toBe(true);
    expect(existsSync(out)).toBe(false);
  });

  const simInputs: Array<[string, (path: string) => string[]]> = [
    ['dap-sim run --config', (path) => ['run', '--config', path, '--', process.execPath, '-e', '0']],
    ['dap-sim run --catalog', (path) => ['run', '--catalog', path, '--', process.execPath, '-e', '0']],
    ['dap-sim serve --config', (path) => ['serve', '--config', path]],
  ];

  describe.each(simInputs)('%s', (_option, args) => {
    const refused = async (path: string, reason: string) => {
      const run = await bin('dap-sim.js', args(path));
      expect(run.timedOut).toBe(false);
      expect(run.exitCode).toBe(2);
      expect(run.stderr.split('\n')[0]).toMatch(/^dap-sim: cannot read (scenario|catalog) file /);
      expect(run.stderr.split('\n')[0]).toContain(`${path}: ${reason}`);
      expect(run.stdout).toBe('');
    };

    it('/dev/zero: refused at the limit', () => refused('/dev/zero', 'larger than 16 MiB, the most that is read'));
    it('a file over the limit: refused, naming the limit', () => refused(oversized, 'larger than 16 MiB, the most that is read'));
    it('a folder: refused as a folder', async () => {
      if (args('x').includes('--catalog')) {
        // a folder is where dap-gen writes a catalog: one without it is named as such
        const run = await bin('dap-sim.js', args(folder));
        expect(run.exitCode).toBe(2);
        expect(run.stderr).toContain(`the folder ${folder} holds no catalog`);
      } else {
        await refused(folder, 'a folder, not a file');
      }
    });
    it('a named pipe no one writes to: read as empty at once, refused as not JSON', async () => {
      const run = await bin('dap-sim.js', args(fifo));
      expect(run.timedOut).toBe(false);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(`file ${fifo} is not valid JSON`);
    });
  });
});
