// B5 scale: dap-report over many tenants with three accounts and no simulated latency, watched as
// a process tree (wall time, tenants per second, peak memory of Node and pwsh together, how many
// pwsh processes), then one more run profiled: Node with --cpu-prof, the pwsh host with dotnet-trace.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { passwordVariableFor } from '../../dist/runtime/backends/exchange/credentials.js';
import { benchAccounts, reportDay, reportName, sessionsPerAccount, writeScenario, zeroLatency } from './bench-scenarios.mjs';
import { checkOutput, expectedRows } from './check-output.mjs';
import { median, spread } from './measure.mjs';
import { runTree } from './process-tree.mjs';
import { powershellFrame, projectFrame, topHostFrames, topNodeFrames } from './profiles.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const scaleAccounts = 3;
/** The memory target of the whole process tree. */
export const scaleMemoryLimitMb = 500;

export function scaleScenario({ tenants }) {
  return {
    seed: 'dap-bench-scale',
    accounts: benchAccounts.slice(0, scaleAccounts).map((a) => ({ ...a })),
    tenantCount: tenants,
    limits: { maxSessionsPerAccount: sessionsPerAccount },
    latency: { ...zeroLatency },
    faults: [],
  };
}

function dapReportArgs(scenario, out, pwsh) {
  return [
    join(root, 'bin', 'dap-report.js'), 'run', '--simulate', scenario, '--report', reportName,
    '--param', 'ReportType=Daily', '--param', `StartDate=${reportDay}`, '--param', `EndDate=${reportDay}`,
    ...benchAccounts.slice(0, scaleAccounts).flatMap((a) => ['--user', a.userName]),
    '--out', out, '--pwsh', pwsh, '--quiet',
  ];
}

// passwords travel only in the child's environment, never in argv
const passwords = () => Object.fromEntries(benchAccounts.slice(0, scaleAccounts).map((a) => [passwordVariableFor(a.userName), a.password]));

/**
 * One profiled run: Node's CPU profile and a dotnet-trace of the host, summarised. The trace stops
 * on its own before the run ends (`traceSeconds`): dap-report kills an idle host at the end, and a
 * trace whose process is gone cannot name the PowerShell functions the host compiled.
 */
async function profiledRun({ scenario, dir, pwsh, dotnetTrace, log, traceSeconds }) {
  const profDir = join(dir, 'profile');
  mkdirSync(profDir, { recursive: true });
  const trace = join(profDir, 'host.nettrace');
  let tracer;
  const run = runTree(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, ...dapReportArgs(scenario, join(profDir, 'out.csv'), pwsh)], {
    cwd: profDir,
    env: passwords(),
    intervalMs: 50,
    onSample: (pids) => {
      const host = pids.find((p) => p.role === 'pwsh host');
      if (host && !tracer && dotnetTrace) {
        log(`B5: tracing the pwsh host (pid ${host.pid})`);
        const duration = new Date(traceSeconds * 1000).toISOString().slice(11, 19);
        tracer = spawn(dotnetTrace, ['collect', '-p', String(host.pid), '--profile', 'dotnet-sampled-thread-time', '--duration', duration, '--format', 'speedscope', '-o', trace], { stdio: 'ignore' });
      }
    },
  });
  const result = await run;
  if (tracer) await new Promise((resolve) => (tracer.exitCode !== null ? resolve() : tracer.once('exit', resolve)));
  const nodeProfile = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  const speedscope = join(profDir, 'host.speedscope.json');
  return {
    result,
    node: nodeProfile ? topNodeFrames(JSON.parse(readFileSync(join(profDir, nodeProfile), 'utf8')), 15, projectFrame) : undefined,
    host: existsSync(speedscope) ? topHostFrames(JSON.parse(readFileSync(speedscope, 'utf8')), 16, powershellFrame) : undefined,
  };
}

const pct = (part, total) => `${((100 * part) / total).toFixed(0)}%`;

