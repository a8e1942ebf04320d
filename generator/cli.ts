import { resolve } from 'node:path';
import { Command } from 'commander';
import { DapError, ExitCode, isDapError } from '../common/dap-error.js';
import { moduleDir } from '../common/project-paths.js';
import { type DefinitionProblem, definitionError } from './definition-problem.js';
import { generateModule } from './generate-module.js';
import { readPackageFacts } from './package-facts.js';
import { builtinDefinitionFiles, expandDefinitionPaths, loadDefinitions } from './load-definitions.js';
import { packageVersion } from '../common/package-version.js';
import { checkGeneratedFiles, isFresh, writeGeneratedFiles } from './write-module.js';

export interface GenOptions {
  reports?: string[];
  out?: string;
  check?: boolean;
}

export interface GenIo {
  cwd: string;
  stdout: (text: string) => void;
}

/** Runs dap-gen; throws DapError for definition problems (exit 2) and a stale module under --check (exit 1). */
export function runGenerator(options: GenOptions, io: GenIo): void {
  const problems: DefinitionProblem[] = [];
  const extra = expandDefinitionPaths(options.reports ?? [], io.cwd, problems);
  const loaded = loadDefinitions([...builtinDefinitionFiles(), ...extra]);
  problems.push(...loaded.problems);
  if (problems.length > 0) throw definitionError(problems);
  const outDir = options.out ? resolve(io.cwd, options.out) : moduleDir;
  const files = generateModule({ reports: loaded.reports, package: readPackageFacts() });
  if (options.check) {
    const check = checkGeneratedFiles(outDir, files);
    if (!isFresh(check)) {
      const lines = [
        ...check.stale.map((f) => `stale:   ${f}`),
        ...check.missing.map((f) => `missing: ${f}`),
        ...check.extra.map((f) => `extra:   ${f}`),
      ];
      throw new DapError('MODULE_STALE', ExitCode.partial, `${outDir} is not what dap-gen generates:\n${lines.join('\n')}\nRegenerate with: npx dap-gen`);
    }
    io.stdout(`${outDir} is up to date (${files.size} files, ${loaded.reports.length} reports)\n`);
    return;
  }
  const result = writeGeneratedFiles(outDir, files);
  io.stdout(
    `dap-gen: ${loaded.reports.length} reports -> ${outDir}: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.deleted.length} deleted\n`,
  );
  for (const deleted of result.deleted) io.stdout(`deleted ${deleted}\n`);
}

export function createProgram(): Command {
  const program = new Command('dap-gen');
  program
    .version(packageVersion())
    .description('Generates the DapReporting PowerShell module and standalone scripts from typed TypeScript report definitions.')
    .option('--reports <file|glob...>', 'extra definition files (or globs) besides the built-in generator/reports/*.ts')
    .option('--out <dir>', 'the output folder', 'module/ of the project')
    .option('--check', 'write nothing; exit 1 and list the files that differ when the output folder is not what would be generated')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  npx dap-gen                                   regenerate module/ from generator/reports/*.ts',
        "  npx dap-gen --reports 'reports/*.ts'          also generate the definitions in reports/",
        '  npx dap-gen --reports my-report.ts --out /tmp/module',
        '  npx dap-gen --check                           exit 1 when module/ is stale (for CI)',
        '',
        'Exit codes: 0 done, 1 --check found differences, 2 invalid definitions (every problem is printed as path:line:col: message).',
      ].join('\n'),
    )
    .action((options: { reports?: string[]; out: string; check?: boolean }) => {
      try {
        runGenerator(
          { ...(options.reports ? { reports: options.reports } : {}), ...(options.out === 'module/ of the project' ? {} : { out: options.out }), check: options.check === true },
          { cwd: process.cwd(), stdout: (text) => process.stdout.write(text) },
        );
      } catch (error) {
        if (!isDapError(error)) throw error;
        program.error(error.message, { exitCode: error.exitCode, code: error.code });
      }
    });
  return program;
}
