/**
 * The simulator's listeners (documented in simulator/README.md): the loopback HTTP protocol between
 * the PowerShell stand-ins and the simulated world, and one HTTPS listener per real-service host
 * (login, Graph, report downloads, Exchange) with its routes at the root. Bodies are JSON;
 * credentials travel only in bodies and the Authorization header, and nothing here logs a request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readBodyText } from '../http/request-body.js';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleExoRequest } from '../exo/routes.js';
import { handleDownloadRequest, handleGraphRequest } from '../graph/routes.js';
import { type ServiceBases, type ServiceHost, serviceHosts } from '../http/service-hosts.js';
import { handleLoginRequest } from '../login/routes.js';
import { hashGuid } from '../world/prng.js';
import { msolAccessDenied, msolBadPassword, msolError, msolMoreResults, msolNotConnected } from '../msonline/texts.js';
import { brokenSessionError, microDelayWarning, redirectWarning } from '../remoting/texts.js';
import { BadCommandRequest, runCommand } from '../remoting/run-command.js';
import type { SimState } from './sim-state.js';
import { faultsOf, type TenantRecord } from '../world/world.js';

const MAX_BODY = 1_000_000;

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBodyText(req, MAX_BODY);
  if (text === undefined) throw new HttpFailure(413, 'request body too large');
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new HttpFailure(400, 'the request body must be a JSON object');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/** The Exchange endpoints the stand-ins recognise; anything else is not the simulator's business. */
export function parseExchangeUri(uri: string): { host: string; delegatedOrg: string } | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  const exchangeHost = host === 'ps.outlook.com' || host === 'outlook.office365.com' || host.endsWith('.ps.outlook.com') || host.endsWith('.outlook.com');
  if (!exchangeHost || !/^\/powershell-liveid\/?$/i.test(url.pathname)) return undefined;
  const delegatedOrg = [...url.searchParams.entries()].find(([k]) => k.toLowerCase() === 'delegatedorg')?.[1];
  return delegatedOrg ? { host, delegatedOrg } : undefined;
}

export interface SimServer {
  /** The stand-ins' channel (plain http on loopback: no real service plays here). */
  server: Server;
  /** One HTTPS listener per real-service host. */
  hosts: Record<ServiceHost, HttpsServer>;
  /**
   * Listens on 127.0.0.1: the stand-ins' channel on `port` (0: a free one), every host on a free
   * port. Answers the channel's address and each host's https base.
   */
  listen(port: number): Promise<{ url: string; bases: ServiceBases }>;
  /** Ends hung requests and closes every listener. */
  close(): Promise<void>;
}

/** The certificate and key the HTTPS listeners present (server/tls-identity.ts). */
export interface ServerTls {
  cert: string;
  key: string;
}

