/**
 * The pwsh host (runtime/backends/exchange/powershell/DapHost.ps1) through the real pwsh, against the simulator:
 * the protocol, cancelling, crashes, the end of input, sealing and secrets.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostSupervisor } from '../../runtime/backends/exchange/pwsh-host/host-supervisor.js';
import { HostTenantRunner } from '../../runtime/backends/exchange/pwsh-host/host-runner.js';
import { defaultModuleManifest } from '../../runtime/backends/exchange/pwsh-host/exchange-host.js';
import { hostEnvironment, HostExitedError, PwshHost, type HostSpawnSpec } from '../../runtime/backends/exchange/pwsh-host/pwsh-host.js';
import type { HostJob } from '../../runtime/backends/exchange/pwsh-host/protocol.js';
import { startSimulator } from '../../simulator/index.js';
import type { RunningSimulator } from '../../simulator/simulator-types.js';
import { pwsh } from '../helpers/powershell.js';
import { tempDir, USER } from './fakes.js';

const PASSWORD = 'Host-Test-Pa55word!';
const day = [
  { name: 'ReportType', type: 'string' as const, array: false, value: 'Daily' },
  { name: 'StartDate', type: 'datetime' as const, array: false, value: '2015-03-18T00:00:00Z' },
  { name: 'EndDate', type: 'datetime' as const, array: false, value: '2015-03-18T00:00:00Z' },
];

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!().catch(() => undefined);
});

async function world(scenario: Record<string, unknown>): Promise<RunningSimulator> {
  const sim = await startSimulator({ scenario: { accounts: [{ userName: USER, password: PASSWORD }], ...scenario } });
  cleanup.push(() => sim.stop());
  return sim;
}

function spec(sim: RunningSimulator, extra: Partial<HostSpawnSpec['hello']> = {}, env: NodeJS.ProcessEnv = process.env): HostSpawnSpec {
  return {
    pwshPath: pwsh.path,
    env: hostEnvironment(env, sim.env),
    hello: { poolSize: 3, accounts: [{ userName: USER, password: PASSWORD }], standInModules: sim.standInModules, moduleManifest: defaultModuleManifest, ...extra },
  };
}

async function start(s: HostSpawnSpec): Promise<PwshHost> {
  const host = await PwshHost.start(s);
  cleanup.push(() => host.kill());
  return host;
}

/** The two discovery steps: the account's contracts, then their tenants' initial domains. */
async function customers(host: PwshHost) {
  const listed = await host.request({ type: 'run', id: 'contracts', kind: 'contracts', account: USER });
  expect(listed.status).toBe('succeeded');
  const found = await host.request({ type: 'run', id: 'customers', kind: 'customers', account: USER, contracts: listed.contracts! });
  expect(found.status).toBe('succeeded');
  expect(found.customers!.map((c) => c.tenantId).sort()).toEqual(listed.contracts!.map((c) => c.tenantId).sort());
  return found.customers!;
}

function job(tenant: { tenantId: string; initialDomain: string }, outPath: string): HostJob {
  return { function: 'Get-DapMailboxActivityReport', tenantId: tenant.tenantId, domain: tenant.initialDomain, parameters: day, outPath, dateColumns: ['Date'], bytesColumns: [] };
}

