import { DapError, ExitCode } from '../../common/dap-error.js';
import { loadScenario, startSimulator } from '../../simulator/index.js';
import type { RunningSimulator, SimulatorStats } from '../../simulator/simulator-types.js';
import { checkBaseUrl } from './app/http/graph-urls.js';
import { isSecretVariable } from './exchange/pwsh-host/pwsh-host.js';
import type { SimulatedWorld, SimulationOptions } from './contract/simulated-world.js';

/**
 * The runtime's one door to the simulator: it starts it in this process and describes it as a
 * SimulatedWorld, reading the variables the simulator documents (simulator/simulator-types.ts,
 * RunningSimulator.env) by name here and nowhere else.
 */
export function simulatedWorldOf(simulator: RunningSimulator): SimulatedWorld<SimulatorStats> {
  const variable = (name: string, what: string): string => {
    const value = simulator.env[name];
    if (!value) throw new DapError('SIMULATOR_INCOMPLETE', ExitCode.fatal, `the simulator at ${simulator.url} does not say ${what}: ${name} is not set`);
    return value;
  };
  const base = (name: string, what: string): string => {
    const checked = checkBaseUrl(variable(name, what));
    if ('problem' in checked) throw new DapError('BAD_SIMULATOR_URL', ExitCode.fatal, `the simulator's ${name}: ${checked.problem}`);
    return checked.base;
  };
  const refreshToken = simulator.env.DAP_GRAPH_REFRESH_TOKEN;
  return {
    url: simulator.url,
    caPem: [simulator.caPem],
    exchange: {
      userName: simulator.userName,
      password: variable('DAP_PASSWORD', "its partner account's password"),
      env: Object.fromEntries(Object.entries(simulator.env).filter(([name]) => !isSecretVariable(name))),
      standInModules: simulator.standInModules,
    },
    app: {
      graphUrl: base('DAP_GRAPH_URL', 'where it serves Microsoft Graph'),
      loginUrl: base('DAP_LOGIN_URL', 'where it issues tokens'),
      exchangeUrl: base('DAP_EXO_URL', 'where it serves the Exchange admin API'),
      clientId: variable('DAP_GRAPH_CLIENT_ID', "its partner app's client id"),
      clientSecret: variable('DAP_GRAPH_CLIENT_SECRET', "its partner app's secret"),
      ...(refreshToken ? { refreshToken } : {}),
      partnerTenant: variable('DAP_GRAPH_TENANT_ID', "the partner's tenant"),
    },
    stats: () => simulator.stats(),
    stop: () => simulator.stop(),
  };
}

/** Starts the simulator in this process (a loopback port of its own) and describes it. */
export async function startEmbeddedSimulator(options: SimulationOptions): Promise<SimulatedWorld<SimulatorStats>> {
  const simulator = await startSimulator({
    ...(options.scenario ? { scenario: options.scenario } : {}),
    ...(options.catalogs ? { catalogs: options.catalogs } : {}),
  });
  try {
    return simulatedWorldOf(simulator);
  } catch (error) {
    await simulator.stop();
    throw error;
  }
}

/** Checks a scenario file against the simulator's schema (DapError SCENARIO_INVALID, exit 2). */
export function validateScenarioFile(path: string): void {
  loadScenario(path);
}
