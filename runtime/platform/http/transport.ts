import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import type { FetchLike } from './fetch-like.js';

/**
 * The runtime's transport: the one place it makes the FetchLike its service calls go through.
 * Without extra CAs it is the platform's fetch (Node's roots, and NODE_EXTRA_CA_CERTS when the
 * process started with it). Given CA certificates (PEM) — the simulator's, under --simulate — it
 * trusts them besides those roots: a CA list given to TLS replaces the default one, so the roots
 * and the process's NODE_EXTRA_CA_CERTS go in with them. No certificate check is ever turned off.
 */
export interface TransportOptions {
  /** CA certificates (PEM) to trust besides the roots. */
  extraCaPem?: readonly string[];
}

/** The certificates NODE_EXTRA_CA_CERTS names, when it names a readable file. */
function processExtraCas(env: NodeJS.ProcessEnv): string[] {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return [readFileSync(file, 'utf8')];
  } catch {
    // Node itself only warns about an unreadable file and goes on with its roots
    return [];
  }
}

export function createTransport(options: TransportOptions = {}): FetchLike {
  const extra = options.extraCaPem ?? [];
  if (extra.length === 0) return (input, init) => globalThis.fetch(input, init);
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, ...processExtraCas(process.env), ...extra] } });
  // undici's fetch is the platform's, from the package the dispatcher belongs to; its Response
  // answers the same members as the global one
  return (input, init) => undiciFetch(input, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }) as unknown as Promise<Response>;
}
