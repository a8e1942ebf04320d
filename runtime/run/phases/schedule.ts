import { promises as fs } from 'node:fs';
import { DapError, ExitCode } from '../../../common/dap-error.js';
import { isMachineError } from '../../../common/machine-error.js';
import { tty } from '../../../common/terminal-text.js';
import type { TenantJob, TenantOutcome, TenantRunner } from '../../backends/contract/runner-types.js';
import type { RuntimeDeps } from '../../backends/runtime-deps.js';
import { defaultRetryPolicy } from '../../platform/retry-policy.js';
import { diskFullInOutcome } from '../machine-stop.js';
import type { ManifestTenant } from '../manifest.js';
import { createProgress, type Progress } from '../progress.js';
import { jobOf, type RunPlan } from '../run-plan.js';
import { Scheduler, type ScheduledTenant, type SchedulerOutcome, type TenantResult } from '../scheduler.js';
import { type PreparedRun, stopSimulator } from './run-state.js';

/** What scheduling leaves for the end of the run. */
export interface ScheduledRun {
  outcome: SchedulerOutcome;
  scheduler: Scheduler;
  /** SIGINT or SIGTERM came during the run. */
  interrupted: boolean;
  /** The backend closing: no attempt starts any more, so the pwsh host ends while the output is merged. */
  closing: Promise<unknown>;
}

/** How the run stops on a machine error or a manifest that cannot be saved; `error` is the first. */
interface RunStop {
  error: unknown;
  stopFor(error: unknown): TenantOutcome;
}

/**
 * Runs the pending tenants through the scheduler, recording each result in the manifest, with the
 * progress display and the signals watched; then settles the manifest. A failed sign-in or a stop
 * (disk full …) ends the run with its error once every tenant has settled.
 */
export async function scheduleTenants(run: PreparedRun): Promise<ScheduledRun> {
  const { plan, deps, manifest, writer } = run;
  const toRun: ScheduledTenant[] = manifest.tenants
    .filter((t) => t.state === 'pending')
    .map((t) => ({ tenantId: t.tenantId, domain: t.domain, ...(t.initialDomain ? { initialDomain: t.initialDomain } : {}), account: t.account }));
  const counts = { done: manifest.tenants.filter((t) => t.state === 'succeeded' || t.state === 'noData').length, failed: manifest.tenants.filter((t) => t.state === 'failed').length };
  let scheduler: Scheduler | undefined;
  const progress = createProgress({
    stream: deps.stderr,
    quiet: plan.quiet || plan.json,
    running: () => scheduler?.running() ?? [],
    ...(deps.progressIntervalMs !== undefined ? { intervalMs: deps.progressIntervalMs } : {}),
  });
  const update = () => progress.update({ done: counts.done, failed: counts.failed, remaining: manifest.tenants.length - counts.done - counts.failed });
  // a machine error (disk full …) or a manifest that cannot be saved stops the run: nothing new
  // starts, running attempts are aborted (their tenants stay pending), and once every tenant has
  // settled the run ends with that error
  const stop: RunStop = {
    error: undefined,
    stopFor(error) {
      stop.error ??= error;
      scheduler?.abort();
      return { status: 'failed', rows: 0, category: 'Interrupted', message: `the run stopped: ${(error as Error).message}` };
    },
  };
  const runner = run.backend.createRunner();
  const running = newScheduler(run, runner, stop, (result) => {
    recordResult(writer.tenant(result.tenantId), result);
    if (result.status === 'failed') counts.failed += 1;
    else counts.done += 1;
    writer.saveSoon(stop.stopFor);
    update();
  });
  scheduler = running;
  const signals = watchSignals(deps, running, progress);
  progress.start(manifest.tenants.length);
  update();
  let outcome: SchedulerOutcome;
  try {
    outcome = await running.run(toRun);
  } finally {
    signals.release();
    progress.stop();
    await runner.close();
  }
  const closing = run.backend.close().catch(() => undefined);
  await settleManifest(run, outcome, stop);
  return { outcome, scheduler: running, interrupted: signals.interrupted(), closing };
}

function newScheduler(run: PreparedRun, runner: TenantRunner, stop: RunStop, onResult: (result: TenantResult) => void): Scheduler {
  const { plan, deps, backend, writer, startedAt } = run;
  return new Scheduler({
    runner,
    accounts: backend.lanes,
    laneCap: backend.laneCap,
    policy: { ...defaultRetryPolicy, ...deps.retryPolicy, retries: plan.retries },
    timeoutMs: plan.timeoutMs,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    // attempt times count from the run's start (on the scheduler's clock, whatever deps.now says)
    epochMs: Date.now() - (deps.now().getTime() - startedAt.getTime()),
    makeJob: (tenant, attempt) => jobOf(plan, tenant, attempt, plan.spool.partTempPath(tenant.tenantId, attempt)),
    finalize: (tenant, job, outcome) => commitAttempt(plan, tenant, job, outcome, stop),
    onAttempt: (tenant) => {
      writer.tenant(tenant.tenantId).attempts += 1;
    },
    onResult: async (result) => onResult(result),
  });
}

