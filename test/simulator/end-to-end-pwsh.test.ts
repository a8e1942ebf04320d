import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { buildWorld, loadScenario, standInModulesDir, startSimulator } from '../../simulator/index.js';
import { refuseShadowingModules } from '../../simulator/server/sealed-module-path.js';
import { runCommand } from '../../simulator/remoting/run-command.js';
import { pwsh } from '../helpers/powershell.js';

const fixtures = join(projectRoot, 'test', 'fixtures', 'scenarios');
const scenarioFile = join(fixtures, 'sample-run.json');
const pwshArgs = ['-NoLogo', '-NoProfile', '-NonInteractive', '-File'];

describe('a partner script in the style of the documentation, run unchanged under dap-sim run', () => {
  it('writes rows for every tenant with data, the remoting columns, and "No report information" for empty tenants', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dap-sim-e2e-'));
    const output = join(dir, 'ReportOutput.csv');
    const errors = join(dir, 'Errors.txt');
    const stats = join(dir, 'stats.json');
    const result = await execa(
      process.execPath,
      [join(projectRoot, 'bin', 'dap-sim.js'), 'run', '--config', scenarioFile, '--stats', stats, '--', pwsh.path, ...pwshArgs,
        join(fixtures, 'scripts', 'partner-mailbox-activity.ps1'), '-OutputFile', output, '-ErrorFile', errors],
      { cwd: projectRoot, reject: false },
    );
    expect(result.stderr).not.toMatch(/Exception|error/i);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('WARNING: Your connection has been redirected to the following URI:');

    const world = buildWorld(loadScenario(scenarioFile));
    const withData = world.tenants.filter((t) => runCommand(world, t, 'Get-MailboxActivityReport', { StartDate: '2015-03-18', EndDate: '2015-03-18' }).rows.length > 0);
    const empty = world.tenants.filter((t) => !withData.includes(t));
    expect(empty.map((t) => t.initialDomain)).toContain('emptyshell.onmicrosoft.com');

    const lines = readFileSync(output, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      '"TenantGuid","TenantName","Date","TotalNumberOfActiveMailboxes","AccountCreated","AccountDeleted","PSComputerName","RunspaceId","PSShowComputerName"',
    );
    expect(lines).toHaveLength(1 + withData.length);
    for (const tenant of withData) {
      expect(lines.some((line) => line.startsWith(`"${tenant.tenantId}","${tenant.initialDomain}",`) && line.includes('"ps.outlook.com"') && line.endsWith('"False"'))).toBe(true);
    }
    const errorLines = readFileSync(errors, 'utf8').trim().split(/\r?\n/);
    expect(errorLines).toEqual(empty.map((t) => `No report information for ${t.initialDomain}.`));

    const counters = JSON.parse(readFileSync(stats, 'utf8'));
    expect(counters.accounts['admin@contoso.onmicrosoft.com']).toMatchObject({
      signIns: 1, failedSignIns: 0, sessionsOpened: world.tenants.length, openSessionsAtEnd: 0, maxConcurrentSessions: 1, sessionLimitRejections: 0,
    });
  }, 180_000);
});

describe('the session cap seen from PowerShell', () => {
  it('4 concurrent pwsh processes holding New-PSSession on one account: exactly one gets -2144108477,PSSessionOpenFailed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dap-sim-cap-'));
    const release = join(dir, 'release');
    const sim = await startSimulator({ scenario: scenarioFile });
    try {
      const holders = [0, 1, 2, 3].map((i) => {
        const ready = join(dir, `ready-${i}`);
        const child = execa(pwsh.path, [...pwshArgs, join(fixtures, 'scripts', 'hold-session.ps1'), '-Domain', 'litwarebank.onmicrosoft.com', '-Release', release, '-Ready', ready], {
          env: { ...process.env, ...sim.env },
          reject: false,
        });
        return { child, ready };
      });
      await expect.poll(() => holders.every((h) => existsSync(h.ready)), { timeout: 120_000, interval: 200 }).toBe(true);
      writeFileSync(release, 'go');
      const results = await Promise.all(holders.map((h) => h.child));
      const outputs = results.map((r) => r.stdout);
      expect(outputs.filter((o) => o.includes('OPENED'))).toHaveLength(3);
      const failed = outputs.filter((o) => o.includes('FAILED'));
      expect(failed).toHaveLength(1);
      expect(failed[0]).toContain('FAILED -2144108477,PSSessionOpenFailed');
      expect(failed[0]).toContain('exceeded the maximum number of connections allowed : 3 for the policy party : MaxConcurrency');
      const stats = sim.stats().accounts['admin@contoso.onmicrosoft.com']!;
      expect(stats).toMatchObject({ sessionsOpened: 3, openSessions: 0, maxConcurrentSessions: 3, sessionLimitRejections: 1 });
    } finally {
      await sim.stop();
    }
  }, 180_000);
});

