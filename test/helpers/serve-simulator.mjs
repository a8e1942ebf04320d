// Starts the simulator for a test written in another language (Pester): prints its environment
// (RunningSimulator.env: DAP_SIM_URL, DAP_LOGIN_URL, DAP_GRAPH_URL, DAP_EXO_URL, the app's id and
// secret, the partner tenant id) as one JSON line on stdout, then stops it when stdin closes, so
// the simulator ends with the test process that started it. Needs the build (dist/).
// Usage: node test/helpers/serve-simulator.mjs [scenario.json]
import { startSimulator } from '../../dist/simulator/index.js';

const scenario = process.argv[2];
const sim = await startSimulator(scenario ? { scenario } : {});
process.stdout.write(`${JSON.stringify(sim.env)}\n`);
const stop = async () => {
  await sim.stop();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
