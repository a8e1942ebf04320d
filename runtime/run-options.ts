import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Catalog, CatalogReport } from '../common/catalog.js';
import { DapError, ExitCode } from '../common/dap-error.js';
import { defaultErrorsFileFor } from '../common/errors-file-format.js';
import type { RunFingerprint } from './manifest.js';
import { findReport, parseReportParameters } from './report-parameters.js';
import { backendsOf, parseBackend } from './backends.js';
import { planExo, rejectExoOptions, type ExoCliOptions, type ExoPlan } from './exo/exo-options.js';
import { planGraph, rejectGraphOptions, type GraphCliOptions, type GraphPlan } from './graph/graph-options.js';
import { backendTitles, type BackendKind, type BackendPlan } from './run-backend.js';
import type { JobParameter, TenantJob } from './runner-types.js';
import type { ScheduledTenant } from './scheduler.js';
import { MAX_SESSIONS_PER_ACCOUNT } from '../common/exchange-limits.js';
import { Spool } from './spool.js';
import type { TenantFilter } from './tenant-selection.js';
import { isDnsName } from '../common/dns-name.js';
import { isGuid, normaliseTenantName } from './tenant-names.js';

/** The `run` options as commander hands them over. */
export interface RunCliOptions extends GraphCliOptions, ExoCliOptions {
  report?: string;
  param?: string[];
  out?: string;
  errors?: string;
  user?: string[];
  simulate?: boolean | string;
  resume?: boolean;
  fresh?: boolean;
  tenant?: string[];
  exclude?: string[];
  tenantsFile?: string;
  bom?: boolean;
  excelSafe?: boolean;
  keepSpool?: boolean;
  json?: boolean;
  quiet?: boolean;
  pwsh?: string;
  maxSessions?: string;
  retries?: string;
  tenantTimeout?: string;
  passwordStdin?: boolean;
  catalog?: string;
}

/** A checked run: everything that can be wrong with the input has been found before anything starts. */
export interface RunPlan {
  /** The backend: --backend, else the report's first source. */
  backend: BackendKind;
  /** The app's checked options when the backend signs in with the app (graph, exo). */
  graph?: GraphPlan;
  /** The checked Exchange REST options when backend is exo. */
  exo?: ExoPlan;
  report: CatalogReport;
  parameters: JobParameter[];
  out: string;
  errors: string;
  summaryPath: string;
  users: string[];
  /** Present under --simulate; scenario undefined means the default scenario. */
  simulate?: { scenario?: string };
  resume: boolean;
  /** --fresh: discard an unfinished earlier run of this output instead of refusing to start. */
  fresh: boolean;
  filter: TenantFilter;
  fingerprint: RunFingerprint;
  spool: Spool;
  bom: boolean;
  excelSafe: boolean;
  /** Keep <out>.dap-run after a run that needs no --resume. */
  keepSpool: boolean;
  json: boolean;
  quiet: boolean;
  pwshFlag?: string;
  maxSessions: number;
  retries: number;
  timeoutMs: number;
  passwordStdin: boolean;
}

/** The report of `run --simulate [--backend <kind>]` without --report. */
export const defaultReportNames: Record<BackendKind, string> = {
  exchange: 'MailboxActivityReport',
  graph: 'MailboxUsageDetail',
  exo: 'MailboxStatisticsReport',
};
export const defaultOutput = 'ReportOutput.csv';
export const defaultTenantTimeoutSeconds = 300;

const usage = (code: string, message: string) => new DapError(code, ExitCode.usage, message);

function integerOption(name: string, raw: string | undefined, fallback: number, min: number, max: number, code: string): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw usage(code, `${name} expects a whole number from ${min} to ${max}, received '${raw}'`);
  }
  return Number(raw);
}

function tenantName(option: string, raw: string, where = ''): string {
  const value = normaliseTenantName(raw);
  if (!isDnsName(value) && !isGuid(value)) {
    throw usage('BAD_TENANT', `${option}${where} '${raw}' is neither a DNS domain name (like contoso.onmicrosoft.com) nor a TenantId GUID`);
  }
  return value;
}

function readTenantsFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usage('TENANTS_FILE_UNREADABLE', `--tenants-file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return text.split(/\r?\n/).flatMap((line, index) => {
    const value = line.replace(/#.*$/, '').trim();
    return value ? [tenantName('--tenants-file', value, ` line ${index + 1}`)] : [];
  });
}

function checkFolder(option: string, path: string): void {
  const folder = dirname(path);
  let isDirectory = false;
  try {
    isDirectory = statSync(folder).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) throw usage('OUTPUT_DIR_MISSING', `${option} ${path}: the folder ${folder} does not exist`);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw usage('OUTPUT_NOT_WRITABLE', `${option} ${path}: the folder ${folder} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    if (statSync(path).isDirectory()) throw usage('OUTPUT_IS_DIRECTORY', `${option} ${path} is a folder: expected a file name`);
  } catch (error) {
    if (error instanceof DapError) throw error;
  }
}

/** --tenant, --exclude and --tenants-file as one filter: names checked, lower-cased, sorted, duplicates removed. */
export function parseTenantFilter(options: Pick<RunCliOptions, 'tenant' | 'exclude' | 'tenantsFile'>, cwd: string): TenantFilter {
  const include = (options.tenant ?? []).map((t) => tenantName('--tenant', t));
  if (options.tenantsFile) include.push(...readTenantsFile(resolve(cwd, options.tenantsFile)));
  const exclude = (options.exclude ?? []).map((t) => tenantName('--exclude', t));
  return { include: [...new Set(include)].sort(), exclude: [...new Set(exclude)].sort() };
}

