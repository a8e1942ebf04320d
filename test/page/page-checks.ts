/**
 * The checks every run page must pass in the browser, shared by the page's tests: every tenant,
 * failed ones first, one timeline bar per attempt of the summary, never more lanes busy than the cap.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import type { RunSummary, TenantSummary } from '../../runtime/run/summary.js';
import { mostAtOnce, openPage, timelineBars, visibleRows } from './browser.js';

/** The summary of a two-account Exchange fault run through real pwsh (DAP_UPDATE_PAGE_FIXTURE=1 and run-page-e2e.test.ts refresh it). */
export const exchangeSummaryFixture = join(projectRoot, 'test', 'fixtures', 'page', 'exchange-two-accounts-summary.json');

/** What the page's filter matches in a tenant, as the page builds it. */
function filterText(t: TenantSummary): string {
  return [t.domain, t.name, t.tenantId, t.status, t.category ?? '', t.message ?? '', String(t.attempts), String(t.rows), String(t.durationMs), t.warning?.code ?? ''].join('\u0001').toLowerCase();
}

/** The checks every run page must pass; answers the page for more. */
export async function checkPage(browser: Browser, file: string, summary: RunSummary): Promise<{ page: Page; problems: string[] }> {
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
export async function checkFilter(page: Page, summary: RunSummary, category: string): Promise<void> {
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

