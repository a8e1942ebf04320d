/**
 * The run page (<out>.html) of simulated fault runs, opened in headless Chromium: no console
 * errors and no network, every tenant in the table, filtering and sorting, one timeline bar per
 * attempt of the summary, never more lanes busy than the cap, text from tenants shown as text.
 * A 200-tenant Graph run in this process, and a smaller Exchange run through real pwsh.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import type { RunSummary, TenantSummary } from '../../runtime/run/summary.js';
import { passwordVariableFor } from '../../runtime/backends/exchange/credentials.js';
import { pwsh } from '../helpers/powershell.js';
import { tempDir } from '../runtime/fakes.js';
import { graphWorld, runGraph, writeScenario } from '../runtime/graph-harness.js';
import { launch, mostAtOnce, openPage, pageReady, timelineBars, visibleRows } from './browser.js';

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

/** What the page's filter matches in a tenant, as the page builds it. */
function filterText(t: TenantSummary): string {
  return [t.domain, t.name, t.tenantId, t.status, t.category ?? '', t.message ?? '', String(t.attempts), String(t.rows), String(t.durationMs), t.warning?.code ?? ''].join('\u0001').toLowerCase();
}

/** The checks every run page must pass; answers the page for more. */
async function checkPage(file: string, summary: RunSummary): Promise<{ page: Page; problems: string[] }> {
  const { page, problems } = await openPage(browser, file);

  // every tenant, failed ones first
  const rows = await visibleRows(page);
  expect(rows).toHaveLength(summary.tenants.length);
  expect(new Set(rows)).toEqual(new Set(summary.tenants.map((t) => t.tenantId)));
  const status = new Map(summary.tenants.map((t) => [t.tenantId, t.status]));
  const failedCount = summary.tenants.filter((t) => t.status === 'failed').length;
  expect(rows.slice(0, failedCount).every((id) => status.get(id) === 'failed')).toBe(true);
  expect(await page.textContent('[data-total="Failed"] .value')).toBe(String(summary.totals.failed));
  expect(await page.textContent('[data-total="Tenants"] .value')).toBe(String(summary.totals.tenants));

  // the timeline: one bar per attempt of the summary, each tenant's bars as many as its attempts
  const attempts = summary.attempts!;
  const { bars, lanes, area } = await timelineBars(page);
  expect(bars).toHaveLength(attempts.length);
  expect(new Set(bars.map((b) => b.index)).size).toBe(attempts.length);
  const ranThisTime = new Set(attempts.map((a) => a.tenantId));
  for (const tenant of summary.tenants.filter((t) => ranThisTime.has(t.tenantId))) {
    expect(attempts.filter((a) => a.tenantId === tenant.tenantId), tenant.domain).toHaveLength(tenant.attempts);
  }
  // one lane per slot of each account (or of the app), never more than its cap
  const caps = Object.values(summary.accounts).map((a) => a.maxSessions);
  expect(lanes).toHaveLength(caps.reduce((n, c) => n + c, 0));
  for (const bar of bars) {
    const attempt = attempts[bar.index]!;
    expect(bar.startMs).toBe(attempt.startMs);
    expect(bar.endMs).toBe(attempt.endMs);
    expect(bar.left).toBeGreaterThanOrEqual(area.left - 1);
    expect(bar.right).toBeLessThanOrEqual(area.right + 1);
    expect(bar.y).toBeGreaterThan(area.top);
    expect(bar.y).toBeLessThan(area.bottom);
  }
  // a lane holds one attempt at a time, drawn at one height; an account never has more than its cap busy
  const byLane = new Map<string, typeof bars>();
  for (const bar of bars) byLane.set(bar.lane, [...(byLane.get(bar.lane) ?? []), bar]);
  for (const [lane, laneBars] of byLane) {
    expect(lanes).toContain(lane);
    expect(mostAtOnce(laneBars), lane).toBe(1);
    expect(new Set(laneBars.map((b) => Math.round(b.y))).size, lane).toBe(1);
  }
  for (const [account, counters] of Object.entries(summary.accounts)) {
    const mine = bars.filter((b) => attempts[b.index]!.account === account);
    expect(mostAtOnce(mine), account).toBeLessThanOrEqual(counters.maxSessions);
    expect(mostAtOnce(mine), account).toBe(counters.maxConcurrentSessions);
  }
  return { page, problems };
}

/** Types a category into the filter: exactly the tenants whose text holds it remain, its tenants among them. */
async function checkFilter(page: Page, summary: RunSummary, category: string): Promise<void> {
  await page.fill('#filter', category);
  const shown = await visibleRows(page);
  const expected = summary.tenants.filter((t) => filterText(t).includes(category.toLowerCase()));
  expect(new Set(shown)).toEqual(new Set(expected.map((t) => t.tenantId)));
  for (const t of summary.tenants.filter((t) => t.category === category)) expect(shown).toContain(t.tenantId);
  expect(shown.length).toBeLessThan(summary.tenants.length);
  expect(await page.textContent('#count')).toBe(`${shown.length} of ${summary.tenants.length} tenants`);
  await page.fill('#filter', '');
  expect(await visibleRows(page)).toHaveLength(summary.tenants.length);
}

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
    const { page, problems } = await checkPage(`${out}.html`, summary);
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

  it('an Exchange run through real pwsh, two accounts: one lane per session slot, at most 3 busy per account; `show` finds the page', async () => {
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
    const { page, problems } = await checkPage(`${out}.html`, summary);
    try {
      expect((await timelineBars(page)).lanes).toEqual(accounts.flatMap((a) => [1, 2, 3].map((n) => `${a.userName} #${n}`)));
      await checkFilter(page, summary, 'AccessDenied');
      expect(problems).toEqual([]);
    } finally {
      await page.context().close();
    }
    // the secret of the second account is nowhere in the page
    expect(readFileSync(`${out}.html`, 'utf8')).not.toContain(accounts[1]!.password);

    const show = await execa(process.execPath, [bin, 'show'], { cwd, env, reject: false });
    expect(show.exitCode).toBe(0);
    expect(show.stdout.split('\n')[0]).toBe(`${out}.html`);
    expect(show.stdout).toContain('MailboxActivityReport: 24 tenants');
    expect(existsSync(`${out}.html`)).toBe(true);
  }, 180_000);
});
