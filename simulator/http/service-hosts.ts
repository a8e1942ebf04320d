/**
 * The simulator's real-service hosts, each an HTTPS listener of its own on loopback with its routes
 * at the root, as on the real hosts: the login host (login.microsoftonline.com), Microsoft Graph
 * (graph.microsoft.com), the report download storage, and Exchange Online (outlook.office365.com).
 * Every link and Location a route hands out is built here, on the host it belongs to, so that none
 * is ever plain http.
 */

export type ServiceHost = 'login' | 'graph' | 'download' | 'exo';

export const serviceHosts: readonly ServiceHost[] = ['login', 'graph', 'download', 'exo'];

/** Each host's base (https://127.0.0.1:<port>, no trailing slash). */
export type ServiceBases = Readonly<Record<ServiceHost, string>>;

/**
 * An absolute https URL on one of the hosts: `path` (already percent-encoded, from the root) and
 * the query parameters in order. Throws on a base that is not https: a link the simulator builds
 * is what a client follows, and real clients refuse plain http.
 */
export function serviceUrl(bases: ServiceBases, host: ServiceHost, path: string, query: Iterable<[string, string]> = []): string {
  const base = bases[host];
  if (!base.startsWith('https://')) throw new Error(`the ${host} host's base is not https: ${base}`);
  if (!path.startsWith('/')) throw new Error(`a path from the root was expected, received '${path}'`);
  const url = new URL(`${base}${path}`);
  for (const [name, value] of query) url.searchParams.append(name, value);
  return url.toString();
}