/** A succeeded attempt's part goes into the spool; a failed one's file goes. */
async function commitAttempt(plan: RunPlan, tenant: ScheduledTenant, job: TenantJob, outcome: TenantOutcome, stop: RunStop): Promise<TenantOutcome> {
  if (outcome.status !== 'succeeded') {
    await fs.rm(job.outPath, { force: true }).catch(() => undefined);
    const diskFull = diskFullInOutcome(outcome, plan.spool.partsDir);
    return diskFull ? stop.stopFor(diskFull) : outcome;
  }
  try {
    const committed = await plan.spool.commitPart(tenant, outcome.partPath ?? job.outPath, outcome.rows);
    return { ...outcome, rows: committed.rows, partPath: committed.part };
  } catch (error) {
    await fs.rm(outcome.partPath ?? job.outPath, { force: true }).catch(() => undefined);
    // the disk, not the tenant's rows: the tenant stays pending
    if (isMachineError(error)) return stop.stopFor(error);
    return { status: 'failed', rows: 0, category: 'InvalidData', message: `the tenant's rows could not be used: ${(error as Error).message}`, cause: error };
  }
}

function recordResult(entry: ManifestTenant, result: TenantResult): void {
  entry.state = result.status === 'interrupted' ? 'pending' : result.status;
  entry.rows = result.rows;
  entry.durationMs = result.durationMs;
  if (result.category) entry.category = result.category;
  else delete entry.category;
  if (result.message) entry.message = result.message;
  else delete entry.message;
  if (result.warning) entry.warning = result.warning;
  else delete entry.warning;
  if (result.status === 'succeeded' && result.partPath) entry.part = result.partPath;
}

/**
 * SIGINT/SIGTERM: stop scheduling, give in-flight tenants a grace period; a second SIGINT forces
 * (the pwsh host is in its own process group: a Ctrl-C at the terminal reaches this process only).
 */
function watchSignals(deps: RuntimeDeps, running: Scheduler, progress: Progress): { interrupted(): boolean; release(): void } {
  let interrupted = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const onSignal = () => {
    if (interrupted) {
      progress.log(tty`dap-report: stopping now; the running tenants are stopped and will run again with --resume`);
      running.abort();
      return;
    }
    interrupted = true;
    running.stop();
    const inFlight = running.inFlight;
    if (inFlight === 0) {
      progress.log(tty`dap-report: stopping; no tenant is running, none is started`);
      return;
    }
    progress.log(
      tty`dap-report: stopping; no tenant is started any more, the ${inFlight} running may finish within ${Math.round(deps.graceMs / 1000)} s (Ctrl-C again to stop them at once)`,
    );
    graceTimer = setTimeout(() => running.abort(), deps.graceMs);
  };
  deps.signals.on('SIGINT', onSignal);
  deps.signals.on('SIGTERM', onSignal);
  return {
    interrupted: () => interrupted,
    release: () => {
      if (graceTimer) clearTimeout(graceTimer);
      deps.signals.off('SIGINT', onSignal);
      deps.signals.off('SIGTERM', onSignal);
    },
  };
}

/** Interrupted tenants are pending again and the manifest saved; then a failed sign-in or a stop ends the run. */
async function settleManifest(run: PreparedRun, outcome: SchedulerOutcome, stop: RunStop): Promise<void> {
  const { plan, writer } = run;
  for (const result of outcome.results) {
    if (result.status === 'interrupted') writer.tenant(result.tenantId).state = 'pending';
  }
  // after a stop, the reserve makes room for the last save; a save that fails still leaves the last complete manifest on disk
  if (stop.error !== undefined) await plan.spool.releaseReserve();
  await (stop.error === undefined ? writer.save() : writer.save().catch(() => undefined));
  await plan.spool.releaseReserve();
  if (outcome.fatal) {
    await stopSimulator(run);
    throw new DapError(
      'AUTHENTICATION_FAILED',
      ExitCode.fatal,
      `sign-in failed for ${outcome.fatal.account} at ${outcome.fatal.domain}: ${outcome.fatal.message ?? 'bad user name or password'}; the run stopped at once (no output written)`,
    );
  }
  if (stop.error !== undefined) throw stop.error;
}
