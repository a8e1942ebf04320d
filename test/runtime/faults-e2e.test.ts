/**
 * dap-report as a user runs it (a process of its own, with the pwsh that setup installs and the
 * simulator), under faults, a terminal's Ctrl-C and a busy machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { readCsvHeader } from '../../runtime/platform/files/csv-files.js';
import type { Manifest } from '../../runtime/run/manifest.js';
import type { RunSummary } from '../../runtime/run/summary.js';
import { passwordVariableFor } from '../../runtime/backends/exchange/credentials.js';
import { buildWorld, loadScenario } from '../../simulator/index.js';
import type { SimulatorStats } from '../../simulator/simulator-types.js';
import { pwsh } from '../helpers/powershell.js';
import { tempDir } from './fakes.js';

const bin = join(projectRoot, 'bin', 'dap-report.js');
const params = ['--param', 'ReportType=Daily', '--param', 'StartDate=2015-03-18', '--param', 'EndDate=2015-03-18'];
const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const env = { ...process.env, DAP_PWSH: pwsh.path, DAP_PASSWORD: '' };

const busy: ChildProcess[] = [];
afterEach(() => {
  while (busy.length > 0) busy.pop()!.kill('SIGKILL');
});

/** Keeps both cores busy, as `yes > /dev/null` twice would. */
function loadTheMachine(): void {
  for (let i = 0; i < 2; i += 1) busy.push(spawn('yes', [], { stdio: 'ignore' }));
}

/** The processes started, directly or not, by `root` (from the parent ids in /proc). */
function descendantsOf(root: number): Set<number> {
  const parent = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      // the command name may hold spaces and parentheses: the fields after the last ')' are fixed
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const found = new Set<number>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!found.has(pid) && (ppid === root || found.has(ppid))) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return found;
}

/** Processes whose command line contains `needle`, other than this test process. */
function processesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle) && Number(pid) !== process.pid) pids.push(Number(pid));
    } catch {
      // gone
    }
  }
  return pids;
}

