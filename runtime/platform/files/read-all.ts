import { InputReadError, readBoundedStream } from '../../../common/bounded-read.js';
import { DapError, ExitCode } from '../../../common/dap-error.js';
import { inputLimits } from '../../../common/input-limits.js';

/**
 * The whole of stdin as UTF-8 text (passwords, a client secret), read to at most
 * inputLimits.stdinSecret bytes: more is a usage error naming `option`, not a read without end.
 */
export async function readSecretStdin(stream: NodeJS.ReadableStream, option: string): Promise<string> {
  try {
    return await readBoundedStream(stream, inputLimits.stdinSecret);
  } catch (error) {
    if (error instanceof InputReadError) throw new DapError('STDIN_TOO_LARGE', ExitCode.usage, `${option}: stdin is ${error.message}`, { cause: error });
    throw error;
  }
}
