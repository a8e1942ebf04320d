import { join } from 'node:path';
import { DapError, ExitCode } from '../../common/dap-error.js';
import { terminalText } from '../../common/terminal-text.js';
import type { RunningSimulator } from '../../simulator/simulator-types.js';
import { readAll } from '../exchange-backend.js';
import type { BackendPlan, BackendStarter, RunBackend } from '../run-backend.js';
import type { RuntimeDeps } from '../runtime-deps.js';
import type { DiscoveredTenant } from '../runner-types.js';
import { lookupDomains } from './domain-lookup.js';
import { GraphDiscovery, graphTenantProblem } from './graph-discovery.js';
import { DEFAULT_PARTNER_TENANT, MAX_CONCURRENCY } from './graph-limits.js';
import { GraphTenantRunner } from './graph-runner.js';
import { checkBaseUrl } from './graph-urls.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import { Redactor } from './redact.js';
import { RequestLogFile } from './request-log.js';
import { signInApp } from '../auth/app-sign-in.js';
import { GRAPH_SCOPE } from '../auth/scopes.js';
import { TokenCache } from '../auth/token-cache.js';
import { requestToken, type FetchLike, type GraphCredential } from '../auth/token-client.js';
import type { RefreshTokenFile } from '../auth/token-file.js';

/** The request log's name in the run directory. */
export const requestLogName = 'graph-requests.json';

/** How long one token request may take. */
const TOKEN_REQUEST_TIMEOUT_MS = 60_000;

export interface GraphEndpoints {
  graphBase: string;
  loginBase: string;
  partnerTenant: string;
  credential: GraphCredential;
  /** With --device-code: where the rotated refresh token is saved. */
  tokenFile?: RefreshTokenFile;
}

/** The one stderr line about tenants whose default domain could not be looked up. */
export function domainLookupNotice(failed: number, problem: string | undefined): string {
  const which = failed === 1 ? '1 tenant kept its display name' : `${failed} tenants kept their display name`;
  return `dap-report: ${which} as TenantDomain: domain lookup failed${problem ? ` (first: ${problem})` : ''}; --tenant/--exclude match ${failed === 1 ? 'it' : 'them'} by TenantId`;
}

/**
 * Where the app's credential comes from: a certificate from --certificate / DAP_GRAPH_CERTIFICATE_PATH;
 * or a device-code sign-in (--device-code) whose refresh token is kept in the token file; else the
 * client secret from --client-secret-stdin (first line), else (under --simulate) the simulator's
 * app, else DAP_GRAPH_CLIENT_SECRET, and a refresh token from DAP_GRAPH_REFRESH_TOKEN (not under
 * --simulate). The client id from --client-id, else the simulator's, else DAP_GRAPH_CLIENT_ID.
 * Never from argv.
 */
export async function resolveGraphEndpoints(plan: BackendPlan, deps: RuntimeDeps, simulator: RunningSimulator | undefined): Promise<GraphEndpoints> {
  const graph = plan.graph;
  if (!graph) throw new DapError('INTERNAL', ExitCode.fatal, 'the graph backend was started without its options');
  const sim = simulator?.env;
  if (simulator && !sim?.DAP_GRAPH_URL) {
    throw new DapError('SIMULATOR_WITHOUT_GRAPH', ExitCode.fatal, `the simulator at ${simulator.url} does not serve Microsoft Graph (no DAP_GRAPH_URL in its environment)`);
  }
  const base = (value: string, what: string) => {
    const checked = checkBaseUrl(value);
    if ('problem' in checked) throw new DapError('BAD_SIMULATOR_URL', ExitCode.fatal, `the simulator's ${what}: ${checked.problem}`);
    return checked.base;
  };
  const graphBase = sim ? base(sim.DAP_GRAPH_URL!, 'DAP_GRAPH_URL') : graph.graphUrl;
  const loginBase = sim ? base(sim.DAP_LOGIN_URL ?? `${simulator!.url}/login`, 'DAP_LOGIN_URL') : graph.loginUrl;

  const clientId = graph.clientId ?? sim?.DAP_GRAPH_CLIENT_ID ?? deps.env.DAP_GRAPH_CLIENT_ID;
  if (!clientId) throw new DapError('MISSING_CLIENT_ID', ExitCode.usage, 'the graph backend needs the app: --client-id <id> or DAP_GRAPH_CLIENT_ID');
  const signIn = graph.signIn ?? { deviceCode: false };
  let clientSecret: string | undefined;
  if (signIn.certificatePath || signIn.deviceCode) {
    // not read: the certificate or the signed-in admin is the credential
  } else if (graph.clientSecretStdin) {
    clientSecret = (await readAll(deps.stdin)).split(/\r?\n/)[0] ?? '';
    if (!clientSecret) throw new DapError('NO_CLIENT_SECRET', ExitCode.usage, '--client-secret-stdin: expected the client secret on the first line of stdin, received nothing');
  } else if (sim) {
    clientSecret = sim.DAP_GRAPH_CLIENT_SECRET;
  } else {
    clientSecret = deps.env.DAP_GRAPH_CLIENT_SECRET || undefined;
  }
  const refreshToken = signIn.deviceCode ? undefined : sim ? sim.DAP_GRAPH_REFRESH_TOKEN : deps.env.DAP_GRAPH_REFRESH_TOKEN || undefined;
  if (!clientSecret && !refreshToken && !signIn.certificatePath && !signIn.deviceCode) {
    throw new DapError('MISSING_CLIENT_SECRET', ExitCode.usage, 'the graph backend needs --certificate, --device-code, DAP_GRAPH_CLIENT_SECRET, --client-secret-stdin or DAP_GRAPH_REFRESH_TOKEN');
  }
  const partnerTenant = graph.partnerTenant ?? sim?.DAP_GRAPH_TENANT_ID ?? DEFAULT_PARTNER_TENANT;
  const { credential, tokenFile } = await signInApp({
    clientId,
    plan: signIn,
    ...(clientSecret ? { clientSecret } : {}),
    ...(refreshToken ? { refreshToken } : {}),
    simulate: simulator !== undefined,
    cwd: deps.cwd,
    env: deps.env,
    loginBase,
    signInTenant: graph.partnerTenant ?? DEFAULT_PARTNER_TENANT,
    scope: GRAPH_SCOPE,
    fetch: deps.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    stderr: deps.stderr,
  });
  return { graphBase, loginBase, partnerTenant, credential, ...(tokenFile ? { tokenFile } : {}) };
}

