import { DapError, ExitCode } from '../../../../common/dap-error.js';
import { type TerminalText, tty, writeTerminal } from '../../../../common/terminal-text.js';
import { signInApp } from '../auth/app-sign-in.js';
import { AppTokens, tenantBearer, type TenantTokens } from '../auth/app-tokens.js';
import type { AppCredential, MsalApp } from '../auth/msal-app.js';
import { GRAPH_SCOPE } from '../auth/scopes.js';
import type { TokenFile } from '../auth/token-file.js';
import { DEFAULT_PARTNER_TENANT } from '../http/graph-limits.js';
import { GraphCallError } from '../http/graph-error.js';
import type { FetchLike } from '../../../platform/http/fetch-like.js';
import { ServiceClient } from '../../../platform/http/http-client.js';
import { Redactor } from '../../../platform/redact.js';
import { createTransport } from '../../../platform/http/transport.js';
import { readSecretStdin } from '../../../platform/files/read-all.js';
import type { BackendKind } from '../../contract/run-backend.js';
import type { GraphPlan } from './graph-options.js';
import type { DiscoveredTenant } from '../../contract/runner-types.js';
import type { BackendDeps } from '../../contract/backend-deps.js';
import type { SimulatedWorld } from '../../contract/simulated-world.js';
import { GraphDiscovery } from './discovery.js';
import { lookupDomains } from './domain-lookup.js';

export interface AppEndpoints {
  graphBase: string;
  loginBase: string;
  partnerTenant: string;
  credential: AppCredential;
  /** The sign-in (MSAL) the tokens come from. */
  app: MsalApp;
  /** With --device-code: where MSAL's cache (the rotated refresh token) is saved. */
  tokenFile?: TokenFile;
  /** Secrets met while signing in (a refresh token given or read), to keep out of messages. */
  secrets: string[];
}

/** The one stderr line about tenants whose default domain could not be looked up. */
export function domainLookupNotice(failed: number, problem: string | undefined): TerminalText {
  const which = failed === 1 ? '1 tenant kept its display name' : `${failed} tenants kept their display name`;
  return tty`dap-report: ${which} as TenantDomain: domain lookup failed${problem ? tty` (first: ${problem})` : ''}; --tenant/--exclude match ${failed === 1 ? 'it' : 'them'} by TenantId`;
}

/**
 * Where the app's credential comes from (runtime/backends/app/auth/README.md): a certificate from --certificate /
 * DAP_GRAPH_CERTIFICATE_PATH; or a device-code sign-in (--device-code) whose refresh token is kept
 * in the token file; else the client secret from --client-secret-stdin (first line), else (under
 * --simulate) the simulated world's app, else DAP_GRAPH_CLIENT_SECRET, and a refresh token from
 * DAP_GRAPH_REFRESH_TOKEN (not under --simulate). The client id from --client-id or
 * DAP_GRAPH_CLIENT_ID (planGraph checked that there is one), else the simulated app's. Never from argv.
 */
/** What the backends that sign in with the app (graph, exo) need to know of a run. */
export interface AppPlan {
  backend: BackendKind;
  /** The partner app's checked options (sign-in, discovery, concurrency). */
  graph?: GraphPlan;
  /** The run directory, where a backend may keep state across a resume; absent for `tenants`. */
  stateDir?: string;
}

/**
 * The HTTP client of the app's service calls: the test's or caller's when given, else the runtime's
 * transport, which under --simulate trusts the simulator's CA besides the system roots.
 */
function transportOf(deps: BackendDeps, world: SimulatedWorld | undefined): FetchLike {
  return deps.fetch ?? createTransport(world ? { extraCaPem: world.caPem } : {});
}

export async function resolveAppEndpoints(plan: AppPlan, deps: BackendDeps, world: SimulatedWorld | undefined, fetch: FetchLike): Promise<AppEndpoints> {
  const graph = plan.graph;
  if (!graph) throw new DapError('INTERNAL', ExitCode.fatal, `the ${plan.backend} backend was started without the app's options`);
  const app = world?.app;
  const graphBase = app ? app.graphUrl : graph.graphUrl;
  const loginBase = app ? app.loginUrl : graph.loginUrl;
  const clientId = graph.clientId ?? app?.clientId;
  if (!clientId) throw new DapError('INTERNAL', ExitCode.fatal, `the ${plan.backend} backend was planned without the app's client id`);
  const signIn = graph.signIn;
  let clientSecret: string | undefined;
  if (signIn.certificatePath || signIn.deviceCode) {
    // not read: the certificate or the signed-in admin is the credential
  } else if (graph.clientSecretStdin) {
    clientSecret = (await readSecretStdin(deps.stdin, '--client-secret-stdin')).split(/\r?\n/)[0] ?? '';
    if (!clientSecret) throw new DapError('NO_CLIENT_SECRET', ExitCode.usage, '--client-secret-stdin: expected the client secret on the first line of stdin, received nothing');
  } else {
    clientSecret = app ? app.clientSecret : deps.env.DAP_GRAPH_CLIENT_SECRET || undefined;
  }
  // planGraph checked that a credential is there (a secret, a certificate, a device code or a refresh token)
  const refreshToken = signIn.deviceCode ? undefined : app ? app.refreshToken : deps.env.DAP_GRAPH_REFRESH_TOKEN || undefined;
  const partnerTenant = graph.partnerTenant ?? app?.partnerTenant ?? DEFAULT_PARTNER_TENANT;
  const { credential, app: signedIn, tokenFile, secrets } = await signInApp({
    clientId,
    plan: signIn,
    ...(clientSecret ? { clientSecret } : {}),
    ...(refreshToken ? { refreshToken } : {}),
    simulate: world !== undefined,
    cwd: deps.cwd,
    env: deps.env,
    loginBase,
    signInTenant: partnerTenant,
    scope: GRAPH_SCOPE,
    fetch,
    stderr: deps.stderr,
    now: () => deps.now().getTime(),
  });
  return { graphBase, loginBase, partnerTenant, credential, app: signedIn, ...(tokenFile ? { tokenFile } : {}), secrets };
}

