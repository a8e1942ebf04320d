import { readCatalog as readCatalogFile, type Catalog } from '../common/catalog.js';
import type { FetchLike } from './auth/token-client.js';
import { defaultExchangeDeps, type ExchangeDeps } from './pwsh-host/exchange-deps.js';
import type { RetryPolicy } from './platform/retry-policy.js';
import { startEmbeddedSimulator, validateScenarioFile } from './simulate.js';
import type { SimulatorStarter } from './simulated-world.js';

export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** Everything the commands touch outside themselves; tests replace parts of it. */
export interface RuntimeDeps {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadStream;
  signals: SignalSource;
  setExitCode(code: number): void;
  /** Reads and checks a catalog file (the built-in one when no path is given). */
  readCatalog(path?: string): Catalog;
  startSimulator: SimulatorStarter;
  /** Checks a scenario file before anything starts (usage error when invalid). */
  validateScenario(path: string): void;
  /** The Exchange backend's own (pwsh, its host); no other backend sees them. */
  exchange: ExchangeDeps;
  /** The HTTP client of the Graph and Exchange REST backends (global fetch when absent). */
  fetch?: FetchLike;
  retryPolicy?: Partial<RetryPolicy>;
  /** Scheduler sleep between retries (tests make it instant). */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  /** How long in-flight tenants may take to finish after SIGINT/SIGTERM. */
  graceMs: number;
  progressIntervalMs?: number;
  now(): Date;
}

/** What every backend gets: the runtime's dependencies without those of one backend. */
export type BackendDeps = Omit<RuntimeDeps, 'exchange'>;

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
