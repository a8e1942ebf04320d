import { randomBytes } from 'node:crypto';
import { readBoundedFile, readProblem } from '../../common/bounded-read.js';
import { inputLimits } from '../../common/input-limits.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Catalog } from '../../common/catalog.js';
import { DapError, ExitCode } from '../../common/dap-error.js';
import { isDnsName } from '../../common/dns-name.js';
import { defaultErrorsFileFor } from '../../common/errors-file-format.js';
import { MAX_SESSIONS_PER_ACCOUNT } from '../../common/exchange-limits.js';
import { backendsOf, parseBackend } from '../backends/backends.js';
import type { RunPlan, TenantsPlan } from '../run/run-plan.js';
import type { UserCatalog } from './catalog-option.js';
import { planExo, rejectExoOptions, type ExoCliOptions } from '../backends/exo/exo-options.js';
import { planGraph, rejectGraphOptions, type GraphCliOptions } from '../backends/app/partner-app/graph-options.js';
import { checkDistinctOutputs, checkOutputPath, checkOwnFolder, type OutputFile } from '../../common/output-path.js';
import { pagePathFor } from '../run/page/write-page.js';
import { findReport, parseReportParameters } from './report-parameters.js';
import { defaultRetryPolicy } from '../platform/retry-policy.js';
import { backendTitles, type BackendKind } from '../backends/contract/run-backend.js';
import { Spool } from '../run/spool.js';
import { stdoutOutput } from '../run/summary.js';
import type { TenantFilter } from '../run/tenant-selection.js';
import { isGuid, normaliseTenantName } from '../platform/tenant-names.js';

/** The options of run, check and tenants as commander hands them over (none has a commander default). */
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

/** What planning reads besides the options. */
export interface PlanContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Checks a scenario file against the simulator's schema (RuntimeDeps.validateScenario). */
  validateScenario?(path: string): void;
  /** The catalog of --catalog or DAP_CATALOG, read and checked; absent: the built-in one. */
  catalog?: UserCatalog;
}

