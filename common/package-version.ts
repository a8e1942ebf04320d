import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './project-paths.js';

/** The project's version, from package.json (the one place it is written): what every tool's --version prints. */
export function packageVersion(root = projectRoot): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
