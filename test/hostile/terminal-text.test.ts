import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../common/catalog.js';
import { terminalJson, terminalMessage, terminalText, tty } from '../../common/terminal-text.js';
import { formatCatalog } from '../../runtime/cli/list-reports.js';
import { harness, makeTenants, tempDir, USER } from '../runtime/fakes.js';
import { graphWorld, runGraph, writeScenario } from '../runtime/graph-harness.js';

/**
 * Data (a tenant's name, a column's, a service's message, a catalog's summary) never reaches the
 * terminal with a character the terminal would obey or that would make the text read otherwise:
 * every control character, CR, LF and TAB included, the C1 range, the bidi overrides and isolates
 * and the line and paragraph separators are shown as escapes; the tool's own line breaks stay.
 */

const codes = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const hostileCodes = [...codes(0x00, 0x1f), ...codes(0x7f, 0x9f), ...codes(0x202a, 0x202e), ...codes(0x2066, 0x2069), 0x2028, 0x2029];
const hostile = String.fromCharCode(...hostileCodes);
/** What a terminal would obey or what reorders text: none may be printed. */
const obeyable = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** A name that would print a line of its own that reads like the tool's. */
const fakeLine = 'Contoso\r\ndap-report: every tenant succeeded\nx';

const escapeOf = (code: number) => (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);

describe('terminalText', () => {
  it.each(hostileCodes.map((code) => [code.toString(16).padStart(4, '0'), code]))('U+%s is shown as an escape', (_hex, code) => {
    const text = terminalText(`a${String.fromCharCode(code)}b`);
    expect(text).toBe(`a${escapeOf(code)}b`);
    expect(obeyable.test(text)).toBe(false);
  });

  it('printable text, Latin-1 from U+00A0 and other Unicode stay', () => {
    expect(terminalText('Zoë Ångström 日本, "x" \u00a0é \u200b 🙂')).toBe('Zoë Ångström 日本, "x" \u00a0é \u200b 🙂');
  });

  it('tty: the tool\'s own line breaks stay, a value\'s do not', () => {
    expect(tty`line one\nline two: ${fakeLine}`.text).toBe('line one\nline two: Contoso\\x0d\\x0adap-report: every tenant succeeded\\x0ax');
    expect(tty`outer ${tty`inner\n${'\x1b'}`}`.text).toBe('outer inner\n\\x1b');
  });

  it('terminalMessage: lines kept, each escaped, and no line after the first starts at the left edge', () => {
    expect(terminalMessage(`bad name ${fakeLine}\n  already indented\u202e`).text).toBe('bad name Contoso\n  dap-report: every tenant succeeded\n  x\n  already indented\\u202e');
  });

  it('terminalJson: the same value, nothing a terminal obeys', () => {
    const text = terminalJson({ name: hostile }).text;
    expect(obeyable.test(text)).toBe(false);
    expect(JSON.parse(text)).toEqual({ name: hostile });
  });
});

function expectNothingObeyed(text: string): void {
  const found = obeyable.exec(text);
  expect(found, found ? `U+${found[0].charCodeAt(0).toString(16)} at ${found.index}: ${JSON.stringify(text.slice(Math.max(0, found.index - 40), found.index + 40))}` : '').toBeNull();
}

/** The lines of stderr that start like the tool's own. */
const toolLines = (text: string) => text.split('\n').filter((line) => line.startsWith('dap-report'));

