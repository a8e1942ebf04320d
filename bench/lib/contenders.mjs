// The contenders of the makespan (B1) and overhead (B2) benchmarks, each run as a fresh process
// under the simulator and timed with GNU time (measure.mjs). (a), (b) and (c) are PowerShell
// scripts run by `dap-sim run`; (d) and (e) are `dap-report run --simulate`, which starts the
// same simulator in its own process.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { passwordVariableFor } from '../../dist/runtime/backends/exchange/credentials.js';
import { benchAccounts, reportDay, reportName, sessionsPerAccount } from './bench-scenarios.mjs';
import { checkOutput } from './check-output.mjs';
import { measure, spread } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pwshArgs = '-NoLogo -NoProfile -NonInteractive -File';

export const contenders = {
  a: { id: 'a', name: 'sequential baseline (bench/baseline/Sequential-Report.ps1)', accounts: 1 },
  b: { id: 'b', name: 'generated script (module/scripts/MailboxActivityReport.ps1, built by setup)', accounts: 1 },
  c: { id: 'c', name: 'Export-DapAggregateReport', accounts: 1 },
  d: { id: 'd', name: 'dap-report, 1 account', accounts: 1 },
  e: { id: 'e', name: 'dap-report, 3 accounts', accounts: 3 },
};

const q = (path) => `'${path}'`;

/**
 * The shell command (built from the bench's own paths and names only), its environment, where
 * the output and the counters land and, for the scripts, the script and the parameters it is given.
 */
export function contenderCommand(id, { scenario, pwsh, dir }) {
  const contender = contenders[id];
  if (!contender) throw new RangeError(`unknown contender '${id}': expected one of ${Object.keys(contenders).join(', ')}`);
  const out = join(dir, 'output.csv');
  const errors = join(dir, 'errors.txt');
  if (id === 'a' || id === 'b' || id === 'c') {
    const statsFile = join(dir, 'stats.json');
    const script = {
      a: join(root, 'bench', 'baseline', 'Sequential-Report.ps1'),
      b: join(root, 'module', 'scripts', `${reportName}.ps1`),
      c: join(root, 'bench', 'scripts', 'Invoke-AggregateReport.ps1'),
    }[id];
    const parameters = { UserName: benchAccounts[0].userName, OutputFile: out };
    if (id !== 'a') parameters.ErrorFile = errors;
    if (id === 'b') Object.assign(parameters, { ReportType: 'Daily', StartDate: reportDay, EndDate: reportDay });
    const args = Object.entries(parameters).map(([name, value]) => `-${name} ${q(value)}`).join(' ');
    // dap-sim run hands the simulator's first account's password to the script in DAP_PASSWORD
    const command =
      `node ${q(join(root, 'bin', 'dap-sim.js'))} run --config ${q(scenario)} --stats ${q(statsFile)} -- ` +
      `${q(pwsh)} ${pwshArgs} ${q(script)} ${args}`;
    return { command, env: {}, out, stats: { file: statsFile }, script, parameters: Object.keys(parameters) };
  }
  const accounts = benchAccounts.slice(0, contender.accounts);
  const summary = join(dir, 'summary.json');
  const command =
    `node ${q(join(root, 'bin', 'dap-report.js'))} run --simulate ${q(scenario)} --report ${reportName} ` +
    `--param ReportType=Daily --param StartDate=${reportDay} --param EndDate=${reportDay} ` +
    `${accounts.map((a) => `--user ${q(a.userName)}`).join(' ')} --out ${q(out)} --errors ${q(errors)} --pwsh ${q(pwsh)} --quiet --json > ${q(summary)}`;
  // passwords travel only in the child's environment, never in argv
  const env = Object.fromEntries(accounts.map((a) => [passwordVariableFor(a.userName), a.password]));
  return { command, env, out, stats: { summary } };
}

function readStats(where) {
  try {
    if (where.file) return JSON.parse(readFileSync(where.file, 'utf8'));
    return JSON.parse(readFileSync(where.summary, 'utf8')).simulator;
  } catch {
    return undefined;
  }
}

