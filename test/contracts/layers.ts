/**
 * The layer rule of runtime/ (runtime/README.md), as a checker of import lists: cli -> run ->
 * backends -> platform, anything -> common/. Inside backends/, a backend's folder imports no other
 * backend but the shared app/ and the contract/; contract/ imports no backend; backends/ itself
 * (the one place that names every backend) may import them all. No two folders import each other,
 * even by way of others.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import ts from 'typescript';

/** One runtime file (its path under runtime/, with '/') and its import specifiers as written. */
export interface SourceImports {
  file: string;
  imports: string[];
}

/** Lowest first: a layer imports only its own and those before it. */
export const layers = ['platform', 'backends', 'run', 'cli'] as const;

/** The folders of backends/ every backend may import. */
const sharedBackendFolders = new Set(['app', 'contract']);

/** The one runtime file that may import the simulator's code. */
const simulatorImporter = 'backends/simulate.ts';

function layerOf(file: string): number {
  return layers.indexOf(file.split('/')[0] as (typeof layers)[number]);
}

/** The backend folder a file of backends/ belongs to ('' for backends/ itself). */
function backendUnit(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1]! : '';
}

function backendRule(from: string, to: string): string | undefined {
  const [source, target] = [backendUnit(from), backendUnit(to)];
  if (source === target || source === '') return undefined;
  if (target === '') return `backends/${source}/ imports backends/ itself (which names every backend)`;
  if (source === 'contract') return 'the backend contract imports no backend';
  if (sharedBackendFolders.has(target)) return undefined;
  return `a backend imports another backend (backends/${source}/ -> backends/${target}/)`;
}

/** Every broken rule, each naming the file and the import; empty when the tree keeps the rule. */
export function layerViolations(sources: readonly SourceImports[]): string[] {
  const problems: string[] = [];
  const edges = new Map<string, Map<string, string>>();
  for (const { file, imports } of sources) {
    const layer = layerOf(file);
    if (layer < 0) problems.push(`${file} is in no layer: runtime/ holds ${layers.join(', ')} and nothing beside them`);
    for (const spec of imports) {
      if (!spec.startsWith('.')) continue;
      const to = posix.normalize(posix.join(posix.dirname(file), spec));
      const where = `${file} imports '${spec}'`;
      if (to.startsWith('../')) {
        const outside = to.slice(3).split('/')[0];
        if (outside === 'common') continue;
        if (outside === 'simulator' && file === simulatorImporter) continue;
        problems.push(`${where}: runtime/ imports only common/ from outside (the simulator only through ${simulatorImporter})`);
        continue;
      }
      const target = layerOf(to);
      if (target > layer) problems.push(`${where}: an upward import (${layers[layer] ?? 'no layer'} -> ${layers[target]})`);
      else if (layer === target && layers[layer] === 'backends') {
        const why = backendRule(file, to);
        if (why) problems.push(`${where}: ${why}`);
      }
      const [fromDir, toDir] = [posix.dirname(file), posix.dirname(to)];
      if (fromDir !== toDir) {
        const out = edges.get(fromDir) ?? new Map<string, string>();
        if (!out.has(toDir)) out.set(toDir, where);
        edges.set(fromDir, out);
      }
    }
  }
  return [...problems, ...folderCycles(edges)];
}

/** One message per group of folders that import each other (Tarjan's strongly connected components). */
function folderCycles(edges: Map<string, Map<string, string>>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return groups.map((group) => {
    const inside = new Set(group);
    const links = group.flatMap((from) => [...(edges.get(from) ?? [])].filter(([to]) => inside.has(to)).map(([, where]) => where));
    return `an import cycle between the folders ${group.join(', ')}: ${links.join('; ')}`;
  });
}

/** The imports of every .ts file under a folder, as the checker takes them. */
export function readImports(root: string): SourceImports[] {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split('\\').join('/'))
    .filter((f) => f.endsWith('.ts'))
    .sort();
  return files.map((file) => ({
    file,
    imports: ts.preProcessFile(readFileSync(posix.join(root, file), 'utf8'), true, true).importedFiles.map((i) => i.fileName),
  }));
}
