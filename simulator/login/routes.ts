/**
 * The login host's device code endpoint (`POST /login/{tenant}/oauth2/v2.0/devicecode`); the token
 * endpoint stays in graph-routes.ts. Nothing here logs a request, a code or a token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphState } from '../graph/graph-state.js';
import { loginErrors } from '../graph/texts.js';

const MAX_FORM = 64_000;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store' });
  res.end(text);
}

export async function handleDeviceCodeRequest(state: GraphState, req: IncomingMessage, res: ServerResponse, rawTenant: string): Promise<void> {
  if (req.method !== 'POST') return send(res, 400, loginErrors.onlyPost(req.method ?? 'GET', state.now()).body);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM) return send(res, 400, loginErrors.missingField('client_id', state.now()).body);
    chunks.push(chunk as Buffer);
  }
  let tenant = rawTenant;
  try {
    tenant = decodeURIComponent(rawTenant);
  } catch {
    // kept as sent
  }
  const result = state.startDeviceCode(tenant, new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
  if (result.ok) send(res, 200, result.body);
  else send(res, result.failure.status, result.failure.body);
}