/** Whose a PowerShell function is: the simulator's stand-ins, the DapReporting module, or the runtime's host. */
function psOwner(frame) {
  const name = frame.replace(/^.*dynamicClass\./, '').replace(/[<(].*$/, '');
  if (/^Invoke-DapHost|^(Send|Read|Complete|Stop)-DapHost|^Connect-DapHostAccount|^ConvertTo-DapParameterValue|^Get-DapHostErrorCategory/.test(name)) return [name, 'dap-report host'];
  if (/^(Get|Invoke|Connect|Export)-Dap/.test(name) && !/DapSim/.test(name)) return [name, 'DapReporting module'];
  return [name, 'simulator stand-in'];
}

/**
 * Runs B5 and answers its section of RESULTS.md.
 * @param {{ tenants: number, runs: number, dir: string, pwsh: string, log: (line: string) => void, dotnetTrace?: string }} options
 */
export async function benchScale({ tenants, runs, dir, pwsh, log, dotnetTrace }) {
  const scenario = writeScenario(join(dir, 'scenario.json'), scaleScenario({ tenants }));
  const expected = expectedRows(scenario);
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    log(`B5 ${tenants} tenants: dap-report, ${scaleAccounts} accounts, run ${i + 1}/${runs}`);
    const runDir = join(dir, `run-${i + 1}`);
    mkdirSync(runDir, { recursive: true });
    const out = join(runDir, 'out.csv');
    const measured = await runTree(process.execPath, dapReportArgs(scenario, out, pwsh), { cwd: runDir, env: passwords() });
    samples.push({ ...measured, check: await checkOutput(out, expected) });
  }
  const ok = samples.filter((s) => s.ok);
  const seconds = ok.map((s) => s.seconds);
  const cpuOf = (role) => median(ok.map((s) => s.cpu[role] ?? 0));
  const lines = [
    '## B5 scale',
    '',
    `${tenants.toLocaleString('en-US')} tenants, ${scaleAccounts} accounts (${sessionsPerAccount} sessions each), no simulated latency, ${reportName} for one day: ` +
      `\`dap-report run --simulate\` as a new process each run. The process tree (Node, which also hosts the simulator, and every pwsh it starts) is read from /proc ` +
      `every 100 ms: its summed resident memory, the pwsh processes alive, and the CPU time of each. Median of ${runs} runs (min–max).`,
    '',
    '| wall s | tenants/s | peak RSS of the tree MB | of which Node (with the simulator) / pwsh host MB | pwsh processes at once | CPU s: Node (with the simulator) | CPU s: pwsh host | output check |',
    '|---:|---:|---:|---:|---:|---:|---:|---|',
    ok.length
      ? `| ${spread(seconds)} | ${(tenants / median(seconds)).toFixed(1)} | ${spread(ok.map((s) => s.peakTreeMb), 0)} | ` +
        `${median(ok.map((s) => s.peakByRoleMb.node ?? 0)).toFixed(0)} / ${median(ok.map((s) => s.peakByRoleMb['pwsh host'] ?? 0)).toFixed(0)} | ${Math.max(...ok.map((s) => s.maxPwsh))} | ` +
        `${cpuOf('node').toFixed(1)} | ${cpuOf('pwsh host').toFixed(1)} | ${samples.every((s) => s.check.ok) ? samples[0].check.text : samples.map((s) => s.check.text).join('; ')} |`
      : `| failed: ${samples.map((s) => `exit ${s.status}: ${s.stderr.split('\n').filter(Boolean).at(-1) ?? ''}`).join('; ')} | | | | | | | |`,
    '',
    `Target: the process tree stays under ${scaleMemoryLimitMb} MB, with one pwsh host. Result: ${
      ok.length && Math.max(...ok.map((s) => s.peakTreeMb)) < scaleMemoryLimitMb && Math.max(...ok.map((s) => s.maxPwsh)) === 1 ? 'met' : 'not met'
    }.`,
  ];

  log(`B5: one more run, profiled`);
  // the trace covers most of the run: its first seven tenths at the measured pace
  const profile = await profiledRun({ scenario, dir, pwsh, dotnetTrace, log, traceSeconds: Math.max(5, Math.round(0.7 * (ok.length ? median(seconds) : 30))) });
  lines.push('', '### Where the time goes', '');
  const total = (profile.result.cpu.node ?? 0) + (profile.result.cpu['pwsh host'] ?? 0);
  lines.push(
    `One run of the same scenario with Node under \`--cpu-prof\` and the host under \`dotnet-trace\` (sampled thread time, over the first seven tenths of the run), ${profile.result.seconds.toFixed(1)} s wall ` +
      `(profiling slows it). CPU: Node ${(profile.result.cpu.node ?? 0).toFixed(1)} s (${pct(profile.result.cpu.node ?? 0, total)}), pwsh host ${(profile.result.cpu['pwsh host'] ?? 0).toFixed(1)} s (${pct(profile.result.cpu['pwsh host'] ?? 0, total)}), ` +
      `${(total / tenants * 1000).toFixed(1)} ms of CPU per tenant on ${2} cores.`,
  );
  if (profile.node) {
    lines.push('', "Node, the project's own functions and the garbage collector (inclusive share of Node's CPU samples, idle left out; the simulator runs in this process):", '', '| share | function |', '|---:|---|');
    for (const row of profile.node) lines.push(`| ${row.share} | ${row.name.replaceAll('|', '\\|')} |`);
  }
  if (profile.host) {
    lines.push('', 'pwsh host, by PowerShell function (inclusive share of the time its threads were running):', '', '| share | function | whose |', '|---:|---|---|');
    for (const row of profile.host) {
      const [name, owner] = psOwner(row.name);
      lines.push(`| ${row.share} | ${name} | ${owner} |`);
    }
    const shareOf = (name) => Number(profile.host.find((row) => psOwner(row.name)[0] === name)?.share.replace('%', '') ?? NaN);
    const job = shareOf('Invoke-DapHostTenantJob');
    const remoting = shareOf('Invoke-Command');
    if (Number.isFinite(job) && Number.isFinite(remoting)) {
      lines.push(
        '',
        `Of the time the host spends in tenant attempts (${job.toFixed(1)}%), the simulator's stand-in for remote PowerShell (Invoke-Command: opening the simulated session, ` +
          `the HTTP calls to the simulator, relaying the rows) takes ${remoting.toFixed(1)}%, that is ${((100 * remoting) / job).toFixed(0)}% of each attempt; ` +
          'the rest is the DapReporting report function around it and the host job (parameters, Export-Csv of the rows).',
      );
    }
  } else {
    lines.push('', `pwsh host: not traced (${dotnetTrace ? 'the trace did not complete' : 'dotnet-trace is not installed: bench/setup.sh installs it'}).`);
  }
  return { section: lines.join('\n'), samples };
}
