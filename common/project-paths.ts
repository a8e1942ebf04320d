import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function isProjectRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'dap-reporting';
  } catch {
    return false;
  }
}

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (isProjectRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the DapReporting project root above ${start}`);
    dir = parent;
  }
}

/** The project's root folder, whether running from source or from dist/. */
export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
export const toolsDir = join(projectRoot, '.tools');
export const moduleDir = join(projectRoot, 'module');
