import { type Command, Option } from 'commander';
import { MAX_SESSIONS_PER_ACCOUNT } from '../../common/exchange-limits.js';
import { certificateHelp, certificateX5cHelp, deviceCodeHelp, tokenFileHelp } from '../backends/app/auth/sign-in-options.js';
import { catalogFileIn } from '../../common/catalog.js';
import { catalogVariable } from './catalog-option.js';
import { DEFAULT_EXCHANGE_URL, DEFAULT_TENANT_CONCURRENCY, MAX_TENANT_CONCURRENCY } from '../backends/exo/exo-limits.js';
import { DEFAULT_CONCURRENCY, DEFAULT_GRAPH_URL, DEFAULT_LOGIN_URL, MAX_CONCURRENCY } from '../backends/app/http/graph-limits.js';
import { backendKinds } from '../backends/contract/run-backend.js';
import { defaultRetries, defaultTenantTimeoutSeconds, maxRetries, type RunCliOptions } from './run-options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const repeatable = (option: Option) => option.argParser(collect);

/**
 * The options run, check, tenants and reports share, each declared once with its help text, by
 * the name commander gives its value. No option has a commander default: an absent option is
 * undefined, and its default lives where it is used (run-options.ts and the limits files), which
 * the help texts quote.
 */
const sharedOptions = {
  report: () => new Option('--report <name>', 'the report to run (see `dap-report reports`); under --simulate without it, the default report of the backend'),
  param: () => repeatable(new Option('--param <Name=Value>', 'a report parameter; repeat for several (dates as 2015-03-18 or 03/18/2015)')),
  user: () => repeatable(new Option('--user <upn>', 'a partner account (Exchange); repeat to spread tenants over several accounts')),
  simulate: () => new Option('--simulate [scenario.json]', 'use the embedded simulator instead of the service (its default scenario, or the given one)'),
  tenant: () => repeatable(new Option('--tenant <domain|id>', 'only this tenant (domain or TenantId); repeatable')),
  exclude: () => repeatable(new Option('--exclude <domain|id>', 'leave this tenant out; repeatable')),
  tenantsFile: () => new Option('--tenants-file <file>', 'only the tenants listed in this file, one domain or TenantId per line (# comments)'),
  json: () => new Option('--json', 'print the result as JSON on stdout (an error as {"error": {code, exitCode, message}})'),
  quiet: () => new Option('--quiet', 'no progress and no summary line'),
  pwsh: () => new Option('--pwsh <path>', 'the pwsh executable (else DAP_PWSH, .tools/pwsh/pwsh, pwsh on PATH)'),
  maxSessions: () => new Option('--max-sessions <n>', `sessions per account at once, 1 to ${MAX_SESSIONS_PER_ACCOUNT} (default ${MAX_SESSIONS_PER_ACCOUNT}; Exchange only)`),
  retries: () =>
    new Option('--retries <n>', `further attempts for transient failures, 0 to ${maxRetries} (default ${defaultRetries}; throttling, timeouts, a crashed pwsh host; a session-limit answer uses none)`),
  tenantTimeout: () => new Option('--tenant-timeout <seconds>', `stop a tenant attempt after this long (default ${defaultTenantTimeoutSeconds}; retried once after a timeout)`),
  passwordStdin: () => new Option('--password-stdin', 'read the password(s) from stdin, one line per --user').conflicts('simulate'),
  backend: () =>
    new Option(
      `--backend <${backendKinds.join('|')}>`,
      "exchange (pwsh remote sessions), graph (Microsoft Graph reports) or exo (Exchange cmdlets over the Exchange admin REST API); default: the report's first (tenants: exchange)",
    ),
  graphUrl: () => new Option('--graph-url <base>', `Microsoft Graph base (https; http only on loopback); default ${DEFAULT_GRAPH_URL}`),
  loginUrl: () => new Option('--login-url <base>', `token service base (https; http only on loopback); default ${DEFAULT_LOGIN_URL}`),
  clientId: () =>
    new Option('--client-id <id>', "the partner app's client id (else DAP_GRAPH_CLIENT_ID); its secret only from DAP_GRAPH_CLIENT_SECRET or --client-secret-stdin, or DAP_GRAPH_REFRESH_TOKEN"),
  clientSecretStdin: () => new Option('--client-secret-stdin', "read the app's client secret from the first line of stdin").conflicts('passwordStdin'),
  certificate: () => new Option('--certificate <pem>', certificateHelp),
  certificateX5c: () => new Option('--certificate-x5c', certificateX5cHelp),
  deviceCode: () => new Option('--device-code', deviceCodeHelp),
  tokenFile: () => new Option('--token-file <path>', tokenFileHelp),
  partnerTenant: () =>
    new Option('--partner-tenant <id|domain>', "the partner's own tenant, for the discovery token (else DAP_GRAPH_TENANT_ID; needed with a client secret or certificate)"),
  discovery: () => new Option('--discovery <relationships|contracts>', 'how the app finds customers: active GDAP relationships (default) or partner contracts'),
  concurrency: () => new Option('--concurrency <n>', `graph, exo: tenants at once, 1 to ${MAX_CONCURRENCY} (default ${DEFAULT_CONCURRENCY})`),
  tenantConcurrency: () =>
    new Option('--tenant-concurrency <n>', `exo: requests at once within one tenant (its per-mailbox calls), 1 to ${MAX_TENANT_CONCURRENCY} (default ${DEFAULT_TENANT_CONCURRENCY})`),
  exchangeUrl: () => new Option('--exchange-url <base>', `exo: the Exchange Online base (https; http only on loopback); default ${DEFAULT_EXCHANGE_URL}`),
  domainLookup: () =>
    new Option('--no-domain-lookup', "Graph relationships: keep the customer's display name as TenantDomain (no findTenantInformationByTenantId lookup of its default domain)"),
  catalog: () =>
    new Option(
      '--catalog <dir|file>',
      `a catalog of your own reports: the folder \`dap-gen --reports <file> --out <dir>\` wrote (${catalogFileIn('<dir>')}) or its .catalog.json; else ${catalogVariable}; default the built-in catalog`,
    ),
} satisfies Partial<Record<keyof RunCliOptions, () => Option>>;

export type SharedOptionName = keyof typeof sharedOptions;

/** run and check: all of them (check runs with the run's own settings). */
export const runOptionNames = Object.keys(sharedOptions) as SharedOptionName[];

/** tenants: what decides which customers a run covers and how it signs in; no report, no caps. */
export const tenantsOptionNames: readonly SharedOptionName[] = runOptionNames.filter(
  (name) => !['report', 'param', 'quiet', 'maxSessions', 'retries', 'tenantTimeout', 'concurrency', 'tenantConcurrency', 'exchangeUrl'].includes(name),
);

/** reports: the catalog, as a table or JSON. */
export const reportsOptionNames: readonly SharedOptionName[] = ['catalog', 'json'];

/** Adds the named shared options to a command, in the table's order. */
export function addSharedOptions(command: Command, names: readonly SharedOptionName[]): Command {
  for (const name of runOptionNames) if (names.includes(name)) command.addOption(sharedOptions[name]());
  return command;
}
