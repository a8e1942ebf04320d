import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../../common/project-paths.js';
import type { RunSummary } from '../summary.js';

const assets = join(projectRoot, 'runtime', 'run', 'page', 'assets');

/** Chart.js's own browser build (UMD, no dependencies), from node_modules: the page needs no network. */
function chartJs(): string {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
}

/** Text that can stand inside <script>…</script>: no "</script", "<!--" or "<script" can end or bend it. */
export function scriptSafe(code: string): string {
  return code.replace(/<(\/?script|!--)/gi, '\\x3C$1');
}

/**
 * JSON for a <script type="application/json"> block: every '<', '>' and '&' as a \u escape (so
 * "</script>" in a tenant's name cannot close the block), and the two line separators JavaScript
 * once rejected. JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The run page: one HTML file with its styles, Chart.js and its own script inlined, the summary as
 * JSON. Everything a tenant or the service wrote reaches the page only through that JSON and
 * textContent / canvas text (never innerHTML).
 */
export function renderRunPage(summary: RunSummary): string {
  const { simulator: _simulator, ...data } = summary;
  const css = readFileSync(join(assets, 'page.css'), 'utf8');
  const script = readFileSync(join(assets, 'page.js'), 'utf8');
  const template = readFileSync(join(assets, 'page.html'), 'utf8');
  const title = `${summary.report}: ${summary.totals.tenants} tenants, ${summary.startedAt}`;
  const parts: Record<string, string> = {
    TITLE: escapeHtml(title),
    STYLE: css.replace(/<\/style/gi, '<\\/style'),
    DATA: jsonForScript(data),
    CHARTJS: scriptSafe(chartJs()),
    SCRIPT: scriptSafe(script),
  };
  // one pass, so nothing inserted is searched for placeholders again
  return template.replace(/\{\{(TITLE|STYLE|DATA|CHARTJS|SCRIPT)\}\}/g, (_, name: string) => parts[name]!);
}
