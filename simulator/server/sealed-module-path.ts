import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DapError, ExitCode } from '../../common/dap-error.js';

/**
 * pwsh puts folders of its own in front of whatever PSModulePath says: the user's modules
 * ($XDG_DATA_HOME/powershell/Modules, else ~/.local/share/powershell/Modules), the machine's
 * (/usr/local/share/powershell/Modules) and $PSHOME/Modules. A module named like a stand-in in
 * the first two would be imported instead of it by `Import-Module MSOnline` or by autoloading.
 */
export const machineModulesDir = '/usr/local/share/powershell/Modules';

export function userModulesDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share'), 'powershell', 'Modules');
}

export interface SealedModulePath {
  /** XDG_DATA_HOME (an empty folder of the simulator's own) and PSModulePath for a pwsh child. */
  env: { XDG_DATA_HOME: string; PSModulePath: string };
  /** Removes the private folder. */
  remove(): void;
}

/**
 * The environment that makes the stand-ins win: pwsh's user folder becomes an empty private one,
 * and the user's real module folder moves behind the stand-ins (its other modules stay importable).
 */
export function sealModulePath(standInsDir: string, env: NodeJS.ProcessEnv): SealedModulePath {
  const privateData = mkdtempSync(join(tmpdir(), 'dap-sim-data-'));
  const rest = [env.PSModulePath, userModulesDir(env)].filter((p): p is string => Boolean(p));
  return {
    env: { XDG_DATA_HOME: privateData, PSModulePath: [standInsDir, ...rest].join(delimiter) },
    remove: () => rmSync(privateData, { recursive: true, force: true }),
  };
}

/** A module installed for every user under a stand-in's name would still come first: refuse to run. */
export function refuseShadowingModules(moduleNames: readonly string[], folder = machineModulesDir): void {
  for (const name of moduleNames) {
    const path = join(folder, name);
    if (existsSync(path)) {
      throw new DapError(
        'STAND_IN_SHADOWED',
        ExitCode.usage,
        `a module named ${name} is installed for all users in ${path}: pwsh would import it instead of the simulator's stand-in, so nothing was run. Remove it from that folder to run scripts under the simulator.`,
      );
    }
  }
}
