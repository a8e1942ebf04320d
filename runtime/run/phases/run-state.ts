import type { TerminalText } from '../../../common/terminal-text.js';
import type { RunBackend } from '../../backends/contract/run-backend.js';
import type { SimulatedWorld } from '../../backends/contract/simulated-world.js';
import type { RuntimeDeps } from '../../backends/runtime-deps.js';
import type { Manifest, ManifestWriter } from '../manifest.js';
import type { RunLock } from '../run-lock.js';
import type { RunPlan } from '../run-plan.js';

/** What a run knows of how it was started, beyond its plan. */
export interface RunContext {
  /** The arguments after the program name, as given (they never hold secrets; the page redacts them anyway). */
  argv?: readonly string[];
}

/** What the phases of a run hand on: its plan and what it holds so far, released by runReport whatever happens. */
export interface RunState {
  plan: RunPlan;
  deps: RuntimeDeps;
  context: RunContext;
  startedAt: Date;
  /** A line on stderr, unless --quiet. */
  say(line: TerminalText): void;
  lock: RunLock;
  simulator?: SimulatedWorld;
  /** The simulator's counters, once it has stopped. */
  simulatorStats?: unknown;
  backend?: RunBackend;
}

/** A run ready to schedule: its backend open, its tenants in the saved manifest. */
export interface PreparedRun extends RunState {
  backend: RunBackend;
  manifest: Manifest;
  writer: ManifestWriter;
  /** The tenants kept from the saved run (--resume). */
  reused: number;
}

/** Stops the simulator (once), keeping its counters for the summary. */
export async function stopSimulator(state: RunState): Promise<void> {
  if (state.simulator && state.simulatorStats === undefined) state.simulatorStats = await state.simulator.stop();
}
