import { readCatalog as readCatalogFile } from '../../common/catalog.js';
import type { BackendDeps, SignalSource } from './contract/backend-deps.js';
import { defaultExchangeDeps, type ExchangeDeps } from './exchange/pwsh-host/exchange-deps.js';
import { startEmbeddedSimulator, validateScenarioFile } from './simulate.js';

export type { BackendDeps, SignalSource };

/** Everything the commands touch outside themselves; tests replace parts of it. */
export interface RuntimeDeps extends BackendDeps {
  /** The Exchange backend's own (pwsh, its host); no other backend sees them. */
  exchange: ExchangeDeps;
}

export function defaultDeps(): RuntimeDeps {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    signals: process,
    setExitCode: (code) => {
      process.exitCode = code;
    },
    readCatalog: (path) => readCatalogFile(path),
    startSimulator: startEmbeddedSimulator,
    validateScenario: validateScenarioFile,
    exchange: defaultExchangeDeps(),
    graceMs: 30_000,
    now: () => new Date(),
  };
}
