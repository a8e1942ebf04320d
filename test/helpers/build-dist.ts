// vitest's global setup: the bins (bin/*.js) run the built dist/, so it is built here once, before
// any test file starts, when a source is newer than it. A test file that built it itself would
// rewrite dist/ while other files run the bins.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { projectRoot } from '../../common/project-paths.js';

const sourceFolders = ['common', 'runtime', 'simulator', 'generator'];
const builtMarker = join(projectRoot, 'dist', 'runtime', 'cli', 'cli.js');

function newestSource(): number {
  let newest = 0;
  for (const folder of sourceFolders) {
    for (const file of readdirSync(join(projectRoot, folder), { recursive: true }).map(String)) {
      if (file.endsWith('.ts') || file.endsWith('.json')) newest = Math.max(newest, statSync(join(projectRoot, folder, file)).mtimeMs);
    }
  }
  return newest;
}

export default async function setup(): Promise<void> {
  let built = 0;
  try {
    built = statSync(builtMarker).mtimeMs;
  } catch {
    built = 0;
  }
  if (built >= newestSource()) return;
  await execa(process.execPath, [join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: projectRoot });
}
