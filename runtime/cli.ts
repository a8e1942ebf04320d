import { resolve } from 'node:path';
import { Command, type CommanderError, Option, type ParseOptions } from 'commander';
import { DapError, ExitCode } from '../common/dap-error.js';
import { errorsFileColumns, errorsFileSuffix } from '../common/errors-file-format.js';
import { machineDapError } from '../common/machine-error.js';
import { terminalText } from '../common/terminal-text.js';
import { checkTenants } from './check/check-tenants.js';
import { formatCatalog } from './list-reports.js';
import { listTenants } from './list-tenants.js';
import { checkScenario, parseTenantFilter, planRun, type RunCliOptions } from './run-options.js';
import { parseBackend } from './backends.js';
import { certificateHelp, deviceCodeHelp, tokenFileHelp } from './auth/sign-in-options.js';
import { planGraph, rejectGraphOptions } from './graph/graph-options.js';
import { backendKinds } from './run-backend.js';
import { runReport } from './run-report.js';
import { showRun, type ShowOptions } from './page/show.js';
import { packageVersion } from '../common/package-version.js';
import { defaultDeps, type RuntimeDeps } from './runtime-deps.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

const runExamples = `
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

/**
 * The options `run` and `check` share: the report, the tenants, the backend and how it signs in,
 * caps and retries (check runs with the run's own settings).
 */
function addRunOptions(command: Command): Command {
  return command
    .option('--report <name>', 'the report to run (see `dap-report reports`); MailboxActivityReport under --simulate')
    .option('--param <Name=Value>', 'a report parameter; repeat for several (dates as 2015-03-18 or 03/18/2015)', collect, [])
    .option('--user <upn>', 'a partner account; repeat to spread tenants over several accounts', collect, [])
    .option('--simulate [scenario.json]', 'run against the embedded simulator (its default scenario, or the given one)')
    .option('--tenant <domain|id>', 'only this tenant (domain or TenantId); repeatable', collect, [])
    .option('--exclude <domain|id>', 'leave this tenant out; repeatable', collect, [])
    .option('--tenants-file <file>', 'only the tenants listed in this file, one domain or TenantId per line (# comments)')
    .option('--json', 'print the run summary as JSON on stdout (an error as {"error": {code, exitCode, message}})')
    .option('--quiet', 'no progress and no summary line')
    .option('--pwsh <path>', 'the pwsh executable (else DAP_PWSH, .tools/pwsh/pwsh, pwsh on PATH)')
    .option('--max-sessions <n>', 'sessions per account at once, 1 to 3 (default 3; Exchange only)')
    .option('--retries <n>', 'further attempts for transient failures (throttling, timeouts, a crashed pwsh host; a session-limit answer uses none)', '4')
    .option('--tenant-timeout <seconds>', 'stop a tenant attempt after this long (retried once after a timeout)', '300')
    .addOption(new Option('--password-stdin', 'read the password(s) from stdin, one line per --user').conflicts('simulate'))
    .option(`--backend <${backendKinds.join('|')}>`, 'exchange (pwsh remote sessions), graph (Microsoft Graph reports) or exo (Exchange cmdlets over the Exchange admin REST API); default: the report\'s first')
    .option('--graph-url <base>', 'Microsoft Graph base (https; http only on loopback); default https://graph.microsoft.com')
    .option('--login-url <base>', 'token service base (https; http only on loopback); default https://login.microsoftonline.com')
    .option('--client-id <id>', "the partner app's client id (else DAP_GRAPH_CLIENT_ID); its secret only from DAP_GRAPH_CLIENT_SECRET or --client-secret-stdin, or DAP_GRAPH_REFRESH_TOKEN")
    .addOption(new Option('--client-secret-stdin', "read the app's client secret from the first line of stdin").conflicts('passwordStdin'))
    .option('--certificate <pem>', certificateHelp)
    .option('--device-code', deviceCodeHelp)
    .option('--token-file <path>', tokenFileHelp)
    .option('--partner-tenant <id|domain>', "the partner's own tenant, for the discovery token (else DAP_GRAPH_TENANT_ID; needed with a client secret or certificate)")
    .option('--discovery <relationships|contracts>', 'how Graph finds customers: active GDAP relationships (default) or partner contracts')
    .option('--concurrency <n>', 'graph, exo: tenants at once, 1 to 32 (default 8)')
    .option('--tenant-concurrency <n>', 'exo: requests at once within one tenant (its per-mailbox calls), 1 to 16 (default 4)')
    .option('--exchange-url <base>', 'exo: the Exchange Online base (https; http only on loopback); default https://outlook.office365.com')
    .option('--no-domain-lookup', "Graph relationships: keep the customer's display name as TenantDomain (no findTenantInformationByTenantId lookup of its default domain)")
    .addOption(new Option('--catalog <file>').hideHelp());
}

export function createProgram(overrides: Partial<RuntimeDeps> = {}): Command {
  const deps: RuntimeDeps = { ...defaultDeps(), ...overrides };
  const program = new DapCommand('dap-report');

  /** Under --json the error a command ends with is also one JSON object on stdout. */
  const printJsonError = (error: DapError) =>
    deps.stdout.write(`${JSON.stringify({ error: { code: error.code, exitCode: error.exitCode, message: error.message } }, null, 2)}\n`);

  const fail = (error: unknown, json: boolean | undefined): void => {
    // a disk or permission problem (ENOSPC, EACCES …) is the machine's, not a bug: one line naming the path and the code
    const machine = error instanceof DapError ? undefined : machineDapError(error);
    const dapError =
      error instanceof DapError
        ? error
        : (machine ?? new DapError('INTERNAL', ExitCode.fatal, error instanceof Error ? error.message : String(error), { cause: error }));
    if (program.throwErrors) throw dapError;
    deps.stderr.write(`dap-report: ${terminalText(dapError.message)}\n`);
    if (json) printJsonError(dapError);
    // an unexpected error is a bug: show where it happened so it can be reported
    if (!(error instanceof DapError) && !machine && error instanceof Error && error.stack) {
      deps.stderr.write(`dap-report: internal error, please report it with this trace:\n${terminalText(error.stack)}\n`);
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
    writeOut: (text) => deps.stdout.write(text),
    writeErr: (text) => deps.stderr.write(terminalText(text)),
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

  addRunOptions(
    program
      .command('run')
      .description('run a report in every selected tenant (at most 3 sessions per account), merge the rows into one CSV')
      .option('--out <csv>', 'the merged output file', './ReportOutput.csv')
      .option('--errors <file>', `the errors file, a CSV (${errorsFileColumns.join(',')}; one line per failed or empty tenant); default <out>${errorsFileSuffix}`)
      .option('--resume', 'finish an interrupted run of the same command: keep the tenants already done')
      .addOption(new Option('--fresh', 'discard an unfinished earlier run of the same --out and start again').conflicts('resume'))
      .option('--bom', 'start the CSV with a UTF-8 byte order mark (for Excel)')
      .option('--excel-safe', "prefix ' to cells (header cells too) starting with = + - @, a tab or a CR, so spreadsheets do not evaluate them")
      .option('--keep-spool', "keep the run folder (<out>.dap-run) after a run in which every tenant succeeded; a run with failed tenants always keeps it, for --resume")
      .option('--no-page', 'do not write the run page <out>.html (totals, tenants, timeline; see `dap-report show`)'),
  )
    .addHelpText('after', runExamples)
    .action(async (options: RunCliOptions & { page?: boolean }) => {
      try {
        const catalog = deps.readCatalog(options.catalog);
        const { page, ...runOptions } = options;
        const plan = planRun(runOptions, catalog, deps.cwd, deps.env);
        if (plan.simulate?.scenario) deps.validateScenario(plan.simulate.scenario);
        const result = await runReport(plan, deps, { argv: program.argv.slice(2), page: page !== false });
        deps.setExitCode(result.exitCode);
      } catch (error) {
        fail(error, options.json);
      }
    });

  program
    .command('show')
    .description("where a run's page is (<out>.html) and its summary line; open it, or serve it on 127.0.0.1")
    .argument('[out]', 'the run\'s --out (its CSV)', './ReportOutput.csv')
    .option('--open', 'open the page in the desktop browser (xdg-open)')
    .option('--serve [port]', 'serve the page on http://127.0.0.1:<port>/ until Ctrl-C (default: a free port)')
    .addHelpText('after', '\nExamples:\n  $ dap-report show ./ReportOutput.csv\n  $ dap-report show usage.csv --serve 8080\n')
    .action(async (out: string, options: ShowOptions) => {
      try {
        await showRun(out, options, deps);
      } catch (error) {
        fail(error, false);
      }
    });

  addRunOptions(
    program
      .command('check')
      .description("check every selected tenant before a run, without running the report: sign-in, consent, GDAP relationship, the roles the report needs, concealed user names; and how long the run would take")
      .option('--page <file>', 'the check\'s page (the run page format)', './dap-check.html')
      .option('--no-page', 'write no page'),
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
        const catalog = deps.readCatalog(options.catalog);
        const { page, ...runOptions } = options;
        const pagePath = page === false ? null : resolve(deps.cwd, typeof page === 'string' ? page : './dap-check.html');
        // the run's own plan (its --out is the page's place, checked to be writable)
        const plan = planRun({ ...runOptions, ...(pagePath ? { out: pagePath } : {}) }, catalog, deps.cwd, deps.env);
        if (plan.simulate?.scenario) deps.validateScenario(plan.simulate.scenario);
        const result = await checkTenants(plan, deps, { argv: program.argv.slice(2), pagePath });
        deps.setExitCode(result.exitCode);
      } catch (error) {
        fail(error, options.json);
      }
    });

  program
    .command('reports')
    .description('list the reports of the catalog with their parameters and columns')
    .option('--json', 'the catalog as JSON')
    .addOption(new Option('--catalog <file>').hideHelp())
    .addHelpText('after', '\nExample:\n  $ dap-report reports\n')
    .action((options: { json?: boolean; catalog?: string }) => {
      try {
        const catalog = deps.readCatalog(options.catalog);
        deps.stdout.write(options.json ? `${JSON.stringify(catalog.reports, null, 2)}\n` : formatCatalog(catalog));
      } catch (error) {
        fail(error, options.json);
      }
    });

  program
    .command('tenants')
    .description('list the customer tenants a run would cover (Exchange: signs in once per account with pwsh; Graph: the app lists its customers)')
    .option('--user <upn>', 'a partner account; repeatable', collect, [])
    .option('--simulate [scenario.json]', 'list the tenants of the embedded simulator')
    .option('--tenant <domain|id>', 'only this tenant; repeatable', collect, [])
    .option('--exclude <domain|id>', 'leave this tenant out; repeatable', collect, [])
    .option('--tenants-file <file>', 'only the tenants listed in this file')
    .option('--pwsh <path>', 'the pwsh executable')
    .option('--password-stdin', 'read the password(s) from stdin, one line per --user')
    .option(`--backend <${backendKinds.join('|')}>`, 'exchange (default), graph or exo (both list the partner app\'s customers)')
    .option('--graph-url <base>', 'Microsoft Graph base; default https://graph.microsoft.com')
    .option('--login-url <base>', 'token service base; default https://login.microsoftonline.com')
    .option('--client-id <id>', "the partner app's client id (else DAP_GRAPH_CLIENT_ID)")
    .addOption(new Option('--client-secret-stdin', "read the app's client secret from the first line of stdin").conflicts('passwordStdin'))
    .option('--certificate <pem>', certificateHelp)
    .option('--device-code', deviceCodeHelp)
    .option('--token-file <path>', tokenFileHelp)
    .option('--partner-tenant <id|domain>', "the partner's own tenant (else DAP_GRAPH_TENANT_ID)")
    .option('--discovery <relationships|contracts>', 'Graph: active GDAP relationships (default) or partner contracts')
    .option('--no-domain-lookup', "Graph relationships: show the customer's display name as TenantDomain (no default domain lookup)")
    .option('--json', 'as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ dap-report tenants --simulate\n  $ dap-report tenants --user admin@contoso.onmicrosoft.com --json\n  $ dap-report tenants --simulate --backend graph\n',
    )
    .action(async (options: RunCliOptions) => {
      try {
        const filter = parseTenantFilter(options, deps.cwd);
        const simulate = options.simulate !== undefined && options.simulate !== false;
        const scenario = typeof options.simulate === 'string' ? checkScenario(options.simulate, deps.cwd) : undefined;
        if (scenario) deps.validateScenario(scenario);
        const backend = parseBackend(options.backend) ?? 'exchange';
        if (backend !== 'exchange') {
          if ((options.user ?? []).length > 0 || options.passwordStdin) {
            throw new DapError('OPTION_CONFLICT', ExitCode.usage, `--user and --password-stdin apply only to --backend exchange; --backend ${backend} lists customers with the app`);
          }
        } else rejectGraphOptions(options, 'add --backend graph');
        await listTenants(
          {
            backend,
            users: options.user ?? [],
            ...(simulate ? { simulate: scenario ? { scenario } : {} } : {}),
            filter,
            ...(options.pwsh ? { pwshFlag: options.pwsh } : {}),
            ...(backend !== 'exchange' ? { graph: planGraph(options, deps.env, simulate) } : {}),
            passwordStdin: options.passwordStdin === true,
            json: options.json === true,
          },
          deps,
        );
      } catch (error) {
        fail(error, options.json);
      }
    });

  return program;
}
