/**
 * The origin a request came to (`https://host:port` on a TLS listener, `http://…` on the plain
 * one), from the listener itself and the Host header: every URL a service hands out (issuer,
 * endpoints, links) is built on it, so a route serves the same on any listener.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export function requestOrigin(req: IncomingMessage): string {
  const scheme = (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = req.headers.host ?? `${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? ''}`;
  return `${scheme}://${host}`;
}
