import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { execa } from 'execa';
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

  it('runtime/, common/, generator/ and simulator/ write to stdout and stderr only through writeTerminal and writeText (common/terminal-text.ts)', () => {
    const root = join(__dirname, '..', '..');
    // TypeScript only: the PowerShell stand-ins and the templates of the generated module are not the tools' output
    const files = ['runtime', 'common', 'generator', 'simulator'].flatMap((dir) =>
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

describe('dap-gen and dap-sim print paths (the bins)', () => {
  const root = join(__dirname, '..', '..');
  const bin = (name: string, args: string[], cwd: string) => execa(process.execPath, [join(root, 'bin', name), ...args], { cwd, reject: false, timeout: 60_000 });

  it("dap-gen: a definition's parameter name with escapes and a fake line, in the problem at its line", async () => {
    const cwd = tempDir();
    const name = `Mail${hostile}${fakeLine}`.replace(/['\\]/g, '');
    writeFileSync(
      join(cwd, 'hostile.ts'),
      `export const r = {
  name: 'HostileReport', summary: 's', description: 'd',
  source: { kind: 'exchange', cmdlet: 'Get-InboxRule' },
  parameters: [{ name: ${JSON.stringify(name)}, type: 'string', help: 'h' }],
  columns: [{ name: 'Name', type: 'string' }],
} satisfies ReportDefinition;
`,
    );
    const run = await bin('dap-gen.js', ['--reports', 'hostile.ts', '--out', 'out'], cwd);
    expect(run.exitCode).toBe(2);
    expectNothingObeyed(run.stderr);
    expect(run.stderr).toContain(`hostile.ts:4:`);
    expect(run.stderr).toContain(terminalText(name));
    // each problem stays at the left edge as path:line:col, and no data starts a line of its own
    expect(run.stderr.split('\n').some((line) => line.startsWith('dap-report: every tenant succeeded') || line === 'x')).toBe(false);
  });

  it('dap-gen: an --out folder whose name carries escapes, on stdout', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'ok.ts'),
      `export const r = {
  name: 'PlainReport', summary: 's', description: 'd',
  source: { kind: 'exchange', cmdlet: 'Get-InboxRule' },
  parameters: [],
  columns: [{ name: 'Name', type: 'string' }],
  examples: [{ code: 'Get-DapPlainReport', description: 'Every tenant.' }],
} satisfies ReportDefinition;
`,
    );
    const out = `out\x1b]0;owned\x07${fakeLine}`;
    const run = await bin('dap-gen.js', ['--reports', 'ok.ts', '--out', out], cwd);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expectNothingObeyed(run.stdout);
    expect(run.stdout).toContain(terminalText(join(cwd, out)));
    expect(run.stdout.split('\n').some((line) => line.startsWith('dap-report: every tenant succeeded'))).toBe(false);
  });

  it("dap-sim: a scenario's duplicate tenant name in the SCENARIO_INVALID error, and a scenario path with escapes", async () => {
    const cwd = tempDir();
    const tenant = (n: number) => ({ tenantId: `00000000-0000-0000-0000-00000000000${n}`, name: `Contoso\x1b[2J${fakeLine}`, initialDomain: `t${n}.onmicrosoft.com` });
    // a line break in the path would start an indented line (terminalMessage); the escapes show as text
    const scenario = join(cwd, `scenario\x1b]0;owned\x07.json`);
    writeFileSync(scenario, JSON.stringify({ tenants: [tenant(1), tenant(2)] }));
    const run = await bin('dap-sim.js', ['run', '--config', scenario, '--', process.execPath, '-e', '0'], cwd);
    expect(run.exitCode).toBe(2);
    expectNothingObeyed(run.stderr);
    expect(run.stderr).toContain(terminalText(scenario));
    expect(run.stderr).toContain("duplicate tenant name 'Contoso\\x1b[2J");
    expect(run.stderr.split('\n').some((line) => line.startsWith('dap-report: every tenant succeeded'))).toBe(false);
  });

  it("dap-sim serve: the scenario's partner account name on stderr", async () => {
    const cwd = tempDir();
    const scenario = join(cwd, 'scenario.json');
    writeFileSync(scenario, JSON.stringify({ accounts: [{ userName: 'admin\x1b]0;owned\x07\x1b[2J@contoso.onmicrosoft.com', password: 'Simulated-Pa55word!' }] }));
    const child = execa(process.execPath, [join(root, 'bin', 'dap-sim.js'), 'serve', '--config', scenario], { cwd, reject: false, timeout: 60_000 });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('\n')) resolve();
      });
      void child.then(() => resolve());
    });
    child.kill('SIGTERM');
    await child;
    expect(stderr).toContain('partner account admin\\x1b]0;owned\\x07\\x1b[2J@contoso.onmicrosoft.com');
    expectNothingObeyed(stderr);
  });
});
