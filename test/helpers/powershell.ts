import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { resolvePwsh } from '../../common/pwsh-path.js';

/**
 * The pwsh the project runs (setup installs it); a missing pwsh fails the tests, it never skips them.
 * The fast lane starts no pwsh: a file there that imports this fails on import (vitest.config.ts).
 */
export const pwsh = projectPwsh();

function projectPwsh() {
  if (process.env.DAP_TEST_LANE === 'fast') {
    throw new Error('the fast lane starts no pwsh: a file that does is named *-pwsh.test.ts or *-e2e.test.ts (test/README.md)');
  }
  return resolvePwsh();
}

export interface PsResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a script file with pwsh; arguments are passed as arguments, never spliced into text. */
export async function runPwshFile(file: string, args: string[] = [], env: Record<string, string> = {}): Promise<PsResult> {
  const result = await execa(pwsh.path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file, ...args], {
    reject: false,
    env,
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

/**
 * Runs script text (written by the test itself, never data) with pwsh, from a temporary .ps1
 * file: pwsh's `-Command -` runs stdin line by line, as if typed, which splits multi-line
 * statements.
 */
export async function runPwshScript(script: string, env: Record<string, string> = {}): Promise<PsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dap-pwsh-script-'));
  const file = join(dir, 'script.ps1');
  writeFileSync(file, script);
  try {
    return await runPwshFile(file, [], env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
