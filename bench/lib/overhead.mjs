// B2 overhead: no simulated latency at all, so every second is the tool's own.
import { join } from 'node:path';
import { describeTargets, overheadRows, overheadTargets } from './bench-math.mjs';
import { overheadScenario, sessionsPerAccount, writeScenario } from './bench-scenarios.mjs';
import { expectedRows } from './check-output.mjs';
import { contenders, describeChecks, describeSessions, describeWall, measureContenders, okSeconds } from './contenders.mjs';

export const overheadIds = ['b', 'c', 'd'];

/**
 * Runs B2 (or the given contenders of it) and answers its section of RESULTS.md with the rows.
 * @param {{ tenants: number, runs: number, dir: string, pwsh: string, log: (line: string) => void, ids?: string[] }} options
 */
export async function benchOverhead({ tenants, runs, dir, pwsh, log, ids = overheadIds }) {
  const path = writeScenario(join(dir, 'scenario.json'), overheadScenario({ tenants }));
  const scenario = { path, expected: expectedRows(path) };
  const samples = await measureContenders({ ids, runs, dir, pwsh, log, label: `B2 ${tenants} tenants`, scenarioFor: () => scenario });
  const rows = overheadRows({ tenants, contenders: ids.map((id) => ({ id, seconds: okSeconds(samples[id]) })) });
  const lines = [
    '## B2 overhead',
    '',
    `Zero simulated latency, ${tenants} tenants, MailboxActivityReport for one day, one account (${sessionsPerAccount} sessions). ` +
      `Every second is the tool's own: process start, sign-in, discovery, the sessions and the merge; overhead per tenant = median wall time / ${tenants}. ` +
      `Median of ${runs} runs (min–max), contenders interleaved run by run.`,
    '',
    '| contender | wall s | tenants/s | overhead ms per tenant | max sessions per account | session-limit rejections | output check |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const row of rows) {
    const runsOf = samples[row.id];
    const sessions = describeSessions(runsOf);
    lines.push(
      `| (${row.id}) ${contenders[row.id].name} | ${describeWall(runsOf)} | ` +
        `${row.tenantsPerSecond === null ? '–' : row.tenantsPerSecond.toFixed(1)} | ${row.msPerTenant === null ? '–' : row.msPerTenant.toFixed(1)} | ` +
        `${sessions.max} | ${sessions.rejections} | ${describeChecks(runsOf)} |`,
    );
  }
  lines.push('', 'Target: (d) ≤ 15 ms of overhead per tenant.', '', `Result: ${describeTargets(overheadTargets(rows))}.`);
  return { section: lines.join('\n'), rows, samples };
}
