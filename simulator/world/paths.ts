import { join } from 'node:path';
import { projectRoot } from '../../common/project-paths.js';

/** simulator/ in the source tree (the PowerShell stand-ins and scenarios are not compiled). */
export const simulatorDir = join(projectRoot, 'simulator');
export const standInModulesDir = join(simulatorDir, 'powershell');
export const defaultScenarioPath = join(simulatorDir, 'scenarios', 'default.json');
/**
 * The stand-ins by path: MSOnline (which imports the remoting stand-in globally, so a script that
 * signs in first gets Invoke-Command, New-PSSession … too) and the remoting stand-in itself, for a
 * process that runs Exchange commands without signing in first.
 */
export const standInModuleManifests = [
  join(standInModulesDir, 'MSOnline', 'MSOnline.psd1'),
  join(standInModulesDir, 'DapSim.Remoting', 'DapSim.Remoting.psd1'),
];
