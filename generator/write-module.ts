import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative as relativePath, sep } from 'node:path';
import { checkOwnFolder, writeFileAtomicSync } from '../common/output-path.js';
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

/** A file's text when it is a regular file (never a FIFO or a device, whose read could block or never end), else undefined. */
function regularFileText(path: string): string | undefined {
  return lstatSync(path, { throwIfNoEntry: false })?.isFile() ? readFileSync(path, 'utf8') : undefined;
}

function isGenerated(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').slice(0, 400).includes(generatedMarker);
  } catch {
    return false;
  }
}

/**
 * Files carrying the generated header in the owned folders (relative to outDir; '' is outDir
 * itself); hand-written files there are never touched.
 */
function generatedFilesOnDisk(outDir: string, owned: readonly string[]): string[] {
  const found: string[] = [];
  for (const folder of owned) {
    const dir = join(outDir, folder);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relative = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isFile() && isGenerated(join(outDir, relative))) found.push(relative);
    }
  }
  return found.sort();
}

/**
 * Writes the files that changed and deletes generated files of the owned folders that are no
 * longer generated (by default the module's; the standalone scripts are written with their own).
 */
export function writeGeneratedFiles(outDir: string, files: GeneratedFiles, owned: readonly string[] = ownedFolders): WriteResult {
  const result: WriteResult = { written: [], unchanged: [], deleted: [] };
  mkdirSync(outDir, { recursive: true });
  for (const [relative, content] of files) {
    const path = join(outDir, relative);
    if (regularFileText(path) === content) {
      result.unchanged.push(relative);
      continue;
    }
    // every folder below outDir is the module's own: a link there is refused, never written through
    let folder = outDir;
    for (const part of relativePath(outDir, dirname(path)).split(sep).filter(Boolean)) {
      folder = join(folder, part);
      checkOwnFolder(folder, 'the module folder');
      mkdirSync(folder, { recursive: true });
    }
    writeFileAtomicSync(path, content, { option: 'a file of the module' });
    result.written.push(relative);
  }
  for (const relative of generatedFilesOnDisk(outDir, owned)) {
    if (files.has(relative)) continue;
    rmSync(join(outDir, relative));
    result.deleted.push(relative);
  }
  return result;
}

/** Compares the module in the output folder with what would be generated, without writing anything. */
export function checkGeneratedFiles(outDir: string, files: GeneratedFiles): CheckResult {
  const result: CheckResult = { missing: [], stale: [], extra: [] };
  for (const [relative, content] of files) {
    const path = join(outDir, relative);
    if (!lstatSync(path, { throwIfNoEntry: false })) result.missing.push(relative);
    else if (regularFileText(path) !== content) result.stale.push(relative);
  }
  result.extra = generatedFilesOnDisk(outDir, ownedFolders).filter((relative) => !files.has(relative));
  return result;
}

export function isFresh(check: CheckResult): boolean {
  return check.missing.length === 0 && check.stale.length === 0 && check.extra.length === 0;
}
