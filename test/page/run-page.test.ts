/**
 * The run page (<out>.html) of simulated fault runs, opened in headless Chromium: no console
 * errors and no network, every tenant in the table, filtering and sorting, one timeline bar per
 * attempt of the summary, never more lanes busy than the cap, text from tenants shown as text.
 * A 200-tenant Graph run in this process, and the saved summary of an Exchange run of two accounts
 * through real pwsh (run-page-e2e.test.ts makes such a run and holds its page to the same renderer).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { renderRunPage } from '../../runtime/run/page/render-page.js';
import type { RunSummary } from '../../runtime/run/summary.js';
import { tempDir } from '../runtime/fakes.js';
import { graphWorld, runGraph, writeScenario } from '../runtime/graph-harness.js';
import { launch, pageReady, timelineBars, visibleRows } from './browser.js';
import { checkFilter, checkPage, exchangeSummaryFixture } from './page-checks.js';

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const XSS_NAME = '<script>alert(1)</script>';
const XSS_NAME_2 = '"><img src=x onerror=alert(2)>';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('the run page in headless Chromium', () => {
  it('a 200-tenant Graph fault run: every tenant, filtering, sorting, one bar per attempt, the cap held, tenant text inert; screenshot', async () => {
    const cwd = tempDir('dap-page-');
    const scenario = graphWorld({
      tenants: 196,
      extra: {
        seed: 'run-page-200',
        tenants: [
          { name: XSS_NAME, initialDomain: 'xss.onmicrosoft.com', mailboxes: 2 },
          { name: XSS_NAME_2, initialDomain: 'xss2.onmicrosoft.com', mailboxes: 2 },
          { name: 'Alpha', initialDomain: 'alpha.onmicrosoft.com', mailboxes: 3 },
          { name: 'Beta', initialDomain: 'beta.onmicrosoft.com', mailboxes: 4 },
        ],
        latency: { signInMs: 0, sessionOpenMs: 0, commandMs: 30, jitterMs: 30 },
      },
      graph: { inactiveRelationshipRate: 0.04 },
      faults: [
        { type: 'graphThrottle', failures: 1, retryAfterSeconds: 1, rate: 0.06 },
        { type: 'graphServerError', failures: 1, rate: 0.04 },
        { type: 'notConsented', rate: 0.04 },
        { type: 'notConsented', tenants: ['xss.onmicrosoft.com'] },
        { type: 'graphNoData', rate: 0.05 },
        { type: 'concealedNames', rate: 0.05 },
        { type: 'expiredDownload', rate: 0.03 },
      ],
    });
    const out = join(cwd, 'fault-run.csv');
    const run = await runGraph(['run', '--simulate', writeScenario(cwd, scenario), '--backend', 'graph', '--report', 'MailboxUsageDetail', '--quiet', '--out', out], { cwd });
    expect(run.error).toBeUndefined();
    expect(run.exitCode).toBe(1);
    const summary = readJson<RunSummary>(`${out}.summary.json`);
    expect(summary.tenants).toHaveLength(200);
    expect(summary.totals.failed).toBeGreaterThan(5);
    expect(summary.attempts!.length).toBeGreaterThan(summary.tenants.filter((t) => t.attempts > 0).length); // retries happened
    expect(summary.command).toEqual(['run', '--simulate', expect.any(String), '--backend', 'graph', '--report', 'MailboxUsageDetail', '--quiet', '--out', out]);

    const html = readFileSync(`${out}.html`, 'utf8');
    // the names reach the page only inside the JSON block, escaped
    expect(html).not.toContain(XSS_NAME);
    expect(html).not.toContain('<img src=x');
    const { page, problems } = await checkPage(browser, `${out}.html`, summary);
    try {
      expect(await page.evaluate('document.scripts.length')).toBe(3);
      expect(await page.$$('#tenants img, #tenants script')).toHaveLength(0);
      const xss = summary.tenants.find((t) => t.name === XSS_NAME)!;
      expect(xss.status).toBe('failed');
      expect(await page.textContent(`tr[data-tenant-id="${xss.tenantId}"] td:nth-child(2)`)).toBe(XSS_NAME);
      const xss2 = summary.tenants.find((t) => t.name === XSS_NAME_2)!;
      expect(await page.textContent(`tr[data-tenant-id="${xss2.tenantId}"] td:nth-child(2)`)).toBe(XSS_NAME_2);

      // filtering by a category, then by another one
      const categories = Object.keys(summary.totals.byCategory).filter((c) => c !== 'NoData');
      expect(categories.length).toBeGreaterThanOrEqual(2);
      for (const category of categories.slice(0, 3)) await checkFilter(page, summary, category);
      await checkFilter(page, summary, 'ConcealedNames');

      // sorting: rows, ascending, then descending
      await page.click('#tenants th[data-key="rows"]');
      const rowsOf = new Map(summary.tenants.map((t) => [t.tenantId, t.rows]));
      const ascending = (await visibleRows(page)).map((id) => rowsOf.get(id)!);
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
      await page.click('#tenants th[data-key="rows"]');
      const descending = (await visibleRows(page)).map((id) => rowsOf.get(id)!);
      expect(descending).toEqual([...ascending].sort((a, b) => b - a));
      await page.reload();
      await pageReady(page);

      expect(problems).toEqual([]);
      // the README's picture is refreshed on request (DAP_UPDATE_SCREENSHOT=1), so that a test run leaves the checkout clean
      const shot = process.env.DAP_UPDATE_SCREENSHOT === '1' ? join(projectRoot, 'docs', 'run-page.png') : join(tempDir('dap-page-shot-'), 'run-page.png');
      mkdirSync(join(shot, '..'), { recursive: true });
      await page.screenshot({ path: shot, fullPage: true });
      expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');
    } finally {
      await page.context().close();
    }
  }, 120_000);

  it('the page of an Exchange run of two accounts (a saved summary): one lane per session slot, at most 3 busy per account', async () => {
    const summary = readJson<RunSummary>(exchangeSummaryFixture);
    expect(summary.laneLabel).toBe('Account');
    const accounts = Object.keys(summary.accounts);
    expect(accounts).toHaveLength(2);
    const file = join(tempDir('dap-page-exchange-'), 'ReportOutput.csv.html');
    writeFileSync(file, renderRunPage(summary));
    const { page, problems } = await checkPage(browser, file, summary);
    try {
      expect((await timelineBars(page)).lanes).toEqual(accounts.flatMap((a) => [1, 2, 3].map((n) => `${a} #${n}`)));
      await checkFilter(page, summary, 'AccessDenied');
      expect(problems).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
