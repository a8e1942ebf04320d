/**
 * A request's body as text, read up to a limit (each service has its own: a form, a batch, a
 * command); undefined past it, so a service answers its own "too large" without reading on.
 */
import type { IncomingMessage } from 'node:http';

export async function readBodyText(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
}
