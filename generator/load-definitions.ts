import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Project } from 'ts-morph';
import { globSync } from 'tinyglobby';
import { projectRoot } from '../common/project-paths.js';
import type { DefinitionProblem } from './definition-problem.js';
import { readDefinitionFile } from './read-definition-file.js';
import { sharedTemplates } from './render-template.js';
import type { ReportModel } from './report-model.js';
import { validateDefinition } from './validate-definition.js';

/** Functions every module has; a report must not take their names. */
export const sharedFunctionNames = sharedTemplates;

export const builtinReportsDir = join(projectRoot, 'generator', 'reports');

export interface LoadedDefinitions {
  reports: ReportModel[];
  problems: DefinitionProblem[];
}

/** The built-in catalog: every .ts file directly in generator/reports/, sorted. */
export function builtinDefinitionFiles(): string[] {
  return readdirSync(builtinReportsDir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .sort()
    .map((name) => join(builtinReportsDir, name));
}

/** Expands files and globs (relative to `cwd`) into absolute paths; a pattern matching nothing is a problem. */
export function expandDefinitionPaths(patterns: readonly string[], cwd: string, problems: DefinitionProblem[]): string[] {
  const files: string[] = [];
  for (const pattern of patterns) {
    const absolute = resolve(cwd, pattern);
    // a path that names something is read as given (a folder, a device or a pipe is then refused by name)
    if (existsSync(absolute)) {
      files.push(absolute);
      continue;
    }
    const matches = /[*?[{]/.test(pattern) ? globSync(pattern, { cwd, absolute: true, onlyFiles: true }).filter((f) => f.endsWith('.ts')).sort() : [];
    if (matches.length === 0) problems.push({ file: pattern, line: 1, col: 1, message: 'no definition file matches this path or pattern' });
    files.push(...matches.map((match) => resolve(match)));
  }
  return files;
}

/** How a definition file is named in messages and in generated headers: project-relative when inside. */
export function displayPath(absolutePath: string): string {
  const fromRoot = relative(projectRoot, absolutePath);
  const inside = fromRoot !== '' && !fromRoot.startsWith('..') && !isAbsolute(fromRoot);
  return (inside ? fromRoot : absolutePath).split(sep).join('/');
}

/**
 * Reads definition files statically (never importing them) and validates every definition.
 * Returns the reports in file order and every problem found; reports are only trustworthy when
 * `problems` is empty.
 */
export function loadDefinitions(files: readonly string[]): LoadedDefinitions {
  const problems: DefinitionProblem[] = [];
  const project = new Project({
    // files reach the project only as text read by the bounded reader (read-definition-file.ts): ts-morph itself never opens one
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    compilerOptions: { allowJs: false, noResolve: true },
  });
  const reports: ReportModel[] = [];
  const seenFiles = new Set<string>();
  const names = new Map<string, string>();
  for (const file of files) {
    const absolute = resolve(file);
    if (seenFiles.has(absolute)) continue;
    seenFiles.add(absolute);
    const shown = displayPath(absolute);
    if (!existsSync(absolute)) {
      problems.push({ file: shown, line: 1, col: 1, message: 'definition file not found' });
      continue;
    }
    for (const raw of readDefinitionFile(project, absolute, displayPath, problems)) {
      const report = validateDefinition(raw.value, raw.at, shown, problems);
      if (!report) continue;
      const nameAt = raw.value.kind === 'object' ? raw.value.properties.get('name')?.value.at ?? raw.at : raw.at;
      const previous = names.get(report.name.toLowerCase()) ?? names.get(report.functionName.toLowerCase());
      if (previous) {
        problems.push({ ...nameAt, message: `duplicate report '${report.name}' (function ${report.functionName}); already defined in ${previous}` });
      } else if ((sharedFunctionNames as readonly string[]).some((shared) => shared.toLowerCase() === report.functionName.toLowerCase())) {
        problems.push({ ...nameAt, message: `report '${report.name}' would generate ${report.functionName}, which the module already defines` });
      } else {
        names.set(report.name.toLowerCase(), shown);
        names.set(report.functionName.toLowerCase(), shown);
        reports.push(report);
      }
    }
  }
  return { reports, problems };
}
