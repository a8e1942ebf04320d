import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedMarker } from './generated-header.js';
import { type GeneratedFiles, ownedFolders } from './generate-module.js';

export interface WriteResult {
  written: string[];
  unchanged: string[];
  deleted: string[];
}

export interface CheckResult {
  /** Files that would be written but do not exist. */
  missing: string[];
  /** Files whose content differs from what would be generated. */
  stale: string[];
  /** Generated files in the owned folders that would no longer be generated. */
  extra: string[];
}

function isGenerated(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').slice(0, 400).includes(generatedMarker);
  } catch {
    return false;
  }
}

/** Files carrying the generated header in the owned folders; hand-written files there are never touched. */
function generatedFilesOnDisk(outDir: string): string[] {
  const found: string[] = [];
  for (const folder of ownedFolders) {
    const dir = join(outDir, folder);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relative = `${folder}/${entry.name}`;
      if (entry.isFile() && isGenerated(join(outDir, relative))) found.push(relative);
    }
  }
  return found.sort();
}

/** Writes the files that changed and deletes generated files that are no longer generated. */
export function writeGeneratedFiles(outDir: string, files: GeneratedFiles): WriteResult {
  const result: WriteResult = { written: [], unchanged: [], deleted: [] };
  for (const [relative, content] of files) {
    const path = join(outDir, relative);
    if (existsSync(path) && readFileSync(path, 'utf8') === content) {
      result.unchanged.push(relative);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    result.written.push(relative);
  }
  for (const relative of generatedFilesOnDisk(outDir)) {
    if (files.has(relative)) continue;
    rmSync(join(outDir, relative));
    result.deleted.push(relative);
  }
  return result;
}

/** Compares the output folder with what would be generated, without writing anything. */
export function checkGeneratedFiles(outDir: string, files: GeneratedFiles): CheckResult {
  const result: CheckResult = { missing: [], stale: [], extra: [] };
  for (const [relative, content] of files) {
    const path = join(outDir, relative);
    if (!existsSync(path)) result.missing.push(relative);
    else if (readFileSync(path, 'utf8') !== content) result.stale.push(relative);
  }
  result.extra = generatedFilesOnDisk(outDir).filter((relative) => !files.has(relative));
  return result;
}

export function isFresh(check: CheckResult): boolean {
  return check.missing.length === 0 && check.stale.length === 0 && check.extra.length === 0;
}