/** Max open sessions per account (in scenario order) and session-limit rejections, from SimulatorStats. */
export function sessionCounters(stats, accountCount) {
  if (!stats?.accounts) return undefined;
  const byName = new Map(Object.entries(stats.accounts).map(([name, s]) => [name.toLowerCase(), s]));
  const used = benchAccounts.slice(0, accountCount).map((a) => byName.get(a.userName.toLowerCase()));
  return {
    maxPerAccount: used.map((s) => s?.maxConcurrentSessions ?? 0),
    rejections: Object.values(stats.accounts).reduce((sum, s) => sum + (s.sessionLimitRejections ?? 0), 0),
  };
}

/** Runs one contender once in a fresh folder: wall time, exit, output check and session counters. */
export async function runContender(id, { scenario, expected, pwsh, dir }) {
  mkdirSync(dir, { recursive: true });
  const plan = contenderCommand(id, { scenario, pwsh, dir });
  const timed = measure(plan.command, { cwd: dir, env: plan.env });
  const check = await checkOutput(plan.out, expected);
  return { ...timed, check, sessions: sessionCounters(readStats(plan.stats), contenders[id].accounts) };
}

/**
 * Runs every contender `runs` times, round-robin (a run of each, then the next round), so a slow
 * stretch of the machine does not fall on one contender only.
 * @param {{ ids: string[], scenarioFor: (id: string) => { path: string, expected: Map<string, unknown> }, runs: number, dir: string, pwsh: string, log: (line: string) => void, label: string }} options
 */
export async function measureContenders({ ids, scenarioFor, runs, dir, pwsh, log, label }) {
  const samples = Object.fromEntries(ids.map((id) => [id, []]));
  for (let i = 0; i < runs; i += 1) {
    for (const id of ids) {
      log(`${label}: (${id}) ${contenders[id].name} run ${i + 1}/${runs}`);
      const { path, expected } = scenarioFor(id);
      samples[id].push(await runContender(id, { scenario: path, expected, pwsh, dir: join(dir, `${id}-${i + 1}`) }));
    }
  }
  return samples;
}

/** The line of a failed run's stderr most likely to say why: the last one that reads like an error. */
function reasonOf(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.findLast((l) => /error|fail|cannot|denied|exception|not found|dap-report:|dap-sim:/i.test(l)) ?? lines.at(-1) ?? 'no message';
}

/** The wall times of the runs that exited 0: only those enter the medians. */
export const okSeconds = (samples) => samples.filter((s) => s.ok).map((s) => s.seconds);

/** The wall-time cell: median (min–max) of the runs that exited 0, saying how many did when not all. */
export function describeWall(samples) {
  const ok = okSeconds(samples);
  if (!ok.length) return samples.length ? 'failed' : 'not run';
  return ok.length === samples.length ? spread(ok) : `${spread(ok)}, ${ok.length} of ${samples.length} runs`;
}

/** The output-check cell over all runs of a contender. */
export function describeChecks(samples) {
  const problems = [];
  samples.forEach((s, i) => {
    if (!s.ok) problems.push(`run ${i + 1}: exit ${s.status ?? 'by signal'} (${reasonOf(s.stderr)})`);
    if (!s.check.ok) problems.push(`run ${i + 1}: ${s.check.text}`);
  });
  if (problems.length) return problems.join('; ').replaceAll('|', '\\|');
  return samples.length ? samples[0].check.text : 'not run';
}

/** The session cells over all runs: the most sessions any account held, and the rejections per run. */
export function describeSessions(samples) {
  const counted = samples.map((s) => s.sessions).filter(Boolean);
  if (!counted.length) return { max: 'no counters', rejections: 'no counters' };
  const accounts = counted[0].maxPerAccount.length;
  const perAccount = Array.from({ length: accounts }, (_, a) => Math.max(...counted.map((c) => c.maxPerAccount[a] ?? 0)));
  const over = perAccount.some((n) => n > sessionsPerAccount);
  const rejections = counted.map((c) => c.rejections);
  return {
    max: `${perAccount.join(' / ')}${over ? ` (over the limit of ${sessionsPerAccount})` : ''}`,
    rejections: rejections.every((r) => r === rejections[0]) ? String(rejections[0]) : rejections.join(', '),
  };
}
