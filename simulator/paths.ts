import { join } from 'node:path';
import { projectRoot } from '../common/project-paths.js';

/** simulator/ in the source tree (the PowerShell stand-ins and scenarios are not compiled). */
export const simulatorDir = join(projectRoot, 'simulator');
export const standInModulesDir = join(simulatorDir, 'powershell');
export const defaultScenarioPath = join(simulatorDir, 'scenarios', 'default.json');
/**
 * The remoting stand-in (Invoke-Command, New-PSSession …). MSOnline imports it globally, so a
 * script that signs in first gets it; a process that only runs Exchange commands (a runtime
 * worker) imports it by this path, given to it as DAP_SIM_REMOTING_MODULE.
 */
export const remotingModuleManifest = join(standInModulesDir, 'DapSim.Remoting', 'DapSim.Remoting.psd1');
