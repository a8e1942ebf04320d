import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { withPath } from '../common/machine-error.js';

const randomBytesInName = 4;

/**
 * A temporary name beside `path`, so the final rename stays on one file system and is atomic:
 * `.<name>.<pid>.<8 hex digits>.tmp`.
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(randomBytesInName).toString('hex')}.tmp`);
}

/** True when `name` (a file name in the folder of `path`) is one tempPathFor gave `path`, in any process. */
export function isTempNameOf(path: string, name: string): boolean {
  const prefix = `.${basename(path)}.`;
  return name.startsWith(prefix) && new RegExp(`^\\d+\\.[0-9a-f]{${randomBytesInName * 2}}\\.tmp$`).test(name.slice(prefix.length));
}

/**
 * Removes what a process killed while writing `path` left beside it (its temporary files); nothing
 * else. Run only while the run's lock is held, so no live writer of `path` loses its file.
 */
export async function removeTempFilesOf(path: string): Promise<void> {
  const folder = dirname(path);
  for (const name of await fs.readdir(folder).catch(() => [] as string[])) {
    if (isTempNameOf(path, name)) await fs.rm(join(folder, name), { force: true });
  }
}

/**
 * Writes a whole file under a temporary name, flushes it, then renames it over `path`. With
 * `mode` the temporary file is created new with that mode ('wx'), so it is never readable by
 * anyone else first, whatever the umask (a secret's file: 0o600).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const handle = options.mode === undefined ? await fs.open(temp, 'w') : await fs.open(temp, 'wx', options.mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw withPath(error, path);
  }
}
