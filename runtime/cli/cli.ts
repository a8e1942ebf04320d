import { resolve } from 'node:path';
import { Command, type CommanderError, Option, type ParseOptions } from 'commander';
import { DapError, ExitCode } from '../../common/dap-error.js';
import { errorsFileColumns, errorsFileSuffix } from '../../common/errors-file-format.js';
import { machineDapError } from '../../common/machine-error.js';
import { terminalJson, terminalMessage, tty, writeTerminal, writeText } from '../../common/terminal-text.js';
import { readUserCatalog } from './catalog-option.js';
import { checkTenants } from '../run/check/check-tenants.js';
import { addSharedOptions, reportsOptionNames, runOptionNames, tenantsOptionNames } from './cli-options.js';
import { formatCatalog } from './list-reports.js';
import { listTenants } from './list-tenants.js';
import {
  defaultCheckPage,
  defaultOutput,
  planRun,
  planTenants,
  stdoutRunName,
  type PlanContext,
  type RunCliOptions,
} from './run-options.js';
import { runReport } from '../run/phases/run-report.js';
import { stdoutOutput } from '../run/summary.js';
import { checkOutputPath } from '../../common/output-path.js';
import { showRun, type ShowOptions } from '../run/page/show.js';
import { packageVersion } from '../../common/package-version.js';
import { defaultDeps, type RuntimeDeps } from '../backends/runtime-deps.js';

const runHelp = `
Examples:
  # the main job: MailboxActivityReport over every tenant of the embedded simulator
  $ dap-report run --simulate

  # one report over every customer of a partner account (password from DAP_PASSWORD or a prompt)
  $ dap-report run --report MailboxActivityReport --param ReportType=Daily \\
      --param StartDate=2015-03-18 --param EndDate=2015-03-18 \\
      --user admin@contoso.onmicrosoft.com --out ./ReportOutput.csv --errors ./ReportOutput.csv.errors.csv

  # two accounts, each with its own limit of 3 sessions; only some tenants; Excel-friendly output
  $ dap-report run --report MailboxUsageReport --user a@partner.onmicrosoft.com --user b@partner.onmicrosoft.com \\
      --tenants-file customers.txt --exclude test.onmicrosoft.com --bom --excel-safe --out usage.csv

  # a Microsoft Graph report over every active GDAP customer (app secret from the environment)
  $ DAP_GRAPH_CLIENT_SECRET=… dap-report run --report MailboxUsageDetail --param Period=D30 \\
      --client-id 11111111-2222-3333-4444-555555555555 --partner-tenant contoso.onmicrosoft.com --out usage.csv

  # the same with a certificate (app-only), or signed in as a partner admin by device code (MFA)
  $ dap-report run --report MailboxUsageDetail --client-id 1111… --partner-tenant contoso.onmicrosoft.com --certificate ~/app.pem
  $ dap-report run --report MailboxUsageDetail --client-id 1111… --partner-tenant contoso.onmicrosoft.com --device-code

  # the same on the embedded simulator
  $ dap-report run --simulate --backend graph --report MailboxUsageDetail

  # finish a run that was interrupted (same command, plus --resume); --fresh instead discards it
  $ dap-report run --report MailboxUsageReport --user admin@contoso.onmicrosoft.com --out usage.csv --resume

  # the CSV on stdout, for a pipe (progress and messages stay on stderr)
  $ dap-report run --simulate --quiet --out - | head

  # a report of your own: dap-gen writes its module and catalog to a folder, dap-report runs it from there
  $ npx dap-gen --reports my-reports.ts --out ./my-module
  $ dap-report run --simulate --catalog ./my-module --report MyReport

--out - writes the merged CSV to stdout and nothing else there. The run's folder is then a temporary
one, removed when the run ends (such a run cannot be resumed: --resume, --keep-spool and --json are
refused); its other files go to the current folder: the errors file ./${stdoutRunName}.errors.csv (or
--errors), the summary ./${stdoutRunName}.summary.json and the page ./${stdoutRunName}.html (see
\`dap-report show -\`).

--catalog (else the environment variable DAP_CATALOG) names a catalog of your own reports, the folder
\`dap-gen --reports <file> --out <dir>\` wrote or its DapReporting.catalog.json; the Exchange backend then
imports the DapReporting module beside that catalog, and --simulate serves its reports' cmdlets.

Exit codes: 0 every tenant succeeded (no data counts as success), 1 some tenants failed (listed in the
errors file), 2 usage or input error (nothing was run), 3 fatal (e.g. sign-in failed; no output),
4 the machine stopped the run (disk full, a file that cannot be written: what was done is kept; fix it,
then resume with --resume), 130 interrupted (resume with --resume).
`;

