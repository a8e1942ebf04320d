/**
 * End to end with the full pwsh, the generated DapReporting module and the simulator's stand-ins.
 * Skipped where pwsh cannot be installed; they run as soon as it can.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { createProgram } from '../../runtime/cli/cli.js';
import type { Manifest } from '../../runtime/run/manifest.js';
import type { RuntimeDeps } from '../../runtime/backends/runtime-deps.js';
import { startEmbeddedSimulator } from '../../runtime/backends/simulate.js';
import type { RunSummary } from '../../runtime/run/summary.js';
import { buildWorld, loadScenario } from '../../simulator/index.js';
import type { SimulatorStats } from '../../simulator/simulator-types.js';
import type { SimulatedWorld } from '../../runtime/backends/contract/simulated-world.js';
import { dayOf, mailboxActivityRow } from '../../simulator/world/report-data.js';
import { pwsh } from '../helpers/powershell.js';
import { tempDir, USER } from './fakes.js';
import { readCsvHeader } from '../../runtime/platform/files/csv-files.js';

const bin = join(projectRoot, 'bin', 'dap-report.js');
const params = ['--param', 'ReportType=Daily', '--param', 'StartDate=2015-03-18', '--param', 'EndDate=2015-03-18'];
const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

function scenario(dir: string, value: Record<string, unknown>): string {
  const path = join(dir, 'scenario.json');
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** Runs the CLI in this process with the real pwsh pool, keeping hold of the simulator. */
async function runInProcess(args: string[], cwd: string, extra: Partial<RuntimeDeps> = {}) {
  let simulator: SimulatedWorld<SimulatorStats> | undefined;
  let stats: SimulatorStats | undefined;
  let exitCode: number | undefined;
  let error: unknown;
  const signals = new EventEmitter();
  const program = createProgram({
    cwd,
    env: { ...process.env, DAP_PASSWORD: '' },
    signals,
    setExitCode: (code) => {
      exitCode = code;
    },
    startSimulator: async (options) => {
      const world = await startEmbeddedSimulator(options);
      const stop = world.stop.bind(world);
      world.stop = async () => (stats = await stop());
      simulator = world;
      return world;
    },
    ...extra,
  }).exitOverride();
  const running = program.parseAsync(['node', 'dap-report', ...args]).catch((e: unknown) => {
    error = e;
  });
  return { signals, done: running.then(() => ({ exitCode, error, stats: stats ?? simulator?.stats() })) };
}