/**
 * The partner's app, shared by the backends that run over HTTP (Graph reports, Exchange REST): its
 * credential, a token cache per scope for customer tenants, the partner's own Graph token, the
 * redactor that keeps every secret and token out of messages, and discovery (GDAP relationships or
 * contracts, then the customers' default domains).
 */
export interface PartnerApp {
  endpoints: AppEndpoints;
  redactor: Redactor;
  /** The HTTP client made for Graph. */
  graph: ServiceClient;
  /** An HTTP client made for another service of the app's (the Exchange admin API), with the app's transport and redactor. */
  serviceClient(service: string, base: string): ServiceClient;
  /** The customer-tenant tokens of one scope (one cache keyed by tenant and scope). */
  customerTokens(scope: string): TenantTokens;
  discover(): Promise<DiscoveredTenant[]>;
  /** Why discovery found a customer unreachable (its GDAP relationship is not active), or undefined. */
  problemOf(tenantId: string): DiscoveredTenant['problem'];
}

/** Where an admin of a customer tenant grants the app its consent. */
export function adminConsentUrl(loginBase: string, tenantId: string, clientId: string): string {
  return `${loginBase}/${encodeURIComponent(tenantId)}/adminconsent?client_id=${encodeURIComponent(clientId)}`;
}

export async function openPartnerApp(plan: AppPlan, deps: BackendDeps, world: SimulatedWorld | undefined): Promise<PartnerApp> {
  const fetch = transportOf(deps, world);
  const graph = plan.graph!;
  // one transport for the sign-in and every call after it (one connection pool, one CA list)
  const endpoints = await resolveAppEndpoints(plan, deps, world, fetch);
  const { credential } = endpoints;
  const redactor = new Redactor();
  redactor.add(credential.clientSecret);
  for (const secret of endpoints.secrets) redactor.add(secret);
  const now = () => deps.now().getTime();
  const cache = (role: 'partner' | 'customer') =>
    new AppTokens({
      onToken: (token) => redactor.add(token),
      issue: async (tenant, scope, forceRefresh) => {
        try {
          const result = await endpoints.app.token(tenant, scope, role, forceRefresh);
          // a rotated refresh token is a secret too
          if (endpoints.app.delegated) redactor.add(endpoints.app.refreshToken()?.secret);
          return result.accessToken;
        } catch (error) {
          if (error instanceof GraphCallError && error.category === 'ConsentMissing') {
            throw new GraphCallError(
              'ConsentMissing',
              `${error.message}. An admin of the customer grants it at ${adminConsentUrl(endpoints.loginBase, tenant, credential.clientId)}`,
              error.details,
              { cause: error },
            );
          }
          throw error;
        }
      },
    });
  const partnerTokens = cache('partner');
  const customerTokens = cache('customer');
  const partnerToken = tenantBearer(partnerTokens.forScope(GRAPH_SCOPE), endpoints.partnerTenant);
  const problems = new Map<string, NonNullable<DiscoveredTenant['problem']>>();
  const serviceClient = (service: string, base: string) => new ServiceClient({ service, base, transport: fetch, redactor, now });
  const graphClient = serviceClient('Graph', endpoints.graphBase);
  return {
    endpoints,
    redactor,
    graph: graphClient,
    serviceClient,
    customerTokens: (scope) => customerTokens.forScope(scope),
    async discover() {
      const discovery = new GraphDiscovery({ http: graphClient, mode: graph.discovery, partnerToken, redactor });
      let tenants: DiscoveredTenant[];
      try {
        tenants = await discovery.discover();
      } catch (error) {
        // a saved sign-in that no longer works (expired, revoked): say how to sign in again
        if (endpoints.tokenFile && error instanceof DapError && error.code === 'AUTHENTICATION_FAILED') {
          throw new DapError(error.code, error.exitCode, `${error.message}. The sign-in saved in ${endpoints.tokenFile.path} was refused: delete that file and run with --device-code again to sign in`, { cause: error });
        }
        throw error;
      } finally {
        await discovery.close();
      }
      // relationships name no domain: ask for each customer's default domain (contracts carry it)
      if (graph.discovery === 'relationships' && graph.domainLookup) {
        const lookup = await lookupDomains(tenants, { http: graphClient, partnerToken });
        tenants = lookup.tenants;
        if (lookup.failed > 0) writeTerminal(deps.stderr, domainLookupNotice(lookup.failed, lookup.firstProblem));
      }
      problems.clear();
      for (const tenant of tenants) if (tenant.problem) problems.set(tenant.tenantId.toLowerCase(), tenant.problem);
      return tenants;
    },
    problemOf: (tenantId) => problems.get(tenantId.toLowerCase()),
  };
}
