import { mkdirSync, writeFileSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { catalogPath } from '../../common/catalog.js';
import { DapError } from '../../common/dap-error.js';
import { projectRoot } from '../../common/project-paths.js';
import { validateScenarioFile } from '../../runtime/backends/simulate.js';
import { fixtureCatalog, fixtures, harness, makeTenants, tempDir, USER } from './fakes.js';

const report = ['--report', 'MailboxActivityReport'];
const user = ['--user', USER];

/** [what, arguments after `run`, error code, what the message must name] */
const cases: Array<[string, string[], string, RegExp]> = [
  ['unknown report', ['--report', 'MailboxActivty', ...user], 'UNKNOWN_REPORT', /'MailboxActivty'.*MailboxActivityReport/],
  ['a report name one letter off', ['--report', 'MailboxActivityRepot', ...user], 'UNKNOWN_REPORT', /'MailboxActivityRepot' \(did you mean 'MailboxActivityReport'\?\)/],
  ['a parameter name one letter off', [...report, ...user, '--param', 'StarDate=2015-03-18'], 'UNKNOWN_PARAMETER', /'StarDate' \(did you mean 'StartDate'\?\)/],
  ['no report without --simulate', [...user], 'MISSING_REPORT', /--report/],
  ['--param without =', [...report, ...user, '--param', 'ReportType'], 'BAD_PARAM_SYNTAX', /Name=Value.*'ReportType'/],
  ['unknown parameter', [...report, ...user, '--param', 'Foo=1'], 'UNKNOWN_PARAMETER', /no parameter 'Foo'.*ReportType, StartDate/],
  ['value outside the ValidateSet', [...report, ...user, '--param', 'ReportType=Hourly'], 'VALUE_NOT_ALLOWED', /'Hourly'.*Daily\|Weekly\|Monthly\|Yearly/],
  ['month 13', [...report, ...user, '--param', 'StartDate=2015-13-01'], 'BAD_DATE', /StartDate='2015-13-01'/],
  ['30 February', [...report, ...user, '--param', 'EndDate=2015-02-30'], 'BAD_DATE', /EndDate='2015-02-30'/],
  ['a word for a date', [...report, ...user, '--param', 'StartDate=yesterday'], 'BAD_DATE', /'yesterday'.*date/],
  ['reversed dates', [...report, ...user, '--param', 'StartDate=03/20/2015', '--param', 'EndDate=2015-03-18'], 'DATE_RANGE_REVERSED', /2015-03-20 is after EndDate 2015-03-18/],
  ['a parameter given twice', [...report, ...user, '--param', 'ReportType=Daily', '--param', 'reporttype=Weekly'], 'DUPLICATE_PARAMETER', /ReportType.*more than once/],
  ['non-integer for an integer', ['--report', 'MessageTraceReport', ...user, '--param', 'Page=abc'], 'BAD_INTEGER', /Page='abc'.*whole number/],
  ['fraction for an integer', ['--report', 'MessageTraceReport', ...user, '--param', 'PageSize=1.5'], 'BAD_INTEGER', /PageSize='1.5'/],
  ['not a boolean', ['--report', 'StaleMailboxDetailReport', ...user, '--param', 'IncludeSoftDeleted=maybe'], 'BAD_BOOLEAN', /'maybe'.*true or false/],
  ['array item outside the ValidateSet', ['--report', 'MessageTraceReport', ...user, '--param', 'Status=Failed,Bogus'], 'VALUE_NOT_ALLOWED', /'Bogus'.*Delivered/],
  ['required parameter missing', ['--report', 'AuditSearchReport', ...user], 'MISSING_PARAMETER', /--param Cmdlets=/],
  ['--tenant not a DNS name', [...report, ...user, '--tenant', 'not a domain'], 'BAD_TENANT', /--tenant 'not a domain'/],
  ['--tenant single label', [...report, ...user, '--tenant', 'contoso'], 'BAD_TENANT', /'contoso'.*DNS domain name/],
  ['--exclude a URL', [...report, ...user, '--exclude', 'https://ps.outlook.com/x'], 'BAD_TENANT', /--exclude 'https:/],
  ['--tenants-file missing', [...report, ...user, '--tenants-file', 'no-such-list.txt'], 'TENANTS_FILE_UNREADABLE', /no-such-list\.txt.*ENOENT/],
  ['--tenants-file with a bad line', [...report, ...user, '--tenants-file', join(fixtures, 'bad-tenants.txt')], 'BAD_TENANT', /line 3 'not a domain!'/],
  ['scenario file missing', ['--simulate', 'no-such-scenario.json'], 'SCENARIO_UNREADABLE', /no-such-scenario\.json.*cannot be read/],
  ['scenario not JSON', ['--simulate', join(fixtures, 'malformed-scenario.json')], 'SCENARIO_MALFORMED', /does not parse/],
  ['scenario not an object', ['--simulate', join(fixtures, 'array-scenario.json')], 'SCENARIO_MALFORMED', /expected a JSON object, received an array/],
  ['output in a missing folder', [...report, ...user, '--out', '/no/such/folder/out.csv'], 'OUTPUT_DIR_MISSING', /\/no\/such\/folder does not exist/],
  ['output is a folder', [...report, ...user, '--out', '.'], 'OUTPUT_IS_DIRECTORY', /is a folder/],
  ['errors file = output', [...report, ...user, '--out', 'x.csv', '--errors', 'x.csv'], 'OPTION_CONFLICT', /--out and --errors both name .*give --errors another name/],
  ['--max-sessions 4', [...report, ...user, '--max-sessions', '4'], 'BAD_MAX_SESSIONS', /1 to 3, received '4'/],
  ['--max-sessions 0', [...report, ...user, '--max-sessions', '0'], 'BAD_MAX_SESSIONS', /received '0'/],
  ['--retries -1', [...report, ...user, '--retries', '-1'], 'BAD_RETRIES', /--retries.*received '-1'/],
  ['--retries not a number', [...report, ...user, '--retries', 'many'], 'BAD_RETRIES', /'many'/],
  ['--tenant-timeout 0', [...report, ...user, '--tenant-timeout', '0'], 'BAD_TIMEOUT', /--tenant-timeout.*'0'/],
  ['--resume without a run', [...report, ...user, '--resume'], 'NO_RUN_TO_RESUME', /no earlier run.*manifest\.json/],
  ['--fresh with --resume', [...report, ...user, '--fresh', '--resume'], 'OPTION_CONFLICT', /--fresh.*--resume|--resume.*--fresh/],
  ['--password-stdin with --simulate', ['--simulate', '--password-stdin'], 'OPTION_CONFLICT', /password-stdin.*simulate/],
  ['--user not a UPN', [...report, '--user', 'admin'], 'BAD_USER', /'admin'.*name@domain/],
  ['no --user without --simulate', [...report], 'MISSING_USER', /--user/],
  ['unknown option', [...report, ...user, '--tenants', 'x.onmicrosoft.com'], 'UNKNOWN_OPTION', /--tenants/],
  ['--out without a value', [...report, ...user, '--out'], 'OPTION_MISSING_ARGUMENT', /--out/],
  // the report function's own [ValidatePattern], from the project's catalog: refused before any tenant runs
  // --backend exo and its own options, on the project's catalog
  ['--backend exo with a report it cannot run', ['--catalog', catalogPath, ...report, '--backend', 'exo'], 'BACKEND_MISMATCH', /--backend exo cannot run MailboxActivityReport: it runs on --backend exchange/],
  ['--tenant-concurrency 0', ['--catalog', catalogPath, '--simulate', '--backend', 'exo', '--tenant-concurrency', '0'], 'BAD_TENANT_CONCURRENCY', /1 to 16, received '0'/],
  ['--exchange-url over plain http', ['--catalog', catalogPath, '--simulate', '--backend', 'exo', '--exchange-url', 'http://outlook.example'], 'BAD_EXCHANGE_URL', /https/],
  ['--exchange-url over plain http to this machine', ['--catalog', catalogPath, '--simulate', '--backend', 'exo', '--exchange-url', 'http://127.0.0.1:8080'], 'BAD_EXCHANGE_URL', /--exchange-url: expected an https:\/\/ URL \(plain http is refused, on this machine too\), received 'http:\/\/127\.0\.0\.1:8080'/],
  ['--tenant-concurrency on another backend', ['--catalog', catalogPath, ...report, ...user, '--tenant-concurrency', '2'], 'OPTION_CONFLICT', /--tenant-concurrency applies only to --backend exo/],
  ['--user on the exo backend', ['--catalog', catalogPath, '--simulate', '--backend', 'exo', ...user], 'OPTION_CONFLICT', /--user applies only to --backend exchange/],
  ['ResultSize that is not a size', ['--catalog', catalogPath, ...report, ...user, '--param', 'ResultSize=abc'], 'VALUE_NOT_MATCHED', /ResultSize='abc'.*must match \^\(\?:Unlimited/],
  ['ResultSize 0', ['--catalog', catalogPath, ...report, ...user, '--param', 'ResultSize=0'], 'VALUE_NOT_MATCHED', /ResultSize='0'/],
];

describe('run: bad input is a usage error (exit 2) and starts nothing', () => {
  it('has at least 20 cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));

  it.each(cases)('%s', async (_what, args, code, message) => {
    const h = harness();
    const error = await h.run(['run', ...args]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DapError);
    expect(error).toMatchObject({ code, exitCode: 2 });
    expect((error as DapError).message).toMatch(message);
    expect(h.startSimulator).not.toHaveBeenCalled();
    expect(h.openExchangeHost).not.toHaveBeenCalled();
    expect(readdirSync(h.deps.cwd)).toEqual([]);
  });

  it('a scenario the simulator rejects (schema) is a usage error too', async () => {
    const h = harness({ deps: { validateScenario: validateScenarioFile } });
    const file = join(h.deps.cwd, 'scenario.json');
    writeFileSync(file, JSON.stringify({ tenantCount: 3, colour: 'blue' }));
    await expect(h.run(['run', '--simulate', file])).rejects.toMatchObject({ code: 'SCENARIO_INVALID', exitCode: 2, message: expect.stringMatching(/colour/) });
    expect(h.startSimulator).not.toHaveBeenCalled();
  });

  it('a run directory with an unreadable manifest cannot be resumed', async () => {
    const h = harness();
    mkdirSync(join(h.deps.cwd, 'out.csv.dap-run'));
    writeFileSync(join(h.deps.cwd, 'out.csv.dap-run', 'manifest.json'), '{ not json');
    await expect(h.run(['run', ...report, ...user, '--out', 'out.csv', '--resume'])).rejects.toMatchObject({ code: 'RUN_MANIFEST_UNREADABLE', exitCode: 2 });
    expect(h.openExchangeHost).not.toHaveBeenCalled();
  });
});

describe('the built bin (dist/)', () => {
  const bin = join(projectRoot, 'bin', 'dap-report.js');
  const cli = (args: string[], env: Record<string, string> = {}) =>
    execa(process.execPath, [bin, ...args], { reject: false, cwd: tempDir(), env: { DAP_PASSWORD: '', ...env }, extendEnv: true });

  // dist/ is built before any test file (test/helpers/build-dist.ts)

  it.each([
    [['run', '--catalog', fixtureCatalog, ...report, ...user, '--max-sessions', '4'], /--max-sessions expects a whole number from 1 to 3, received '4'/],
    [['run', '--catalog', fixtureCatalog, '--report', 'Nope', ...user], /unknown report 'Nope'/],
    [['run', '--catalog', fixtureCatalog, ...report, ...user, '--tenant', 'bad domain'], /--tenant 'bad domain'/],
    [['run', '--catalog', fixtureCatalog, ...report, ...user, '--param', 'StartDate=2015-03-20', '--param', 'EndDate=2015-03-01'], /StartDate 2015-03-20 is after EndDate 2015-03-01/],
    [['run', '--no-such-flag'], /unknown option '--no-such-flag'/],
    [['run', '--report', 'MailboxUsageDetail', '--graph-url', 'http://127.0.0.1:8080'], /--graph-url: expected an https:\/\/ URL \(plain http is refused, on this machine too\)/],
  ])('exits 2 with the message on stderr: %j', async (args, message) => {
    const result = await cli(args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('--help shows the options and examples', async () => {
    const result = await cli(['run', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/--max-sessions <n>/);
    expect(result.stdout).toMatch(/Examples:\n.*\n\s+\$ dap-report run --simulate/);
    expect(result.stdout).toMatch(/--catalog <dir\|file>/);
    expect(result.stdout).toMatch(/--out - writes the merged CSV to stdout/);
  });

  it('reports lists the catalog with parameters', async () => {
    const result = await cli(['reports', '--catalog', fixtureCatalog]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/MailboxActivityReport\s+\(Get-DapMailboxActivityReport/);
    expect(result.stdout).toMatch(/--param ReportType=<string> Daily\|Weekly\|Monthly\|Yearly/);
    expect(result.stdout).toMatch(/--param StartDate=<datetime>/);
  });

  it('a --pwsh that does not exist is a usage error (exit 2) naming it, and nothing is written', async () => {
    const cwd = tempDir();
    const result = await execa(process.execPath, [bin, 'run', '--catalog', fixtureCatalog, ...report, ...user, '--pwsh', '/nonexistent/pwsh'], {
      reject: false,
      cwd,
      env: { PATH: '/usr/bin:/bin', DAP_PASSWORD: 'x', DAP_PWSH: '' },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--pwsh names '/nonexistent/pwsh', which is not an executable file");
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('a selection without any tenant is a usage error (exit 2) and writes nothing', () => {
  const tenants = makeTenants(6);
  const known = tenants[0]!.initialDomain;
  /** [what, tenants the account has, filter arguments, what the message must say] */
  const cases: Array<[string, typeof tenants, (cwd: string) => string[], RegExp]> = [
    ['--tenant naming no customer', tenants, () => ['--tenant', 'nosuch.onmicrosoft.com'], /--tenant\/--tenants-file nosuch\.onmicrosoft\.com matched no customer; admin@contoso\.onmicrosoft\.com has 6 customers$/],
    ['--tenants-file naming no customer', tenants, (cwd) => {
      writeFileSync(join(cwd, 'list.txt'), 'nosuch.onmicrosoft.com\n00000000-0000-4000-8000-999999999999\n');
      return ['--tenants-file', join(cwd, 'list.txt')];
    }, /00000000-0000-4000-8000-999999999999, nosuch\.onmicrosoft\.com matched no customer; .* has 6 customers$/],
    ['--exclude of every customer', tenants, () => tenants.flatMap((t) => ['--exclude', t.initialDomain]), /^no tenant selected: --exclude .* left out every customer; .* has 6 customers$/],
    ['--tenant and --exclude of the same customer', tenants, () => ['--tenant', known, '--exclude', known], /^no tenant selected: --exclude .* left out every tenant the other filters name; .* 6 customers$/],
    ['an account without customers', [], () => [], /^no tenant selected: admin@contoso\.onmicrosoft\.com has 0 customers$/],
  ];

  it.each(cases.flatMap(([what, world, filters, message]) => (['run', 'tenants'] as const).map((command) => [`${command}: ${what}`, command, world, filters, message] as const)))(
    '%s',
    async (_what, command, world, filters, message) => {
      const h = harness({ tenants: world });
      const before = readdirSync(h.deps.cwd);
      const args = command === 'run' ? ['run', ...report, ...user] : ['tenants', ...user];
      await expect(h.run([...args, ...filters(h.deps.cwd)])).rejects.toMatchObject({ code: 'NO_TENANT_SELECTED', exitCode: 2, message: expect.stringMatching(message) });
      expect(h.runner.attempts).toEqual([]);
      expect(h.stdout.text).toBe('');
      expect(readdirSync(h.deps.cwd).filter((name) => !before.includes(name) && name !== 'list.txt')).toEqual([]);
    },
  );
});
