import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWorkerAnswer } from '../../runtime/pwsh/worker-process.js';
import { PwshWorkerPool } from '../../runtime/pwsh/worker-pool.js';
import { PwshDiscovery } from '../../runtime/pwsh/pwsh-discovery.js';
import { bootstrapCommand, reportJobCommand, workerSpawnSpec, workerSecretVariable } from '../../runtime/pwsh/worker-spawn.js';
import type { RuntimeDeps } from '../../runtime/runtime-deps.js';
import { harness, makeTenants, USER } from './fakes.js';
import { FakeProcesses, type FakeProcessBehaviour } from './fake-worker-process.js';

const marker = 'Pw-Marker-d41d8cd9-☃-\'quote"-$(x)';

function pooled(behaviour: FakeProcessBehaviour, env: NodeJS.ProcessEnv = { DAP_PASSWORD: marker, HOME: '/home/x' }, interruptGraceMs?: number) {
  const processes = new FakeProcesses({ customers: makeTenants(9), ...behaviour });
  const deps: Partial<RuntimeDeps> = {
    createDiscovery: (context) => new PwshDiscovery(context, processes.factory),
    createRunner: (context, accounts, jobFileFor) => new PwshWorkerPool(context, accounts, jobFileFor, processes.factory, interruptGraceMs),
  };
  const h = harness({ env, deps });
  return { h, processes, out: join(h.deps.cwd, 'out.csv') };
}

const args = (out: string) => ['run', '--report', 'MailboxActivityReport', '--param', 'StartDate=2015-03-18', '--user', USER, '--out', out];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

describe('worker spawn spec', () => {
  it('puts the password only in the one-off environment variable, never in argv or command text', () => {
    const context = { pwshPath: '/opt/pwsh', baseEnv: { PATH: '/bin', DAP_PASSWORD: marker, DAP_PASSWORD_X: marker }, extraEnv: { DAP_SIM_URL: 'http://127.0.0.1:9', DAP_PASSWORD: marker } };
    const spec = workerSpawnSpec(context, { userName: USER, password: marker });
    expect(spec.args.join(' ')).not.toContain(marker);
    expect(JSON.stringify(spec.executableOptions)).not.toContain(marker);
    expect(Object.entries(spec.env).filter(([, v]) => v.includes(marker)).map(([k]) => k)).toEqual([workerSecretVariable]);
    expect(spec.env.DAP_SIM_URL).toBe('http://127.0.0.1:9');
    expect(spec.args).toEqual(['-NoLogo', '-NoProfile', '-NonInteractive', '-NoExit', '-Command', '-']);
    expect(bootstrapCommand(context)).not.toContain(marker);
  });

  it('names the job file only as a PowerShell literal', () => {
    expect(reportJobCommand("/tmp/it's here/$(evil).json")).toBe("Invoke-DapWorkerJob -JobFile '/tmp/it''s here/$(evil).json'");
  });
});

describe('parseWorkerAnswer', () => {
  it.each([
    ['{"status":"succeeded","rows":3,"category":null,"message":null}', { status: 'succeeded', rows: 3 }],
    ['WARNING: redirected\n{"status":"noData","rows":0}', { status: 'noData', rows: 0 }],
    ['{"status":"failed","rows":0,"category":"AccessDenied","message":"Access is denied."}', { status: 'failed', rows: 0, category: 'AccessDenied', message: 'Access is denied.' }],
    ['{"status":"failed","rows":0,"category":"Weird","message":"x"}', { status: 'failed', rows: 0, category: 'RemoteError', message: 'x' }],
    ['{"status":"ready","rows":0}', { status: 'ready', rows: 0 }],
  ])('%j', (stdout, answer) => expect(parseWorkerAnswer(stdout)).toEqual(answer));

  it.each(['', 'Segmentation fault', '{"rows":1}', '{not json}'])('no answer in %j', (stdout) => expect(parseWorkerAnswer(stdout)).toBeUndefined());
});

