// Runs fixtures of test/fixtures/pwsh/ (the committed module, e.g. module-aggregate.ps1 for
// Export-DapAggregateReport) under `dap-sim run` with a scenario the test writes; arguments only,
// never script text.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { moduleDir, projectRoot } from '../../common/project-paths.js';
import type { SimulatorStats } from '../../simulator/simulator-types.js';
import { pwsh } from './powershell.js';

export const aggregateUser = 'admin@contoso.onmicrosoft.com';

/** Five named tenants: two with rows, one empty, one that denies access, one always at its session limit. */
export const aggregateScenario = {
  seed: 'module-aggregate',
  accounts: [{ userName: aggregateUser, password: 'Aggregate-Pa55!' }],
  tenants: [
    { name: 'Adatum', initialDomain: 'adatum.onmicrosoft.com', mailboxes: 5 },
    { name: 'Empty', initialDomain: 'empty.onmicrosoft.com', mailboxes: 0 },
    { name: 'Denied', initialDomain: 'denied.onmicrosoft.com', mailboxes: 5 },
    { name: 'Busy', initialDomain: 'busy.onmicrosoft.com', mailboxes: 5 },
    { name: 'Zeta', initialDomain: 'zeta.onmicrosoft.com', mailboxes: 3 },
  ],
  tenantCount: 5,
  emptyTenantRate: 0,
  faults: [
    { type: 'accessDenied', tenants: ['denied.onmicrosoft.com'] },
    { type: 'throttle', mode: 'fail', failures: 50, tenants: ['busy.onmicrosoft.com'] },
  ],
};

export interface AggregateRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  lines: string[];
  /** The DapReporting.AggregateResult, when one was returned. */
  result: Record<string, unknown> | undefined;
  /** "<FullyQualifiedErrorId> <TargetObject>" of a terminating error, when there was one. */
  error: string | undefined;
  stats: SimulatorStats;
}

/** Runs a fixture of test/fixtures/pwsh/ with pwsh under `dap-sim run` and the given scenario. */
export async function runFixtureUnderSimulator(dir: string, fixture: string, args: string[], scenario: object = aggregateScenario) {
  const scenarioFile = join(dir, 'scenario.json');
  writeFileSync(scenarioFile, JSON.stringify(scenario));
  const stats = join(dir, 'stats.json');
  const run = await execa(
    process.execPath,
    [join(projectRoot, 'bin', 'dap-sim.js'), 'run', '--config', scenarioFile, '--stats', stats, '--',
      pwsh.path, '-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(projectRoot, 'test', 'fixtures', 'pwsh', fixture), ...args],
    { reject: false, cwd: dir },
  );
  return {
    exitCode: run.exitCode ?? -1,
    stdout: run.stdout,
    stderr: run.stderr,
    lines: run.stdout.split(/\r?\n/),
    stats: JSON.parse(readFileSync(stats, 'utf8')) as SimulatorStats,
  };
}

export const moduleManifest = join(moduleDir, 'DapReporting', 'DapReporting.psd1');

export async function runAggregate(dir: string, options: { outputFile: string; errorFile?: string; switches?: string[]; throttleLimit?: number }): Promise<AggregateRun> {
  const args = [
    '-ModuleManifest', moduleManifest, '-UserName', aggregateUser, '-OutputFile', options.outputFile,
    ...(options.errorFile ? ['-ErrorFile', options.errorFile] : []),
    ...(options.switches?.length ? ['-Switch', options.switches.join(',')] : []),
    ...(options.throttleLimit ? ['-ThrottleLimit', String(options.throttleLimit)] : []),
  ];
  const run = await runFixtureUnderSimulator(dir, 'module-aggregate.ps1', args);
  const resultLine = run.lines.find((l) => l.startsWith('RESULT '));
  return {
    ...run,
    result: resultLine ? (JSON.parse(resultLine.slice(7)) as Record<string, unknown>) : undefined,
    error: run.lines.find((l) => l.startsWith('ERROR '))?.slice(6),
  };
}
