import { stringify } from 'csv-stringify/sync';
import { DapError, ExitCode } from '../common/dap-error.js';
import { terminalText } from '../common/terminal-text.js';
import type { RunningSimulator } from '../simulator/simulator-types.js';
import { prepareBackend } from './backends.js';
import type { ExoPlan } from './exo/exo-options.js';
import type { GraphPlan } from './graph/graph-options.js';
import type { BackendKind, RunBackend } from './run-backend.js';
import type { RuntimeDeps } from './runtime-deps.js';
import { MAX_SESSIONS_PER_ACCOUNT } from '../common/exchange-limits.js';
import { noTenantSelected, selectTenants, type TenantFilter } from './tenant-selection.js';

export interface TenantsPlan {
  backend?: BackendKind;
  users: string[];
  simulate?: { scenario?: string };
  filter: TenantFilter;
  pwshFlag?: string;
  graph?: GraphPlan;
  exo?: ExoPlan;
  passwordStdin: boolean;
  json: boolean;
}

/** `dap-report tenants`: discovers the customers (once per account, or once for the app) and lists those a run would cover. */
export async function listTenants(plan: TenantsPlan, deps: RuntimeDeps): Promise<void> {
  const kind = plan.backend ?? 'exchange';
  const backendPlan = {
    backend: kind,
    users: plan.users,
    passwordStdin: plan.passwordStdin,
    maxSessions: MAX_SESSIONS_PER_ACCOUNT,
    ...(plan.pwshFlag ? { pwshFlag: plan.pwshFlag } : {}),
    ...(plan.graph ? { graph: plan.graph } : {}),
    ...(plan.exo ? { exo: plan.exo } : {}),
  };
  const starter = prepareBackend(backendPlan, deps);
  let simulator: RunningSimulator | undefined;
  let backend: RunBackend | undefined;
  try {
    if (plan.simulate) simulator = await deps.startSimulator(plan.simulate.scenario ? { scenario: plan.simulate.scenario } : {});
    if (kind === 'exchange' && plan.users.length === 0 && !simulator) throw new DapError('MISSING_USER', ExitCode.usage, 'tenants needs --user <upn> (or --simulate)');
    backend = await starter.open(simulator);
    const discovered = await backend.discover();
    const { tenants } = selectTenants(discovered, plan.filter);
    if (tenants.length === 0) throw noTenantSelected(discovered, plan.filter);
    const runnable = (t: { tenantId: string; domain: string }) => backend!.tenantProblem(t) === undefined;
    const lanes = backend.laneLabel;
    if (plan.json) {
      deps.stdout.write(`${JSON.stringify(tenants.map((t) => ({ ...t, runnable: runnable(t) })), null, 2)}\n`);
    } else {
      // names come from the service: a table on a terminal shows their control characters, it does not obey them
      deps.stdout.write(
        terminalText(stringify([['TenantDomain', 'TenantId', 'Name', lanes, 'Runnable'], ...tenants.map((t) => [t.domain, t.tenantId, t.name, t.account, runnable(t) ? 'yes' : 'no'])])),
      );
    }
  } finally {
    await backend?.close().catch(() => undefined);
    if (simulator) await simulator.stop();
  }
}
