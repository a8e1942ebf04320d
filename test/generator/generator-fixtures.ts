import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { moduleDir, projectRoot } from '../../common/project-paths.js';
import { formatProblem } from '../../generator/definition-problem.js';
import { type GeneratedFiles, generateModule, generateScriptOwnParts, generateScripts, scriptsFolder } from '../../generator/generate-module.js';
import { builtinDefinitionFiles, loadDefinitions } from '../../generator/load-definitions.js';
import type { PackageFacts } from '../../generator/package-facts.js';

export const fixturesDir = join(projectRoot, 'test', 'fixtures', 'definitions');
export const sampleDefinitions = join(fixturesDir, 'sample-reports.ts');
export const restDefinitions = join(fixturesDir, 'rest-reports.ts');
export const nastyDefinitions = join(fixturesDir, 'injection', 'nasty-report.ts');
export const fiveMistakes = join(fixturesDir, 'invalid', 'five-mistakes.ts');
export const graphMistakes = join(fixturesDir, 'invalid', 'graph-mistakes.ts');
export const graphQueryMistakes = join(fixturesDir, 'invalid', 'graph-query-mistakes.ts');

/** Package facts for fixture modules: fixed, so goldens do not follow the project's own. */
export function fixturePackage(version = '1.2.3'): PackageFacts {
  return { version, projectUri: 'https://example.com/dap', licenseUri: 'https://example.com/dap/blob/main/LICENSE', releaseNotes: 'Fixture release notes.\nSecond line.' };
}

function loadFixtures(files: string[]) {
  const loaded = loadDefinitions(files);
  if (loaded.problems.length > 0) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  return loaded.reports;
}

/**
 * Generates the module for the given definition files only (no built-ins), with the standalone
 * scripts built beside it in scripts/, as dap-gen writes an output folder; fails on any problem.
 */
export function generateFor(files: string[], version = '1.2.3'): GeneratedFiles {
  const reports = loadFixtures(files);
  const scripts = [...generateScripts(reports)].map(([name, text]) => [`${scriptsFolder}/${name}`, text] as const);
  return new Map([...generateModule({ reports, package: fixturePackage(version) }), ...scripts]);
}

/** Each standalone script's own part (scripts/<Name>.ps1), for the given definition files only. */
export function scriptOwnPartsFor(files: string[]): GeneratedFiles {
  return new Map([...generateScriptOwnParts(loadFixtures(files))].map(([name, text]) => [`${scriptsFolder}/${name}`, text]));
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

/**
 * A copy of the committed module/ with the built-in reports' standalone scripts built beside it in
 * scripts/, as a plain `npx dap-gen` leaves module/ (the scripts are not committed).
 */
export function committedModuleWithScripts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dap-gen-module-'));
  cpSync(join(moduleDir, 'DapReporting'), join(dir, 'DapReporting'), { recursive: true });
  mkdirSync(join(dir, scriptsFolder));
  for (const [name, text] of generateScripts(loadFixtures(builtinDefinitionFiles()))) writeFileSync(join(dir, scriptsFolder, name), text);
  return dir;
}