export function createSimServer(state: SimState, tls: ServerTls): SimServer {
  const world = state.world;
  const latency = world.scenario.latency;
  const pending = new Set<ServerResponse>();
  const partnerContext = hashGuid(world.seed, 'partner-tenant');
  // what a session defines for each declared cmdlet (ExchangeCmdlets.ps1): its name and parameters
  const declaredCmdlets = [...world.declaredCmdlets.values()].map((spec) => ({ name: spec.name, parameters: spec.parameters }));

  const bearer = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    return token ? state.tokens.get(token) : undefined;
  };

  const contract = (t: TenantRecord) => ({
    ContractType: t.contractType,
    DefaultDomainName: t.defaultDomain,
    Name: t.name,
    ObjectId: hashGuid(world.seed, 'contract', t.tenantId),
    PartnerContext: partnerContext,
    TenantId: t.tenantId,
  });

  const domain = (d: TenantRecord['domains'][number]) => ({
    Authentication: d.authentication,
    Capabilities: d.capabilities,
    IsDefault: d.isDefault,
    IsInitial: d.isInitial,
    Name: d.name,
    RootDomain: d.rootDomain,
    Status: d.status,
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const q = (name: string) => url.searchParams.get(name) ?? undefined;

    if (method === 'GET' && path === '/health') return send(res, 200, { ok: true });
    if (method === 'GET' && path === '/stats') return send(res, 200, state.stats());

    if (method === 'POST' && path === '/msol/signin') {
      const body = await readJson(req);
      if (latency.signInMs > 0 || latency.jitterMs > 0) await sleep(state.delay(latency.signInMs));
      const token = state.signIn(body.userName, body.password);
      if (!token) return send(res, 401, { error: msolError(msolBadPassword, 'ConnectMsolService') });
      return send(res, 200, { token, userName: body.userName });
    }

    if (method === 'GET' && path === '/msol/contracts') {
      if (!bearer(req)) return send(res, 401, { error: msolError(msolNotConnected, 'GetPartnerContract') });
      const all = /^(1|true)$/i.test(q('all') ?? '');
      const maxResults = q('maxResults') !== undefined ? Number(q('maxResults')) : undefined;
      if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1)) throw new HttpFailure(400, 'maxResults must be a positive integer');
      const domainName = q('domainName')?.toLowerCase();
      const tenantId = q('tenantId')?.toLowerCase();
      const searchKey = (q('searchKey') ?? 'DomainName').toLowerCase();
      let tenants = world.tenants;
      if (tenantId) tenants = tenants.filter((t) => t.tenantId === tenantId);
      if (domainName) {
        tenants = tenants.filter((t) =>
          searchKey === 'displayname' ? t.name.toLowerCase().startsWith(domainName) : t.domains.some((d) => d.name.toLowerCase().startsWith(domainName)),
        );
      }
      const limit = all ? Number.POSITIVE_INFINITY : (maxResults ?? world.scenario.limits.contractPageSize);
      const warnings = tenants.length > limit && !all && maxResults === undefined ? [msolMoreResults] : [];
      return send(res, 200, { contracts: tenants.slice(0, limit).map(contract), warnings });
    }

    if (method === 'GET' && path === '/msol/domains') {
      if (!bearer(req)) return send(res, 401, { error: msolError(msolNotConnected, 'GetDomain') });
      const tenantId = q('tenantId')?.toLowerCase();
      const tenant = tenantId ? world.tenants.find((t) => t.tenantId === tenantId) : undefined;
      if (!tenant) return send(res, 403, { error: msolError(msolAccessDenied, 'GetDomain') });
      const filters: Array<[string | undefined, (d: TenantRecord['domains'][number]) => string]> = [
        [q('domainName'), (d) => d.name],
        [q('status'), (d) => d.status],
        [q('authentication'), (d) => d.authentication],
      ];
      const capability = q('capability')?.toLowerCase();
      const domains = tenant.domains.filter(
        (d) =>
          filters.every(([want, get]) => want === undefined || get(d).toLowerCase() === want.toLowerCase()) &&
          (capability === undefined || capability === 'none' || d.capabilities.toLowerCase().split(', ').includes(capability)),
      );
      return send(res, 200, { domains: domains.map(domain) });
    }

    if (method === 'POST' && path === '/exchange/sessions') {
      const body = await readJson(req);
      const target = typeof body.connectionUri === 'string' ? parseExchangeUri(body.connectionUri) : undefined;
      if (!target) throw new HttpFailure(400, 'connectionUri must be an Exchange remote PowerShell URI with DelegatedOrg=<domain>');
      const tenant = world.lookup.get(target.delegatedOrg.toLowerCase());
      // the client may name the session (a GUID it has not used), so it can close it even when it
      // stops before this answer reaches it
      const requested = body.sessionId === undefined ? undefined : String(body.sessionId).toLowerCase();
      if (requested !== undefined && (!/^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(requested) || state.isKnown(requested))) {
        throw new HttpFailure(400, 'sessionId must be a GUID not used before');
      }
      if (latency.sessionOpenMs > 0 || latency.jitterMs > 0) await sleep(state.delay(latency.sessionOpenMs));
      const result = state.open(body.userName, body.password, tenant, target.host, requested);
      if (!result.ok) return send(res, result.status, { error: result.error });
      const s = result.session;
      const psVersion = typeof body.psVersion === 'string' && /^[\d.]+$/.test(body.psVersion) ? body.psVersion : '7.6.9';
      return send(res, 201, {
        sessionId: s.id,
        runspaceId: s.runspaceId,
        computerName: s.host,
        tenantId: s.tenant.tenantId,
        delegatedOrg: s.tenant.initialDomain,
        warnings: [redirectWarning(s.tenant.region, s.tenant.initialDomain, psVersion)],
        declaredCmdlets,
      });
    }

    const sessionMatch = /^\/exchange\/sessions\/([0-9a-f-]{36})(\/commands)?$/i.exec(path);
    if (sessionMatch) {
      const id = (sessionMatch[1] as string).toLowerCase();
      if (method === 'DELETE' && !sessionMatch[2]) {
        return send(res, state.close(id) ? 200 : 404, { closed: true });
      }
      if (method === 'POST' && sessionMatch[2]) {
        const body = await readJson(req);
        const session = state.touch(id);
        if (!session) return send(res, 410, { error: brokenSessionError(typeof body.sessionName === 'string' ? body.sessionName : id) });
        if (typeof body.cmdlet !== 'string') throw new HttpFailure(400, 'cmdlet must be a string');
        const parameters = body.parameters && typeof body.parameters === 'object' && !Array.isArray(body.parameters) ? (body.parameters as Record<string, unknown>) : {};
        state.countCommand(session);
        const tenant = session.tenant;
        if (faultsOf(world, tenant, 'hang').length > 0) {
          pending.add(res);
          res.on('close', () => pending.delete(res));
          return new Promise<void>(() => undefined);
        }
        const warnings: string[] = [];
        let wait = latency.commandMs > 0 || latency.jitterMs > 0 ? state.delay(latency.commandMs) : 0;
        for (const slow of faultsOf(world, tenant, 'slow')) wait += slow.delayMs;
        for (const throttle of faultsOf(world, tenant, 'throttle')) {
          if (throttle.mode !== 'delay') continue;
          wait += throttle.delayMs;
          warnings.push(microDelayWarning(throttle.delayMs));
        }
        if (wait > 0) await sleep(wait);
        let result: ReturnType<typeof runCommand>;
        try {
          result = runCommand(world, tenant, body.cmdlet, parameters);
        } catch (error) {
          if (error instanceof BadCommandRequest) throw new HttpFailure(400, error.message);
          throw error;
        }
        state.touch(id);
        return send(res, 200, { ...result, warnings: [...warnings, ...result.warnings] });
      }
    }
    throw new HttpFailure(404, `no route for ${method} ${path}`);
  }

  // each host's base, known once its listener has a port (no request arrives before that)
  const bases: Record<ServiceHost, string> = { login: '', graph: '', download: '', exo: '' };
  const exoContext = { world, exo: state.exo, tokens: state.accessTokens, delay: (ms: number) => state.delay(ms) };
  const hostRoutes: Record<ServiceHost, (req: IncomingMessage, res: ServerResponse, url: URL, path: string) => Promise<unknown>> = {
    login: async (req, res, _url, path) => {
      if (!(await handleLoginRequest(state.login, bases, req, res, path))) throw new HttpFailure(404, `no route for ${req.method ?? 'GET'} ${path}`);
    },
    graph: (req, res, url, path) => handleGraphRequest(state.graph, bases, req, res, url, path),
    download: async (req, res, _url, path) => handleDownloadRequest(state.graph, req, res, path),
    exo: (req, res, url, path) => handleExoRequest(exoContext, bases, req, res, url, path),
  };

  const answer = (handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>) => (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.end();
      if (error instanceof HttpFailure) return send(res, error.status, { error: { message: error.message } });
      send(res, 500, { error: { message: `simulator failure: ${(error as Error).message}` } });
    });
  };
  const server = createServer(answer(route));
  const hosts = Object.fromEntries(
    serviceHosts.map((host) => [
      host,
      createHttpsServer(
        { cert: tls.cert, key: tls.key },
        answer((req, res) => {
          const url = new URL(req.url ?? '/', bases[host]);
          return hostRoutes[host](req, res, url, url.pathname.replace(/\/+$/, '') || '/');
        }),
      ),
    ]),
  ) as Record<ServiceHost, HttpsServer>;
  const all: Array<Server | HttpsServer> = [server, ...serviceHosts.map((host) => hosts[host])];
  // longer than a .NET client keeps an idle pooled connection (1 min), so the client always closes
  // first and never sends on a connection the server is closing; stop() closes them all anyway
  for (const listener of all) listener.keepAliveTimeout = 120_000;

  const listenOn = (listener: Server | HttpsServer, port: number) =>
    new Promise<number>((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      listener.once('error', failed);
      listener.listen(port, '127.0.0.1', () => {
        listener.off('error', failed);
        resolve((listener.address() as AddressInfo).port);
      });
    });

  const close = (listener: Server | HttpsServer) =>
    new Promise<void>((resolve) => {
      if (!listener.listening) return resolve();
      listener.close(() => resolve());
      listener.closeAllConnections();
    });

  return {
    server,
    hosts,
    listen: async (port) => {
      const url = `http://127.0.0.1:${await listenOn(server, port)}`;
      const ports = await Promise.all(serviceHosts.map((host) => listenOn(hosts[host], 0)));
      serviceHosts.forEach((host, i) => {
        bases[host] = `https://127.0.0.1:${ports[i]}`;
      });
      return { url, bases: { ...bases } };
    },
    close: async () => {
      for (const res of pending) res.destroy();
      pending.clear();
      await Promise.all(all.map(close));
    },
  };
}
