import { terminalJson, terminalTable, writeTerminal, writeText } from '../../common/terminal-text.js';
import { prepareBackend } from '../backends/backends.js';
import type { RunBackend } from '../backends/contract/run-backend.js';
import { backendPlanOf, type TenantsPlan } from '../run/run-plan.js';
import type { RuntimeDeps } from '../backends/runtime-deps.js';
import type { SimulatedWorld } from '../backends/contract/simulated-world.js';
import { noTenantSelected, selectTenants } from '../run/tenant-selection.js';

/** `dap-report tenants`: discovers the customers (once per account, or once for the app) and lists those a run would cover. */
export async function listTenants(plan: TenantsPlan, deps: RuntimeDeps): Promise<void> {
  const starter = prepareBackend(backendPlanOf(plan), deps);
  let simulator: SimulatedWorld | undefined;
  let backend: RunBackend | undefined;
  try {
    if (plan.simulate) simulator = await deps.startSimulator(plan.simulate);
    backend = await starter.open(simulator);
    const discovered = await backend.discover();
    const { tenants } = selectTenants(discovered, plan.filter);
    if (tenants.length === 0) throw noTenantSelected(discovered, plan.filter);
    const runnable = (t: { tenantId: string; domain: string }) => backend!.tenantProblem(t) === undefined;
    const lanes = backend.laneLabel;
    if (plan.json) {
      writeTerminal(deps.stdout, terminalJson(tenants.map((t) => ({ ...t, runnable: runnable(t) }))));
    } else {
      // names come from the service: a table on a terminal shows their control characters, it does not obey them
      writeText(deps.stdout, terminalTable([['TenantDomain', 'TenantId', 'Name', lanes, 'Runnable'], ...tenants.map((t) => [t.domain, t.tenantId, t.name, t.account, runnable(t) ? 'yes' : 'no'])]));
    }
  } finally {
    await backend?.close().catch(() => undefined);
    if (simulator) await simulator.stop();
  }
}