describe('sealed: modules of the same name elsewhere never take the stand-ins place', () => {
  it("a user's own MSOnline in their module folder does not shadow the stand-in under dap-sim run; their other modules stay importable", async () => {
    const home = mkdtempSync(join(tmpdir(), 'dap-sim-home-'));
    const modules = join(home, '.local', 'share', 'powershell', 'Modules');
    const real = join(modules, 'MSOnline', '1.1.183.81');
    mkdirSync(real, { recursive: true });
    writeFileSync(join(real, 'MSOnline.psd1'), "@{ ModuleVersion = '1.1.183.81'; RootModule = 'MSOnline.psm1'; FunctionsToExport = @('Connect-MsolService', 'Get-MsolPartnerContract') }\n");
    writeFileSync(join(real, 'MSOnline.psm1'), 'function Connect-MsolService { param($Credential) throw "the real MSOnline got the password" }\nfunction Get-MsolPartnerContract { }\n');
    const tools = join(modules, 'MyTools');
    mkdirSync(tools, { recursive: true });
    writeFileSync(join(tools, 'MyTools.psm1'), 'function Get-MyTool { "my tool" }\n');
    const script = join(home, 'check.ps1');
    writeFileSync(
      script,
      [
        '$ErrorActionPreference = "Stop"',
        'Import-Module MSOnline',
        '(Get-Module MSOnline).ModuleBase',
        'Connect-MsolService -Credential ([pscredential]::new("admin@contoso.onmicrosoft.com", (ConvertTo-SecureString $env:DAP_PASSWORD -AsPlainText -Force)))',
        '@(Get-MsolPartnerContract -All).Count',
        'Import-Module MyTools',
        'Get-MyTool',
      ].join('\n'),
    );
    const result = await execa(process.execPath, [join(projectRoot, 'bin', 'dap-sim.js'), 'run', '--config', scenarioFile, '--', pwsh.path, ...pwshArgs, script], {
      cwd: home,
      env: { ...process.env, HOME: home, XDG_DATA_HOME: '' },
      reject: false,
    });
    expect(result.stderr).toBe('');
    const [base, count, tool] = result.stdout.trim().split(/\r?\n/);
    expect(base).toBe(join(standInModulesDir, 'MSOnline'));
    expect(Number(count)).toBe(buildWorld(loadScenario(scenarioFile)).tenants.length);
    expect(tool).toBe('my tool');
    expect(result.exitCode).toBe(0);
  }, 60_000);

  it('a module installed for all users under a stand-in name: dap-sim refuses to run (exit 2), naming it', () => {
    const machine = mkdtempSync(join(tmpdir(), 'dap-sim-machine-'));
    expect(() => refuseShadowingModules(['MSOnline', 'DapSim.Remoting'], machine)).not.toThrow();
    mkdirSync(join(machine, 'MSOnline'));
    expect(() => refuseShadowingModules(['MSOnline', 'DapSim.Remoting'], machine)).toThrow(
      expect.objectContaining({ code: 'STAND_IN_SHADOWED', exitCode: 2, message: expect.stringContaining(join(machine, 'MSOnline')) }),
    );
  });
});
