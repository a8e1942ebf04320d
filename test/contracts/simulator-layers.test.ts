// simulator/ is layered by folder (simulator/README.md, "Folders"): world/ at the bottom, http/ above
// it, the service folders above that, and server/ with the top-level files over them all. Imports
// point down only, a service never imports another service, and no two files import each other
// round a circle. This reads every file's relative imports (type-only ones included: a circle of
// types is still a circle) and holds the tree to those rules.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';

const simulatorRoot = join(projectRoot, 'simulator');

/** The folders each holding one service; none imports another. */
const services = new Set(['login', 'graph', 'exo', 'remoting', 'msonline']);
/** Lower number, lower layer: a file imports only from its own folder or from lower layers. */
function rank(layer: string): number {
  if (layer === 'world') return 0;
  if (layer === 'http') return 1;
  if (services.has(layer)) return 2;
  if (layer === 'server' || layer === '.') return 3;
  return Number.NaN;
}

/** The layer of a path relative to simulator/: its first folder, or '.' for a top-level file. */
function layerOf(file: string): string {
  const parts = file.split('/');
  return parts.length === 1 ? '.' : (parts[0] as string);
}

/** The relative specifiers a TypeScript source imports or re-exports, dynamic imports included. */
function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1] as string);
  return found.filter((specifier) => specifier.startsWith('.'));
}

/**
 * Every broken rule in a tree given as path (relative to simulator/, posix) → source: an import
 * the layers forbid, an import of a file that is not there, and each circle of imports.
 */
function layerViolations(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const edges = new Map<string, string[]>();
  for (const [file, source] of files) {
    const targets: string[] = [];
    for (const specifier of importSpecifiers(source)) {
      const target = posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
      // imports leaving simulator/ (common/) are not this test's business
      if (target.startsWith('../')) continue;
      if (!files.has(target)) {
        problems.push(`${file} imports ${specifier}, which is not a file of simulator/`);
        continue;
      }
      targets.push(target);
      const from = layerOf(file);
      const to = layerOf(target);
      if (from === to) continue;
      if (Number.isNaN(rank(from)) || Number.isNaN(rank(to))) problems.push(`${file} imports ${target}: ${Number.isNaN(rank(from)) ? from : to}/ is no layer of simulator/`);
      else if (services.has(from) && services.has(to)) problems.push(`${file} imports ${target}: the ${from} service imports the ${to} service`);
      else if (rank(to) > rank(from)) problems.push(`${file} imports ${target}: ${from === '.' ? 'the top' : `${from}/`} imports upward into ${to === '.' ? 'the top' : `${to}/`}`);
    }
    edges.set(file, targets);
  }
  // depth-first search; a grey node met again closes a circle
  const state = new Map<string, 'grey' | 'black'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'grey');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'grey') problems.push(`import cycle: ${[...stack.slice(stack.indexOf(next)), next].join(' -> ')}`);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'black');
  };
  for (const file of [...files.keys()].sort()) if (!state.has(file)) visit(file);
  return problems;
}

function simulatorSources(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.set(relative(simulatorRoot, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(simulatorRoot);
  return files;
}

describe('simulator layers', () => {
  it('reads imports of every form, type-only and multi-line ones included', () => {
    const source = [
      "import type { A } from './a.js';",
      "import {\n  b,\n  c,\n} from '../world/b.js';",
      "export * from './c.js';",
      "export { d } from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      "import { z } from 'zod';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(['./a.js', '../world/b.js', './c.js', './d.js', './e.js', './f.js']);
  });

  it('finds a world file importing a service, a service importing another, and a circle', () => {
    const tree = new Map([
      ['world/world.ts', "import type { Spec } from '../exo/cmdlets.js';"],
      ['exo/cmdlets.ts', "import { rows } from '../world/rows.js';\nimport { grant } from '../login/grants.js';"],
      ['world/rows.ts', "import type { World } from './world.js';"],
      ['login/grants.ts', ''],
      ['http/json.ts', "import { serve } from '../server/http-server.js';"],
      ['server/http-server.ts', "import { runExoCmdlet } from '../exo/cmdlets.js';"],
    ]);
    expect(layerViolations(tree)).toEqual([
      'world/world.ts imports exo/cmdlets.ts: world/ imports upward into exo/',
      'exo/cmdlets.ts imports login/grants.ts: the exo service imports the login service',
      'http/json.ts imports server/http-server.ts: http/ imports upward into server/',
      'import cycle: exo/cmdlets.ts -> world/rows.ts -> world/world.ts -> exo/cmdlets.ts',
    ]);
  });

  it('accepts a tree whose imports all point down', () => {
    const tree = new Map([
      ['index.ts', "export * from './server/start.js';"],
      ['server/start.ts', "import { routes } from '../exo/routes.js';\nimport { world } from '../world/world.js';"],
      ['exo/routes.ts', "import { send } from '../http/json.js';\nimport type { World } from '../world/world.js';\nimport { common } from '../../common/x.js';"],
      ['http/json.ts', "import type { World } from '../world/world.js';"],
      ['world/world.ts', ''],
    ]);
    expect(layerViolations(tree)).toEqual([]);
  });

  it('holds for simulator/', () => {
    const files = simulatorSources();
    expect(files.size).toBeGreaterThan(30);
    expect(layerViolations(files)).toEqual([]);
  });
});
