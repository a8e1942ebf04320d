import { openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTmpfs } from '../helpers/tmpfs.js';
import { harness, USER } from './fakes.js';

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