describe('dap-report with full pwsh and the simulator', () => {
  it('25 tenants: every row matches the simulator, TenantId/TenantDomain first, no remoting columns', async () => {
    const cwd = tempDir();
    const run = await runInProcess(['run', '--simulate', ...params, '--quiet'], cwd);
    const { exitCode, stats } = await run.done;
    expect(exitCode).toBe(0);
    const text = readFileSync(join(cwd, 'ReportOutput.csv'), 'utf8');
    const header = await readCsvHeader(join(cwd, 'ReportOutput.csv'));
    expect(header.slice(0, 2)).toEqual(['TenantId', 'TenantDomain']);
    for (const column of ['PSComputerName', 'RunspaceId', 'PSShowComputerName']) expect(header).not.toContain(column);
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    const world = buildWorld(loadScenario());
    const day = dayOf(Date.UTC(2015, 2, 18));
    const withData = world.tenants.filter((t) => t.mailboxes.length > 0);
    expect(rows).toHaveLength(withData.length);
    for (const tenant of withData) {
      // TenantDomain is the customer's default domain on every backend (the cmdlet's own TenantName is the initial one)
      const row = rows.find((r) => r.TenantDomain === tenant.defaultDomain.toLowerCase());
      expect(row, tenant.defaultDomain).toBeDefined();
      const want = mailboxActivityRow(world.seed, tenant, day);
      expect(row!.TenantId!.toLowerCase()).toBe(tenant.tenantId.toLowerCase());
      // the customer's name, from its partner contract
      expect(row!.CustomerName).toBe(tenant.name);
      for (const column of ['TenantGuid', 'TenantName', 'TotalNumberOfActiveMailboxes', 'AccountCreated', 'AccountDeleted']) {
        expect(row![column], `${tenant.initialDomain} ${column}`).toBe(String(want[column]));
      }
      // the report's Date column, written as ISO 8601 (Export-Csv alone would write 03/18/2015 00:00:00)
      expect(row!.Date).toBe('2015-03-18');
    }
    const errors = readFileSync(join(cwd, 'ReportOutput.csv.errors.csv'), 'utf8');
    for (const tenant of world.tenants.filter((t) => t.mailboxes.length === 0)) expect(errors).toContain(`${tenant.defaultDomain.toLowerCase()},`);
    const account = stats!.accounts[USER]!;
    expect(account.maxConcurrentSessions).toBeLessThanOrEqual(3);
    expect(account.openSessionsAtEnd).toBe(0);
    expect(account.sessionLimitRejections).toBe(0);
  });

  it('MailboxStatisticsReport: sizes as a bytes column beside their text, dates as ISO 8601, the declared columns in order', async () => {
    const cwd = tempDir();
    const run = await runInProcess(['run', '--simulate', '--report', 'MailboxStatisticsReport', '--quiet'], cwd);
    const { exitCode } = await run.done;
    expect(exitCode).toBe(0);
    const out = join(cwd, 'ReportOutput.csv');
    expect((await readCsvHeader(out)).slice(0, 10)).toEqual([
      'TenantId', 'TenantDomain', 'CustomerName', 'DisplayName', 'MailboxGuid', 'ItemCount', 'TotalItemSize', 'TotalItemSizeBytes', 'LastLogonTime', 'LastUserActionTime',
    ]);
    const rows = parse(readFileSync(out), { columns: true }) as Array<Record<string, string>>;
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      const inText = /\(([\d,]+) bytes\)$/.exec(row.TotalItemSize!)?.[1]?.replaceAll(',', '');
      expect(inText, row.TotalItemSize).toBeDefined();
      expect(row.TotalItemSizeBytes).toBe(inText);
      expect(row.LastLogonTime).toMatch(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z?)?$/);
    }
  });

  it('a wrong password: exit 3, exactly one sign-in, no output file', async () => {
    const cwd = tempDir();
    const file = scenario(cwd, { tenantCount: 10, faults: [{ type: 'wrongPassword' }] });
    const run = await runInProcess(['run', '--simulate', file, ...params, '--quiet'], cwd);
    const { error, stats } = await run.done;
    expect(error).toMatchObject({ code: 'AUTHENTICATION_FAILED', exitCode: 3 });
    const account = Object.values(stats!.accounts)[0]!;
    expect(account.signIns + account.failedSignIns).toBe(1);
    expect(account.sessionsOpened).toBe(0);
    expect(existsSync(join(cwd, 'ReportOutput.csv'))).toBe(false);
  });

  it('kill -9 mid-run (a second run meanwhile is refused), then --resume takes over the lock: byte-identical to an uninterrupted run', async () => {
    const reference = tempDir();
    const slow = { tenantCount: 25, latency: { signInMs: 0, sessionOpenMs: 0, commandMs: 400, jitterMs: 0 } };
    const env = { ...process.env, DAP_PWSH: pwsh.path, DAP_PASSWORD: '' };
    const full = await execa(process.execPath, [bin, 'run', '--simulate', scenario(reference, slow), ...params, '--quiet'], { cwd: reference, env, reject: false });
    expect(full.exitCode).toBe(0);

    const cwd = tempDir();
    const file = scenario(cwd, slow);
    const child = execa(process.execPath, [bin, 'run', '--simulate', file, ...params, '--quiet'], { cwd, env, reject: false });
    const manifestPath = join(cwd, 'ReportOutput.csv.dap-run', 'manifest.json');
    for (let i = 0; i < 600; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      if (!existsSync(manifestPath)) continue;
      const done = readJson<Manifest>(manifestPath).tenants.filter((t) => t.state !== 'pending').length;
      if (done >= 6) break;
    }
    // a second process of the same command meanwhile is refused, naming the first (paused, so surely still there)
    child.kill('SIGSTOP');
    const second = await execa(process.execPath, [bin, 'run', '--simulate', file, ...params, '--quiet', '--json'], { cwd, env, reject: false });
    expect(second.exitCode).toBe(2);
    expect(JSON.parse(second.stdout)).toMatchObject({ error: { code: 'RUN_IN_PROGRESS', message: expect.stringContaining(`pid ${child.pid} on `) } });
    child.kill('SIGKILL');
    await child;
    expect(existsSync(join(cwd, 'ReportOutput.csv'))).toBe(false);
    // the killed run could not remove its lock: the resume takes it over (its pid is gone)
    const lock = join(cwd, 'ReportOutput.csv.dap-run', 'run.lock');
    expect(readJson<{ pid: number }>(lock).pid).toBe(child.pid);
    const resumed = await execa(process.execPath, [bin, 'run', '--simulate', file, ...params, '--quiet', '--resume'], { cwd, env, reject: false });
    expect(resumed.exitCode).toBe(0);
    expect(existsSync(lock)).toBe(false);
    expect(readFileSync(join(cwd, 'ReportOutput.csv')).equals(readFileSync(join(reference, 'ReportOutput.csv')))).toBe(true);
    expect(readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json')).totals.reused).toBeGreaterThanOrEqual(6);
    // four runs through pwsh, three of them whole: more than the default on a loaded 2-core machine
  }, 180_000);

  it('SIGINT: exit 130, the manifest saved, 0 open sessions', async () => {
    const cwd = tempDir();
    const file = scenario(cwd, { tenantCount: 25, latency: { signInMs: 0, sessionOpenMs: 0, commandMs: 300, jitterMs: 0 } });
    const run = await runInProcess(['run', '--simulate', file, ...params, '--quiet'], cwd, { graceMs: 20_000 });
    const manifestPath = join(cwd, 'ReportOutput.csv.dap-run', 'manifest.json');
    for (let i = 0; i < 600; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      if (existsSync(manifestPath) && readJson<Manifest>(manifestPath).tenants.some((t) => t.state === 'succeeded')) break;
    }
    run.signals.emit('SIGINT');
    const { exitCode, stats } = await run.done;
    expect(exitCode).toBe(130);
    expect(readJson<Manifest>(manifestPath).tenants.some((t) => t.state === 'pending')).toBe(true);
    expect(Object.values(stats!.accounts).every((a) => a.openSessionsAtEnd === 0)).toBe(true);
  });

  it('100 tenants with random faults: 0 session-limit rejections, 0 open sessions at the end, the right categories', async () => {
    const cwd = tempDir();
    const file = scenario(cwd, {
      seed: 'faults-200',
      // 100 rather than 200: every fault kind still hits at least three tenants (checked below)
      tenantCount: 100,
      faults: [
        { type: 'throttle', mode: 'fail', failures: 1, rate: 0.05 },
        { type: 'accessDenied', rate: 0.05 },
        { type: 'noData', rate: 0.05 },
        { type: 'hang', rate: 0.02 },
        { type: 'schemaDrift', mode: 'extra', column: 'ExtraColumn', rate: 0.05 },
      ],
    });
    const run = await runInProcess(['run', '--simulate', file, ...params, '--quiet', '--tenant-timeout', '10', '--retries', '2'], cwd);
    const { exitCode, stats } = await run.done;
    expect(exitCode).toBe(1);
    for (const account of Object.values(stats!.accounts)) {
      expect(account.sessionLimitRejections).toBe(0);
      expect(account.openSessionsAtEnd).toBe(0);
      expect(account.maxConcurrentSessions).toBeLessThanOrEqual(3);
    }
    const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
    const world = buildWorld(loadScenario(file));
    const met = new Set([...world.tenantFaults.values()].flat().map((f) => f.spec.type));
    expect([...met].sort()).toEqual(['accessDenied', 'hang', 'noData', 'schemaDrift', 'throttle']);
    for (const tenant of summary.tenants) {
      const record = world.tenants.find((t) => t.tenantId.toLowerCase() === tenant.tenantId)!;
      const faults = (world.tenantFaults.get(record.initialDomain.toLowerCase()) ?? []).map((f) => f.spec.type);
      if (faults.includes('accessDenied')) expect(tenant, tenant.domain).toMatchObject({ status: 'failed', category: 'AccessDenied', attempts: 1 });
      else if (faults.includes('hang')) expect(tenant, tenant.domain).toMatchObject({ status: 'failed', category: 'Timeout' });
      else if (faults.includes('noData')) expect(tenant.status, tenant.domain).toBe('noData');
      else if (faults.includes('throttle')) expect(['succeeded', 'noData'], tenant.domain).toContain(tenant.status);
    }
    expect(readFileSync(join(cwd, 'ReportOutput.csv'), 'utf8').split('\r\n')[0]).toContain('ExtraColumn');
  }, 300_000);

  it('--out - through the built bin: stdout holds exactly the CSV a run to a file writes; progress and summary on stderr', async () => {
    const world = { tenantCount: 8, latency: { signInMs: 0, sessionOpenMs: 0, commandMs: 0, jitterMs: 0 } };
    const env = { ...process.env, DAP_PWSH: pwsh.path, DAP_PASSWORD: '' };
    const reference = tempDir();
    const toFile = await execa(process.execPath, [bin, 'run', '--simulate', scenario(reference, world), ...params, '--quiet'], { cwd: reference, env, reject: false });
    expect(toFile.exitCode).toBe(0);

    const cwd = tempDir();
    const toStdout = await execa(process.execPath, [bin, 'run', '--simulate', scenario(cwd, world), ...params, '--out', '-'], { cwd, env, reject: false, stripFinalNewline: false, encoding: 'buffer' });
    expect(toStdout.exitCode).toBe(0);
    expect(Buffer.from(toStdout.stdout).equals(readFileSync(join(reference, 'ReportOutput.csv')))).toBe(true);
    const stderr = Buffer.from(toStdout.stderr).toString('utf8');
    expect(stderr).toMatch(/dap-report: simulator at http:\/\/127\.0\.0\.1:\d+/);
    expect(stderr).toMatch(/MailboxActivityReport: 8 tenants, 8 succeeded, 0 failed, \d+ rows -> stdout/);
    expect(readdirSync(cwd).sort()).toEqual(['dap-report.errors.csv', 'dap-report.html', 'dap-report.summary.json', 'scenario.json']);
    expect(readJson<RunSummary>(join(cwd, 'dap-report.summary.json'))).toMatchObject({ output: '-', runDirectory: null });
  });

  it('--catalog: the pwsh host imports the DapReporting module beside that catalog, not the built-in one', async () => {
    const world = { tenantCount: 4, latency: { signInMs: 0, sessionOpenMs: 0, commandMs: 0, jitterMs: 0 } };
    const generated = tempDir('dap-generated-');
    cpSync(join(projectRoot, 'module', 'DapReporting'), join(generated, 'DapReporting'), { recursive: true });
    const cwd = tempDir();
    const good = await runInProcess(['run', '--simulate', scenario(cwd, world), '--catalog', generated, ...params, '--quiet'], cwd);
    expect((await good.done).exitCode).toBe(0);
    expect(parse(readFileSync(join(cwd, 'ReportOutput.csv'), 'utf8'), { columns: true }).length).toBeGreaterThan(0);

    // the same folder with a manifest that does not load: the run names that module, so it was the one imported
    const manifest = join(generated, 'DapReporting', 'DapReporting.psd1');
    writeFileSync(manifest, '@{ not a manifest\n');
    const other = tempDir();
    const broken = await runInProcess(['run', '--simulate', scenario(other, world), '--catalog', generated, ...params, '--quiet'], other);
    const { error } = await broken.done;
    expect((error as Error).message).toContain(`the DapReporting module ${manifest} could not be imported`);
    expect(existsSync(join(other, 'ReportOutput.csv'))).toBe(false);
  });

  it('the password never appears in any process argv during a run (/proc sampling)', async () => {
    const marker = `Marker-${Date.now()}-pw`;
    const cwd = tempDir();
    const file = scenario(cwd, { tenantCount: 12, accounts: [{ userName: USER, password: marker }], latency: { signInMs: 0, sessionOpenMs: 0, commandMs: 150, jitterMs: 0 } });
    const seen: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
          try {
            const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
            if (cmdline.includes(marker)) seen.push(cmdline);
          } catch {
            // gone
          }
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const run = await runInProcess(['run', '--simulate', file, ...params, '--quiet'], cwd);
    const { exitCode } = await run.done;
    sampling = false;
    await sampler;
    expect(exitCode).toBe(0);
    expect(seen).toEqual([]);
    for (const name of readdirSync(cwd, { recursive: true }).map(String)) {
      const path = join(cwd, name);
      if (existsSync(path) && !name.endsWith('scenario.json') && readdirSync(cwd).length && !isDir(path)) {
        expect(readFileSync(path, 'utf8'), name).not.toContain(marker);
      }
    }
  });
});

function isDir(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}
