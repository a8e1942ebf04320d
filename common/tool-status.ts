import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolsDir } from './project-paths.js';

export interface ToolAttempt {
  via: string;
  version: string;
  command: string;
  ok: boolean;
  error?: string;
}

/** What scripts/setup.mjs installed, from .tools/status.json. */
export interface ToolStatus {
  pwsh?: { ok: boolean; path?: string; version?: string; via?: string; attempts?: ToolAttempt[] };
  pester?: { ok: boolean; version?: string; modulePath?: string; error?: string };
  engine?: { ok: boolean; path?: string; version?: string; error?: string };
}

export function readToolStatus(): ToolStatus {
  try {
    return JSON.parse(readFileSync(join(toolsDir, 'status.json'), 'utf8')) as ToolStatus;
  } catch {
    return {};
  }
}