const usageCodes: Record<string, string> = {
  'commander.unknownOption': 'UNKNOWN_OPTION',
  'commander.unknownCommand': 'UNKNOWN_COMMAND',
  'commander.missingArgument': 'MISSING_ARGUMENT',
  'commander.optionMissingArgument': 'OPTION_MISSING_ARGUMENT',
  'commander.missingMandatoryOptionValue': 'MISSING_OPTION',
  'commander.conflictingOption': 'OPTION_CONFLICT',
  'commander.excessArguments': 'EXCESS_ARGUMENTS',
  'commander.invalidArgument': 'INVALID_ARGUMENT',
};

/**
 * A Command whose errors all become DapErrors: commander's own parse errors are usage errors
 * (exit 2). Calling exitOverride() without a callback (as tests do) makes every command throw its
 * DapError instead of printing it and setting the exit code.
 */
class DapCommand extends Command {
  throwErrors = false;
  root: DapCommand = this;
  /** The arguments given to parseAsync (node and the script first). */
  argv: readonly string[] = [];

  override parseAsync(argv?: readonly string[], options?: ParseOptions): Promise<this> {
    this.argv = argv ?? process.argv;
    return super.parseAsync(argv, options);
  }

  override createCommand(name?: string): DapCommand {
    const command = new DapCommand(name);
    command.root = this.root;
    return command;
  }

  override exitOverride(callback?: (err: CommanderError) => never | void): this {
    if (callback) return super.exitOverride(callback);
    this.root.throwErrors = true;
    return this;
  }
}

