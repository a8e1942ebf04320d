import type { AddressInfo } from 'node:net';
import { DapError, ExitCode } from '../../common/dap-error.js';
import { catalogCmdletSpecs } from './built-in-cmdlets.js';
import { createSimServer } from './http-server.js';
import { loadScenario } from '../world/load-scenario.js';
import { standInModuleManifests, standInModulesDir } from '../world/paths.js';
import { sealModulePath } from './sealed-module-path.js';
import { SimState } from './sim-state.js';
import type { RunningSimulator, SimulatorStats, StartSimulatorOptions } from '../simulator-types.js';
import { buildWorld } from '../world/world.js';

/** Starts the simulated partner world on 127.0.0.1 (a free port unless one is given). */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const scenario = loadScenario(options.scenario);
  const world = buildWorld(scenario, catalogCmdletSpecs(options.catalogs ?? []));
  const state = new SimState(world);
  const sim = createSimServer(state);
  await new Promise<void>((resolve, reject) => {
    sim.server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new DapError('SIMULATOR_START_FAILED', ExitCode.fatal, `cannot listen on 127.0.0.1:${options.port ?? 0}: ${error.message}`, { cause: error })),
    );
    sim.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = sim.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  // Expired sessions are also swept on every request; this keeps the counters right when idle.
  const sweepEvery = Math.max(50, Math.min(30_000, (scenario.limits.sessionExpirySeconds * 1000) / 4));
  const sweeper = setInterval(() => state.sweep(), sweepEvery);
  sweeper.unref();

  const first = scenario.accounts[0]!;
  const app = scenario.graph.apps[0]!;
  const sealed = sealModulePath(standInModulesDir, process.env);
  const env: Record<string, string> = {
    DAP_SIM_URL: url,
    ...sealed.env,
    DAP_PASSWORD: first.password,
    DAP_GRAPH_URL: `${url}/graph`,
    DAP_LOGIN_URL: `${url}/login`,
    DAP_EXO_URL: `${url}/exo`,
    DAP_GRAPH_CLIENT_ID: app.clientId,
    DAP_GRAPH_CLIENT_SECRET: app.clientSecret,
    DAP_GRAPH_TENANT_ID: state.graph.graphWorld.partnerTenantId,
  };
  const refreshToken = app.refreshTokens[0];
  if (refreshToken !== undefined) env.DAP_GRAPH_REFRESH_TOKEN = refreshToken;
  let final: SimulatorStats | undefined;
  return {
    url,
    env,
    standInModules: [...standInModuleManifests],
    userName: first.userName,
    stats: () => final ?? state.stats(),
    stop: async () => {
      if (final) return final;
      clearInterval(sweeper);
      sealed.remove();
      state.stop();
      final = state.stats();
      await sim.close();
      return final;
    },
  };
}
