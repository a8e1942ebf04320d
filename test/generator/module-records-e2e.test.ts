
import { describe, expect, it } from 'vitest';
import { aggregateScenario, aggregateUser, moduleManifest, runFixtureUnderSimulator } from '../helpers/module-aggregate.js';
import { tempDir } from '../runtime/fakes.js';

const scenario = {
  ...aggregateScenario,
  tenants: [...aggregateScenario.tenants, { name: 'Slowish', initialDomain: 'slowish.onmicrosoft.com', mailboxes: 4 }],
  faults: [...aggregateScenario.faults, { type: 'throttle', mode: 'delay', delayMs: 10, tenants: ['slowish.onmicrosoft.com'] }],
};

describe('records of a pipeline over tenants that fail or are throttled', () => {
  it('one error per failed tenant, each throttle warning once with its tenant, verbose per tenant', async () => {
    const dir = tempDir();
    const run = await runFixtureUnderSimulator(dir, 'module-pipeline-records.ps1', ['-ModuleManifest', moduleManifest, '-UserName', aggregateUser], scenario);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.lines.at(-1)).toBe('DONE');

    expect(run.lines.filter((l) => l.startsWith('ERROR ')).sort()).toEqual([
      'ERROR Dap.AccessDenied,Invoke-DapTenantReport denied.onmicrosoft.com',
      'ERROR Dap.SessionLimit,Invoke-DapTenantReport busy.onmicrosoft.com',
    ]);
    expect(run.lines).toContain('ERRORCOUNT 2');

    const warnings = run.lines.filter((l) => l.startsWith('WARNING '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^WARNING \[slowish\.onmicrosoft\.com\] Micro delay applied\./);

    const verbose = run.lines.filter((l) => l.startsWith('VERBOSE '));
    expect(verbose).toContain(`VERBOSE Signing in to the partner directory as ${aggregateUser}`);
    expect(verbose.some((l) => /^VERBOSE \d+ partner contracts to look up$/.test(l))).toBe(true);
    expect(verbose.some((l) => /^VERBOSE \[adatum\.onmicrosoft\.com\] tenant [0-9a-f-]{36} \(Adatum\)$/.test(l))).toBe(true);
    expect(verbose).toContain('VERBOSE [zeta.onmicrosoft.com] left out: named by -Exclude');
    expect(verbose).toContain('VERBOSE [adatum.onmicrosoft.com] running Get-MailboxActivityReport in a remote session');
    expect(verbose).toContain('VERBOSE [adatum.onmicrosoft.com] 1 rows');
    expect(verbose).toContain('VERBOSE [denied.onmicrosoft.com] failed (AccessDenied)');
    expect(verbose.some((l) => /^VERBOSE \[adatum\.onmicrosoft\.com\] Your connection has been redirected/.test(l))).toBe(true);
    expect(run.stats.accounts[aggregateUser]!.openSessionsAtEnd).toBe(0);
  });
});
