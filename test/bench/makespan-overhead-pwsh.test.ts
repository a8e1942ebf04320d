/**
 * The makespan (B1) and overhead (B2) harness: the PowerShell it runs (parsed by pwsh), the
 * scenarios it writes, the arithmetic of its tables and targets, its output check and the commands
 * it builds. The end-to-end checks (dap-report, and the scripts under dap-sim run) need the full pwsh.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { runGenerator } from '../../generator/cli.js';
import { passwordVariableFor } from '../../runtime/backends/exchange/credentials.js';
import { buildWorld, loadScenario, startSimulator } from '../../simulator/index.js';
import {
  describeTargets, idealSeconds, makespanRows, makespanTargets, overheadRows, overheadTargets,
  type MakespanRow, type OverheadRow,
} from '../../bench/lib/bench-math.mjs';
import {
  benchAccounts, benchSizes, makespanLatency, makespanScenario, overheadScenario, perTenantSeconds, reportDay, sessionsPerAccount,
} from '../../bench/lib/bench-scenarios.mjs';
import { checkOutput, type ExpectedRows } from '../../bench/lib/check-output.mjs';
import { contenderCommand, describeSessions, type ContenderSample } from '../../bench/lib/contenders.mjs';
import { writeMakespanScenarios } from '../../bench/lib/makespan.mjs';
import { benchOverhead } from '../../bench/lib/overhead.mjs';
import { scaleAccounts, scaleScenario } from '../../bench/lib/scale.mjs';
import { pwsh, runPwshScript } from '../helpers/powershell.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'dap-bench-test-'));
const baselineScript = join(projectRoot, 'bench', 'baseline', 'Sequential-Report.ps1');
const aggregateScript = join(projectRoot, 'bench', 'scripts', 'Invoke-AggregateReport.ps1');
// built, not committed: bench/setup.sh builds it for npm run bench, this file's beforeAll for the tests
const generatedScript = join(projectRoot, 'module', 'scripts', 'MailboxActivityReport.ps1');
beforeAll(() => runGenerator({ scripts: dirname(generatedScript) }, { cwd: projectRoot, stdout: () => {} }));
const moduleManifest = join(projectRoot, 'module', 'DapReporting', 'DapReporting.psd1');

// Lists a script's parse errors, parameters, commands, the parameters bound to each command (as
// written) and hashtable keys. The script's path comes in BENCH_SCRIPT; with BENCH_MODULE set, it
// also lists the parameters of the module's Export-DapAggregateReport and report function.
const inspect = `
$tokens = $null; $errors = $null
$ast = [System.Management.Automation.Language.Parser]::ParseFile($env:BENCH_SCRIPT, [ref]$tokens, [ref]$errors)
foreach ($e in $errors) { 'PARSE-ERROR {0}: {1}' -f $e.Extent.StartLineNumber, $e.Message }
foreach ($p in $ast.ParamBlock.Parameters) {
    'PARAM ' + $p.Name.VariablePath.UserPath
    $mandatory = $p.Attributes | Where-Object { $_.TypeName.Name -eq 'Parameter' -and $_.NamedArguments.ArgumentName -contains 'Mandatory' }
    if ($mandatory) { 'MANDATORY ' + $p.Name.VariablePath.UserPath }
}
foreach ($c in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
    $name = $c.GetCommandName()
    'COMMAND ' + $name
    $bound = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($c, $false)
    foreach ($key in $bound.BoundParameters.Keys) { 'BOUND {0} {1}={2}' -f $name, $key, $bound.BoundParameters[$key].Value.Extent.Text }
}
foreach ($h in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.HashtableAst] }, $true)) {
    foreach ($pair in $h.KeyValuePairs) { 'HASHKEY ' + $pair.Item1.Extent.Text }
}
if ($env:BENCH_MODULE) {
    Import-Module -Name $env:BENCH_MODULE
    foreach ($command in @('Export-DapAggregateReport', 'Get-DapMailboxActivityReport')) {
        foreach ($key in (Get-Command -Name $command).Parameters.Keys) { 'HAS {0} {1}' -f $command, $key }
    }
}
'DONE'
`;

interface ScriptFacts {
  errors: string[];
  params: string[];
  mandatory: string[];
  commands: string[];
  bound: (command: string) => Record<string, string>;
  hashKeys: string[];
  has: (command: string) => string[];
}

async function factsOf(script: string, withModule = false): Promise<ScriptFacts> {
  const result = await runPwshScript(inspect, { BENCH_SCRIPT: script, ...(withModule ? { BENCH_MODULE: moduleManifest } : {}) });
  expect(result.stderr).toBe('');
  const lines = result.stdout.split(/\r?\n/).filter(Boolean);
  expect(lines.at(-1)).toBe('DONE');
  const after = (prefix: string) => lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
  return {
    errors: after('PARSE-ERROR '),
    params: after('PARAM '),
    mandatory: after('MANDATORY '),
    commands: after('COMMAND '),
    bound: (command) =>
      Object.fromEntries(after(`BOUND ${command} `).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])),
    hashKeys: after('HASHKEY '),
    has: (command) => after(`HAS ${command} `),
  };
}

describe('the PowerShell the benchmark runs, in pwsh', () => {
  it('the sequential baseline parses and calls only the commands of the documented procedure, one tenant at a time', async () => {
    const facts = await factsOf(baselineScript);
    expect(facts.errors).toEqual([]);
    expect(facts.params).toEqual(['UserName', 'OutputFile']);
    expect([...new Set(facts.commands)].sort()).toEqual(
      [
        'Connect-MsolService', 'ConvertTo-Csv', 'Get-Credential', 'Get-MailboxActivityReport', 'Get-MsolDomain', 'Get-MsolPartnerContract',
        'Import-Module', 'Invoke-Command', 'Out-File', 'Select-Object', 'Where-Object',
      ].sort(),
    );
    // nothing parallel: no ForEach-Object -Parallel, jobs or runspaces
    expect(facts.commands).not.toContain('ForEach-Object');
    expect(facts.commands.filter((c) => /Job|PSSession/.test(c))).toEqual([]);
    expect(facts.bound('Import-Module')).toEqual({ Name: 'MSOnline' });
    expect(facts.bound('Get-Credential')).toMatchObject({ UserName: '$UserName' });
    expect(facts.bound('Get-MsolPartnerContract')).toHaveProperty('All');
    expect(facts.bound('Get-MsolDomain')).toHaveProperty('TenantId');
    const invoke = facts.bound('Invoke-Command');
    expect(invoke).toMatchObject({
      ConnectionUri: '"https://ps.outlook.com/powershell-liveid?DelegatedOrg=$domain"',
      ConfigurationName: 'Microsoft.Exchange',
      Credential: '$credential',
      Authentication: 'Basic',
      AllowRedirection: '-AllowRedirection',
    });
    expect(invoke.ScriptBlock).toMatch(/^\{\s*Get-MailboxActivityReport\b/);
    expect(facts.bound('Get-MailboxActivityReport')).toEqual({ ReportType: 'Daily', StartDate: `'${reportDay}'`, EndDate: `'${reportDay}'` });
    expect(facts.bound('ConvertTo-Csv')).toHaveProperty('NoTypeInformation');
    expect(facts.bound('Out-File')).toMatchObject({ FilePath: '$OutputFile', Append: '-Append' });
  });

  it('the Export-DapAggregateReport contender passes only parameters the module has', async () => {
    const facts = await factsOf(aggregateScript, true);
    expect(facts.errors).toEqual([]);
    expect(facts.params).toEqual(['UserName', 'OutputFile', 'ErrorFile']);
    expect([...new Set(facts.commands)].sort()).toEqual(['Export-DapAggregateReport', 'Get-Credential', 'Import-Module']);
    const exportParameters = facts.has('Export-DapAggregateReport');
    expect(exportParameters.length).toBeGreaterThan(0);
    const bound = facts.bound('Export-DapAggregateReport');
    expect(bound).toMatchObject({ Report: 'MailboxActivityReport', Credential: '$credential' });
    for (const name of Object.keys(bound)) expect(exportParameters).toContain(name);
    expect(facts.hashKeys.sort()).toEqual(['EndDate', 'ReportType', 'StartDate']);
    for (const key of facts.hashKeys) expect(facts.has('Get-DapMailboxActivityReport')).toContain(key);
  });

  it.each([
    ['a', baselineScript],
    ['b', generatedScript],
    ['c', aggregateScript],
  ])('contender (%s) is given only parameters its script declares, and every mandatory one', async (id, script) => {
    const plan = contenderCommand(id, { scenario: '/tmp/scenario.json', pwsh: '/usr/bin/pwsh', dir: '/tmp/run' });
    expect(plan.script).toBe(script);
    const facts = await factsOf(script);
    expect(facts.errors).toEqual([]);
    expect(facts.mandatory).toContain('UserName');
    for (const name of plan.parameters ?? []) expect(facts.params).toContain(name);
    for (const name of facts.mandatory) expect(plan.parameters).toContain(name);
    expect(plan.command).toContain(`-File '${script}'`);
    expect(plan.command).toMatch(/bin\/dap-sim\.js' run --config '\/tmp\/scenario\.json' --stats '\/tmp\/run\/stats\.json' -- '\/usr\/bin\/pwsh' /);
  });
});

describe('the scenarios of B1 and B2', () => {
  it.each([
    ['full', benchSizes.full],
    ['quick', benchSizes.quick],
  ])('%s sizes: the simulator accepts them, with the tenants, accounts and latencies each benchmark needs', (_mode, size) => {
    for (const accounts of [1, 3]) {
      const scenario = loadScenario(makespanScenario({ tenants: size.makespan, accounts }));
      expect(scenario.tenantCount).toBe(size.makespan);
      expect(scenario.accounts).toHaveLength(accounts);
      expect(scenario.limits.maxSessionsPerAccount).toBe(3);
      expect(scenario.faults).toEqual([]);
      expect(scenario.latency).toEqual(makespanLatency);
    }
    const overhead = loadScenario(overheadScenario({ tenants: size.overhead }));
    expect(overhead.tenantCount).toBe(size.overhead);
    expect(overhead.accounts).toHaveLength(1);
    expect(overhead.latency).toEqual({ signInMs: 0, sessionOpenMs: 0, commandMs: 0, jitterMs: 0 });
    expect(buildWorld(overhead).tenants).toHaveLength(size.overhead);
  });

  it('the issue\'s sizes: 120 tenants for B1, 500 for B2, 2,000 for B5; quick 30, 100 and 300', () => {
    expect(benchSizes).toEqual({ full: { makespan: 120, overhead: 500, scale: 2_000 }, quick: { makespan: 30, overhead: 100, scale: 300 } });
  });

  it('B5: three accounts, no latency, no faults; the simulator accepts it', () => {
    const scenario = loadScenario(scaleScenario({ tenants: benchSizes.full.scale }));
    expect(scenario.accounts).toHaveLength(scaleAccounts);
    expect(scenario.tenantCount).toBe(2_000);
    expect(scenario.latency).toEqual({ signInMs: 0, sessionOpenMs: 0, commandMs: 0, jitterMs: 0 });
    expect(scenario.faults).toEqual([]);
  });

  it('B1 latency: a 300 ms session open and a 200 ms report on average, 0.5 s per tenant ± 20%', () => {
    // the simulator adds a uniform 0…jitterMs to each delay
    const { sessionOpenMs, commandMs, jitterMs, signInMs } = makespanLatency;
    expect(signInMs).toBe(0);
    expect(sessionOpenMs + jitterMs / 2).toBe(300);
    expect(commandMs + jitterMs / 2).toBe(200);
    expect(perTenantSeconds).toBe(0.5);
    const fastest = (sessionOpenMs + commandMs) / 1000;
    const slowest = (sessionOpenMs + commandMs + 2 * jitterMs) / 1000;
    expect([fastest / perTenantSeconds, slowest / perTenantSeconds]).toEqual([0.8, 1.2]);
  });

  it('the one- and three-account files describe the same tenants', () => {
    const dir = tempDir();
    const { one, three } = writeMakespanScenarios(dir, 30);
    const ids = (path: string) => buildWorld(loadScenario(path)).tenants.map((t) => t.tenantId);
    expect(ids(one)).toHaveLength(30);
    expect(ids(three)).toEqual(ids(one));
    expect(loadScenario(three).accounts.map((a) => a.userName)).toEqual(benchAccounts.map((a) => a.userName));
    expect(new Set(benchAccounts.map((a) => a.userName.toLowerCase())).size).toBe(3);
  });

  it.each([0, 4, 1.5])('refuses %s accounts', (accounts) => {
    expect(() => makespanScenario({ tenants: 10, accounts })).toThrow(RangeError);
  });

  describe('every account of the three-account scenario can open sessions to the tenants', () => {
    let sim: Awaited<ReturnType<typeof startSimulator>>;
    beforeAll(async () => {
      sim = await startSimulator({ scenario: { ...makespanScenario({ tenants: 2, accounts: 3 }), latency: { signInMs: 0, sessionOpenMs: 0, commandMs: 0, jitterMs: 0 } } });
    });
    afterAll(async () => {
      await sim?.stop();
    });

    it.each(benchAccounts.map((a) => [a.userName, a.password]))('%s', async (userName, password) => {
      const world = buildWorld(loadScenario(makespanScenario({ tenants: 2, accounts: 3 })));
      for (const tenant of world.tenants) {
        const response = await fetch(`${sim.url}/exchange/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userName, password, connectionUri: `https://ps.outlook.com/powershell-liveid?DelegatedOrg=${tenant.initialDomain}` }),
        });
        expect(response.status).toBe(201);
        const { sessionId } = (await response.json()) as { sessionId: string };
        expect((await fetch(`${sim.url}/exchange/sessions/${sessionId}`, { method: 'DELETE' })).status).toBe(200);
      }
    });
  });
});

describe('the arithmetic of the tables and targets', () => {
  it.each([
    [120, 1, 20],
    [120, 3, 7],
    [30, 1, 5],
    [30, 3, 2],
    [1, 1, 0.5],
    [4, 1, 1],
    [9, 3, 0.5],
    [10, 3, 1],
  ])('ideal for %i tenants and %i account(s): %f s', (tenants, accounts, seconds) => {
    expect(idealSeconds(tenants, accounts)).toBe(seconds);
  });

  it('ideal with other sessions per account and tenant times', () => {
    expect(idealSeconds(10, 1, { sessionsPerAccount: 2, perTenantSeconds: 1 })).toBe(5);
  });

  const b1 = (a: number[], d: number[], e: number[]) =>
    makespanRows({
      tenants: 120,
      baseline: 'a',
      contenders: [
        { id: 'a', accounts: 1, seconds: a },
        { id: 'd', accounts: 1, seconds: d },
        { id: 'e', accounts: 3, seconds: e },
      ],
    });

  it('B1 rows: medians, ideal per number of accounts, times faster than (a), times the ideal', () => {
    const rows = b1([66, 60, 63], [21, 22, 20], [8, 7.5, 9]);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r])) as Record<string, MakespanRow>;
    expect(byId.a).toMatchObject({ median: 63, ideal: 20, speedup: 1 });
    expect(byId.a!.vsIdeal).toBeCloseTo(3.15, 10);
    expect(byId.d).toMatchObject({ median: 21, ideal: 20, speedup: 3 });
    expect(byId.d!.vsIdeal).toBeCloseTo(1.05, 10);
    expect(byId.e).toMatchObject({ median: 8, ideal: 7 });
    expect(byId.e!.speedup).toBeCloseTo(7.875, 10);
    expect(byId.e!.vsIdeal).toBeCloseTo(8 / 7, 10);
  });

  it.each([
    ['all met', [63, 63, 63], [21, 21, 21], [8, 8, 8], [true, true, true]],
    ['(d) too far from the ideal', [66, 66, 66], [22.5, 22.5, 22.5], [8, 8, 8], [false, true, true]],
    ['(d) not 2.7 × faster than (a)', [50, 50, 50], [21, 21, 21], [7, 7, 7], [true, false, true]],
    ['(e) not 7 × faster than (a)', [63, 63, 63], [21, 21, 21], [9.5, 9.5, 9.5], [true, true, false]],
    ['on the limit: (d) exactly 1.10 × ideal', [66], [22], [8], [true, true, true]],
    ['on the limit: (d) exactly 2.7 × faster', [54], [20], [7], [true, true, true]],
    ['on the limit: (e) exactly 7 × faster', [56], [20], [8], [true, true, true]],
    ['(a) failed: no ratios', [], [21, 21, 21], [8, 8, 8], [true, null, null]],
    ['(d) and (e) failed', [63, 63, 63], [], [], [null, null, null]],
  ])('B1 targets: %s', (_name, a, d, e, met) => {
    const checked = makespanTargets(b1(a, d, e));
    expect(checked.map((t) => t.text)).toEqual(['(d) within 1.10 × ideal', '(d) ≥ 2.7 × faster than (a)', '(e) ≥ 7 × faster than (a)']);
    expect(checked.map((t) => t.met)).toEqual(met);
  });

  it.each([
    [500, [5, 6, 7], 6, 500 / 6, 12, true],
    [500, [8, 10, 9], 9, 500 / 9, 18, false],
    [100, [1.5], 1.5, 100 / 1.5, 15, true],
    [500, [], null, null, null, null],
  ])('B2 for %i tenants and times %j: median %s, %s tenants/s, %s ms per tenant, target met %s', (tenants, seconds, median, perSecond, ms, met) => {
    const rows: OverheadRow[] = overheadRows({ tenants, contenders: [{ id: 'd', seconds }] });
    expect(rows[0]!.median).toBe(median);
    if (perSecond === null) expect(rows[0]!.tenantsPerSecond).toBeNull();
    else expect(rows[0]!.tenantsPerSecond).toBeCloseTo(perSecond, 10);
    if (ms === null) expect(rows[0]!.msPerTenant).toBeNull();
    else expect(rows[0]!.msPerTenant).toBeCloseTo(ms, 10);
    expect(overheadTargets(rows)[0]!.met).toBe(met);
  });

  it('describes which targets were met, missed and not measured', () => {
    expect(describeTargets(makespanTargets(b1([63], [22.4], [])))).toBe(
      'met: (d) ≥ 2.7 × faster than (a) (2.81×). not met: (d) within 1.10 × ideal (1.12×). not measured: (e) ≥ 7 × faster than (a)',
    );
    expect(describeTargets(overheadTargets(overheadRows({ tenants: 500, contenders: [{ id: 'd', seconds: [6] }] })))).toBe(
      'met: (d) ≤ 15 ms of overhead per tenant (12.0 ms)',
    );
  });
});

describe('the output check', () => {
  const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
  const expected: ExpectedRows = new Map([
    [id(1), { domain: 'one.onmicrosoft.com', rows: 1 }],
    [id(2), { domain: 'two.onmicrosoft.com', rows: 2 }],
    [id(3), { domain: 'empty.onmicrosoft.com', rows: 0 }],
  ]);
  const ours = (rows: Array<[number, string]>) =>
    ['"TenantId","TenantDomain","Date"', ...rows.map(([n, d]) => `"${id(n).toUpperCase()}","${d}","2015-03-18"`)].join('\r\n');

  it.each([
    ['the project\'s columns, every tenant with data', ours([[1, 'one'], [2, 'two'], [2, 'two']]), true, 'all 2 tenants with data, 3 rows'],
    [
      'the service\'s columns (the baseline), with a UTF-8 BOM',
      `\uFEFF"TenantGuid","TenantName","Date","PSComputerName"\n"${id(1)}","one","x","ps.outlook.com"\n"${id(2)}","two","x","ps.outlook.com"\n"${id(2)}","two","y","ps.outlook.com"\n`,
      true,
      'all 2 tenants with data, 3 rows',
    ],
    ['a tenant missing', ours([[1, 'one']]), false, '1 of 2 tenants with data missing (two.onmicrosoft.com)'],
    ['a tenant short of rows', ours([[1, 'one'], [2, 'two']]), false, '1 tenants with another row count (two.onmicrosoft.com)'],
    ['rows for a tenant without data', ours([[1, 'one'], [2, 'two'], [2, 'two'], [3, 'empty']]), false, `rows for 1 tenants without data or unknown (${id(3)})`],
    ['no tenant column', '"Date"\r\n"2015-03-18"', false, 'no TenantId or TenantGuid column'],
  ])('%s', async (_name, text, ok, description) => {
    const file = join(tempDir(), 'out.csv');
    writeFileSync(file, text);
    const result = await checkOutput(file, expected);
    expect(result.ok).toBe(ok);
    expect(result.text).toBe(description);
  });

  it('a missing file', async () => {
    expect(await checkOutput(join(tempDir(), 'absent.csv'), expected)).toEqual({ ok: false, text: 'no output file', rows: 0 });
  });
});

describe('the dap-report contenders', () => {
  it.each([
    ['d', 1],
    ['e', 3],
  ])('(%s) signs in with %i account(s); passwords only in the environment', (contender, accounts) => {
    const plan = contenderCommand(contender, { scenario: '/tmp/s.json', pwsh: '/opt/pwsh/pwsh', dir: '/tmp/run' });
    const users = benchAccounts.slice(0, accounts);
    expect(plan.command).toContain("run --simulate '/tmp/s.json' --report MailboxActivityReport ");
    expect(plan.command).toContain(`--param ReportType=Daily --param StartDate=${reportDay} --param EndDate=${reportDay}`);
    expect(plan.command).toContain("--out '/tmp/run/output.csv' --errors '/tmp/run/errors.txt' --pwsh '/opt/pwsh/pwsh' --quiet --json > '/tmp/run/summary.json'");
    expect(plan.command.match(/--user /g)).toHaveLength(accounts);
    for (const account of benchAccounts) expect(plan.command).not.toContain(account.password);
    expect(plan.env).toEqual(Object.fromEntries(users.map((u) => [passwordVariableFor(u.userName), u.password])));
    expect(Object.keys(plan.env)[0]).toBe('DAP_PASSWORD_REPORTS1_CONTOSO_ONMICROSOFT_COM');
  });

  it('reports the most sessions per account over all runs and the rejections of each run', () => {
    const sample = (maxPerAccount: number[], rejections: number) => ({ sessions: { maxPerAccount, rejections } }) as unknown as ContenderSample;
    expect(describeSessions([sample([3, 2, 3], 0), sample([3, 3, 3], 0)])).toEqual({ max: '3 / 3 / 3', rejections: '0' });
    expect(describeSessions([sample([4], 1), sample([3], 0)])).toEqual({ max: `4 (over the limit of ${sessionsPerAccount})`, rejections: '1, 0' });
    expect(describeSessions([])).toEqual({ max: 'no counters', rejections: 'no counters' });
  });
});

describe('the B1 and B2 contenders end to end', () => {
  it.skipIf(!pwsh || !existsSync('/usr/bin/time'))(
    'dap-report on 20 tenants without latency: a number of milliseconds per tenant, every tenant in the output',
    async () => {
      const result = await benchOverhead({ tenants: 20, runs: 1, dir: tempDir(), pwsh: pwsh.path, log: () => undefined, ids: ['d'] });
      const sample = result.samples.d![0]!;
      expect(sample.stderr).toBe('');
      expect(sample.ok).toBe(true);
      expect(sample.check.ok).toBe(true);
      expect(sample.sessions?.maxPerAccount[0]).toBeLessThanOrEqual(sessionsPerAccount);
      const row = result.rows[0]!;
      expect(row.id).toBe('d');
      expect(Number.isFinite(row.msPerTenant)).toBe(true);
      expect(row.msPerTenant).toBeGreaterThan(0);
      expect(result.section).toMatch(/\| \(d\) dap-report, 1 account \| \d+\.\d\d \(/);
    },
    300_000,
  );

  it.skipIf(!pwsh || !existsSync('/usr/bin/time'))(
    'the scripts (a), (b) and (c) under dap-sim run: each exits 0 with every tenant in its output',
    async () => {
      const result = await benchOverhead({ tenants: 8, runs: 1, dir: tempDir(), pwsh: pwsh.path, log: () => undefined, ids: ['a', 'b', 'c'] });
      for (const id of ['a', 'b', 'c']) {
        const sample = result.samples[id]![0]!;
        expect({ id, stderr: sample.stderr, ok: sample.ok, check: sample.check.ok }).toEqual({ id, stderr: '', ok: true, check: true });
        expect(sample.check.rows).toBeGreaterThan(0);
        // (a) holds one session at a time; the others at most the account's limit
        const most = sample.sessions!.maxPerAccount[0]!;
        expect(id === 'a' ? most === 1 : most >= 1 && most <= sessionsPerAccount).toBe(true);
        expect(sample.sessions?.rejections).toBe(0);
      }
    },
    300_000,
  );
});
