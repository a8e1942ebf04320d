import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { readBoundedFile } from '../../common/bounded-read.js';
import { DapError, ExitCode } from '../../common/dap-error.js';
import { inputLimits } from '../../common/input-limits.js';
import { makeOwnFolder } from '../../common/output-path.js';

/** Who holds a run folder: written into the lock file when it is created. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

export const lockFileName = 'run.lock';

/**
 * A lock file that holds no owner is one whose creator has not written it yet, or died right after
 * creating it; only when it is older than this is it taken for the latter.
 */
const ownerlessLockGraceMs = 10_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const value = JSON.parse(readBoundedFile(path, inputLimits.runLock)) as Partial<LockOwner>;
    if (Number.isInteger(value.pid) && typeof value.hostname === 'string' && typeof value.startedAt === 'string') return value as LockOwner;
  } catch {
    // empty or cut short: no owner
  }
  return undefined;
}

/** A lock left by a process that is gone: its pid is not alive on this host (another host's lock is never stale). */
async function isStale(path: string, owner: LockOwner | undefined): Promise<boolean> {
  if (!owner) {
    const stat = await fs.stat(path).catch(() => undefined);
    return !stat || Date.now() - stat.mtimeMs > ownerlessLockGraceMs;
  }
  return owner.hostname === hostname() && !isAlive(owner.pid);
}

/**
 * The exclusive lock of a run folder (`<out>.dap-run/run.lock`): one run of an output at a time.
 * Created with O_EXCL, so of two runs starting together exactly one gets it; it holds the pid, the
 * host name and the start time. A lock whose process is gone (killed, crashed) is taken over.
 * Two runs taking over the same stale lock at the same instant is not guarded against.
 */
export class RunLock {
  private constructor(
    readonly path: string,
    /** The run folder did not exist before: released, it is removed again when empty. */
    private readonly createdFolder: boolean,
  ) {}

  /** Takes the lock of `folder`, or throws RUN_IN_PROGRESS (exit 2) naming the run that holds it. */
  static async acquire(folder: string, run: { output: string; now: Date }): Promise<RunLock> {
    const path = join(folder, lockFileName);
    const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: run.now.toISOString() };
    for (let attempt = 1; ; attempt += 1) {
      const createdFolder = await makeOwnFolder(folder, 'the run folder');
      let handle: fs.FileHandle | undefined;
      try {
        handle = await fs.open(path, 'wx');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // the folder went away in between (the run holding it ended and removed it): try again
        if (code === 'ENOENT' && attempt < 5) continue;
        if (code !== 'EEXIST') throw error;
      }
      if (handle) {
        try {
          await handle.writeFile(`${JSON.stringify(owner)}\n`);
        } catch (error) {
          await fs.rm(path, { force: true });
          throw error;
        } finally {
          await handle.close();
        }
        return new RunLock(path, createdFolder);
      }
      const holder = await readOwner(path);
      if (attempt >= 5 || !(await isStale(path, holder))) {
        const who = holder ? `pid ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}` : 'its owner not yet written';
        throw new DapError(
          'RUN_IN_PROGRESS',
          ExitCode.usage,
          `another dap-report run of ${run.output} is under way (${who}): wait for it to end or give another --out; if that run is gone, remove ${path}`,
        );
      }
      await fs.rm(path, { force: true });
    }
  }

  /** Removes the lock (and the run folder when this run created it and left nothing in it). */
  async release(): Promise<void> {
    await fs.rm(this.path, { force: true });
    if (this.createdFolder) await fs.rmdir(dirname(this.path)).catch(() => undefined);
  }
}
