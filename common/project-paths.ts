import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tools', 'ps-engine'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the DapReporting project root above ${start}`);
    dir = parent;
  }
}

/** The project's root folder, whether running from source or from dist/. */
export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
export const toolsDir = join(projectRoot, '.tools');
export const moduleDir = join(projectRoot, 'module');
