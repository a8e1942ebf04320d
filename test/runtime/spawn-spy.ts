/**
 * Records every child process started through node:child_process while installed (its argv), so
 * a test can assert what was spawned, or that nothing was.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const childProcess = require('node:child_process') as Record<string, unknown>;
const names = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

export interface SpawnSpy {
  calls: Array<{ fn: string; args: string[] }>;
  restore(): void;
}

export function spawnSpy(): SpawnSpy {
  const originals = new Map<string, unknown>();
  const spy: SpawnSpy = {
    calls: [],
    restore() {
      for (const [name, fn] of originals) childProcess[name] = fn;
      syncBuiltinESMExports();
    },
  };
  for (const name of names) {
    const original = childProcess[name] as (...args: unknown[]) => unknown;
    originals.set(name, original);
    childProcess[name] = function (this: unknown, ...args: unknown[]) {
      const argv = [String(args[0]), ...(Array.isArray(args[1]) ? (args[1] as unknown[]).map(String) : [])];
      spy.calls.push({ fn: name, args: argv });
      return original.apply(this, args);
    };
  }
  syncBuiltinESMExports();
  return spy;
}

export function spawnLog(spy: SpawnSpy): string[] {
  return spy.calls.map((c) => `${c.fn} ${c.args.join(' ')}`);
}