describe('print paths', () => {
  it('dap-report check: a tenant whose name carries every hostile character and a fake line', async () => {
    const cwd = tempDir();
    const scenario = graphWorld({ faults: [{ type: 'notConsented', tenants: ['delta.onmicrosoft.com'] }] });
    (scenario.tenants as Array<{ name: string }>)[3]!.name = `Delta${hostile}${fakeLine}`;
    const run = await runGraph(['check', '--simulate', writeScenario(cwd, scenario), '--backend', 'graph', '--report', 'MailboxUsageDetail', '--no-domain-lookup', '--no-page'], { cwd });
    expect(run.error).toBeUndefined();
    expect(run.exitCode).toBe(1);
    expectNothingObeyed(run.stderr);
    expectNothingObeyed(run.stdout);
    // the name is on stderr (its TenantDomain under --no-domain-lookup) and in the table, escaped
    expect(run.stderr).toContain(`Delta${hostileCodes.map(escapeOf).join('')}Contoso\\x0d\\x0adap-report: every tenant succeeded\\x0ax`);
    expect(toolLines(run.stderr).some((line) => line.startsWith('dap-report: every tenant succeeded'))).toBe(false);
    expect(run.stdout).toContain('Contoso\\x0d\\x0adap-report: every tenant succeeded');
  });

  it("dap-report run: the undeclared-columns note with a tenant's hostile column name", async () => {
    const h = harness({ tenants: makeTenants(1), deps: { progressIntervalMs: 0 } });
    const column = `Extra${hostile}${fakeLine}`;
    h.runner.run = async (job) => {
      writeFileSync(job.outPath, stringify([['TenantId', 'TenantDomain', 'Date', column], [job.tenantId, job.domain, '2015-03-18', 'v']], { quoted: true }));
      return { status: 'succeeded', rows: 1, partPath: job.outPath };
    };
    expect(await h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--out', join(h.deps.cwd, 'out.csv')])).toBe(0);
    expectNothingObeyed(h.stderr.text);
    const note = toolLines(h.stderr.text).find((line) => line.includes('does not declare'));
    expect(note).toBe(`dap-report: the tenants' rows have columns the report does not declare, added at the end: ${terminalText(column)}`);
    expect(toolLines(h.stderr.text).some((line) => line.startsWith('dap-report: every tenant succeeded'))).toBe(false);
  });

  it("dap-report run: a service's error message and a tenant's name in the tool's error line", async () => {
    const h = harness({ tenants: makeTenants(2) });
    h.runner.run = async () => ({ status: 'failed', rows: 0, category: 'AuthenticationFailed', message: `denied ${hostile}${fakeLine}` });
    expect(await h.run(['run', '--report', 'MailboxActivityReport', '--user', USER], { asBin: true })).toBe(3);
    expectNothingObeyed(h.stderr.text);
    expect(toolLines(h.stderr.text).some((line) => line.startsWith('dap-report: every tenant succeeded'))).toBe(false);
  });

  it('dap-report reports: a catalog whose summary, names and help carry escapes', async () => {
    const h = harness();
    const base = h.deps.readCatalog();
    const report = base.reports[0]!;
    const catalog: Catalog = {
      ...base,
      reports: [
        {
          ...report,
          summary: `Recolours\x1b]0;owned\x07 the title${hostile}${fakeLine}`,
          parameters: report.parameters.map((p) => ({ ...p, help: `help\x1b[2J${fakeLine}` })),
          columns: report.columns.map((c) => ({ ...c, name: `${c.name}\u202e` })),
        },
      ],
    };
    const text = formatCatalog(catalog).text;
    expectNothingObeyed(text);
    expect(text).toContain('Recolours\\x1b]0;owned\\x07 the title');
    expect(text.split('\n').some((line) => line.startsWith('dap-report'))).toBe(false);

    const listed = harness({ deps: { readCatalog: () => catalog } });
    await listed.run(['reports']);
    expect(listed.stdout.text).toBe(text);
    const json = harness({ deps: { readCatalog: () => catalog } });
    await json.run(['reports', '--json']);
    expectNothingObeyed(json.stdout.text);
    expect((JSON.parse(json.stdout.text) as Catalog['reports'])[0]!.summary).toBe(catalog.reports[0]!.summary);
  });
});

describe('one way to the terminal', () => {
  /** Files that write to a stream that is not a terminal (the merged CSV's file stream). */
  const notTerminal = new Set(['runtime/run/merge.ts']);

  it('runtime/ and common/ write to stdout and stderr only through writeTerminal and writeText (common/terminal-text.ts)', () => {
    const root = join(__dirname, '..', '..');
    const files = ['runtime', 'common'].flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `${dir}/${f}`),
    );
    const direct = files
      .filter((f) => f !== 'common/terminal-text.ts' && !notTerminal.has(f))
      .flatMap((f) =>
        readFileSync(join(root, f), 'utf8')
          .split('\n')
          .flatMap((line, i) => (/\b(stdout|stderr|stream|output|out|err)\.write\(/.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(direct).toEqual([]);
  });
});
