import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Command } from 'commander';
import { DapError, ExitCode, isDapError } from '../common/dap-error.js';
import { moduleDir } from '../common/project-paths.js';
import { type DefinitionProblem, definitionError, LinesError } from './definition-problem.js';
import { generateModule, generateScripts, scriptsFolder } from './generate-module.js';
import { readPackageFacts } from './package-facts.js';
import { builtinDefinitionFiles, expandDefinitionPaths, loadDefinitions } from './load-definitions.js';
import { packageVersion } from '../common/package-version.js';
import { commandOutput, joinTerminal, type TerminalText, tty, writeText } from '../common/terminal-text.js';
import { checkGeneratedFiles, isFresh, type WriteResult, writeGeneratedFiles } from './write-module.js';

/**
 * Where `dap-gen --reports <mine.ts>` writes when no --out is given: a folder of the user's own,
 * relative to the current folder. The committed module/ holds the built-in reports only, so a
 * plain `npx dap-gen` never rewrites or deletes what a user generated.
 */
export const userModuleFolder = 'dap-module';

export interface GenOptions {
  reports?: string[];
  out?: string;
  /** Write the standalone scripts only, into this folder. */
  scripts?: string;
  check?: boolean;
}

export interface GenIo {
  cwd: string;
  /** Text for the terminal (its data escaped), with its own line breaks. */
  stdout: (text: TerminalText) => void;
}

/** Runs dap-gen; throws DapError for definition problems (exit 2) and a stale module under --check (exit 1). */
export function runGenerator(options: GenOptions, io: GenIo): void {
  if (options.scripts !== undefined && (options.check || options.out !== undefined)) {
    throw new DapError(
      'SCRIPTS_WITH_MODULE_OPTION',
      ExitCode.usage,
      `--scripts writes the standalone scripts only and cannot be combined with ${options.check ? '--check (the scripts are built, not committed: --check compares the module)' : '--out (the module folder)'}`,
    );
  }
  const problems: DefinitionProblem[] = [];
  const extra = expandDefinitionPaths(options.reports ?? [], io.cwd, problems);
  const loaded = loadDefinitions([...builtinDefinitionFiles(), ...extra]);
  problems.push(...loaded.problems);
  if (problems.length > 0) throw definitionError(problems);
  if (options.scripts !== undefined) {
    const scriptsDir = resolve(io.cwd, options.scripts);
    const scripts = generateScripts(loaded.reports);
    const result = writeGeneratedFiles(scriptsDir, scripts, ['']);
    io.stdout(tty`dap-gen: ${scripts.size} standalone scripts -> ${scriptsDir}: ${writeSummary(result)}\n`);
    for (const deleted of result.deleted) io.stdout(tty`deleted ${deleted}\n`);
    return;
  }
  const outDir = outputFolder(options, extra.length > 0, io.cwd);
  const files = generateModule({ reports: loaded.reports, package: readPackageFacts() });
  if (options.check) {
    const check = checkGeneratedFiles(outDir, files);
    if (!isFresh(check)) {
      const lines = [
        tty`${outDir} is not what dap-gen generates:`,
        ...check.stale.map((f) => tty`stale:   ${f}`),
        ...check.missing.map((f) => tty`missing: ${f}`),
        ...check.extra.map((f) => tty`extra:   ${f}`),
        tty`Regenerate with: ${regenerateCommand(options)}`,
      ];
      throw new LinesError('MODULE_STALE', ExitCode.partial, joinTerminal(lines, '\n'));
    }
    io.stdout(tty`${outDir} is up to date (${files.size} files, ${loaded.reports.length} reports)\n`);
    return;
  }
  // The module, then its standalone scripts beside it, where the catalog's script paths point;
  // in the project's module/ the scripts folder is build output (.gitignore).
  const result = writeGeneratedFiles(outDir, files);
  const scripts = new Map([...generateScripts(loaded.reports)].map(([name, text]) => [`${scriptsFolder}/${name}`, text]));
  const scriptsResult = writeGeneratedFiles(outDir, scripts, [scriptsFolder]);
  io.stdout(tty`dap-gen: ${loaded.reports.length} reports -> ${outDir}: ${writeSummary(result)}; ${scripts.size} standalone scripts: ${writeSummary(scriptsResult)}\n`);
  for (const deleted of [...result.deleted, ...scriptsResult.deleted]) io.stdout(tty`deleted ${deleted}\n`);
  if (extra.length > 0) io.stdout(userModuleHint(outDir, io.cwd));
}

