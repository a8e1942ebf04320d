import { join } from 'node:path';
import { projectRoot } from '../common/project-paths.js';

/** simulator/ in the source tree (the PowerShell stand-ins and scenarios are not compiled). */
export const simulatorDir = join(projectRoot, 'simulator');
export const standInModulesDir = join(simulatorDir, 'powershell');
export const defaultScenarioPath = join(simulatorDir, 'scenarios', 'default.json');
