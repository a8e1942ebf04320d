import type { CatalogReport, CatalogSource } from '../../common/catalog.js';
import { exchangeBackend, type ExchangePlan } from './exchange/exchange-backend.js';
import { exoBackend, type ExoBackendPlan } from './exo/exo-backend.js';
import { graphBackend } from './graph/graph-backend.js';
import { DapError, ExitCode } from '../../common/dap-error.js';
import { backendKinds, type BackendKind, type BackendStarter } from './contract/run-backend.js';
import type { RuntimeDeps } from './runtime-deps.js';

/** What a backend needs to know of a run (or of `dap-report tenants`): each backend's part, one plan. */
export interface BackendPlan extends ExchangePlan, ExoBackendPlan {
  backend: BackendKind;
}

/** Every backend, by kind: the only place that names them, and that hands the Exchange backend its own dependencies. */
const starters: Record<BackendKind, (plan: BackendPlan, deps: RuntimeDeps) => BackendStarter> = {
  exchange: (plan, { exchange, ...deps }) => exchangeBackend(plan, deps, exchange),
  graph: graphBackend,
  exo: exoBackend,
};

/** Prepares the plan's backend: its input problems (no pwsh, no app) come before anything starts. */
export function prepareBackend(plan: BackendPlan, deps: RuntimeDeps): BackendStarter {
  return starters[plan.backend](plan, deps);
}

/** The backend that runs a report source of each kind. */
export const backendOfSource: Record<CatalogSource['kind'], BackendKind> = {
  exchange: 'exchange',
  graph: 'graph',
  graphQuery: 'graph',
  exchangeRest: 'exo',
};

/** --backend as given: one of the kinds, or undefined (the report decides). */
export function parseBackend(raw: string | undefined): BackendKind | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().toLowerCase();
  const kind = backendKinds.find((k) => k === value);
  if (!kind) throw new DapError('BAD_BACKEND', ExitCode.usage, `--backend expects ${backendKinds.join(', ')}, received '${raw}'`);
  return kind;
}

/** The backends a report runs on, its default first. */
export function backendsOf(report: CatalogReport): BackendKind[] {
  return report.sources.map((source) => backendOfSource[source.kind]);
}
