import { promises as fs } from 'node:fs';
import { writeTerminal } from '../../../common/terminal-text.js';
import { prepareBackend } from '../../backends/backends.js';
import type { RuntimeDeps } from '../../backends/runtime-deps.js';
import { asMachineStop } from '../machine-stop.js';
import { RunLock } from '../run-lock.js';
import { backendPlanOf, type RunPlan } from '../run-plan.js';
import { stdoutOutput } from '../summary.js';
import { finishRun, type RunResult } from './finish.js';
import { prepareRun } from './prepare.js';
import { type RunContext, type RunState, stopSimulator } from './run-state.js';
import { scheduleTenants } from './schedule.js';

export type { RunContext, RunResult };

/**
 * One `dap-report run`, in its phases: prepare (simulator, backend, discovery, manifest), schedule
 * (the tenants through the backend's runner), finish (merge, errors file, summary, page, clean-up).
 * Throws a DapError for usage (2) and fatal (3) problems; answers the exit code otherwise.
 */
export async function runReport(plan: RunPlan, deps: RuntimeDeps, context: RunContext = {}): Promise<RunResult> {
  const startedAt = deps.now();
  // input problems of the backend (e.g. no pwsh) come before anything starts
  const starter = prepareBackend(backendPlanOf(plan, { stateDir: plan.spool.dir }), deps);
  // one run of an output at a time: the lock comes before anything in the run folder is read or changed
  const lock = await RunLock.acquire(plan.spool.dir, { output: plan.stdout ? stdoutOutput : plan.out, now: startedAt });
  const say: RunState['say'] = (line) => {
    if (!plan.quiet) writeTerminal(deps.stderr, line);
  };
  const state: RunState = { plan, deps, context, startedAt, say, lock };
  try {
    const prepared = await prepareRun(state, starter);
    return await finishRun(prepared, await scheduleTenants(prepared));
  } catch (error) {
    throw asMachineStop(error, plan.spool.dir, !plan.stdout && plan.spool.exists());
  } finally {
    await state.backend?.close().catch(() => undefined);
    await stopSimulator(state).catch(() => undefined);
    await lock.release().catch(() => undefined);
    // a run to stdout keeps nothing to resume, whatever happened
    if (plan.stdout) await fs.rm(plan.spool.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
