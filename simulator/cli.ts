import { basename, dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { execa } from 'execa';
import { DapError, ExitCode, isDapError } from '../common/dap-error.js';
import type { RunningSimulator, SimulatorStats } from './simulator-types.js';
import { refuseShadowingModules } from './server/sealed-module-path.js';
import { packageVersion } from '../common/package-version.js';
import { parsePortNumber } from '../common/port.js';
import { startSimulator } from './server/start-simulator.js';
import type { Catalog } from '../common/catalog.js';
import { catalogCmdletSpecs } from './server/built-in-cmdlets.js';
import { loadCatalogFile } from './world/declared-cmdlets.js';
import { checkOutputPath, writeFileAtomicSync } from '../common/output-path.js';
import { commandOutput, tty, writeTerminal } from '../common/terminal-text.js';

/** `--catalog <file.json|dir>` (the folder dap-gen writes), repeatable. */
function collect(file: string, previous: string[] = []): string[] {
  return [...previous, file];
}

/** The catalogs named by --catalog, read and checked (a missing or malformed file: CATALOG_INVALID, exit 2). */
function loadCatalogs(files: readonly string[] = []): Catalog[] {
  return files.map(loadCatalogFile);
}

const catalogHelp = 'a report catalog JSON (as dap-gen writes): its Exchange cmdlets the simulator lacks are served with seeded rows (repeatable)';

function parsePort(value: string): number {
  const port = parsePortNumber(value);
  if (port === undefined) throw new InvalidArgumentError(`expected a port number 0-65535, received '${value}'`);
  return port;
}

/** Writes the counters as JSON with a fixed key order (the order SimState builds them in). */
export function writeStats(file: string, stats: SimulatorStats): void {
  writeFileAtomicSync(file, `${JSON.stringify(stats, null, 2)}\n`, { option: '--stats' });
}

/** What `serve` prints after its address, one `NAME=value` line each: the hosts and the trust of their CA. */
const serveVariables = ['DAP_LOGIN_URL', 'DAP_GRAPH_URL', 'DAP_EXO_URL', 'DAP_SIM_CA_FILE', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'DAP_SIM_TLS_DIR'] as const;

const signalExit: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, SIGKILL: 137 };

/** Runs a command with the simulator's environment; resolves with the exit code to end with. */
export async function runWithSimulator(sim: RunningSimulator, command: string[]): Promise<number> {
  const [file, ...args] = command;
  if (!file) throw new DapError('USAGE', ExitCode.usage, "expected a command after '--', received nothing");
  refuseShadowingModules(sim.standInModules.map((manifest) => basename(dirname(manifest))));
  const child = execa(file, args, { stdio: 'inherit', env: { ...process.env, ...sim.env }, reject: false });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    const result = await child;
    if (result.failed && result.exitCode === undefined && !result.signal) {
      throw new DapError('COMMAND_FAILED', ExitCode.usage, `cannot run '${file}': ${result.shortMessage ?? result.message}`, { cause: result.cause });
    }
    if (result.signal) return signalExit[result.signal] ?? 1;
    return result.exitCode ?? 1;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = done('SIGINT');
    const onTerm = done('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

/** The dap-sim command line: `serve` and `run`. */
export function createProgram(): Command {
  const program = new Command('dap-sim')
    .version(packageVersion())
    .description('An offline simulator of the partner world (MSOnline, Exchange remote PowerShell, report data) with PowerShell stand-ins.')
    .enablePositionalOptions()
    .showHelpAfterError()
    .configureOutput(commandOutput(process.stdout, process.stderr));

  const fail = (command: Command, error: unknown): never => {
    void command;
    if (isDapError(error)) program.error(`dap-sim: ${error.message}`, { exitCode: error.exitCode, code: error.code });
    throw error;
  };

  program
    .command('serve')
    .description('run the simulator in the foreground until SIGINT/SIGTERM; prints its address, then its https hosts and CA file as NAME=value lines')
    .option('--config <scenario.json>', 'scenario file (default: simulator/scenarios/default.json)')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', parsePort, 0)
    .option('--stats <file.json>', 'write the counters here when stopped')
    .option('--catalog <file.json|dir>', catalogHelp, collect)
    .action(async (options: { config?: string; port: number; stats?: string; catalog?: string[] }, command: Command) => {
      try {
        if (options.stats) checkOutputPath('--stats', resolve(options.stats));
        const catalogs = loadCatalogs(options.catalog);
        const sim = await startSimulator({ scenario: options.config, port: options.port, catalogs });
        // the stand-ins' channel first (a line of its own, as before), then the hosts and the CA a client trusts
        writeTerminal(process.stdout, tty`${sim.url}`);
        for (const name of serveVariables) writeTerminal(process.stdout, tty`${name}=${sim.env[name] ?? ''}`);
        writeTerminal(process.stderr, tty`dap-sim: listening on ${sim.url} (partner account ${sim.userName}); stop with Ctrl+C`);
        writeTerminal(
          process.stderr,
          tty`dap-sim: login ${sim.urls.login}, Graph ${sim.urls.graph}, Exchange ${sim.urls.exo} over https; trust the CA in ${sim.caFile} (NODE_EXTRA_CA_CERTS=${sim.env.NODE_EXTRA_CA_CERTS ?? ''}, SSL_CERT_FILE=${sim.env.SSL_CERT_FILE ?? ''})`,
        );
        const declared = catalogCmdletSpecs(catalogs).map((spec) => spec.name);
        if (declared.length > 0) writeTerminal(process.stderr, tty`dap-sim: serving the catalogs' cmdlets ${declared.join(', ')} with seeded rows`);
        const signal = await waitForSignal();
        const stats = await sim.stop();
        if (options.stats) writeStats(options.stats, stats);
        void signal;
        process.exitCode = ExitCode.ok;
      } catch (error) {
        fail(command, error);
      }
    });

  program
    .command('run')
    .description('start the simulator, run a command with the stand-ins on PSModulePath, stop, exit with its code')
    .option('--config <scenario.json>', 'scenario file (default: simulator/scenarios/default.json)')
    .option('--stats <file.json>', 'write the counters (SimulatorStats JSON) here')
    .option('--catalog <file.json|dir>', catalogHelp, collect)
    .argument('<command...>', "the command and its arguments, after '--'")
    .passThroughOptions()
    .action(async (commandLine: string[], options: { config?: string; stats?: string; catalog?: string[] }, command: Command) => {
      try {
        if (options.stats) checkOutputPath('--stats', resolve(options.stats));
        const sim = await startSimulator({ scenario: options.config, catalogs: loadCatalogs(options.catalog) });
        let code: number;
        try {
          code = await runWithSimulator(sim, commandLine);
        } finally {
          const stats = await sim.stop();
          if (options.stats) writeStats(options.stats, stats);
        }
        process.exitCode = code;
      } catch (error) {
        fail(command, error);
      }
    });

  return program;
}
