import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { readToolStatus } from '../../common/tool-status.js';
import { findPwsh } from '../../common/pwsh-path.js';

const status = readToolStatus();

/** The full pwsh, when setup could install it. */
export const pwsh = findPwsh();

/**
 * A PowerShell 7 engine that can at least parse and run the core language: the full pwsh when
 * there is one, else the engine host built from System.Management.Automation (no Utility module).
 */
export const engine: string | undefined = pwsh?.path ?? (status.engine?.ok ? status.engine.path : undefined);
export const engineIsFullPwsh = pwsh !== undefined;

export interface PsResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a script file with the engine; arguments are passed as arguments, never spliced into text. */
export async function runEngineFile(file: string, args: string[] = [], env: Record<string, string> = {}): Promise<PsResult> {
  if (!engine) throw new Error('no PowerShell engine: run npm run setup');
  const result = await execa(engine, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file, ...args], {
    reject: false,
    env,
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

/**
 * Runs script text (written by the test itself, never data) with the engine, from a temporary
 * .ps1 file: pwsh's `-Command -` runs stdin line by line, as if typed, which splits multi-line
 * statements.
 */
export async function runEngineScript(script: string, env: Record<string, string> = {}): Promise<PsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dap-engine-script-'));
  const file = join(dir, 'script.ps1');
  writeFileSync(file, script);
  try {
    return await runEngineFile(file, [], env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
