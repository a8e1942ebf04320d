import { join } from 'node:path';
import { psLiteral } from '../../common/ps-literal.js';
import { moduleDir, projectRoot } from '../../common/project-paths.js';
import type { Account } from '../runner-types.js';

/** The one-off variables a worker reads its credential from (the secret is removed at once). */
export const workerUserVariable = 'DAP_WORKER_USER';
export const workerSecretVariable = 'DAP_WORKER_SECRET';

export const workerModulePath = join(projectRoot, 'runtime', 'powershell', 'DapWorker.psm1');
export const defaultModuleManifest = join(moduleDir, 'DapReporting', 'DapReporting.psd1');

export interface WorkerContext {
  /** The pwsh executable, from resolvePwsh(). */
  pwshPath: string;
  /** The environment the workers inherit (normally process.env). */
  baseEnv: NodeJS.ProcessEnv;
  /** Added on top: under --simulate, the simulator's env (PSModulePath with the stand-ins, DAP_SIM_URL). */
  extraEnv?: Record<string, string>;
  moduleManifest?: string;
  workerModule?: string;
}

export interface WorkerSpawnSpec {
  executable: string;
  /** The switches node-powershell passes (it adds -NoExit -Command - itself). */
  executableOptions: Record<string, boolean | string>;
  /** Exactly the argv the child gets. */
  args: string[];
  env: Record<string, string>;
}

/** Password variables a child has no business seeing: the worker gets its own one-off variable. */
function isPasswordVariable(name: string): boolean {
  return /^DAP_PASSWORD(_|$)/i.test(name) || name === workerSecretVariable;
}

/**
 * What a worker process is started with. The account's password is only in `env`
 * (DAP_WORKER_SECRET); argv holds fixed switches.
 */
export function workerSpawnSpec(context: WorkerContext, account: Account): WorkerSpawnSpec {
  const env: Record<string, string> = {};
  for (const source of [context.baseEnv, context.extraEnv ?? {}]) {
    for (const [name, value] of Object.entries(source)) {
      if (value !== undefined && !isPasswordVariable(name)) env[name] = value;
    }
  }
  env[workerUserVariable] = account.userName;
  env[workerSecretVariable] = account.password;
  env.POWERSHELL_TELEMETRY_OPTOUT = '1';
  env.POWERSHELL_UPDATECHECK = 'Off';
  env.NO_COLOR = '1';
  // with a terminal type set, pwsh reading commands from stdin writes keypad escape sequences into stdout
  env.TERM = 'dumb';
  const executableOptions = { '-NoLogo': true, '-NoProfile': true, '-NonInteractive': true };
  return {
    executable: context.pwshPath,
    executableOptions,
    args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-NoExit', '-Command', '-'],
    env,
  };
}

/** The first command a worker runs: import the worker module, take the credential, import DapReporting. */
export function bootstrapCommand(context: WorkerContext): string {
  return [
    `$ErrorActionPreference = 'Stop'`,
    `Import-Module -Name ${psLiteral(context.workerModule ?? workerModulePath)} -Force`,
    `Initialize-DapWorker -ModuleManifest ${psLiteral(context.moduleManifest ?? defaultModuleManifest)}`,
  ].join('; ');
}

export function reportJobCommand(jobFile: string): string {
  return `Invoke-DapWorkerJob -JobFile ${psLiteral(jobFile)}`;
}

export function discoveryJobCommand(jobFile: string): string {
  return `Invoke-DapDiscoveryJob -JobFile ${psLiteral(jobFile)}`;
}
