import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DapError, ExitCode } from './dap-error.js';
import { toolsDir } from './project-paths.js';

export interface PwshLookup {
  /** The `--pwsh` flag's value, if given. */
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** The project's .tools folder; tests point it elsewhere. */
  toolsDir?: string;
}

export interface ResolvedPwsh {
  path: string;
  source: '--pwsh' | 'DAP_PWSH' | '.tools/pwsh' | 'PATH';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * The one place that decides which pwsh runs: `--pwsh`, then `DAP_PWSH`, then the project's own
 * `.tools/pwsh/pwsh`, then `pwsh` on PATH. An explicit choice that does not exist is an error
 * rather than a silent fall-through.
 */
export function resolvePwsh(lookup: PwshLookup = {}): ResolvedPwsh {
  const env = lookup.env ?? process.env;
  const explicit: Array<[ResolvedPwsh['source'], string | undefined]> = [
    ['--pwsh', lookup.flag],
    ['DAP_PWSH', env.DAP_PWSH],
  ];
  for (const [source, value] of explicit) {
    if (!value) continue;
    if (isExecutable(value)) return { path: value, source };
    throw new DapError('PWSH_NOT_FOUND', ExitCode.usage, `${source} names '${value}', which is not an executable file`);
  }
  const bundled = join(lookup.toolsDir ?? toolsDir, 'pwsh', 'pwsh');
  if (isExecutable(bundled)) return { path: bundled, source: '.tools/pwsh' };
  const fromPath = onPath('pwsh', env);
  if (fromPath) return { path: fromPath, source: 'PATH' };
  throw new DapError(
    'PWSH_NOT_FOUND',
    ExitCode.fatal,
    'PowerShell 7 (pwsh) was not found. Looked for: the --pwsh flag, the DAP_PWSH environment variable, ' +
      `${bundled} (installed by 'npm run setup'), and 'pwsh' on PATH.`,
  );
}

/** Like resolvePwsh, but undefined instead of an error when there is no pwsh at all. */
export function findPwsh(lookup: PwshLookup = {}): ResolvedPwsh | undefined {
  try {
    return resolvePwsh(lookup);
  } catch (error) {
    if (error instanceof DapError && error.exitCode === ExitCode.fatal) return undefined;
    throw error;
  }
}