const openSessions = (sim: RunningSimulator) => sim.stats().accounts[USER]!.openSessions;

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the pwsh host', () => {
  it('is one process: ready with its own pid, then runs attempts concurrently in its pool', async () => {
    const sim = await world({ tenantCount: 6, latency: { signInMs: 0, sessionOpenMs: 0, commandMs: 400, jitterMs: 0 } });
    const host = await start(spec(sim));
    expect(host.ready).toMatchObject({ protocol: 1, pid: host.pid, poolSize: 3 });
    expect(host.ready!.psVersion).toMatch(/^7\.\d+\.\d+$/);
    const list = await customers(host);
    expect(list).toHaveLength(6);
    const dir = tempDir();
    const results = await Promise.all(
      list.slice(0, 3).map((t, i) => host.request({ type: 'run', id: `t${i}`, kind: 'tenant', account: USER, job: job(t, join(dir, `${i}.csv`)) })),
    );
    // three sessions open at the same time: the attempts ran side by side, not one after another
    expect(sim.stats().accounts[USER]!.maxConcurrentSessions).toBe(3);
    for (const [i, result] of results.entries()) {
      expect(result.status === 'succeeded' || result.status === 'noData').toBe(true);
      if (result.status === 'succeeded') expect(readFileSync(join(dir, `${i}.csv`), 'utf8').split('\n')[0]).toMatch(/^"TenantId","TenantDomain",/);
    }
  });

  it('keeps no secret in its environment or argv: the passwords came over stdin', async () => {
    const sim = await world({ tenantCount: 1 });
    const env = { ...process.env, DAP_PASSWORD: 'Env-Secret-1', DAP_PASSWORD_OPS_CONTOSO_COM: 'Env-Secret-2', DAP_GRAPH_CLIENT_SECRET: 'Env-Secret-3', DAP_GRAPH_REFRESH_TOKEN: 'Env-Secret-4' };
    const host = await start(spec(sim, {}, env));
    const environ = readFileSync(`/proc/${host.pid}/environ`, 'utf8');
    const cmdline = readFileSync(`/proc/${host.pid}/cmdline`, 'utf8');
    for (const secret of ['Env-Secret-1', 'Env-Secret-2', 'Env-Secret-3', 'Env-Secret-4', PASSWORD, sim.env.DAP_GRAPH_CLIENT_SECRET!]) {
      expect(environ).not.toContain(secret);
      expect(cmdline).not.toContain(secret);
    }
    expect(environ).toContain(`DAP_SIM_URL=${sim.url}`);
  });

  it('cancel stops a hanging attempt: it answers stopped and its remote session is closed', async () => {
    const sim = await world({ tenantCount: 4, faults: [{ type: 'hang', rate: 1 }] });
    const host = await start(spec(sim));
    const [tenant] = await customers(host);
    const answer = host.request({ type: 'run', id: 'h1', kind: 'tenant', account: USER, job: job(tenant!, join(tempDir(), 'h.csv')) });
    await until(() => openSessions(sim) === 1);
    host.cancel('h1');
    // a hang never ends by itself: an answer at all means the stop took effect
    expect(await answer).toMatchObject({ id: 'h1', status: 'stopped' });
    await until(() => openSessions(sim) === 0);
    // the host goes on serving
    await host.ping(5_000);
  });

  it('ends by itself when its input closes, stopping what runs and closing the sessions', async () => {
    const sim = await world({ tenantCount: 3, faults: [{ type: 'hang', rate: 1 }] });
    const host = await start(spec(sim));
    const list = await customers(host);
    const answers = list.map((t, i) => host.request({ type: 'run', id: `h${i}`, kind: 'tenant', account: USER, job: job(t, join(tempDir(), `${i}.csv`)) }).catch((e: unknown) => e));
    await until(() => openSessions(sim) === 3);
    await host.close(20_000);
    expect(host.alive).toBe(false);
    for (const answer of await Promise.all(answers)) expect(answer).toMatchObject({ status: 'stopped' });
    expect(openSessions(sim)).toBe(0);
  });

  it('a killed host fails its attempts as HostExitedError; the supervisor starts a new one for the next attempt', async () => {
    const sim = await world({ tenantCount: 2, faults: [{ type: 'hang', rate: 1 }] });
    const supervisor = new HostSupervisor(spec(sim));
    cleanup.push(() => supervisor.close(1_000));
    const first = await supervisor.get();
    const [tenant] = await customers(first);
    const answer = first.request({ type: 'run', id: 'k1', kind: 'tenant', account: USER, job: job(tenant!, join(tempDir(), 'k.csv')) });
    await until(() => openSessions(sim) === 1);
    process.kill(first.pid!, 'SIGKILL');
    await expect(answer).rejects.toBeInstanceOf(HostExitedError);
    const second = await supervisor.get();
    expect(second.pid).not.toBe(first.pid);
    expect(supervisor.started).toHaveLength(2);
    // through the runner, a dead host is a WorkerCrashed outcome (transient: the scheduler retries it)
    const runner = new HostTenantRunner(supervisor);
    const controller = new AbortController();
    const outcome = runner.run({ tenantId: tenant!.tenantId, domain: tenant!.initialDomain, account: USER, report: { function: 'Get-DapMailboxActivityReport', columns: [{ name: 'Date', type: 'datetime' }] } as never, parameters: day, outPath: join(tempDir(), 'r.csv'), attempt: 1 }, controller.signal);
    await until(() => openSessions(sim) >= 1);
    process.kill(second.pid!, 'SIGKILL');
    expect(await outcome).toMatchObject({ status: 'failed', category: 'WorkerCrashed' });
  });

  it('refuses another protocol version and a module that does not load, with the reason', async () => {
    const sim = await world({ tenantCount: 1 });
    const broken = join(tempDir(), 'Broken.psm1');
    writeFileSync(broken, 'throw "this module is broken on purpose"\n');
    await expect(start(spec(sim, { moduleManifest: broken }))).rejects.toThrow(/could not start: .*broken on purpose/);
    // a manifest that does not parse imports nothing, without an error of its own: the host says so
    const unparsable = join(tempDir(), 'DapReporting.psd1');
    writeFileSync(unparsable, '@{ this is not a manifest\n');
    await expect(start(spec(sim, { moduleManifest: unparsable }))).rejects.toThrow(`could not start: the DapReporting module ${unparsable} could not be imported`);
    await expect(start({ ...spec(sim), hello: { ...spec(sim).hello, protocol: 99 } as never })).rejects.toThrow(/protocol 99 was asked for; this host speaks 1/);
  });

  it('answers a message it cannot act on with an error, and goes on', async () => {
    const sim = await world({ tenantCount: 1 });
    const host = await start(spec(sim));
    await expect(host.request({ type: 'run', id: 'x', kind: 'tenant', account: 'nobody@example.com', job: job({ tenantId: '00000000-0000-0000-0000-000000000000', initialDomain: 'a.onmicrosoft.com' }, '/tmp/x.csv') })).rejects.toThrow(
      /no credential/,
    );
    await host.ping(5_000);
  });

  it('is sealed: a module named MSOnline in the user module path does not take the stand-ins place', async () => {
    const sim = await world({ tenantCount: 3 });
    // a "real" MSOnline where pwsh looks first: the user's own module folder and PSModulePath
    const home = tempDir();
    const fake = join(home, '.local', 'share', 'powershell', 'Modules', 'MSOnline', '9.9.9');
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'MSOnline.psd1'), "@{ ModuleVersion = '9.9.9'; RootModule = 'MSOnline.psm1'; FunctionsToExport = @('Connect-MsolService', 'Get-MsolPartnerContract') }\n");
    writeFileSync(join(fake, 'MSOnline.psm1'), 'function Connect-MsolService { param($Credential) throw "the real MSOnline was called" }\nfunction Get-MsolPartnerContract { }\n');
    const modules = join(home, '.local', 'share', 'powershell', 'Modules');
    const env = { ...process.env, HOME: home, PSModulePath: modules };
    const host = await start({ ...spec(sim), env: hostEnvironment(env, { ...sim.env, PSModulePath: `${modules}:${sim.env.PSModulePath}` }) });
    expect(await customers(host)).toHaveLength(3);
    // and a stand-in list that does not provide the commands is refused before anything runs
    const empty = join(tempDir(), 'Empty.psm1');
    writeFileSync(empty, 'function Get-Nothing { }\n');
    await expect(start({ ...spec(sim, { standInModules: [empty] }), env: hostEnvironment(env, sim.env) })).rejects.toThrow(/stand-ins are not the commands/);
  });
});
