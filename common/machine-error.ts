import { getSystemErrorMap } from 'node:util';
import { DapError, ExitCode } from './dap-error.js';

/** Errno codes that mean the disk (or the user's quota on it) is full. */
export const diskFullCodes: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Errno codes that are the machine's doing, not the input's or a tenant's: no space, no permission,
 * a read-only or failing disk, too many open files. A run stops on them and can be resumed.
 */
export const machineErrorCodes: ReadonlySet<string> = new Set([...diskFullCodes, 'EACCES', 'EPERM', 'EROFS', 'EIO', 'EMFILE', 'ENFILE']);

/** A Node system error (fs, child_process …): it has an errno code such as ENOSPC and a syscall or an errno. */
export function errnoErrorOf(error: unknown): NodeJS.ErrnoException | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as NodeJS.ErrnoException;
  return typeof e.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && (e.syscall !== undefined || typeof e.errno === 'number') ? e : undefined;
}

export function isMachineError(error: unknown): boolean {
  return machineErrorCodes.has(errnoErrorOf(error)?.code ?? '');
}

export function isDiskFull(error: unknown): boolean {
  return diskFullCodes.has(errnoErrorOf(error)?.code ?? '');
}

/**
 * Gives a system error the path it was about, when it has none (a failed write on an open file
 * names no path), so the message can say which file. Answers the error.
 */
export function withPath<T>(error: T, path: string): T {
  const errno = errnoErrorOf(error);
  if (errno && !errno.path) errno.path = path;
  return error;
}

/** `write /data/out.csv failed: ENOSPC (no space left on device)`. */
export function describeErrno(error: NodeJS.ErrnoException): string {
  const known = typeof error.errno === 'number' ? getSystemErrorMap().get(error.errno) : undefined;
  const meaning = known && known[0] === error.code ? known[1] : /^[A-Z0-9]+: ([^,]+)/.exec(error.message)?.[1];
  const what = [error.syscall, error.path].filter(Boolean).join(' ');
  return `${what ? `${what} failed: ` : ''}${error.code}${meaning ? ` (${meaning})` : ''}`;
}

/** A system error as a one-line DapError (exit 4), or undefined when `error` is not one. */
export function machineDapError(error: unknown): DapError | undefined {
  const errno = errnoErrorOf(error);
  if (!errno) return undefined;
  return new DapError(isDiskFull(errno) ? 'DISK_FULL' : 'FILE_SYSTEM_ERROR', ExitCode.machine, describeErrno(errno), { cause: error });
}