function writeSummary(result: WriteResult): string {
  return `${result.written.length} written, ${result.unchanged.length} unchanged, ${result.deleted.length} deleted`;
}

/**
 * The output folder: --out, else module/ for the built-ins alone, else ./dap-module. The built-in
 * module/ never receives a user's reports (exit 2).
 */
function outputFolder(options: GenOptions, withUserReports: boolean, cwd: string): string {
  const outDir = resolve(cwd, options.out ?? (withUserReports ? userModuleFolder : moduleDir));
  if (withUserReports && samePath(outDir, moduleDir)) {
    throw new DapError(
      'OUT_IS_BUILTIN_MODULE',
      ExitCode.usage,
      `${moduleDir} holds the built-in reports only and is regenerated by a plain 'npx dap-gen'; write your own reports to another folder (--out <dir>; without --out they go to ./${userModuleFolder})`,
    );
  }
  return outDir;
}

/** The command that writes what `options` checks: the same one without --check. */
function regenerateCommand(options: GenOptions): string {
  const quote = (text: string) => (/^[\w./:@=+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);
  const parts = ['npx dap-gen', ...(options.reports ?? []).flatMap((file) => ['--reports', quote(file)]), ...(options.out ? ['--out', quote(options.out)] : [])];
  return parts.join(' ');
}

function samePath(a: string, b: string): boolean {
  const real = (path: string) => (existsSync(path) ? realpathSync(path) : path);
  return relative(real(a), real(b)) === '';
}

/** How to use a module that holds the user's own reports: from pwsh, and from dap-report. */
function userModuleHint(outDir: string, cwd: string): TerminalText {
  const fromCwd = relative(cwd, outDir);
  // a path PowerShell and the shell read as one: ./dap-module, ../x, or absolute
  const shown = fromCwd === '' ? '.' : isAbsolute(fromCwd) || fromCwd.startsWith('..') ? fromCwd : `./${fromCwd}`;
  return joinTerminal(
    [
      tty`Use it:`,
      tty`  pwsh:       Import-Module ${[shown, 'DapReporting', 'DapReporting.psd1'].join(sep)}`,
      tty`  dap-report: npx dap-report run --catalog ${shown} --report <name> …   (or DAP_CATALOG=${shown})`,
      tty``,
    ],
    '\n',
  );
}

export function createProgram(): Command {
  const program = new Command('dap-gen');
  program
    .configureOutput(commandOutput(process.stdout, process.stderr))
    .version(packageVersion())
    .description('Generates the DapReporting PowerShell module and standalone scripts from typed TypeScript report definitions.')
    .option('--reports <file|glob...>', `your own definition files (or globs): generates a module with the built-in reports and yours into --out (default ./${userModuleFolder})`)
    .option('--out <dir>', `the output folder (default: module/ of the project; with --reports ./${userModuleFolder}, never module/)`)
    .option('--scripts <dir>', 'write only the standalone scripts (one file each, needing no module) into <dir>')
    .option('--check', 'write nothing; exit 1 and list the files that differ when the module in the output folder is not what would be generated (the standalone scripts are built, not checked)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  npx dap-gen                                   regenerate module/ from generator/reports/*.ts, and build module/scripts/ (not committed)',
        '  npx dap-gen --scripts ./scripts-out           the standalone scripts alone, into ./scripts-out',
        `  npx dap-gen --reports 'reports/*.ts'          the built-ins and the definitions in reports/, into ./${userModuleFolder}`,
        '  npx dap-gen --reports my-report.ts --out ./my-module',
        '  npx dap-gen --check                           exit 1 when module/ is stale (for CI)',
        '',
        'Exit codes: 0 done, 1 --check found differences, 2 invalid definitions (every problem is printed as path:line:col: message) or a bad option.',
      ].join('\n'),
    )
    .action((options: { reports?: string[]; out?: string; scripts?: string; check?: boolean }) => {
      try {
        runGenerator(
          {
            ...(options.reports ? { reports: options.reports } : {}),
            ...(options.out === undefined ? {} : { out: options.out }),
            ...(options.scripts === undefined ? {} : { scripts: options.scripts }),
            check: options.check === true,
          },
          { cwd: process.cwd(), stdout: (text) => writeText(process.stdout, text) },
        );
      } catch (error) {
        if (!isDapError(error)) throw error;
        // its lines stay at the left edge: their data was escaped where each line was made
        if (error instanceof LinesError) program.configureOutput({ outputError: (text, write) => write(text) });
        program.error(error.message, { exitCode: error.exitCode, code: error.code });
      }
    });
  return program;
}
