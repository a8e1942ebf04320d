import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../runtime/run/manifest.js';
import type { RunSummary } from '../../runtime/run/summary.js';
import type { ExchangeHostSpec } from '../../runtime/backends/exchange/pwsh-host/exchange-host.js';
import { readCatalog } from '../../common/catalog.js';
import { unionColumns } from '../../runtime/run/merge.js';
import { fixtureCatalog, harness, makeTenants, tenantId, USER, type Behaviour } from './fakes.js';

const base = (out: string) => ['run', '--report', 'MailboxActivityReport', '--param', 'ReportType=Daily', '--user', USER, '--out', out];
/** The same, keeping the run folder after a complete run, for the tests that look into it. */
const kept = (out: string) => [...base(out), '--keep-spool'];
const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

describe('dap-report run (fake discovery and runner)', () => {
  it('runs every tenant, merges by domain, writes errors file and summary, exit 0', async () => {
    const h = harness({ tenants: makeTenants(8) });
    const out = join(h.deps.cwd, 'ReportOutput.csv');
    expect(await h.run(base(out))).toBe(0);
    const records = parse(readFileSync(out, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(records[0]!).slice(0, 2)).toEqual(['TenantId', 'TenantDomain']);
    expect(records).toHaveLength(24);
    const domains = records.map((r) => r.TenantDomain!);
    expect(domains).toEqual([...domains].sort());
    expect(readFileSync(join(h.deps.cwd, 'ReportOutput.csv.errors.csv'), 'utf8')).toBe('TenantDomain,TenantId,Category,Message\r\n');
    const summary = readJson<RunSummary>(`${out}.summary.json`);
    expect(summary).toMatchObject({ report: 'MailboxActivityReport', exitCode: 0, output: out, interrupted: false });
    expect(summary.totals).toMatchObject({ tenants: 8, succeeded: 8, failed: 0, noData: 0, rows: 24 });
    expect(summary.accounts[USER]?.maxConcurrentSessions).toBeLessThanOrEqual(3);
    expect(summary.tenants[0]).toMatchObject({ status: 'succeeded', attempts: 1, rows: 3 });
    expect(typeof summary.tenants[0]?.durationMs).toBe('number');
    expect(Date.parse(summary.endedAt)).toBeGreaterThanOrEqual(Date.parse(summary.startedAt));
    expect(h.stderr.text).toMatch(/MailboxActivityReport: 8 tenants, 8 succeeded, 0 failed, 24 rows -> .*ReportOutput\.csv/);
    expect(h.runner.closed).toBe(true);
    expect(h.runner.attempts[0]?.parameters).toEqual([{ name: 'ReportType', type: 'string', array: false, value: 'Daily' }]);
  });

  it('reports failures and empty tenants in the errors file and the summary, exit 1', async () => {
    const tenants = makeTenants(6);
    tenants.push({ tenantId: tenantId(99), name: 'Bad', defaultDomainName: 'bad_domain!.example', initialDomain: 'bad_domain!.example', contractType: 'x' });
    const behaviours: Record<string, Behaviour> = {
      [tenants[0]!.initialDomain]: 'AccessDenied',
      [tenants[1]!.initialDomain]: 'noData',
      [tenants[2]!.initialDomain]: 'badCsv',
      [tenants[3]!.initialDomain]: 'Throttled',
    };
    const h = harness({ tenants, runner: { behaviour: (domain) => behaviours[domain] ?? 'ok' } });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run([...base(out), '--retries', '2'])).toBe(1);
    const errors = parse(readFileSync(join(h.deps.cwd, 'out.csv.errors.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const byDomain = Object.fromEntries(errors.map((e) => [e.TenantDomain, e.Category]));
    expect(byDomain).toEqual({
      [tenants[0]!.initialDomain]: 'AccessDenied',
      [tenants[1]!.initialDomain]: 'NoData',
      [tenants[2]!.initialDomain]: 'InvalidData',
      [tenants[3]!.initialDomain]: 'Throttled',
      'bad_domain!.example': 'InvalidDomain',
    });
    expect(errors.every((e) => e.Message && e.TenantId)).toBe(true);
    const summary = readJson<RunSummary>(`${out}.summary.json`);
    expect(summary.totals).toMatchObject({ tenants: 7, succeeded: 2, noData: 1, failed: 4, rows: 6 });
    expect(summary.totals.byCategory).toEqual({ AccessDenied: 1, NoData: 1, InvalidData: 1, Throttled: 1, InvalidDomain: 1 });
    expect(summary.tenants.find((t) => t.domain === tenants[3]!.initialDomain)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(summary.tenants.find((t) => t.domain === tenants[0]!.initialDomain)).toMatchObject({ attempts: 1 });
    // the invalid domain never reached the runner
    expect(h.runner.attempts.some((j) => j.domain.includes('bad_domain'))).toBe(false);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(new Set(rows.map((r) => r.TenantDomain))).toEqual(new Set([tenants[4]!.initialDomain, tenants[5]!.initialDomain]));
  });

  it('counts NoData as success: exit 0', async () => {
    const h = harness({ tenants: makeTenants(3), runner: { behaviour: () => 'noData' } });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run(base(out))).toBe(0);
    // no tenant has rows: the report's declared columns all the same
    const declared = readCatalog(fixtureCatalog).reports.find((r) => r.name === 'MailboxActivityReport')!.columns.map((c) => c.name);
    expect(readFileSync(out, 'utf8')).toBe(`${unionColumns([declared]).map((c) => `"${c}"`).join(',')}\r\n`);
    expect(declared.length).toBeGreaterThan(2);
    expect(readFileSync(join(h.deps.cwd, 'out.csv.errors.csv'), 'utf8').match(/NoData/g)).toHaveLength(3);
  });

  it('a wrong password stops at the first sign-in: exit 3, one sign-in, no tenant attempt, no output', async () => {
    const h = harness({ env: { DAP_PASSWORD: 'wrong' }, badPasswords: ['wrong'] });
    const out = join(h.deps.cwd, 'out.csv');
    await expect(h.run(base(out))).rejects.toMatchObject({ code: 'AUTHENTICATION_FAILED', exitCode: 3 });
    expect(h.discovery.signIns).toEqual([USER]);
    expect(h.runner.attempts).toEqual([]);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.dap-run`)).toBe(false);
  });

  it('an authentication failure in a tenant stops the whole run at once: exit 3, no output', async () => {
    const tenants = makeTenants(10);
    const h = harness({ tenants, runner: { behaviour: (domain) => (domain === tenants[9]!.initialDomain ? 'AuthenticationFailed' : 'ok'), delayMs: 5 } });
    const out = join(h.deps.cwd, 'out.csv');
    await expect(h.run([...base(out), '--max-sessions', '1'])).rejects.toMatchObject({ code: 'AUTHENTICATION_FAILED', exitCode: 3 });
    expect(h.runner.attempts).toHaveLength(1); // tenants[9] has the first domain
    expect(existsSync(out)).toBe(false);
  });

  it('spreads tenants over several accounts, each with its own password variable and cap', async () => {
    const second = 'ops@contoso.onmicrosoft.com';
    const h = harness({ tenants: makeTenants(12), env: { DAP_PASSWORD_OPS_CONTOSO_ONMICROSOFT_COM: 'ops-secret', DAP_PASSWORD: 'admin-secret' }, runner: { delayMs: 5 } });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run([...base(out), '--user', second, '--max-sessions', '2'])).toBe(0);
    const spec = h.openExchangeHost.mock.calls[0]![0] as ExchangeHostSpec;
    expect(spec.sessionsPerAccount).toBe(2);
    expect(spec.accounts).toEqual([
      { userName: USER, password: 'admin-secret' },
      { userName: second, password: 'ops-secret' },
    ]);
    expect(h.discovery.signIns).toEqual([USER, second]);
    const summary = readJson<RunSummary>(`${out}.summary.json`);
    expect(summary.tenants.filter((t) => t.account === USER)).toHaveLength(6);
    expect(summary.tenants.filter((t) => t.account === second)).toHaveLength(6);
    expect(h.runner.maxOpen.get(USER)).toBeLessThanOrEqual(2);
    expect(h.runner.maxOpen.get(second)).toBeLessThanOrEqual(2);
    expect(summary.totals.tenants).toBe(12); // tenants both accounts see run once
  });

  it('filters by domain, TenantId, --exclude and --tenants-file', async () => {
    const tenants = makeTenants(6);
    const h = harness({ tenants });
    const out = join(h.deps.cwd, 'out.csv');
    const list = join(h.deps.cwd, 'list.txt');
    writeFileSync(list, `# customers\n${tenants[2]!.initialDomain.toUpperCase()}\n\n${tenants[3]!.tenantId}\n`);
    const args = [...base(out), '--tenant', tenants[0]!.initialDomain, '--tenant', tenants[1]!.tenantId, '--tenants-file', 'list.txt', '--exclude', tenants[3]!.initialDomain];
    expect(await h.run(args)).toBe(0);
    const summary = readJson<RunSummary>(`${out}.summary.json`);
    expect(summary.tenants.map((t) => t.tenantId).sort()).toEqual([tenants[0]!.tenantId, tenants[1]!.tenantId, tenants[2]!.tenantId].sort());
  });

  it('--json prints the summary on stdout; --quiet prints nothing on stderr', async () => {
    const h = harness();
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run([...base(out), '--json', '--quiet'])).toBe(0);
    expect(JSON.parse(h.stdout.text)).toMatchObject({ report: 'MailboxActivityReport', totals: { tenants: 6 } });
    expect(h.stderr.text).toBe('');
  });

  it('prints plain progress lines when stderr is not a terminal', async () => {
    const h = harness({ deps: { progressIntervalMs: 0 } });
    expect(await h.run(base(join(h.deps.cwd, 'out.csv')))).toBe(0);
    expect(h.stderr.text).toMatch(/dap-report: 6 tenants to run/);
    expect(h.stderr.text).toMatch(/dap-report: 6\/6 tenants, done 6, failed 0, remaining 0/);
  });

  it('--simulate starts the simulator, hands its env and stand-ins to the pwsh host, and puts its counters in the summary', async () => {
    const h = harness({ env: {} });
    expect(await h.run(['run', '--simulate'])).toBe(0);
    expect(h.startSimulator).toHaveBeenCalledWith({});
    const spec = h.openExchangeHost.mock.calls[0]![0] as ExchangeHostSpec;
    expect(spec.simulator?.env.DAP_SIM_URL).toBe('http://127.0.0.1:1');
    expect(spec.simulator?.standInModules).toHaveLength(2);
    expect(spec.accounts[0]).toEqual({ userName: USER, password: 'sim-password' });
    const out = join(h.deps.cwd, 'ReportOutput.csv');
    expect(existsSync(out)).toBe(true);
    expect(existsSync(join(h.deps.cwd, 'ReportOutput.csv.errors.csv'))).toBe(true);
    const summary = readJson<RunSummary>(`${out}.summary.json`);
    expect(summary.report).toBe('MailboxActivityReport');
    expect(summary.simulator).toMatchObject({ accounts: { [USER]: { openSessionsAtEnd: 0 } } });
    expect(h.stderr.text).toContain(out);
  });
});

describe('spool, manifest and --resume', () => {
  async function uninterrupted(n: number): Promise<Buffer> {
    const h = harness({ tenants: makeTenants(n) });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run(kept(out))).toBe(0);
    return readFileSync(out);
  }

  it('a run with nothing left to resume removes its run folder, unless --keep-spool; one with failed tenants keeps it for --resume', async () => {
    let h = harness({ tenants: makeTenants(3) });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run(base(out))).toBe(0);
    expect(existsSync(`${out}.dap-run`)).toBe(false);
    expect(readJson<RunSummary>(`${out}.summary.json`).runDirectory).toBeNull();
    expect(await h.run(kept(out))).toBe(0);
    expect(existsSync(join(`${out}.dap-run`, 'manifest.json'))).toBe(true);
    h = harness({ tenants: makeTenants(3), runner: { behaviour: (domain) => (domain === makeTenants(3)[1]!.initialDomain ? 'AccessDenied' : 'ok') }, cwd: h.deps.cwd });
    expect(await h.run([...base(out), '--fresh'])).toBe(1);
    expect(readJson<RunSummary>(`${out}.summary.json`).runDirectory).toBe(`${out}.dap-run`);
    expect(readJson<Manifest>(join(`${out}.dap-run`, 'manifest.json')).tenants.filter((t) => t.state === 'failed')).toHaveLength(1);
  });

  it('keeps one part per tenant and an atomically written manifest', async () => {
    const h = harness({ tenants: makeTenants(4) });
    const out = join(h.deps.cwd, 'out.csv');
    await h.run(kept(out));
    const manifest = readJson<Manifest>(join(`${out}.dap-run`, 'manifest.json'));
    expect(manifest.fingerprint).toEqual({ report: 'MailboxActivityReport', parameters: [{ name: 'ReportType', value: 'Daily' }], tenants: [], exclude: [] });
    expect(manifest.tenants.map((t) => t.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(readdirSync(join(`${out}.dap-run`, 'parts')).sort()).toEqual(manifest.tenants.map((t) => `${t.tenantId}.csv`).sort());
    expect(readdirSync(`${out}.dap-run`).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('SIGINT after k tenants: exit 130 and a hint; --resume runs only the rest and gives byte-identical output', async () => {
    const expected = await uninterrupted(10);
    let h = harness({ tenants: makeTenants(10), runner: { delayMs: 5, afterAttempt: (_job, done) => done === 3 && h.signals.emit('SIGINT') } });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run([...kept(out), '--max-sessions', '1'])).toBe(130);
    expect(h.stderr.text).toMatch(/--resume/);
    expect(existsSync(out)).toBe(false);
    const manifest = readJson<Manifest>(join(`${out}.dap-run`, 'manifest.json'));
    const done = manifest.tenants.filter((t) => t.state === 'succeeded').length;
    expect(done).toBe(3);
    expect(readJson<RunSummary>(`${out}.summary.json`)).toMatchObject({ interrupted: true, exitCode: 130 });

    const cwd = h.deps.cwd;
    h = harness({ tenants: makeTenants(10), cwd });
    expect(await h.run([...kept(out), '--resume'])).toBe(0);
    expect(h.runner.attempts).toHaveLength(10 - done);
    expect(readFileSync(out).equals(expected)).toBe(true);
    expect(readJson<RunSummary>(`${out}.summary.json`).totals).toMatchObject({ reused: 3, succeeded: 10 });
  });

  it('after a kill (states left pending, half-written files, a corrupt part) --resume is byte-identical', async () => {
    const expected = await uninterrupted(8);
    let h = harness({ tenants: makeTenants(8) });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run(kept(out))).toBe(0);
    rmSync(out);
    const run = `${out}.dap-run`;
    const manifest = readJson<Manifest>(join(run, 'manifest.json'));
    // what kill -9 leaves: the last tenants never recorded, a temporary file, and a part cut short
    for (const t of manifest.tenants.slice(5)) {
      t.state = 'pending';
      rmSync(join(run, t.part!));
      delete t.part;
    }
    writeFileSync(join(run, 'parts', `.${manifest.tenants[5]!.tenantId}.attempt1.csv.tmp`), 'TenantId,Tenant');
    writeFileSync(join(run, manifest.tenants[0]!.part!), 'TenantId,TenantDomain,Date\n"cut');
    writeFileSync(join(run, 'manifest.json'), JSON.stringify(manifest));
    const cwd = h.deps.cwd;
    h = harness({ tenants: makeTenants(8), cwd });
    expect(await h.run([...kept(out), '--resume'])).toBe(0);
    expect(h.runner.attempts.map((j) => j.tenantId).sort()).toEqual([manifest.tenants[0]!.tenantId, ...manifest.tenants.slice(5).map((t) => t.tenantId)].sort());
    expect(readFileSync(out).equals(expected)).toBe(true);
    expect(readdirSync(join(run, 'parts')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a new run or a resume removes the temporary files a killed run left beside its files, and nothing else', async () => {
    let h = harness({ tenants: makeTenants(3) });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run(kept(out))).toBe(0);
    const run = `${out}.dap-run`;
    const leftovers = ['.out.csv.4242.0a1b2c3d.tmp', '.out.csv.errors.csv.4242.0a1b2c3d.tmp', '.out.csv.summary.json.77.ffffffff.tmp'];
    const untouched = ['.out.csv.4242.0a1b2c3d.tmp.keep', '.other.csv.4242.0a1b2c3d.tmp', 'out.csv.4242.0a1b2c3d.tmp', '.out.csv.x.0a1b2c3d.tmp', '.out.csv.4242.0A1B2C3D.tmp', '.out.csv.4242.0a1b.tmp', 'notes.txt'];
    for (const name of [...leftovers, ...untouched]) writeFileSync(join(h.deps.cwd, name), 'x');
    writeFileSync(join(run, '.manifest.json.4242.0a1b2c3d.tmp'), '{');
    for (const resume of [false, true]) {
      h = harness({ tenants: makeTenants(3), cwd: h.deps.cwd });
      expect(await h.run([...kept(out), ...(resume ? ['--resume'] : [])])).toBe(0);
      const names = readdirSync(h.deps.cwd);
      expect(names.filter((f) => leftovers.includes(f))).toEqual([]);
      expect(names.filter((f) => untouched.includes(f)).sort()).toEqual([...untouched].sort());
      expect(readdirSync(run).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      for (const name of leftovers) writeFileSync(join(h.deps.cwd, name), 'x');
    }
  });

  it('a second SIGINT stops at once, even with hanging tenants', async () => {
    const h = harness({ tenants: makeTenants(5), runner: { behaviour: () => 'hang' } });
    h.deps.graceMs = 60_000;
    const out = join(h.deps.cwd, 'out.csv');
    let started = 0;
    h.runner.run = ((original) => async (job, signal) => {
      started += 1;
      if (started === 3) setTimeout(() => {
        h.signals.emit('SIGINT');
        h.signals.emit('SIGINT');
      }, 5);
      return original(job, signal);
    })(h.runner.run.bind(h.runner));
    expect(await h.run(kept(out))).toBe(130);
    const manifest = readJson<Manifest>(join(`${out}.dap-run`, 'manifest.json'));
    expect(manifest.tenants.every((t) => t.state === 'pending')).toBe(true);
  });

  it('resuming with other parameters is a usage error (exit 2) and starts nothing', async () => {
    let h = harness();
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run(kept(out))).toBe(0);
    h = harness({ cwd: h.deps.cwd });
    await expect(h.run(['run', '--report', 'MailboxActivityReport', '--param', 'ReportType=Weekly', '--user', USER, '--out', out, '--resume'])).rejects.toMatchObject({
      code: 'RESUME_MISMATCH',
      exitCode: 2,
      message: expect.stringMatching(/ReportType=Daily.*ReportType=Weekly/),
    });
    expect(h.openExchangeHost).not.toHaveBeenCalled();
  });

  /** [what the saved run is, how its manifest is changed after an interrupted run] */
  const unfinishedRuns: Array<[string, (m: Manifest) => void, RegExp]> = [
    ['interrupted: tenants pending', () => undefined, /\d+ of 6 tenant\(s\) not run yet/],
    ['every tenant ran but nothing was merged', (m) => {
      for (const t of m.tenants) if (t.state === 'pending') t.state = 'failed';
    }, /no merged output was written/],
    ['tenants pending although an output was merged once', (m) => {
      m.mergedAt = '2015-03-18T10:00:00.000Z';
    }, /not run yet/],
  ];

  it.each(unfinishedRuns)('the same command again without --resume refuses an unfinished run (%s): exit 2, the run untouched; --fresh discards it', async (_what, change, detail) => {
    let h = harness({ tenants: makeTenants(6), runner: { afterAttempt: (_job, done) => done === 2 && h.signals.emit('SIGINT') } });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run([...kept(out), '--max-sessions', '1'])).toBe(130);
    const manifestPath = join(`${out}.dap-run`, 'manifest.json');
    const manifest = readJson<Manifest>(manifestPath);
    change(manifest);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const before = readdirSync(join(`${out}.dap-run`, 'parts')).sort();
    expect(before).toHaveLength(2);

    h = harness({ tenants: makeTenants(6), cwd: h.deps.cwd });
    await expect(h.run(kept(out))).rejects.toMatchObject({
      code: 'UNFINISHED_RUN',
      exitCode: 2,
      message: expect.stringMatching(/add --resume to finish it, or --fresh to discard it/),
    });
    await expect(h.run(kept(out))).rejects.toMatchObject({ message: expect.stringMatching(detail) });
    expect(h.openExchangeHost).not.toHaveBeenCalled();
    expect(readFileSync(manifestPath, 'utf8')).toBe(JSON.stringify(manifest));
    expect(readdirSync(join(`${out}.dap-run`, 'parts')).sort()).toEqual(before);

    h = harness({ tenants: makeTenants(6), cwd: h.deps.cwd });
    expect(await h.run([...kept(out), '--fresh'])).toBe(0);
    expect(h.runner.attempts).toHaveLength(6);
    expect(readJson<RunSummary>(`${out}.summary.json`).totals).toMatchObject({ reused: 0, succeeded: 6 });
  });

  it('a saved manifest that cannot be read refuses a new run too, naming --fresh; --fresh discards it', async () => {
    let h = harness({ tenants: makeTenants(3) });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run(kept(out))).toBe(0);
    writeFileSync(join(`${out}.dap-run`, 'manifest.json'), JSON.stringify({ format: 1, tenants: [null] }));
    h = harness({ tenants: makeTenants(3), cwd: h.deps.cwd });
    await expect(h.run(kept(out))).rejects.toMatchObject({ code: 'RUN_MANIFEST_INVALID', exitCode: 2, message: expect.stringMatching(/tenants\.0: [\s\S]*--fresh/) });
    expect(await h.run([...kept(out), '--fresh'])).toBe(0);
  });

  it('a finished run (merged, even with failed tenants) is replaced by the same command without --resume', async () => {
    let h = harness({ tenants: makeTenants(3), runner: { behaviour: (domain) => (domain.startsWith('customer000') ? 'AccessDenied' : 'ok') } });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run(kept(out))).toBe(1);
    expect(readJson<Manifest>(join(`${out}.dap-run`, 'manifest.json')).mergedAt).toEqual(expect.any(String));
    h = harness({ tenants: makeTenants(3), cwd: h.deps.cwd });
    expect(await h.run(kept(out))).toBe(0);
    expect(h.runner.attempts).toHaveLength(3);
  });

  it('a new run without --resume starts afresh', async () => {
    let h = harness({ tenants: makeTenants(3) });
    const out = join(h.deps.cwd, 'out.csv');
    await h.run(kept(out));
    h = harness({ tenants: makeTenants(3), cwd: h.deps.cwd });
    expect(await h.run(kept(out))).toBe(0);
    expect(h.runner.attempts).toHaveLength(3);
  });
});
