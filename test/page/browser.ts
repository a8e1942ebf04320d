/**
 * Headless Chromium (Debian's `chromium`, installed by scripts/setup.mjs) driven by playwright-core,
 * and what the tests read off a run page: its rows, the timeline's bars, console errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../common/project-paths.js';

/** The browser setup installed (status.json), else Debian's path; a missing one fails the test, never skips it. */
export function chromiumPath(): string {
  let path = '/usr/bin/chromium';
  try {
    const status = JSON.parse(readFileSync(join(projectRoot, '.tools', 'status.json'), 'utf8')) as { chromium?: { path?: string } };
    if (status.chromium?.path) path = status.chromium.path;
  } catch {
    // no status yet: the default path
  }
  if (!existsSync(path)) throw new Error(`no Chromium at ${path}: run \`npm run setup\` (it installs Debian's chromium package)`);
  return path;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
}

export interface OpenedPage {
  page: Page;
  /** Console errors, uncaught exceptions and dialogs (an alert() would be an injection). */
  problems: string[];
}

/** Opens a page file as a person would (file://), with the network cut off: the page must need none. */
export async function openPage(browser: Browser, file: string): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, offline: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) problems.push(`request: ${request.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  await pageReady(page);
  return { page, problems };
}

/** Waits for the page's script to have drawn everything. */
export async function pageReady(page: Page): Promise<void> {
  await page.waitForFunction('window.dapRunPage !== undefined');
}

export interface Bar {
  /** Index into the summary's attempts. */
  index: number;
  lane: string;
  startMs: number;
  endMs: number;
  /** Drawn geometry, in canvas pixels. */
  left: number;
  right: number;
  y: number;
  color: string;
}

/** Every bar Chart.js drew on the timeline, with its data and geometry. */
export async function timelineBars(page: Page): Promise<{ bars: Bar[]; lanes: string[]; area: { left: number; right: number; top: number; bottom: number } }> {
  // browser code as text: the project's TypeScript has no DOM types
  return page.evaluate(`(() => {
    const chart = Chart.getChart(document.getElementById('timeline'));
    const bars = chart.data.datasets.flatMap((dataset, d) =>
      chart.getDatasetMeta(d).data.map((el, j) => ({
        index: dataset.data[j].i,
        lane: dataset.data[j].y,
        startMs: Math.round(dataset.data[j].x[0] * 1000),
        endMs: Math.round(dataset.data[j].x[1] * 1000),
        left: Math.min(el.x, el.base),
        right: Math.max(el.x, el.base),
        y: el.y,
        color: dataset.backgroundColor,
      })),
    );
    const { left, right, top, bottom } = chart.chartArea;
    return { bars, lanes: chart.scales.y.getLabels(), area: { left, right, top, bottom } };
  })()`);
}

/** The tenant rows shown now: their TenantIds in display order. */
export async function visibleRows(page: Page): Promise<string[]> {
  return page.$$eval('#tenants tbody tr:not([hidden])', (rows) => rows.map((r) => r.getAttribute('data-tenant-id') ?? ''));
}

/** The most intervals open at one moment (half-open [start, end)). */
export function mostAtOnce(intervals: ReadonlyArray<{ startMs: number; endMs: number }>): number {
  const points = intervals.flatMap((i) => [
    { t: i.startMs, d: 1 },
    { t: i.endMs, d: -1 },
  ]);
  // an end before a start at the same moment: a slot handed on is not two at once
  points.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let most = 0;
  for (const p of points) most = Math.max(most, (open += p.d));
  return most;
}
