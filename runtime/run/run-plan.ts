import type { Catalog, CatalogReport } from '../../common/catalog.js';
import type { BackendPlan } from '../backends/backends.js';
import type { BackendKind, CatalogLocation } from '../backends/contract/run-backend.js';
import type { JobParameter, TenantJob } from '../backends/contract/runner-types.js';
import type { SimulationOptions } from '../backends/contract/simulated-world.js';
import type { GraphPlan } from '../backends/app/partner-app/graph-options.js';
import type { ExoPlan } from '../backends/exo/exo-options.js';
import type { RunFingerprint } from './manifest.js';
import type { ScheduledTenant } from './scheduler.js';
import type { Spool } from './spool.js';
import type { TenantFilter } from './tenant-selection.js';

/**
 * The plan of run, check and tenants as the run layer takes it: what planning (cli/run-options.ts)
 * checked before anything starts, and the parts of it a backend and a tenant's job read.
 */

/** A catalog given with --catalog or DAP_CATALOG, read and checked. */
export interface UserCatalog extends CatalogLocation {
  catalog: Catalog;
}

/**
 * What run, check and tenants share, checked: the backend and how it signs in, the tenants, the
 * simulated world. `dap-report tenants` runs on this alone.
 */
export interface TenantsPlan {
  /** --backend, else the report's first source (tenants: exchange). */
  backend: BackendKind;
  /** The app's checked options when the backend signs in with the app (graph, exo). */
  graph?: GraphPlan;
  /** The checked Exchange REST options when backend is exo. */
  exo?: ExoPlan;
  users: string[];
  /** Present under --simulate: what the simulator is started with. */
  simulate?: SimulationOptions;
  filter: TenantFilter;
  json: boolean;
  pwshFlag?: string;
  /** Exchange: sessions per account. */
  maxSessions: number;
  passwordStdin: boolean;
  /** The catalog of --catalog or DAP_CATALOG (absent: the built-in one). */
  catalog?: UserCatalog;
}

/** A checked run: everything that can be wrong with the input has been found before anything starts. */
export interface RunPlan extends TenantsPlan {
  report: CatalogReport;
  parameters: JobParameter[];
  /** The merged CSV; under --out - a file in the run folder, copied to stdout once complete. */
  out: string;
  /** --out -: the merged CSV goes to stdout, the run folder is temporary and nothing can be resumed. */
  stdout: boolean;
  errors: string;
  summaryPath: string;
  /** The run page, <out>.html; null with --no-page. */
  pagePath: string | null;
  resume: boolean;
  /** --fresh: discard an unfinished earlier run of this output instead of refusing to start. */
  fresh: boolean;
  fingerprint: RunFingerprint;
  spool: Spool;
  bom: boolean;
  excelSafe: boolean;
  /** Keep <out>.dap-run after a run that needs no --resume. */
  keepSpool: boolean;
  quiet: boolean;
  retries: number;
  timeoutMs: number;
}

/** The part of a plan its backend reads (a run passes its run directory, where a backend may keep state for --resume). */
export function backendPlanOf(plan: TenantsPlan, extra: { stateDir?: string } = {}): BackendPlan {
  return {
    backend: plan.backend,
    users: plan.users,
    passwordStdin: plan.passwordStdin,
    maxSessions: plan.maxSessions,
    ...(extra.stateDir ? { stateDir: extra.stateDir } : {}),
    ...(plan.pwshFlag ? { pwshFlag: plan.pwshFlag } : {}),
    ...(plan.graph ? { graph: plan.graph } : {}),
    ...(plan.exo ? { exo: plan.exo } : {}),
    ...(plan.catalog ? { catalog: plan.catalog } : {}),
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