export function createProgram(overrides: Partial<RuntimeDeps> = {}): Command {
  const deps: RuntimeDeps = { ...defaultDeps(), ...overrides };
  const program = new DapCommand('dap-report');

  /** Under --json the error a command ends with is also one JSON object on stdout. */
  const printJsonError = (error: DapError) =>
    writeTerminal(deps.stdout, terminalJson({ error: { code: error.code, exitCode: error.exitCode, message: error.message } }));

  const fail = (error: unknown, json: boolean | undefined): void => {
    // a disk or permission problem (ENOSPC, EACCES …) is the machine's, not a bug: one line naming the path and the code
    const machine = error instanceof DapError ? undefined : machineDapError(error);
    const dapError =
      error instanceof DapError
        ? error
        : (machine ?? new DapError('INTERNAL', ExitCode.fatal, error instanceof Error ? error.message : String(error), { cause: error }));
    if (program.throwErrors) throw dapError;
    writeTerminal(deps.stderr, tty`dap-report: ${terminalMessage(dapError.message)}`);
    if (json) printJsonError(dapError);
    // an unexpected error is a bug: show where it happened so it can be reported
    if (!(error instanceof DapError) && !machine && error instanceof Error && error.stack) {
      writeTerminal(deps.stderr, tty`dap-report: internal error, please report it with this trace:\n${terminalMessage(error.stack)}`);
    }
    deps.setExitCode(dapError.exitCode);
  };

  // set before any subcommand exists, so they inherit it
  program.exitOverride((err) => {
    const helpLike = err.exitCode === 0 || err.code === 'commander.help' || err.code === 'commander.helpDisplayed' || err.code === 'commander.version';
    if (helpLike) {
      if (program.throwErrors) throw err;
      return;
    }
    const error = new DapError(usageCodes[err.code] ?? 'USAGE', ExitCode.usage, err.message.replace(/^error: /, ''), { cause: err });
    if (program.throwErrors) throw error;
    // commander has printed the message; --json (before any `--`) asks for the JSON too
    const args = program.argv.slice(2);
    if (args.slice(0, args.includes('--') ? args.indexOf('--') : undefined).includes('--json')) printJsonError(error);
    process.exit(ExitCode.usage);
  });
  program.configureOutput({
    writeOut: (text) => writeText(deps.stdout, terminalMessage(text, { indent: false })),
    writeErr: (text) => writeText(deps.stderr, terminalMessage(text)),
  });

  program
    .description('Run one report in every customer tenant of a Microsoft cloud partner and merge the results into one CSV.')
    .version(packageVersion())
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ dap-report run --simulate                      run the default report on the embedded simulator
  $ dap-report reports                             list the reports and their parameters
  $ dap-report tenants --user admin@contoso.onmicrosoft.com
  $ dap-report run --help                          every option of run, with examples
`,
    );

  /** The catalog of --catalog or DAP_CATALOG (read and checked), and what planning reads besides the options. */
  const contextOf = (options: { catalog?: string }): PlanContext => {
    const catalog = readUserCatalog(options.catalog, deps);
    return { cwd: deps.cwd, env: deps.env, validateScenario: (path) => deps.validateScenario(path), ...(catalog ? { catalog } : {}) };
  };
  /** The catalog a report is looked up in: the user's, else the built-in one. */
  const catalogOf = (context: PlanContext) => context.catalog?.catalog ?? deps.readCatalog();

  addSharedOptions(
    program
      .command('run')
      .description('run a report in every selected tenant (at most 3 sessions per account), merge the rows into one CSV')
      .option('--out <csv|->', `the merged output file, or - for stdout (default ${defaultOutput})`)
      .option('--errors <file>', `the errors file, a CSV (${errorsFileColumns.join(',')}; one line per failed or empty tenant); default <out>${errorsFileSuffix}`)
      .option('--resume', 'finish an interrupted run of the same command: keep the tenants already done')
      .addOption(new Option('--fresh', 'discard an unfinished earlier run of the same --out and start again').conflicts('resume'))
      .option('--bom', 'start the CSV with a UTF-8 byte order mark (for Excel)')
      .option('--excel-safe', "prefix ' to cells (header cells too) starting with = + - @, a tab or a CR, so spreadsheets do not evaluate them")
      .option('--keep-spool', "keep the run folder (<out>.dap-run) after a run in which every tenant succeeded; a run with failed tenants always keeps it, for --resume")
      .option('--no-page', 'do not write the run page <out>.html (totals, tenants, timeline; see `dap-report show`)'),
    runOptionNames,
  )
    .addHelpText('after', runHelp)
    .action(async (options: RunCliOptions & { page?: boolean }) => {
      try {
        const context = contextOf(options);
        const plan = planRun(options, catalogOf(context), context);
        const result = await runReport(plan, deps, { argv: program.argv.slice(2) });
        deps.setExitCode(result.exitCode);
      } catch (error) {
        fail(error, options.json);
      }
    });

  program
    .command('show')
    .description("where a run's page is (<out>.html) and its summary line; open it, or serve it on 127.0.0.1")
    .argument('[out]', `the run's --out (its CSV; - for a run to stdout, whose page is ./${stdoutRunName}.html); default ${defaultOutput}`)
    .option('--open', 'open the page in the desktop browser (xdg-open)')
    .option('--serve [port]', 'serve the page on http://127.0.0.1:<port>/ until Ctrl-C (default: a free port)')
    .addHelpText('after', '\nExamples:\n  $ dap-report show ./ReportOutput.csv\n  $ dap-report show usage.csv --serve 8080\n')
    .action(async (out: string | undefined, options: ShowOptions) => {
      try {
        await showRun(out === stdoutOutput ? stdoutRunName : (out ?? defaultOutput), options, deps);
      } catch (error) {
        fail(error, false);
      }
    });

  addSharedOptions(
    program
      .command('check')
      .description("check every selected tenant before a run, without running the report: sign-in, consent, GDAP relationship, the roles the report needs, concealed user names; and how long the run would take")
      .option('--page <file>', `the check's page (the run page format); default ${defaultCheckPage}`)
      .option('--no-page', 'write no page'),
    runOptionNames,
  )
    .addHelpText(
      'after',
      `
Takes the options of run (report, tenants, backend, sign-in) and checks what that run would meet.
One line per problem on stderr, a table on stdout (--json: JSON), exit 0 when every tenant is
ready, 1 when any would fail (sign-in refused, consent missing, relationship not active, access
denied), 2 for bad input.

Examples:
  $ dap-report check --simulate
  $ dap-report check --backend exo --report MailboxStatisticsReport --client-id <app id> --partner-tenant <tenant> --certificate ~/dap-app.pem
`,
    )
    .action(async (options: RunCliOptions & { page?: string | boolean }) => {
      try {
        const context = contextOf(options);
        const { page, ...runOptions } = options;
        const pagePath = page === false ? null : resolve(deps.cwd, typeof page === 'string' ? page : defaultCheckPage);
        if (pagePath) checkOutputPath('--page', pagePath);
        // the run's own plan (its --out is the page's place, checked to be writable)
        const plan = planRun({ ...runOptions, ...(pagePath ? { out: pagePath } : {}), page: false }, catalogOf(context), context);
        const result = await checkTenants(plan, deps, { argv: program.argv.slice(2), pagePath });
        deps.setExitCode(result.exitCode);
      } catch (error) {
        fail(error, options.json);
      }
    });

  addSharedOptions(program.command('reports').description('list the reports of the catalog with their parameters and columns'), reportsOptionNames)
    .addHelpText('after', '\nExamples:\n  $ dap-report reports\n  $ dap-report reports --catalog ./my-module --json\n')
    .action((options: { json?: boolean; catalog?: string }) => {
      try {
        const catalog = catalogOf(contextOf(options));
        if (options.json) writeTerminal(deps.stdout, terminalJson(catalog.reports));
        else writeText(deps.stdout, formatCatalog(catalog));
      } catch (error) {
        fail(error, options.json);
      }
    });

  addSharedOptions(
    program
      .command('tenants')
      .description('list the customer tenants a run would cover (Exchange: signs in once per account with pwsh; graph, exo: the app lists its customers)'),
    tenantsOptionNames,
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ dap-report tenants --simulate\n  $ dap-report tenants --user admin@contoso.onmicrosoft.com --json\n  $ dap-report tenants --simulate --backend graph\n',
    )
    .action(async (options: RunCliOptions) => {
      try {
        await listTenants(planTenants(options, contextOf(options)), deps);
      } catch (error) {
        fail(error, options.json);
      }
    });

  return program;
}
