import { readCatalog as readCatalogFile, type Catalog } from '../common/catalog.js';
import { resolvePwsh, type ResolvedPwsh } from '../common/pwsh-path.js';
import type { FetchLike } from './auth/token-client.js';
import type { RetryPolicy } from './retry-policy.js';
import { openExchangeHost, type ExchangeHost, type ExchangeHostSpec } from './pwsh-host/exchange-host.js';
import { startEmbeddedSimulator, validateScenarioFile, type SimulatorStarter } from './simulate.js';

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
  readCatalog(path?: string): Catalog;
  resolvePwsh(flag: string | undefined): ResolvedPwsh;
  startSimulator: SimulatorStarter;
  /** Checks a scenario file before anything starts (usage error when invalid). */
  validateScenario(path: string): void;
  /** The Exchange backend's pwsh host (discovery and tenant attempts); tests replace it. */
  openExchangeHost(spec: ExchangeHostSpec): ExchangeHost;
  promptPassword?(userName: string): Promise<string>;
  /** The HTTP client of the Graph backend (global fetch when absent). */
  fetch?: FetchLike;
  retryPolicy?: Partial<RetryPolicy>;
  /** Scheduler sleep between retries (tests make it instant). */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  /** How long in-flight tenants may take to finish after SIGINT/SIGTERM. */
  graceMs: number;
  progressIntervalMs?: number;
  now(): Date;
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
    resolvePwsh: (flag) => resolvePwsh({ flag }),
    startSimulator: startEmbeddedSimulator,
    validateScenario: validateScenarioFile,
    openExchangeHost,
    graceMs: 30_000,
    now: () => new Date(),
  };
}