/** The report of `run --simulate [--backend <kind>]` without --report. */
export const defaultReportNames: Record<BackendKind, string> = {
  exchange: 'MailboxActivityReport',
  graph: 'MailboxUsageDetail',
  exo: 'MailboxStatisticsReport',
};
/** The defaults of run and check; the help texts show these. */
export const defaultOutput = './ReportOutput.csv';
export const defaultCheckPage = './dap-check.html';
export const defaultTenantTimeoutSeconds = 300;
export const maxTenantTimeoutSeconds = 86_400;
export const defaultRetries = defaultRetryPolicy.retries;
export const maxRetries = 20;
/** Under --out -, the run's own files are named after this, in the current folder: dap-report.errors.csv, .summary.json, .html. */
export const stdoutRunName = 'dap-report';

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
    text = readBoundedFile(path, inputLimits.tenantsFile);
  } catch (error) {
    throw usage('TENANTS_FILE_UNREADABLE', `--tenants-file ${path} cannot be read: ${readProblem(error)}`);
  }
  return text.split(/\r?\n/).flatMap((line, index) => {
    const value = line.replace(/#.*$/, '').trim();
    return value ? [tenantName('--tenants-file', value, ` line ${index + 1}`)] : [];
  });
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
    text = readBoundedFile(path, inputLimits.scenario);
  } catch (error) {
    throw usage('SCENARIO_UNREADABLE', `--simulate ${raw}: the scenario file cannot be read (${readProblem(error)})`);
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

const isSimulated = (options: Pick<RunCliOptions, 'simulate'>) => options.simulate !== undefined && options.simulate !== false;

/**
 * The backend's own options, checked both ways: those of the app (graph, exo) on the Exchange
 * backend, and those of partner accounts (exchange) on an app backend, are usage errors naming
 * them; `why` says what chose the backend.
 */
function planBackendOptions(options: RunCliOptions, backend: BackendKind, why: string, env: NodeJS.ProcessEnv): Pick<TenantsPlan, 'graph' | 'exo'> {
  if (backend !== 'exo') rejectExoOptions(options, why);
  if (backend === 'exchange') {
    rejectGraphOptions(options, why);
    return {};
  }
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
  const graph = planGraph(options, env, isSimulated(options));
  return backend === 'exo' ? { graph, exo: planExo(options) } : { graph };
}

/**
 * The part of a plan run, check and tenants share: the backend's options (planBackendOptions),
 * the partner accounts, the tenant filter, the simulated world. `command` names the command in
 * messages; `why` says what chose the backend.
 */
function planTenantsFor(options: RunCliOptions, backend: BackendKind, context: PlanContext, command: string, why: string): TenantsPlan {
  const simulate = isSimulated(options);
  const backendOptions = planBackendOptions(options, backend, why, context.env);
  const users = [...new Set((options.user ?? []).map((u) => u.trim()))];
  for (const user of users) {
    const at = user.lastIndexOf('@');
    if (at <= 0 || !isDnsName(user.slice(at + 1).toLowerCase())) {
      throw usage('BAD_USER', `--user '${user}' is not a user principal name: expected name@domain, e.g. admin@contoso.onmicrosoft.com`);
    }
  }
  if (backend === 'exchange' && users.length === 0 && !simulate) {
    throw usage('MISSING_USER', `${command} needs --user <upn>: the partner account to sign in with (several --user spread the tenants), or --simulate`);
  }
  const filter = parseTenantFilter(options, context.cwd);
  const plan: TenantsPlan = {
    backend,
    ...backendOptions,
    users,
    filter,
    json: options.json === true,
    maxSessions: integerOption('--max-sessions', options.maxSessions, MAX_SESSIONS_PER_ACCOUNT, 1, MAX_SESSIONS_PER_ACCOUNT, 'BAD_MAX_SESSIONS'),
    passwordStdin: options.passwordStdin === true,
  };
  if (options.pwsh) plan.pwshFlag = options.pwsh;
  if (context.catalog) plan.catalog = context.catalog;
  if (simulate) {
    const scenario = typeof options.simulate === 'string' ? checkScenario(options.simulate, context.cwd) : undefined;
    if (scenario) context.validateScenario?.(scenario);
    plan.simulate = { ...(scenario ? { scenario } : {}), ...(context.catalog ? { catalogs: [context.catalog.catalog] } : {}) };
  }
  return plan;
}

/** `dap-report tenants`: the shared plan alone, on --backend (default exchange). */
export function planTenants(options: RunCliOptions, context: PlanContext): TenantsPlan {
  const backend = parseBackend(options.backend) ?? 'exchange';
  return planTenantsFor(options, backend, context, 'tenants', `tenants uses --backend ${backend}${options.backend === undefined ? ' (the default; --backend graph or exo list the app\'s customers)' : ''}`);
}

/** Where the CSV and the run's own files go: beside --out, or (--out -) stdout, a temporary run folder and files named after stdoutRunName. */
function planOutput(options: RunCliOptions, cwd: string, page: boolean): Pick<RunPlan, 'out' | 'stdout' | 'errors' | 'summaryPath' | 'pagePath' | 'spool'> {
  const stdout = options.out === stdoutOutput;
  if (stdout) {
    const given = [...(options.resume ? ['--resume'] : []), ...(options.keepSpool ? ['--keep-spool'] : []), ...(options.json ? ['--json'] : [])];
    if (given.length > 0) {
      throw usage(
        'OPTION_CONFLICT',
        `--out - writes the CSV to stdout, so ${given.join(', ')} cannot be used with it: a run to stdout keeps no run folder to resume or keep, and stdout holds only the CSV; give --out <file> instead`,
      );
    }
  }
  const stem = resolve(cwd, stdout ? stdoutRunName : (options.out ?? defaultOutput));
  const spool = stdout ? new Spool(join(tmpdir(), `dap-report-${process.pid}-${randomBytes(4).toString('hex')}`)) : Spool.forOutput(stem);
  const out = stdout ? join(spool.dir, 'merged.csv') : stem;
  const errors = resolve(cwd, options.errors ?? defaultErrorsFileFor(stem));
  const summaryPath = `${stem}.summary.json`;
  const pagePath = page ? pagePathFor(stem) : null;
  const files: OutputFile[] = [
    ...(stdout ? [] : [{ option: '--out', path: out }]),
    { option: '--errors', path: errors },
    { option: stdout ? '--out - (the run summary)' : "--out (the run's summary, <out>.summary.json)", path: summaryPath, derived: true },
    ...(pagePath ? [{ option: stdout ? '--out - (the run page)' : '--out (the run page, <out>.html)', path: pagePath, derived: true }] : []),
  ];
  for (const file of files) checkOutputPath(file.option, file.path);
  checkDistinctOutputs(files, spool.dir);
  if (!stdout) checkOwnFolder(spool.dir, 'the run folder');
  return { out, stdout, errors, summaryPath, pagePath, spool };
}

/**
 * Checks every `run` option, reads what the options point to (catalog entry, tenants file,
 * scenario) and answers a plan, or the first problem as a usage error (exit 2). Starts nothing;
 * the saved run of the output is read once the run holds its lock (see saved-run.ts).
 * `catalog` is the catalog the report is looked up in (context.catalog's, or the built-in one).
 */
export function planRun(options: RunCliOptions & { page?: boolean }, catalog: Catalog, context: PlanContext): RunPlan {
  const simulate = isSimulated(options);
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
  const tenants = planTenantsFor(options, backend, context, 'run', `${report.name} runs on --backend ${backend}`);
  const output = planOutput(options, context.cwd, options.page !== false);

  const retries = integerOption('--retries', options.retries, defaultRetries, 0, maxRetries, 'BAD_RETRIES');
  let timeoutMs = defaultTenantTimeoutSeconds * 1000;
  if (options.tenantTimeout !== undefined) {
    const seconds = Number(options.tenantTimeout);
    if (!/^\d+(\.\d+)?$/.test(options.tenantTimeout.trim()) || !(seconds > 0) || seconds > maxTenantTimeoutSeconds) {
      throw usage('BAD_TIMEOUT', `--tenant-timeout expects seconds, more than 0 and at most ${maxTenantTimeoutSeconds}, received '${options.tenantTimeout}'`);
    }
    timeoutMs = Math.round(seconds * 1000);
  }

  return {
    ...tenants,
    ...output,
    report,
    parameters,
    resume: options.resume === true,
    fresh: options.fresh === true,
    fingerprint: {
      report: report.name,
      parameters: parameters.map(({ name, value }) => ({ name, value })),
      tenants: tenants.filter.include,
      exclude: tenants.filter.exclude,
    },
    bom: options.bom === true,
    excelSafe: options.excelSafe === true,
    keepSpool: options.keepSpool === true,
    quiet: options.quiet === true,
    retries,
    timeoutMs,
  };
}

