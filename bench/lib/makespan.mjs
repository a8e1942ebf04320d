// B1 makespan: the same simulated partner (0.5 s per tenant ± 20%) reported five ways, side by side.
import { join } from 'node:path';
import { idealSeconds, describeTargets, makespanRows, makespanTargets } from './bench-math.mjs';
import { makespanLatency, makespanScenario, perTenantSeconds, sessionsPerAccount, writeScenario } from './bench-scenarios.mjs';
import { expectedRows } from './check-output.mjs';
import { contenders, describeChecks, describeSessions, describeWall, measureContenders, okSeconds } from './contenders.mjs';

export const makespanIds = ['a', 'b', 'c', 'd', 'e'];

/** Writes the one- and three-account scenarios of `tenants` tenants into `dir`. */
export function writeMakespanScenarios(dir, tenants) {
  const one = writeScenario(join(dir, 'scenario-1-account.json'), makespanScenario({ tenants, accounts: 1 }));
  const three = writeScenario(join(dir, 'scenario-3-accounts.json'), makespanScenario({ tenants, accounts: 3 }));
  return { one, three };
}

/**
 * Runs B1 and answers its section of RESULTS.md.
 * @param {{ tenants: number, runs: number, dir: string, pwsh: string, log: (line: string) => void, ids?: string[] }} options
 */
export async function benchMakespan({ tenants, runs, dir, pwsh, log, ids = makespanIds }) {
  const paths = writeMakespanScenarios(dir, tenants);
  const scenarios = {
    1: { path: paths.one, expected: expectedRows(paths.one) },
    3: { path: paths.three, expected: expectedRows(paths.three) },
  };
  const samples = await measureContenders({
    ids, runs, dir, pwsh, log, label: `B1 ${tenants} tenants`,
    scenarioFor: (id) => scenarios[contenders[id].accounts],
  });
  const rows = makespanRows({
    tenants,
    baseline: 'a',
    sessionsPerAccount,
    perTenantSeconds,
    contenders: ids.map((id) => ({ id, accounts: contenders[id].accounts, seconds: okSeconds(samples[id]) })),
  });
  const lines = [
    '## B1 makespan',
    '',
    `${tenants} tenants, session open 300 ms + report 200 ms on average (simulator latency sessionOpenMs ${makespanLatency.sessionOpenMs}, ` +
      `commandMs ${makespanLatency.commandMs}, jitterMs ${makespanLatency.jitterMs}: each delay gets 0–${makespanLatency.jitterMs} ms more, so a tenant takes 0.5 s ± 20%), ` +
      `MailboxActivityReport for one day, ${sessionsPerAccount} sessions per account. Every contender is a new process that starts the simulator, ` +
      `so the times include sign-in, discovery and the merge. Median of ${runs} runs (min–max), contenders interleaved run by run. ` +
      `Ideal: ceil(N / (${sessionsPerAccount} × accounts)) × ${perTenantSeconds} s. Sessions and rejections from the simulator's counters; ` +
      'output checked against the simulator\'s world (a row for every tenant with data).',
    '',
    '| contender | accounts | wall s | ideal s | faster than (a) | vs ideal | max sessions per account | session-limit rejections | output check |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const row of rows) {
    const runsOf = samples[row.id];
    const sessions = describeSessions(runsOf);
    lines.push(
      `| (${row.id}) ${contenders[row.id].name} | ${row.accounts} | ${describeWall(runsOf)} | ` +
        `${row.ideal.toFixed(2)} | ${row.speedup === null ? '–' : `${row.speedup.toFixed(2)}×`} | ${row.vsIdeal === null ? '–' : `${row.vsIdeal.toFixed(2)}×`} | ` +
        `${sessions.max} | ${sessions.rejections} | ${describeChecks(runsOf)} |`,
    );
  }
  const ideal1 = idealSeconds(tenants, 1, { sessionsPerAccount, perTenantSeconds });
  lines.push(
    '',
    `Ideal for one account ${ideal1.toFixed(2)} s, for three ${idealSeconds(tenants, 3, { sessionsPerAccount, perTenantSeconds }).toFixed(2)} s; ` +
      `one tenant after another would take ${(tenants * perTenantSeconds).toFixed(2)} s of simulated time alone.`,
    '',
    'Targets: (d) within 1.10 × ideal and ≥ 2.7 × faster than (a); (e) ≥ 7 × faster than (a).',
    '',
    `Result: ${describeTargets(makespanTargets(rows))}.`,
  );
  return { section: lines.join('\n'), rows, samples };
}
