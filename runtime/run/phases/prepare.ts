import { tty } from '../../../common/terminal-text.js';
import { removeTempFilesOf } from '../../../common/output-path.js';
import type { BackendStarter, RunBackend } from '../../backends/contract/run-backend.js';
import type { DiscoveredTenant } from '../../backends/contract/runner-types.js';
import { ManifestWriter, manifestReserveBytes, type Manifest, type ManifestTenant } from '../manifest.js';
import type { RunPlan } from '../run-plan.js';
import { checkSavedRun } from '../saved-run.js';
import { noTenantSelected, selectTenants } from '../tenant-selection.js';
import type { PreparedRun, RunState } from './run-state.js';

type Discovered = Array<{ account: string; tenants: DiscoveredTenant[] }>;

/**
 * Everything before the first tenant: what a killed run left goes, the simulator (if asked) and
 * the backend open, discovery (a refused credential stops the run here), the manifest, new or
 * resumed, saved with room kept for its last save.
 */
export async function prepareRun(state: RunState, starter: BackendStarter): Promise<PreparedRun> {
  const { plan, deps, say } = state;
  const resumeManifest = checkSavedRun(plan);
  // what a run killed while writing its files (the merge above all) left beside them
  for (const path of [plan.out, plan.errors, plan.summaryPath, plan.spool.manifestPath]) await removeTempFilesOf(path);
  if (plan.simulate) {
    state.simulator = await deps.startSimulator(plan.simulate);
    say(tty`dap-report: simulator at ${state.simulator.url}`);
  }
  const backend = await starter.open(state.simulator);
  state.backend = backend;
  // discovery first: a refused credential stops the run here, before any tenant
  const discovered = await backend.discover();
  const { manifest, reused } = resumeManifest ? await resumedManifest(state, resumeManifest, backend) : newManifest(state, discovered, backend);
  plan.spool.create(!resumeManifest);
  await plan.spool.cleanTemporary();
  const writer = new ManifestWriter(plan.spool.manifestPath, manifest, deps.now);
  failUnaddressable(manifest, backend);
  await writer.save();
  // room kept for the manifest's last save, should the disk fill during the run
  await plan.spool.reserve(manifestReserveBytes(manifest.tenants.length));
  return Object.assign(state, { backend, manifest, writer, reused });
}

function newManifest(state: RunState, discovered: Discovered, backend: RunBackend): { manifest: Manifest; reused: number } {
  const { plan, startedAt } = state;
  const selection = selectTenants(discovered, plan.filter);
  if (selection.tenants.length === 0) throw noTenantSelected(discovered, plan.filter);
  const tenants: ManifestTenant[] = selection.tenants.map((t) => ({
    tenantId: t.tenantId,
    domain: t.domain,
    ...(t.initialDomain && t.initialDomain !== t.domain ? { initialDomain: t.initialDomain } : {}),
    name: t.name,
    account: t.account,
    state: 'pending',
    rows: 0,
    attempts: 0,
  }));
  for (const name of selection.unmatched) state.say(tty`dap-report: --tenant ${name} matched no customer of ${backend.lanes.map((a) => a.userName).join(', ')}`);
  const stamp = startedAt.toISOString();
  return { manifest: { format: 1, fingerprint: plan.fingerprint, createdAt: stamp, updatedAt: stamp, tenants }, reused: 0 };
}

async function resumedManifest(state: RunState, manifest: Manifest, backend: RunBackend): Promise<{ manifest: Manifest; reused: number }> {
  delete manifest.mergedAt;
  const reused = await prepareResume(state.plan, manifest, backend);
  state.say(tty`dap-report: resuming ${state.plan.spool.dir}: ${reused} tenant(s) kept, ${manifest.tenants.length - reused} to run`);
  return { manifest, reused };
}

/** On --resume: keep the tenants whose part still parses; give tenants of accounts no longer used to the current ones. */
async function prepareResume(plan: RunPlan, manifest: Manifest, backend: RunBackend): Promise<number> {
  let reused = 0;
  const users = backend.lanes.map((a) => a.userName);
  let next = 0;
  for (const tenant of manifest.tenants) {
    if (tenant.state === 'succeeded' && (await plan.spool.verifyPart(tenant))) reused += 1;
    else if (tenant.state === 'noData') reused += 1;
    else {
      tenant.state = 'pending';
      tenant.rows = 0;
      delete tenant.part;
      delete tenant.category;
      delete tenant.message;
      delete tenant.warning;
    }
    if (!users.includes(tenant.account)) tenant.account = users[next++ % users.length]!;
  }
  return reused;
}

/** Tenants the backend cannot address (a domain that is not a DNS name, an id that is not a GUID) fail without a request. */
function failUnaddressable(manifest: Manifest, backend: RunBackend): void {
  for (const tenant of manifest.tenants) {
    const problem = tenant.state === 'pending' ? backend.tenantProblem(tenant) : undefined;
    if (problem) {
      tenant.state = 'failed';
      tenant.category = problem.category;
      tenant.message = problem.message;
    }
  }
}
