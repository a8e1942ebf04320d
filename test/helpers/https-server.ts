// HTTPS for tests: a fetch that trusts the simulator's CA (as a child of dap-sim run would), and a
// small HTTPS server of a test's own, whose certificate chains to the same CA (the simulator's
// identity for this process), so the runtime, pwsh and Node children trust it through the same
// variables. No certificate check is turned off.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createTransport } from '../../runtime/platform/http/transport.js';
import type { FetchLike } from '../../runtime/platform/http/fetch-like.js';
import { tlsIdentity, writeTrustFiles } from '../../simulator/server/tls-identity.js';

/** A fetch that trusts the roots and the simulator's CA (the runtime's transport). */
export function trustingFetch(sim: { caPem: string }): FetchLike {
  return createTransport({ extraCaPem: [sim.caPem] });
}

export interface TestHttpsServer {
  /** https://127.0.0.1:<port> */
  url: string;
  /** The CA its certificate chains to (PEM). */
  caPem: string;
  /** NODE_EXTRA_CA_CERTS, SSL_CERT_FILE and DAP_SIM_CA_FILE for a child that must trust it. */
  env: Record<string, string>;
  /** A fetch that trusts it. */
  fetch: FetchLike;
  close(): Promise<void>;
}

/** Serves `handler` over HTTPS on 127.0.0.1 (a free port). */
export async function startHttpsServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestHttpsServer> {
  const tls = await tlsIdentity();
  const server = createServer({ cert: tls.cert, key: tls.key }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const trust = writeTrustFiles(tls, process.env);
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caPem: tls.caPem,
    env: { ...trust.env },
    fetch: createTransport({ extraCaPem: [tls.caPem] }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        trust.remove();
      }),
  };
}
