import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../common/project-paths.js';
import { formatProblem } from '../../generator/definition-problem.js';
import { type GeneratedFiles, generateModule } from '../../generator/generate-module.js';
import { loadDefinitions } from '../../generator/load-definitions.js';
import type { PackageFacts } from '../../generator/package-facts.js';

export const fixturesDir = join(projectRoot, 'test', 'fixtures', 'definitions');
export const sampleDefinitions = join(fixturesDir, 'sample-reports.ts');
export const restDefinitions = join(fixturesDir, 'rest-reports.ts');
export const nastyDefinitions = join(fixturesDir, 'injection', 'nasty-report.ts');
export const fiveMistakes = join(fixturesDir, 'invalid', 'five-mistakes.ts');
export const graphMistakes = join(fixturesDir, 'invalid', 'graph-mistakes.ts');

/** Package facts for fixture modules: fixed, so goldens do not follow the project's own. */
export function fixturePackage(version = '1.2.3'): PackageFacts {
  return { version, projectUri: 'https://example.com/dap', licenseUri: 'https://example.com/dap/blob/main/LICENSE', releaseNotes: 'Fixture release notes.\nSecond line.' };
}

/** Generates the module for the given definition files only (no built-ins); fails on any problem. */
export function generateFor(files: string[], version = '1.2.3'): GeneratedFiles {
  const loaded = loadDefinitions(files);
  if (loaded.problems.length > 0) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  return generateModule({ reports: loaded.reports, package: fixturePackage(version) });
}

/** Writes generated files into a new temp folder and returns it. */
export function writeToTemp(files: GeneratedFiles, prefix = 'dap-gen-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [relative, content] of files) {
    mkdirSync(dirname(join(dir, relative)), { recursive: true });
    writeFileSync(join(dir, relative), content);
  }
  return dir;
}
