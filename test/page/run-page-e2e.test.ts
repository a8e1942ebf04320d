/**
 * The run page of an Exchange run of two accounts through real pwsh: the page the run writes is the
 * renderer's page of its summary (run-page.test.ts opens that page in Chromium, from a saved
 * summary of such a run), the summary's attempts agree with its counters, no secret is in the
 * page, and `dap-report show` finds it. DAP_UPDATE_PAGE_FIXTURE=1 saves this run's summary as that
 * saved summary.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { renderRunPage } from '../../runtime/run/page/render-page.js';
import type { RunSummary } from '../../runtime/run/summary.js';
import { passwordVariableFor } from '../../runtime/backends/exchange/credentials.js';
import { pwsh } from '../helpers/powershell.js';
import { tempDir } from '../runtime/fakes.js';
import { writeScenario } from '../runtime/graph-harness.js';
import { mostAtOnce } from './browser.js';
import { exchangeSummaryFixture } from './page-checks.js';

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

describe('the run page of a real run', () => {
  it('an Exchange run through real pwsh, two accounts: the page of its summary, at most 3 sessions busy per account, no secret; `show` finds the page', async () => {
    const cwd = tempDir('dap-page-exchange-');
    const accounts = [
      { userName: 'admin@contoso.onmicrosoft.com', password: 'First-Pa55word!' },
      { userName: 'ops@contoso.onmicrosoft.com', password: 'Second-Pa55word!' },
    ];
    const file = writeScenario(cwd, {
      seed: 'run-page-exchange',
      tenantCount: 24,
      accounts,
      latency: { signInMs: 0, sessionOpenMs: 20, commandMs: 60, jitterMs: 40 },
      faults: [
        { type: 'throttle', mode: 'fail', failures: 1, rate: 0.1 },
        { type: 'accessDenied', rate: 0.1 },
        { type: 'noData', rate: 0.1 },
        { type: 'slow', delayMs: 800, rate: 0.1 },
      ],
    });
    const bin = join(projectRoot, 'bin', 'dap-report.js');
    const env = { ...process.env, DAP_PWSH: pwsh.path, DAP_PASSWORD: '', [passwordVariableFor(accounts[1]!.userName)]: accounts[1]!.password };
    const params = ['--param', 'ReportType=Daily', '--param', 'StartDate=2015-03-18', '--param', 'EndDate=2015-03-18'];
    const result = await execa(process.execPath, [bin, 'run', '--simulate', file, ...params, '--user', accounts[0]!.userName, '--user', accounts[1]!.userName, '--quiet'], { cwd, env, reject: false });
    expect(result.stderr).not.toMatch(/internal error|could not be written/);
    expect(result.exitCode).toBe(1);
    const out = join(cwd, 'ReportOutput.csv');
    const summary = readJson<RunSummary>(`${out}.summary.json`);
    expect(summary.laneLabel).toBe('Account');
    expect(Object.keys(summary.accounts)).toHaveLength(2);
    if (process.env.DAP_UPDATE_PAGE_FIXTURE === '1') copyFileSync(`${out}.summary.json`, exchangeSummaryFixture);
    // the page is the renderer's page of the summary, as run-page.test.ts opens it
    expect(readFileSync(`${out}.html`, 'utf8')).toBe(renderRunPage(summary));
    // what its timeline draws: each tenant's attempts as many as the summary says, each account's
    // most at once its counter, within its cap of 3
    const attempts = summary.attempts!;
    expect(attempts.length).toBeGreaterThan(0);
    for (const tenant of summary.tenants) expect(attempts.filter((a) => a.tenantId === tenant.tenantId), tenant.domain).toHaveLength(tenant.attempts);
    for (const { userName } of accounts) {
      const counters = summary.accounts[userName]!;
      expect(counters.maxSessions).toBe(3);
      expect(mostAtOnce(attempts.filter((a) => a.account === userName)), userName).toBe(counters.maxConcurrentSessions);
      expect(counters.maxConcurrentSessions).toBeLessThanOrEqual(3);
    }
    expect(summary.tenants.some((t) => t.category === 'AccessDenied')).toBe(true);
    // the secret of the second account is nowhere in the page
    expect(readFileSync(`${out}.html`, 'utf8')).not.toContain(accounts[1]!.password);

    const show = await execa(process.execPath, [bin, 'show'], { cwd, env, reject: false });
    expect(show.exitCode).toBe(0);
    expect(show.stdout.split('\n')[0]).toBe(`${out}.html`);
    expect(show.stdout).toContain('MailboxActivityReport: 24 tenants');
    expect(existsSync(`${out}.html`)).toBe(true);
  }, 180_000);
});
