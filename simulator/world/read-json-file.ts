import { DapError, ExitCode } from '../../common/dap-error.js';
import { readBoundedFile, readProblem } from '../../common/bounded-read.js';

/**
 * Reads a JSON file the simulator is given (a scenario, a report catalog), to at most `limit` bytes
 * (common/input-limits.ts): a missing, unreadable, oversized or non-JSON file is a DapError with
 * `code` and exit 2, naming the file as "<kind> file <path>".
 */
export function readJsonFile(path: string, kind: string, code: string, limit: number): unknown {
  let text: string;
  try {
    text = readBoundedFile(path, limit);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : readProblem(error);
    throw new DapError(code, ExitCode.usage, `cannot read ${kind} file ${path}: ${reason}`, { cause: error });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new DapError(code, ExitCode.usage, `${kind} file ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
