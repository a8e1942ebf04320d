import type { Writable } from 'node:stream';

/**
 * Resolves once `stream` can take more (at once when it is not full); rejects when the stream
 * fails or closes instead, so a writer never waits for a 'drain' that cannot come (a write stream
 * destroyed by ENOSPC emits none).
 */
export async function drained(stream: Writable): Promise<void> {
  if (stream.destroyed) throw stream.errored ?? new Error('the stream closed before everything was written');
  if (!stream.writableNeedDrain) return;
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error | null) => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(stream.errored ?? new Error('the stream closed before everything was written'));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
