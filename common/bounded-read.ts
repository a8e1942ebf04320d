import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { formatSize } from './input-limits.js';

/** Why an input could not be read, for a person: EFBIG (over its limit), EISDIR, ETIMEDOUT or an fs code. */
export class InputReadError extends Error {
  override readonly name = 'InputReadError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The reason a read failed, short enough to follow a file name: the InputReadError's text, else the fs error code. */
export function readProblem(error: unknown): string {
  if (error instanceof InputReadError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'ENOENT (no such file)';
  return code ?? (error as Error).message;
}

function tooLarge(limit: number): InputReadError {
  return new InputReadError('EFBIG', `larger than ${formatSize(limit)}, the most that is read`);
}

/** How long a pipe whose writer has written nothing yet is waited for. */
const pipeWaitMs = 30_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A file's text (UTF-8), read to at most `limit` bytes: at most limit+1 bytes are read from the open
 * file, so a device without end (/dev/zero) or a huge file is refused at once (EFBIG). A folder is
 * refused (EISDIR). A pipe or socket is opened without blocking: a named pipe no one writes to reads
 * as empty instead of waiting forever, and one whose writer is slow is waited for up to 30 s.
 */
export function readBoundedFile(path: string, limit: number): string {
  return readBoundedBytes(path, limit).toString('utf8');
}

/** A file's bytes, read as readBoundedFile reads them. */
export function readBoundedBytes(path: string, limit: number): Buffer {
  const before = statSync(path);
  if (before.isDirectory()) throw new InputReadError('EISDIR', 'a folder, not a file');
  const streamLike = before.isFIFO() || before.isSocket();
  const fd = openSync(path, constants.O_RDONLY | (streamLike ? constants.O_NONBLOCK : 0));
  try {
    if (fstatSync(fd).isDirectory()) throw new InputReadError('EISDIR', 'a folder, not a file');
    const buffer = Buffer.allocUnsafe(Math.min(limit + 1, 1 << 20));
    const chunks: Buffer[] = [];
    let total = 0;
    let waitedMs = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, Math.min(buffer.length, limit + 1 - total), null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        if (waitedMs >= pipeWaitMs) throw new InputReadError('ETIMEDOUT', `nothing more written to it in ${pipeWaitMs / 1000} s`);
        Atomics.wait(pause, 0, 0, 20);
        waitedMs += 20;
        continue;
      }
      if (n === 0) break;
      waitedMs = 0;
      chunks.push(Buffer.from(buffer.subarray(0, n)));
      total += n;
      if (total > limit) throw tooLarge(limit);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** The whole of a stream as UTF-8 text, refused (EFBIG) past `limit` bytes; the rest is not read. */
export async function readBoundedStream(stream: NodeJS.ReadableStream, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    total += bytes.length;
    if (total > limit) throw tooLarge(limit);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