export function checkScenario(raw: string, cwd: string): string {
  const path = resolve(cwd, raw);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usage('SCENARIO_UNREADABLE', `--simulate ${raw}: the scenario file cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usage('SCENARIO_MALFORMED', `--simulate ${raw}: expected a JSON scenario, the file does not parse: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usage('SCENARIO_MALFORMED', `--simulate ${raw}: expected a JSON object, received ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return path;
}

/**
 * Checks every `run` option, reads what the options point to (catalog entry, tenants file,
 * scenario) and answers a plan, or the first problem as a usage error (exit 2). Starts nothing;
 * the saved run of the output is read once the run holds its lock (see saved-run.ts).
 */
export function planRun(options: RunCliOptions, catalog: Catalog, cwd: string, env: NodeJS.ProcessEnv = {}): RunPlan {
  const simulate = options.simulate !== undefined && options.simulate !== false;
  if (!options.report && !simulate) {
    throw usage('MISSING_REPORT', `run needs --report <Name>: expected one of ${catalog.reports.map((r) => r.name).join(', ')}`);
  }
  const requested = parseBackend(options.backend);
  const report = findReport(catalog, options.report ?? defaultReportNames[requested ?? 'exchange']);
  const available = backendsOf(report);
  const backend: BackendKind = requested ?? available[0]!;
  if (!available.includes(backend)) {
    throw usage(
      'BACKEND_MISMATCH',
      `--backend ${backend} cannot run ${report.name}: it runs on ${available.map((b) => `--backend ${b} (${backendTitles[b]})`).join(' or ')}; use ${available.length === 1 ? 'that' : 'one of them'} or leave --backend out`,
    );
  }
  const parameters = parseReportParameters(report, options.param ?? []);
  let graph: GraphPlan | undefined;
  if (backend === 'exchange') {
    rejectGraphOptions(options, `${report.name} runs on --backend exchange`);
  } else {
    const exchangeOnly = [
      ...((options.user ?? []).length > 0 ? ['--user'] : []),
      ...(options.passwordStdin ? ['--password-stdin'] : []),
      ...(options.maxSessions !== undefined ? ['--max-sessions'] : []),
    ];
    if (exchangeOnly.length > 0) {
      throw usage(
        'OPTION_CONFLICT',
        `${exchangeOnly.join(', ')} ${exchangeOnly.length === 1 ? 'applies' : 'apply'} only to --backend exchange; --backend ${backend} signs in with the partner app (--client-id, DAP_GRAPH_CLIENT_SECRET) and runs --concurrency tenants at once`,
      );
    }
    graph = planGraph(options, env, simulate);
  }
  const exo = backend === 'exo' ? planExo(options) : undefined;
  if (backend !== 'exo') rejectExoOptions(options, `${report.name} runs on --backend ${backend}`);

  const users = [...new Set((options.user ?? []).map((u) => u.trim()))];
  for (const user of users) {
    const at = user.lastIndexOf('@');
    if (at <= 0 || !isDnsName(user.slice(at + 1).toLowerCase())) {
      throw usage('BAD_USER', `--user '${user}' is not a user principal name: expected name@domain, e.g. admin@contoso.onmicrosoft.com`);
    }
  }
  if (backend === 'exchange' && users.length === 0 && !simulate) {
    throw usage('MISSING_USER', 'run needs --user <upn>: the partner account to sign in with (several --user spread the tenants)');
  }

  const filter = parseTenantFilter(options, cwd);

  const out = resolve(cwd, options.out ?? defaultOutput);
  const errors = resolve(cwd, options.errors ?? defaultErrorsFileFor(out));
  checkFolder('--out', out);
  checkFolder('--errors', errors);
  if (errors === out) throw usage('OPTION_CONFLICT', `--errors and --out both name ${out}: expected two different files`);

  const maxSessions = integerOption('--max-sessions', options.maxSessions, MAX_SESSIONS_PER_ACCOUNT, 1, MAX_SESSIONS_PER_ACCOUNT, 'BAD_MAX_SESSIONS');
  const retries = integerOption('--retries', options.retries, 4, 0, 20, 'BAD_RETRIES');
  let timeoutMs = defaultTenantTimeoutSeconds * 1000;
  if (options.tenantTimeout !== undefined) {
    const seconds = Number(options.tenantTimeout);
    if (!/^\d+(\.\d+)?$/.test(options.tenantTimeout.trim()) || !(seconds > 0) || seconds > 86_400) {
      throw usage('BAD_TIMEOUT', `--tenant-timeout expects seconds, more than 0 and at most 86400, received '${options.tenantTimeout}'`);
    }
    timeoutMs = Math.round(seconds * 1000);
  }

  const plan: RunPlan = {
    backend,
    ...(graph ? { graph } : {}),
    ...(exo ? { exo } : {}),
    report,
    parameters,
    out,
    errors,
    summaryPath: `${out}.summary.json`,
    users,
    resume: options.resume === true,
    fresh: options.fresh === true,
    filter,
    fingerprint: {
      report: report.name,
      parameters: parameters.map(({ name, value }) => ({ name, value })),
      tenants: filter.include,
      exclude: filter.exclude,
    },
    spool: Spool.forOutput(out),
    bom: options.bom === true,
    excelSafe: options.excelSafe === true,
    keepSpool: options.keepSpool === true,
    json: options.json === true,
    quiet: options.quiet === true,
    maxSessions,
    retries,
    timeoutMs,
    passwordStdin: options.passwordStdin === true,
  };
  if (options.pwsh) plan.pwshFlag = options.pwsh;
  if (simulate) plan.simulate = typeof options.simulate === 'string' ? { scenario: checkScenario(options.simulate, cwd) } : {};

  return plan;
}

/** The part of a run's plan its backend reads (a run passes its run directory, where a backend may keep state for --resume). */
export function backendPlanOf(plan: RunPlan, extra: { stateDir?: string } = {}): BackendPlan {
  return {
    backend: plan.backend,
    users: plan.users,
    passwordStdin: plan.passwordStdin,
    maxSessions: plan.maxSessions,
    ...(extra.stateDir ? { stateDir: extra.stateDir } : {}),
    ...(plan.pwshFlag ? { pwshFlag: plan.pwshFlag } : {}),
    ...(plan.graph ? { graph: plan.graph } : {}),
    ...(plan.exo ? { exo: plan.exo } : {}),
  };
}

/** One attempt's job for a tenant of the plan (a run writes its rows to `outPath`; a check writes nothing there). */
export function jobOf(plan: RunPlan, tenant: ScheduledTenant, attempt: number, outPath: string): TenantJob {
  return {
    tenantId: tenant.tenantId,
    domain: tenant.domain,
    ...(tenant.initialDomain ? { initialDomain: tenant.initialDomain } : {}),
    account: tenant.account,
    report: plan.report,
    parameters: plan.parameters,
    outPath,
    attempt,
  };
}
