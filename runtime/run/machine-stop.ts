import { DapError, ExitCode } from '../../common/dap-error.js';
import { describeErrno, errnoErrorOf, isDiskFull, isMachineError } from '../../common/machine-error.js';
import type { TenantOutcome } from '../backends/contract/runner-types.js';

/**
 * What a run ends with when the machine stopped it (exit 4): the disk is full, or a file of the run
 * cannot be written. What was done stays in the run folder; the message says how to go on.
 * Any other error is answered as it is.
 */
export function asMachineStop(error: unknown, runFolder: string, resumable: boolean): unknown {
  if (!isMachineError(error)) return error;
  const errno = errnoErrorOf(error)!;
  const next = resumable ? `then run the same command with --resume (the tenants done are kept in ${runFolder})` : 'then run the same command again';
  return isDiskFull(errno)
    ? new DapError('DISK_FULL', ExitCode.machine, `the disk is full (${errno.code}) writing ${errno.path ?? runFolder}: free space there, ${next}`, { cause: error })
    : new DapError('FILE_SYSTEM_ERROR', ExitCode.machine, `${describeErrno(errno)}: the run stopped; fix that, ${next}`, { cause: error });
}

/** How runners (Node, .NET) word a full disk or quota in a failed attempt's message. */
const diskFullWords = /\b(ENOSPC|EDQUOT)\b|(no space left on device|not enough space on the disk)|(disk quota exceeded)/i;

/**
 * A tenant attempt that failed because the disk filled up while its rows were written (the runner
 * says so only in its message): the machine's fault, not the tenant's. Answers it as a system
 * error about `folder`, or undefined.
 */
export function diskFullInOutcome(outcome: TenantOutcome, folder: string): NodeJS.ErrnoException | undefined {
  const match = outcome.status === 'failed' ? diskFullWords.exec(outcome.message ?? '') : null;
  if (!match) return undefined;
  const code = match[1]?.toUpperCase() ?? (match[3] ? 'EDQUOT' : 'ENOSPC');
  return Object.assign(new Error(outcome.message), { code, path: folder, syscall: 'write' });
}
