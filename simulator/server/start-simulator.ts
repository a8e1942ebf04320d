import { DapError, ExitCode } from '../../common/dap-error.js';
import { catalogCmdletSpecs } from './built-in-cmdlets.js';
import { createSimServer } from './http-server.js';
import type { ServiceBases } from '../http/service-hosts.js';
import { tlsIdentity, writeTrustFiles } from './tls-identity.js';
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
  const tls = await tlsIdentity();
  const state = new SimState(world);
  const sim = createSimServer(state, tls);
  let addresses: { url: string; bases: ServiceBases };
  try {
    addresses = await sim.listen(options.port ?? 0);
  } catch (error) {
    await sim.close();
    throw new DapError('SIMULATOR_START_FAILED', ExitCode.fatal, `cannot listen on 127.0.0.1:${options.port ?? 0}: ${(error as Error).message}`, { cause: error });
  }
  const { url, bases } = addresses;
  // Expired sessions are also swept on every request; this keeps the counters right when idle.
  const sweepEvery = Math.max(50, Math.min(30_000, (scenario.limits.sessionExpirySeconds * 1000) / 4));
  const sweeper = setInterval(() => state.sweep(), sweepEvery);
  sweeper.unref();

  const first = scenario.accounts[0]!;
  const app = scenario.graph.apps[0]!;
  const sealed = sealModulePath(standInModulesDir, process.env);
  const trust = writeTrustFiles(tls, process.env);
  const env: Record<string, string> = {
    DAP_SIM_URL: url,
    ...sealed.env,
    ...trust.env,
    DAP_PASSWORD: first.password,
    DAP_GRAPH_URL: bases.graph,
    DAP_LOGIN_URL: bases.login,
    DAP_EXO_URL: bases.exo,
    DAP_GRAPH_CLIENT_ID: app.clientId,
    DAP_GRAPH_CLIENT_SECRET: app.clientSecret,
    DAP_GRAPH_TENANT_ID: state.graph.graphWorld.partnerTenantId,
  };
  const refreshToken = app.refreshTokens[0];
  if (refreshToken !== undefined) env.DAP_GRAPH_REFRESH_TOKEN = refreshToken;
  let final: SimulatorStats | undefined;
  return {
    url,
    urls: bases,
    caPem: tls.caPem,
    caFile: trust.env.DAP_SIM_CA_FILE,
    env,
    standInModules: [...standInModuleManifests],
    userName: first.userName,
    stats: () => final ?? state.stats(),
    stop: async () => {
      if (final) return final;
      clearInterval(sweeper);
      sealed.remove();
      trust.remove();
      state.stop();
      final = state.stats();
      await sim.close();
      return final;
    },
  };
}
