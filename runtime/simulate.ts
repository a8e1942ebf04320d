import { loadScenario, startSimulator } from '../simulator/index.js';
import type { RunningSimulator, StartSimulatorOptions } from '../simulator/simulator-types.js';

export type SimulatorStarter = (options: StartSimulatorOptions) => Promise<RunningSimulator>;

/** Starts the simulator in this process: the only place the runtime touches the simulator's code. */
export const startEmbeddedSimulator: SimulatorStarter = (options) => startSimulator(options);

/** Checks a scenario file against the simulator's schema (DapError SCENARIO_INVALID, exit 2). */
export function validateScenarioFile(path: string): void {
  loadScenario(path);
}