describe('PwshWorkerPool and PwshDiscovery (emulated worker processes)', () => {
  it('reuses persistent workers: no more processes per account than the cap, one sign-in process', async () => {
    const { h, processes, out } = pooled({});
    expect(await h.run([...args(out), '--max-sessions', '2'])).toBe(0);
    // 1 discovery process + at most 2 workers for 9 tenants
    expect(processes.specs.length).toBeLessThanOrEqual(3);
    expect(processes.commands.filter((c) => c.startsWith('Invoke-DapDiscoveryJob'))).toHaveLength(1);
    expect(processes.commands.filter((c) => c.startsWith('Invoke-DapWorkerJob'))).toHaveLength(9);
    expect(processes.live).toBe(0); // everything closed at the end
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe('TenantId,TenantDomain,Date,TotalNumberOfActiveMailboxes,Note,ArchiveStatus');
  });

  it('a crashing worker is killed and replaced, and its tenant retried', async () => {
    const { h, processes, out } = pooled({ job: (job, index) => (job.domain.startsWith('customer004') && index === 1 ? 'crash' : 'ok') });
    expect(await h.run([...args(out), '--max-sessions', '1'])).toBe(0);
    const summary = JSON.parse(readFileSync(`${out}.summary.json`, 'utf8'));
    expect(summary.tenants.find((t: { domain: string }) => t.domain.startsWith('customer004'))).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(processes.specs.length).toBe(3); // discovery, the crashed worker, its replacement
  });

  it('a worker that gives no answer is replaced; after the retries the tenant fails as WorkerCrashed', async () => {
    const { h, processes, out } = pooled({ job: (job) => (job.domain.startsWith('customer002') ? 'garbage' : 'ok') });
    expect(await h.run([...args(out), '--retries', '1'])).toBe(1);
    expect(readFileSync(join(h.deps.cwd, 'Errors.txt'), 'utf8')).toMatch(/customer002[^\r\n]*WorkerCrashed,the pwsh worker gave no answer; stderr: boom/);
    expect(processes.killed).toBeGreaterThanOrEqual(2);
  });

  it('a hanging worker is bounded by --tenant-timeout: interrupted, then replaced, tenant retried', async () => {
    const { h, processes, out } = pooled({ job: (job, index) => (job.domain.startsWith('customer007') && index <= 3 ? 'hang' : 'ok') });
    expect(await h.run([...args(out), '--tenant-timeout', '0.2'])).toBe(0);
    expect(processes.interrupted).toBeGreaterThanOrEqual(1);
    expect(processes.killed).toBeGreaterThanOrEqual(1);
    const summary = JSON.parse(readFileSync(`${out}.summary.json`, 'utf8'));
    expect(summary.tenants.find((t: { domain: string }) => t.domain.startsWith('customer007')).attempts).toBeGreaterThanOrEqual(2);
  });

  it('a worker that ignores the interrupt is killed after the grace period', async () => {
    const { h, processes, out } = pooled({ job: (job, index) => (job.domain.startsWith('customer003') && index === 1 ? 'stuck' : 'ok') }, undefined, 50);
    expect(await h.run([...args(out), '--tenant-timeout', '0.2', '--max-sessions', '1'])).toBe(0);
    expect(processes.interrupted).toBe(1);
    expect(processes.killed).toBeGreaterThanOrEqual(1);
    const summary = JSON.parse(readFileSync(`${out}.summary.json`, 'utf8'));
    expect(summary.tenants.find((t: { domain: string }) => t.domain.startsWith('customer003'))).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('maps Dap.<Category> answers to the errors file', async () => {
    const { h, out } = pooled({ job: (job) => (job.domain.startsWith('customer001') ? { category: 'AccessDenied', message: 'Access is denied.' } : 'ok') });
    expect(await h.run(args(out))).toBe(1);
    expect(readFileSync(join(h.deps.cwd, 'Errors.txt'), 'utf8')).toMatch(/customer001-7\.onmicrosoft\.com,00000000-0000-4000-8000-000000000007,AccessDenied,Access is denied\./);
  });

  it('a wrong password at sign-in: exit 3, one sign-in, no tenant worker started, no output', async () => {
    const { h, processes, out } = pooled({ signInFails: true });
    await expect(h.run(args(out))).rejects.toMatchObject({ code: 'AUTHENTICATION_FAILED', exitCode: 3 });
    expect(processes.specs).toHaveLength(1);
    expect(processes.commands.filter((c) => c.startsWith('Invoke-DapWorkerJob'))).toHaveLength(0);
    expect(existsSync(out)).toBe(false);
  });

  it('the password never reaches argv, command text, job files, spool, output, errors, summary, stdout or stderr', async () => {
    const { h, processes, out } = pooled({ job: (job) => (job.domain.startsWith('customer003') ? { category: 'AccessDenied', message: 'Access is denied.' } : 'ok') });
    expect(await h.run([...args(out), '--json'])).toBe(1);
    for (const spec of processes.specs) {
      expect(spec.args.join('\u0000')).not.toContain(marker);
      expect(spec.executable).not.toContain(marker);
      expect(spec.env[workerSecretVariable]).toBe(marker);
      expect(spec.env.DAP_PASSWORD).toBeUndefined();
    }
    for (const command of processes.commands) expect(command).not.toContain(marker);
    expect(processes.jobTexts.length).toBe(10);
    for (const text of processes.jobTexts) expect(text).not.toContain(marker);
    expect(JSON.parse(processes.jobTexts[1]!)).toMatchObject({ function: 'Get-DapMailboxActivityReport', parameters: [{ name: 'StartDate', type: 'datetime', value: '2015-03-18' }] });
    const files = filesUnder(h.deps.cwd);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(readFileSync(file, 'utf8')).not.toContain(marker);
    expect(h.stdout.text).not.toContain(marker);
    expect(h.stderr.text).not.toContain(marker);
  });
});
