import { DapError, ExitCode } from '../../../../common/dap-error.js';
import type { DiscoveryMode } from './discovery.js';
import { DEFAULT_CONCURRENCY, DEFAULT_GRAPH_URL, DEFAULT_LOGIN_URL, MAX_CONCURRENCY } from '../http/graph-limits.js';
import { checkBaseUrl, isTokenTenant } from '../http/graph-urls.js';
import { planSignIn, type SignInCliOptions, type SignInPlan } from '../auth/sign-in-options.js';

/** The Graph options as commander hands them over. */
export interface GraphCliOptions extends SignInCliOptions {
  backend?: string;
  graphUrl?: string;
  loginUrl?: string;
  clientId?: string;
  clientSecretStdin?: boolean;
  partnerTenant?: string;
  discovery?: string;
  concurrency?: string;
  /** commander's --no-domain-lookup: false when given (true or undefined otherwise). */
  domainLookup?: boolean;
}

/** A checked Graph configuration; the secret itself is read later (environment, stdin or the simulator). */
export interface GraphPlan {
  graphUrl: string;
  loginUrl: string;
  /** From --client-id or DAP_GRAPH_CLIENT_ID; under --simulate the simulator's app when absent. */
  clientId?: string;
  /** From --partner-tenant or DAP_GRAPH_TENANT_ID; defaults are decided when the run starts. */
  partnerTenant?: string;
  clientSecretStdin: boolean;
  /** --certificate / --device-code / --token-file (runtime/backends/app/auth/sign-in-options.ts). */
  signIn: SignInPlan;
  discovery: DiscoveryMode;
  concurrency: number;
  /** With relationships discovery: look up each customer's default domain (false: --no-domain-lookup). */
  domainLookup: boolean;
}

const usage = (code: string, message: string) => new DapError(code, ExitCode.usage, message);

export const graphOnlyOptions: ReadonlyArray<[keyof GraphCliOptions, string]> = [
  ['graphUrl', '--graph-url'],
  ['loginUrl', '--login-url'],
  ['clientId', '--client-id'],
  ['clientSecretStdin', '--client-secret-stdin'],
  ['certificate', '--certificate'],
  ['certificateX5c', '--certificate-x5c'],
  ['deviceCode', '--device-code'],
  ['tokenFile', '--token-file'],
  ['partnerTenant', '--partner-tenant'],
  ['discovery', '--discovery'],
  ['concurrency', '--concurrency'],
];

/** Graph-only options given to a run on another backend: a usage error naming them. */
export function rejectGraphOptions(options: GraphCliOptions, why: string): void {
  const given = graphOnlyOptions.filter(([key]) => options[key] !== undefined && options[key] !== false).map(([, flag]) => flag);
  // --no-domain-lookup: commander holds true unless the flag is given
  if (options.domainLookup === false) given.push('--no-domain-lookup');
  if (given.length > 0) throw usage('OPTION_CONFLICT', `${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} only to the backends that sign in with the app (graph, exo); ${why}`);
}

/**
 * Checks the Graph options and the presence of a credential (without reading any secret): bases
 * https (on every host), --concurrency 1..32, --discovery relationships|contracts, a client
 * id and a secret or refresh token unless --simulate supplies the app, a partner tenant for client
 * credentials against the real service.
 */
export function planGraph(options: GraphCliOptions, env: NodeJS.ProcessEnv, simulate: boolean): GraphPlan {
  const base = (flag: string, raw: string | undefined, fallback: string, code: string) => {
    const checked = checkBaseUrl(raw ?? fallback);
    if ('problem' in checked) throw usage(code, `${flag}: ${checked.problem}`);
    return checked.base;
  };
  const graphUrl = base('--graph-url', options.graphUrl, DEFAULT_GRAPH_URL, 'BAD_GRAPH_URL');
  const loginUrl = base('--login-url', options.loginUrl, DEFAULT_LOGIN_URL, 'BAD_LOGIN_URL');

  let concurrency = DEFAULT_CONCURRENCY;
  if (options.concurrency !== undefined) {
    const raw = options.concurrency;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > MAX_CONCURRENCY) {
      throw usage('BAD_CONCURRENCY', `--concurrency expects a whole number from 1 to ${MAX_CONCURRENCY}, received '${raw}'`);
    }
    concurrency = Number(raw);
  }

  const discovery = (options.discovery ?? 'relationships').trim().toLowerCase();
  if (discovery !== 'relationships' && discovery !== 'contracts') {
    throw usage('BAD_DISCOVERY', `--discovery expects relationships or contracts, received '${options.discovery}'`);
  }

  // under --simulate the simulator's app is used unless --client-id names another
  const clientId = (options.clientId ?? (simulate ? undefined : env.DAP_GRAPH_CLIENT_ID) ?? '').trim();
  if (clientId && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(clientId)) {
    throw usage('BAD_CLIENT_ID', `--client-id expects the app's (client) id, a GUID such as 00000000-0000-0000-0000-000000000000, received '${clientId}'`);
  }
  const partnerTenant = (options.partnerTenant ?? (simulate ? undefined : env.DAP_GRAPH_TENANT_ID) ?? '').trim().toLowerCase();
  if (partnerTenant && !isTokenTenant(partnerTenant)) {
    throw usage('BAD_PARTNER_TENANT', `--partner-tenant expects the partner's tenant id (GUID) or domain, received '${partnerTenant}'`);
  }
  const signIn = planSignIn(options, env, simulate);
  if (!simulate) {
    if (!clientId) throw usage('MISSING_CLIENT_ID', 'the graph backend needs the app: --client-id <id> or DAP_GRAPH_CLIENT_ID');
    const hasSecret = options.clientSecretStdin === true || !!env.DAP_GRAPH_CLIENT_SECRET || !!signIn.certificatePath;
    const delegated = signIn.deviceCode || !!env.DAP_GRAPH_REFRESH_TOKEN;
    if (!hasSecret && !delegated) {
      throw usage(
        'MISSING_CLIENT_SECRET',
        'the graph backend needs a credential: --certificate <pem> or DAP_GRAPH_CERTIFICATE_PATH (certificate), DAP_GRAPH_CLIENT_SECRET or --client-secret-stdin (client secret), --device-code (a partner admin signs in), or DAP_GRAPH_REFRESH_TOKEN',
      );
    }
    if (!delegated && !partnerTenant) {
      throw usage(
        'MISSING_PARTNER_TENANT',
        "client credentials need the partner's own tenant for discovery: --partner-tenant <tenant id or domain> or DAP_GRAPH_TENANT_ID (the token endpoint issues app tokens only for a named tenant)",
      );
    }
  }
  const plan: GraphPlan = { graphUrl, loginUrl, clientSecretStdin: options.clientSecretStdin === true, signIn, discovery, concurrency, domainLookup: options.domainLookup !== false };
  if (clientId) plan.clientId = clientId;
  if (partnerTenant) plan.partnerTenant = partnerTenant;
  return plan;
}
