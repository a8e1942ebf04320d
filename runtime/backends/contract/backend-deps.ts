import type { Catalog } from '../../../common/catalog.js';
import type { FetchLike } from '../../platform/http/fetch-like.js';
import type { RetryPolicy } from '../../platform/retry-policy.js';
import type { SimulatorStarter } from './simulated-world.js';

export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** What every backend gets: the runtime's dependencies without those of one backend (RuntimeDeps adds them). */
export interface BackendDeps {
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
