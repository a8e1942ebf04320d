import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, fsyncSync, lstatSync, openSync, promises as fs, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DapError, ExitCode } from './dap-error.js';
import { withPath } from './machine-error.js';

/**
 * How dap-report may touch a path it writes: the one rule every output of a run goes through
 * (the CSV, the errors file, the summary, the page, check's page, the run folder and what is in it).
 *
 * - A file is written whole under a new temporary name beside it (created with O_EXCL, so never
 *   through a link someone left there) and renamed over the path.
 * - The path may name nothing yet, or a regular file that is writable by its mode. Anything else is
 *   refused before the run starts, and again just before the rename: a device (`/dev/null`), a FIFO,
 *   a socket, a folder, a symbolic link (`/dev/stdout` is one) or a read-only file is never replaced
 *   or written through. Output to stdout is `--out -`.
 * - The run folder (`<out>.dap-run`) and its parts folder are folders the run made: a link there is
 *   refused, never followed.
 */

const usage = (code: string, message: string) => new DapError(code, ExitCode.usage, message);

/** What a node that is not a regular file is, in words. */
function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

const isReadOnly = (stats: Stats) => (stats.mode & 0o222) === 0;

/** Why `path` may not be replaced by a new file (as the usage error's code and words), or undefined when it may. */
function replaceProblem(option: string, path: string): DapError | undefined {
  const stats = lstatSync(path, { throwIfNoEntry: false });
  if (!stats || (stats.isFile() && !isReadOnly(stats))) return undefined;
  // the page is a view that a run can do without
  const orNoPage = option.includes('page') ? ' (or run with --no-page)' : '';
  if (stats.isDirectory()) return usage('OUTPUT_IS_DIRECTORY', `${option} ${path} is a folder: expected a file name${orNoPage}`);
  if (stats.isFile()) {
    return usage('OUTPUT_READ_ONLY', `${option} ${path} is read-only (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}): make it writable, or give another file${orNoPage}`);
  }
  const alternative = option === '--out' ? '; to write the CSV to stdout, give --out -' : orNoPage;
  return usage(
    'OUTPUT_NOT_A_FILE',
    `${option} ${path} is ${kindOf(stats)}: dap-report writes only regular files, and never replaces or writes through anything else; give a file name${alternative}`,
  );
}

/**
 * Checks, before anything starts, that a run can write `path`: its folder exists and is writable,
 * and the path names nothing or a writable regular file (see above). Throws a usage error (exit 2).
 */
export function checkOutputPath(option: string, path: string): void {
  const folder = dirname(path);
  // a folder reached through a link (~/reports -> /data/reports) is the user's own choice: stat follows it
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw usage('OUTPUT_DIR_MISSING', `${option} ${path}: the folder ${folder} does not exist`);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw usage('OUTPUT_NOT_WRITABLE', `${option} ${path}: the folder ${folder} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  refuseUnreplaceable(option, path);
}

/** One file a run writes, named by the option it comes from. */
export interface OutputFile {
  option: string;
  path: string;
  /** Named after another option (<out>.summary.json): a clash is the other option's to fix. */
  derived?: boolean;
}

/**
 * Checks that the files of a run are different files, and none is in the run folder or is it:
 * `--errors <out>.html` would have the page overwrite the errors file. Paths are compared resolved,
 * and existing files also by device and inode (a second name of one file).
 */
export function checkDistinctOutputs(files: readonly OutputFile[], runFolder?: string): void {
  const seen: Array<OutputFile & { id?: string }> = [];
  for (const file of files) {
    const path = resolve(file.path);
    const stats = lstatSync(path, { throwIfNoEntry: false });
    const id = stats ? `${stats.dev}:${stats.ino}` : undefined;
    const same = seen.find((other) => resolve(other.path) === path || (id !== undefined && other.id === id));
    if (same) {
      const fix = file.derived ? same : file;
      throw usage('OPTION_CONFLICT', `${same.option} and ${file.option} both name ${path}: every file of a run must be a file of its own; give ${fix.option.split(' ')[0]} another name`);
    }
    if (runFolder) {
      const inside = relative(resolve(runFolder), path);
      if (inside === '' || (inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside))) {
        throw usage('OPTION_CONFLICT', `${file.option} ${path} is in the run folder ${runFolder}, which the run keeps for itself: give a file outside it`);
      }
    }
    seen.push(id ? { ...file, id } : file);
  }
}

/**
 * Checks a folder that the run keeps for itself (the run folder, its parts folder): it is absent
 * or a real folder, never a link to somewhere else. Throws a usage error (exit 2).
 */
export function checkOwnFolder(path: string, what: string): void {
  const stats = lstatSync(path, { throwIfNoEntry: false });
  if (!stats || stats.isDirectory()) return;
  throw usage(
    stats.isSymbolicLink() ? 'RUN_FOLDER_IS_LINK' : 'RUN_FOLDER_NOT_A_FOLDER',
    `${what} ${path} is ${kindOf(stats)}: the run keeps its state in a folder of its own and never follows a link; remove it (or give another --out)`,
  );
}

/** Makes a folder the run keeps for itself (see checkOwnFolder); answers true when it made it. */
export async function makeOwnFolder(path: string, what: string): Promise<boolean> {
  checkOwnFolder(path, what);
  try {
    await fs.mkdir(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // made in between by someone else: it must still be a folder, not a link
  checkOwnFolder(path, what);
  return false;
}

/**
 * Creates a new file for writing: O_CREAT|O_EXCL, so an existing file or a link left at that name
 * is never opened or followed. `mode` applies from the start (0o600 for a secret's file).
 */
export async function createNewFile(path: string, mode?: number): Promise<fs.FileHandle> {
  return mode === undefined ? fs.open(path, 'wx') : fs.open(path, 'wx', mode);
}

/**
 * Renames a complete temporary file over `path`, after checking once more that `path` names
 * nothing or a writable regular file (something put there since the run started is refused, not replaced).
 */
export async function replaceFile(temp: string, path: string, option = 'the output'): Promise<void> {
  refuseUnreplaceable(option, path);
  await fs.rename(temp, path);
}

/** Throws the usage error of replaceProblem, if there is one: the check before every rename. */
function refuseUnreplaceable(option: string, path: string): void {
  const problem = replaceProblem(option, path);
  if (problem) throw problem;
}

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
 * Writes a whole file under a new temporary name, flushes it, then renames it over `path` by the
 * rule of output-path.ts (never over a device, a FIFO, a link or a read-only file). With `mode` the
 * temporary file has that mode from the start, so it is never readable by anyone else first,
 * whatever the umask (a secret's file: 0o600). `option` names the path in a refusal.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number; option?: string } = {}): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const handle = await createNewFile(temp, options.mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await replaceFile(temp, path, options.option);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw withPath(error, path);
  }
}

/** writeFileAtomic for synchronous callers (dap-gen, dap-sim's counters file): the same rule, the same steps. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: { option?: string } = {}): void {
  const temp = tempPathFor(path);
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    refuseUnreplaceable(options.option ?? 'the output', path);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw withPath(error, path);
  }
}