function scenario(dir: string, value: Record<string, unknown>): string {
  const path = join(dir, 'scenario.json');
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('dap-report under faults (its own process, real pwsh, the simulator)', () => {
  it('two accounts, 120 tenants, every fault kind, hangs, both cores busy: 0 rejections, 0 sessions left, every healthy tenant succeeds, one pwsh host', async () => {
    const cwd = tempDir();
    const accounts = [
      { userName: 'admin@contoso.onmicrosoft.com', password: 'First-Pa55word!' },
      { userName: 'ops@contoso.onmicrosoft.com', password: 'Second-Pa55word!' },
    ];
    const file = scenario(cwd, {
      seed: 'faults-two-accounts',
      // 120 rather than 240: every fault kind still hits at least two tenants (checked below), and
      // six sessions still stay busy past the hangs' timeouts; twice the tenants asserted nothing more
      tenantCount: 120,
      accounts,
      latency: { signInMs: 0, sessionOpenMs: 20, commandMs: 40, jitterMs: 20 },
      faults: [
        { type: 'throttle', mode: 'fail', failures: 2, rate: 0.05 },
        { type: 'throttle', mode: 'delay', delayMs: 200, rate: 0.05 },
        { type: 'accessDenied', rate: 0.04 },
        { type: 'noData', rate: 0.04 },
        { type: 'hang', rate: 0.02 },
        { type: 'slow', delayMs: 1500, rate: 0.04 },
        { type: 'schemaDrift', mode: 'extra', column: 'ExtraColumn', rate: 0.04 },
        { type: 'schemaDrift', mode: 'missing', rate: 0.03 },
        { type: 'malformedRows', rate: 0.03 },
      ],
    });
    loadTheMachine();
    const runEnv = { ...env, [passwordVariableFor(accounts[1]!.userName)]: accounts[1]!.password };
    const child = execa(
      process.execPath,
      [bin, 'run', '--simulate', file, ...params, '--user', accounts[0]!.userName, '--user', accounts[1]!.userName, '--tenant-timeout', '8', '--retries', '2', '--quiet'],
      { cwd, env: runEnv, reject: false },
    );
    // sample the process table while it runs: one pwsh host, never one per session
    let maxHosts = 0;
    let maxPwsh = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        // this run's processes only: other pwsh processes on the machine are not its doing
        const mine = child.pid === undefined ? new Set<number>() : descendantsOf(child.pid);
        maxHosts = Math.max(maxHosts, processesWith('DapHost.ps1').filter((pid) => mine.has(pid)).length);
        maxPwsh = Math.max(maxPwsh, processesWith('pwsh.dll').filter((pid) => mine.has(pid)).length);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const result = await child;
    sampling = false;
    await sampler;
    expect(result.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    expect(result.exitCode).toBe(1);
    expect(maxHosts).toBe(1);
    expect(maxPwsh).toBe(1);
    // dap-report exited and left nothing behind
    expect(processesWith(cwd)).toEqual([]);

    const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    const stats = summary.simulator as SimulatorStats;
    for (const account of accounts) {
      expect(stats.accounts[account.userName], account.userName).toMatchObject({ sessionLimitRejections: 0, openSessionsAtEnd: 0 });
      expect(stats.accounts[account.userName]!.maxConcurrentSessions).toBeLessThanOrEqual(3);
      expect(summary.tenants.some((t) => t.account === account.userName)).toBe(true);
    }
    const world = buildWorld(loadScenario(file));
    // the run met every fault kind of the scenario
    const met = new Set([...world.tenantFaults.values()].flat().map((f) => `${f.spec.type}${'mode' in f.spec ? `:${f.spec.mode}` : ''}`));
    expect([...met].sort()).toEqual(['accessDenied', 'hang', 'malformedRows', 'noData', 'schemaDrift:extra', 'schemaDrift:missing', 'slow', 'throttle:delay', 'throttle:fail']);
    let healthy = 0;
    for (const tenant of summary.tenants) {
      const record = world.tenants.find((t) => t.tenantId.toLowerCase() === tenant.tenantId)!;
      const faults = (world.tenantFaults.get(record.initialDomain.toLowerCase()) ?? []).map((f) => f.spec.type);
      if (faults.includes('accessDenied')) expect(tenant, tenant.domain).toMatchObject({ status: 'failed', category: 'AccessDenied', attempts: 1 });
      else if (faults.includes('hang')) expect(tenant, tenant.domain).toMatchObject({ status: 'failed', category: 'Timeout', attempts: 2 });
      else {
        healthy += 1;
        expect(['succeeded', 'noData'], `${tenant.domain} ${tenant.category ?? ''} ${tenant.message ?? ''}`).toContain(tenant.status);
      }
    }
    expect(healthy).toBeGreaterThan(90);
    const header = await readCsvHeader(join(cwd, 'ReportOutput.csv'));
    expect(header.slice(0, 2)).toEqual(['TenantId', 'TenantDomain']);
    expect(header).toContain('ExtraColumn');
    expect(summary.columns?.undeclared).toContain('ExtraColumn');
  }, 600_000);

  it("a terminal's Ctrl-C (SIGINT to the whole process group): running tenants finish, none is called crashed, exit 130; --resume completes the run", async () => {
    const cwd = tempDir();
    const file = scenario(cwd, { tenantCount: 30, latency: { signInMs: 0, sessionOpenMs: 0, commandMs: 1200, jitterMs: 0 } });
    // detached: its own process group, as a shell gives a foreground job
    const child = spawn(process.execPath, [bin, 'run', '--simulate', file, ...params], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const manifestPath = join(cwd, 'ReportOutput.csv.dap-run', 'manifest.json');
    for (let i = 0; i < 600; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      if (existsSync(manifestPath) && readJson<Manifest>(manifestPath).tenants.filter((t) => t.state !== 'pending').length >= 4) break;
    }
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/stopping; no tenant is started any more, the [1-3] running may finish within 30 s/);
    expect(stderr).toMatch(/interrupted; \d+ tenant\(s\) not run\. The run is saved in .*: run the same command with --resume to finish it\./);
    const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    expect(summary.tenants.filter((t) => t.category === 'WorkerCrashed' || t.category === 'Interrupted')).toEqual([]);
    expect(summary.tenants.filter((t) => t.status === 'pending').length).toBeGreaterThan(0);
    expect((summary.simulator as SimulatorStats).accounts['admin@contoso.onmicrosoft.com']!.openSessionsAtEnd).toBe(0);

    const resumed = await execa(process.execPath, [bin, 'run', '--simulate', file, ...params, '--resume', '--quiet'], { cwd, env, reject: false });
    expect(resumed.exitCode).toBe(0);
    const final = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    expect(final.totals.pending).toBe(0);
    expect(final.totals.reused).toBe(summary.totals.succeeded + summary.totals.noData);
  }, 300_000);
});