/**
 * Microsoft Graph over HTTP: one lane (the app) running --concurrency tenants at once; discovery
 * through GDAP relationships or contracts with a partner token; a token per customer tenant; the
 * report limit kept client-side (persisted in the run directory for --resume).
 */
export function graphBackend(plan: BackendPlan, deps: RuntimeDeps): BackendStarter {
  const fetch: FetchLike = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const graph = plan.graph;
  if (!graph) throw new DapError('INTERNAL', ExitCode.fatal, 'the graph backend was planned without its options');
  return {
    async open(simulator) {
      const endpoints = await resolveGraphEndpoints(plan, deps, simulator);
      const { credential } = endpoints;
      const redactor = new Redactor();
      redactor.add(credential.clientSecret);
      redactor.add(credential.refreshToken);
      const now = () => deps.now().getTime();
      const cache = (role: 'partner' | 'customer') =>
        new TokenCache({
          now,
          onToken: (token) => redactor.add(token),
          issue: (tenant, scope) =>
            requestToken({
              loginBase: endpoints.loginBase,
              tenant,
              scope,
              credential,
              role,
              fetch,
              now,
              signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
              onSecret: (secret) => redactor.add(secret),
            }),
        });
      const partnerTokens = cache('partner');
      const customerTokens = cache('customer');
      let log: RequestLogFile | undefined;
      const backend: RunBackend = {
        kind: 'graph',
        lanes: [{ userName: credential.clientId, maxSessions: graph.concurrency }],
        laneCap: MAX_CONCURRENCY,
        async discover() {
          const discovery = new GraphDiscovery({
            graphBase: endpoints.graphBase,
            mode: graph.discovery,
            partnerToken: () => partnerTokens.get(endpoints.partnerTenant, GRAPH_SCOPE),
            fetch,
            redactor,
          });
          let tenants: DiscoveredTenant[];
          try {
            tenants = await discovery.discover();
          } catch (error) {
            // a saved sign-in that no longer works (expired, revoked): say how to sign in again
            if (endpoints.tokenFile && error instanceof DapError && error.code === 'AUTHENTICATION_FAILED') {
              throw new DapError(error.code, error.exitCode, `${error.message}. The sign-in saved in ${endpoints.tokenFile.path} was refused: delete that file and run with --device-code again to sign in`);
            }
            throw error;
          } finally {
            await discovery.close();
          }
          // relationships name no domain: ask for each customer's default domain (contracts carry it)
          if (graph.discovery === 'relationships' && graph.domainLookup) {
            const lookup = await lookupDomains(tenants, {
              graphBase: endpoints.graphBase,
              partnerToken: () => partnerTokens.get(endpoints.partnerTenant, GRAPH_SCOPE),
              fetch,
              redactor,
            });
            tenants = lookup.tenants;
            if (lookup.failed > 0) deps.stderr.write(`${terminalText(domainLookupNotice(lookup.failed, lookup.firstProblem))}\n`);
          }
          return [{ account: credential.clientId, tenants }];
        },
        tenantProblem(tenant) {
          const message = graphTenantProblem(tenant.tenantId);
          return message ? { category: 'InvalidDomain', message } : undefined;
        },
        createRunner() {
          log = plan.stateDir ? new RequestLogFile(join(plan.stateDir, requestLogName)) : undefined;
          const limiter = new SlidingWindowLimiter({
            now,
            ...(log ? { initial: log.read(), onChange: (requests) => void log!.save(requests).catch(() => undefined) } : {}),
          });
          return new GraphTenantRunner({ graphBase: endpoints.graphBase, tokens: customerTokens.forScope(GRAPH_SCOPE), limiter, fetch, redactor, now });
        },
        async close() {
          await log?.flush();
          await endpoints.tokenFile?.flush();
        },
      };
      return backend;
    },
  };
}
