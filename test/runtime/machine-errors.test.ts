import { existsSync, openSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { manifestReserveBytes, readManifest } from '../../runtime/run/manifest.js';
import { mergeParts } from '../../runtime/run/merge.js';
import { withTmpfs } from '../helpers/tmpfs.js';
import { harness, makeTenants, rowsFor, tempDir, USER } from './fakes.js';

const base = ['run', '--report', 'MailboxActivityReport', '--user', USER];

describe('an output folder that cannot be written is a usage error found before signing in', () => {
  it.each([
    ['--out', (ro: string, cwd: string) => ['--out', join(ro, 'out.csv'), '--errors', join(cwd, 'Errors.txt')]],
    ['--errors', (ro: string, cwd: string) => ['--out', join(cwd, 'out.csv'), '--errors', join(ro, 'Errors.txt')]],
  ])('%s on a read-only file system: exit 2, OUTPUT_NOT_WRITABLE naming the folder, nothing started', async (_option, args) => {
    await withTmpfs({ size: '64k', readOnly: true }, async (ro) => {
      const h = harness();
      await expect(h.run([...base, ...args(ro, h.deps.cwd)])).rejects.toMatchObject({
        code: 'OUTPUT_NOT_WRITABLE',
        exitCode: 2,
        message: expect.stringContaining(`the folder ${ro} is not writable (EROFS)`),
      });
      expect(h.openExchangeHost).not.toHaveBeenCalled();
      expect(readdirSync(h.deps.cwd)).toEqual([]);
    });
  });
});

describe('a disk or permission error is one line naming the path and the code, never a trace', () => {
  it('EROFS while reading the catalog: exit 4, one line', async () => {
    await withTmpfs({ size: '64k', readOnly: true }, async (ro) => {
      const path = join(ro, 'catalog.json');
      const h = harness({
        deps: {
          readCatalog: () => {
            openSync(path, 'w');
            throw new Error('unreachable');
          },
        },
      });
      expect(await h.run(['reports'], { asBin: true })).toBe(4);
      expect(h.stderr.text).toBe(`dap-report: open ${path} failed: EROFS (read-only file system)\n`);
    });
  });

  it('an errno error without a path still names its code, and an unexpected error keeps its trace', async () => {
    const bug = harness({ deps: { readCatalog: () => { throw new TypeError('x is undefined'); } } });
    expect(await bug.run(['reports'], { asBin: true })).toBe(3);
    expect(bug.stderr.text).toMatch(/internal error, please report it with this trace:\nTypeError: x is undefined\n\s+at /);

    const full = harness({
      deps: { readCatalog: () => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' }); } },
    });
    expect(await full.run(['reports'], { asBin: true })).toBe(4);
    expect(full.stderr.text).toBe('dap-report: write failed: ENOSPC (no space left on device)\n');
  });
});


describe('disk full during a run', () => {
  const run = (out: string, errors: string) => ['run', '--report', 'MailboxActivityReport', '--param', 'ReportType=Daily', '--user', USER, '--out', out, '--errors', errors, '--max-sessions', '1'];
  const world = { tenants: makeTenants(16), runner: { rows: 250 } };

  /** Fills the file system of `dir` with one file until `leave` bytes are free. */
  function fill(dir: string, leave: number): string {
    const { bavail, bsize } = statfsSync(dir);
    const path = join(dir, 'filler');
    writeFileSync(path, Buffer.alloc(Math.max(0, bavail * bsize - leave)));
    return path;
  }

  type Sizes = { output: number };
  /** [what fills up, which disk to fill and how much to leave free, the file the message names, what the saved run holds] */
  const cases: Array<[string, 'out' | 'errors', (size: Sizes) => number, (out: string, errors: string) => string, (states: string[]) => void]> = [
    ['the tenant parts', 'out', ({ output }) => output / 2, (out) => `${out}.dap-run/`, (states) => {
      expect(states).toContain('succeeded');
      expect(states).toContain('pending');
    }],
    // what is free once the run has put aside room for its manifest's last save
    ["the runner's attempt file", 'out', () => manifestReserveBytes(world.tenants.length) + 12 * 1024, (out) => `${out}.dap-run/parts`, (states) => expect(new Set(states)).toEqual(new Set(['pending']))],
    // parts and the spool's two temporary files of the last tenants fit; a second copy of the rows (the output) does not
    ['the merged output', 'out', ({ output }) => output * 1.8, (out) => out, (states) => expect(new Set(states)).toEqual(new Set(['succeeded']))],
    ['the errors file', 'errors', () => 0, (_out, errors) => errors, (states) => expect(new Set(states)).toEqual(new Set(['succeeded']))],
  ];

  it.each(cases)('%s: exit 4, one line saying so, the run kept; after freeing space --resume gives the output of a roomy disk', async (_what, disk, leave, named, saved) => {
    const roomy = harness(world);
    const reference = join(roomy.deps.cwd, 'out.csv');
    expect(await roomy.run(run(reference, join(roomy.deps.cwd, 'Errors.txt')))).toBe(0);
    const output = readFileSync(reference).length;

    await withTmpfs({ size: `${Math.ceil((output * 4) / 1024)}k` }, (outDir) =>
      withTmpfs({ size: '64k' }, async (errorsDir) => {
        const out = join(outDir, 'out.csv');
        const errors = join(errorsDir, 'Errors.txt');
        const filler = fill(disk === 'out' ? outDir : errorsDir, leave({ output }));
        let h = harness(world);
        expect(await h.run(run(out, errors), { asBin: true })).toBe(4);
        const lines = h.stderr.text.trimEnd().split('\n').filter((line) => !/^dap-report: (\d+ tenants to run|\d+\/\d+ tenants|the tenants' rows have columns)/.test(line));
        expect(lines, h.stderr.text).toHaveLength(1);
        expect(lines[0]).toMatch(/^dap-report: the disk is full \((ENOSPC|EDQUOT)\) writing \S+: free space there, then run the same command with --resume/);
        expect(lines[0]!.slice('dap-report: the disk is full (ENOSPC) writing '.length)).toMatch(new RegExp(`^${named(out, errors).replace(/[.]/g, '\\.')}`));
        const manifest = readManifest(join(`${out}.dap-run`, 'manifest.json'));
        expect(manifest.mergedAt).toBeUndefined();
        saved(manifest.tenants.map((t) => t.state));
        expect(existsSync(join(`${out}.dap-run`, 'run.lock'))).toBe(false);

        rmSync(filler);
        h = harness({ ...world, cwd: h.deps.cwd });
        expect(await h.run([...run(out, errors), '--resume'])).toBe(0);
        expect(h.runner.attempts.map((j) => j.tenantId).sort()).toEqual(manifest.tenants.filter((t) => t.state === 'pending').map((t) => t.tenantId).sort());
        expect(readFileSync(out).equals(readFileSync(reference))).toBe(true);
        expect(readFileSync(errors, 'utf8')).toBe(readFileSync(join(roomy.deps.cwd, 'Errors.txt'), 'utf8'));
      }),
    );
  });

  it('a tmpfs that is too small is made bigger, and the run then finishes with --resume', async () => {
    await withTmpfs({ size: '256k' }, async (dir, disk) => {
      const out = join(dir, 'out.csv');
      let h = harness(world);
      await expect(h.run(run(out, join(dir, 'Errors.txt')))).rejects.toMatchObject({ code: 'DISK_FULL', exitCode: 4 });
      await disk.resize('64m');
      h = harness({ ...world, cwd: h.deps.cwd });
      expect(await h.run([...run(out, join(dir, 'Errors.txt')), '--resume', '--keep-spool'])).toBe(0);
      expect(readManifest(join(`${out}.dap-run`, 'manifest.json')).tenants.every((t) => t.state === 'succeeded')).toBe(true);
    });
  });
});

describe('the merge on a full disk', () => {
  it.each([
    ['parts copied as bytes', {}],
    ['parts re-encoded (--excel-safe)', { excelSafe: true }],
  ])('%s: rejects with ENOSPC naming the output, leaves no temporary file', async (_what, options) => {
    const roomy = tempDir();
    const parts = makeTenants(6).map((t, i) => {
      const path = join(roomy, `${i}.csv`);
      const job = { tenantId: t.tenantId, domain: t.initialDomain };
      writeFileSync(path, stringify(rowsFor(job, 300), { quoted: true, record_delimiter: 'unix' }));
      return { ...job, path, rows: 300 };
    });
    await withTmpfs({ size: '32k' }, async (dir) => {
      const out = join(dir, 'out.csv');
      await expect(mergeParts(parts, out, options)).rejects.toMatchObject({ code: 'ENOSPC', path: out });
      expect(readdirSync(dir)).toEqual([]);
    });
  });
});
