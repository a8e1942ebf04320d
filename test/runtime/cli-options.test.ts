/**
 * The CLI declared once: run, check and tenants take their options from one table (same help
 * texts), defaults live in one place, each check is made once.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../runtime/cli/cli.js';
import { runOptionNames, tenantsOptionNames } from '../../runtime/cli/cli-options.js';
import { defaultRetryPolicy } from '../../runtime/platform/retry-policy.js';
import { defaultRetries, defaultTenantTimeoutSeconds, planRun, planTenants } from '../../runtime/cli/run-options.js';
import { readCatalog } from '../../common/catalog.js';
import { fixtureCatalog, harness, tempDir, USER } from './fakes.js';

const commandOf = (name: string): Command => createProgram().commands.find((c) => c.name() === name)!;
const helpOf = (name: string) => new Map(commandOf(name).options.map((o) => [o.flags, o.description]));

describe('one option table', () => {
  it('tenants shows each of its options with the help text run and check show', () => {
    const run = helpOf('run');
    const check = helpOf('check');
    const tenants = helpOf('tenants');
    expect(tenants.size).toBe(tenantsOptionNames.length);
    for (const [flags, help] of tenants) {
      expect(run.get(flags), flags).toBe(help);
      expect(check.get(flags), flags).toBe(help);
    }
    // run has every shared option, and its own (--out, --errors, --resume …)
    expect(run.size).toBeGreaterThan(runOptionNames.length);
  });

  it('no option has a commander default: an absent option is undefined, and the help quotes the one default', () => {
    for (const name of ['run', 'check', 'tenants', 'reports']) {
      for (const option of commandOf(name).options) {
        // --no-page and --no-domain-lookup are commander's negations (true unless given)
        if (!option.negate) expect(option.defaultValue, `${name} ${option.flags}`).toBeUndefined();
      }
    }
    const run = helpOf('run');
    expect(run.get('--retries <n>')).toContain(`(default ${defaultRetryPolicy.retries};`);
    expect(run.get('--tenant-timeout <seconds>')).toContain(`(default ${defaultTenantTimeoutSeconds};`);
  });

  it('the plan takes the defaults the help quotes', () => {
    const plan = planRun({ report: 'MailboxActivityReport', user: [USER] }, readCatalog(fixtureCatalog), { cwd: tempDir(), env: {} });
    expect(plan.retries).toBe(defaultRetries);
    expect(plan.timeoutMs).toBe(defaultTenantTimeoutSeconds * 1000);
    expect(plan.out.endsWith('/ReportOutput.csv')).toBe(true);
    expect(plan.pagePath).toBe(`${plan.out}.html`);
  });

  it.each([
    [['tenants', '--tenant-file', 'x'], /unknown option '--tenant-file'\n\(Did you mean --tenants-file\?\)/],
    [['run', '--tenant-timout', '5'], /Did you mean --tenant-timeout\?/],
    [['reports', '--catalgo', 'x'], /Did you mean --catalog\?/],
  ])('an unknown option is a usage error with commander\'s "did you mean": %j', async (args, message) => {
    const h = harness();
    await expect(h.run(args)).rejects.toMatchObject({ code: 'UNKNOWN_OPTION', exitCode: 2, message: expect.stringMatching(message) });
  });
});

describe('tenants plans with the planner run uses', () => {
  const context = { cwd: tempDir(), env: {} };

  it.each([
    ['no --user without --simulate', {}, 'MISSING_USER', /^tenants needs --user/],
    ['an account that is not a UPN', { user: ['admin'] }, 'BAD_USER', /--user 'admin' is not a user principal name/],
    ['--client-id on the Exchange backend', { user: [USER], clientId: 'app' }, 'OPTION_CONFLICT', /--client-id applies only to the backends that sign in with the app/],
    ['--user on the app', { backend: 'graph', user: [USER] }, 'OPTION_CONFLICT', /--user applies only to --backend exchange/],
    ['the app without its id', { backend: 'exo' }, 'MISSING_CLIENT_ID', /--client-id/],
    ['a bad tenant name', { user: [USER], tenant: ['not a domain'] }, 'BAD_TENANT', /--tenant 'not a domain'/],
  ])('%s: exit 2', (_what, options, code, message) => {
    expect(() => planTenants(options, context)).toThrow(expect.objectContaining({ code, exitCode: 2, message: expect.stringMatching(message) }));
  });

  it('--backend exo under --simulate gets the app and the Exchange REST options, like a run', () => {
    const plan = planTenants({ backend: 'exo', simulate: true }, context);
    expect(plan.backend).toBe('exo');
    expect(plan.graph).toBeDefined();
    expect(plan.exo).toBeDefined();
    expect(plan.simulate).toEqual({});
  });

  it('the same conflicts fail run and tenants with the same code', async () => {
    for (const args of [['run', '--report', 'MailboxActivityReport'], ['tenants']]) {
      const h = harness();
      await expect(h.run([...args, '--user', USER, '--discovery', 'contracts'])).rejects.toMatchObject({ code: 'OPTION_CONFLICT', exitCode: 2 });
    }
  });
});
