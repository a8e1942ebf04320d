import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/**
 * A small tmpfs mounted for the time of `body`: a real file system that fills up (ENOSPC) or is
 * read-only (EROFS) whatever the user, even root. Needs mount rights (the tests run as root);
 * unmounted in every case.
 */
export async function withTmpfs<T>(options: { size: string; readOnly?: boolean }, body: (dir: string, mount: Tmpfs) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'dap-tmpfs-'));
  await execa('mount', ['-t', 'tmpfs', '-o', `size=${options.size}${options.readOnly ? ',ro' : ''}`, 'tmpfs', dir]);
  const mount: Tmpfs = { resize: async (size) => void (await execa('mount', ['-o', `remount,size=${size}`, dir])) };
  try {
    return await body(dir, mount);
  } finally {
    await execa('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Tmpfs {
  /** Changes the size of the mounted file system (e.g. to make room after a disk-full run). */
  resize(size: string): Promise<void>;
}
