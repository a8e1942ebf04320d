import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../generator/definition-problem.js';
import { builtinDefinitionFiles, loadDefinitions } from '../../generator/load-definitions.js';
import { fiveMistakes, sampleDefinitions } from './generator-fixtures.js';

function problemsOf(source: string, name = 'report.ts'): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'dap-def-'));
  writeFileSync(join(dir, name), source);
  return loadDefinitions([join(dir, name)]).problems.map((p) => p.message);
}

const valid = `
export const r = {
  name: 'Valid',
  summary: 's',
  description: 'd',
  source: { kind: 'exchange', cmdlet: 'Get-Valid' },
  parameters: [PARAMS],
  columns: [{ name: 'A', type: 'string' }],
  examples: [{ code: 'c', description: 'd' }],
} satisfies ReportDefinition;`;

describe('loadDefinitions', () => {
  it('reads the built-in catalog: the eight reports, no problem', () => {
    const loaded = loadDefinitions(builtinDefinitionFiles());
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.reports.map((r) => r.name).sort()).toEqual([
      'ConnectionByClientTypeReport', 'MailboxActivityReport', 'MailboxStatisticsReport', 'MailboxUsageDetailReport',
      'MailboxUsageReport', 'MessageTraceReport', 'StaleMailboxDetailReport', 'StaleMailboxReport',
    ]);
    const statistics = loaded.reports.find((r) => r.name === 'MailboxStatisticsReport');
    expect(statistics?.source).toEqual({
      kind: 'exchange', cmdlet: 'Get-MailboxStatistics', input: { cmdlet: 'Get-Mailbox', parameters: [{ name: 'ResultSize', value: 'Unlimited' }] },
    });
    const activity = loaded.reports.find((r) => r.name === 'MailboxActivityReport');
    expect(activity?.parameters.map((p) => p.name)).toEqual(['ReportType', 'StartDate', 'EndDate', 'ResultSize']);
    expect(activity?.parameters[0]?.values).toEqual(['Daily', 'Weekly', 'Monthly', 'Yearly']);
  });

  it('resolves local constants, imported constants, spreads and string concatenation', () => {
    const loaded = loadDefinitions([sampleDefinitions]);
    expect(loaded.problems).toEqual([]);
    const typed = loaded.reports[0]!;
    expect(typed.description).toBe('Exercises every parameter type the generator supports, with and without defaults.');
    expect(typed.parameters.find((p) => p.name === 'Since')).toMatchObject({ type: 'datetime', default: '2015-03-18' });
    expect(loaded.reports[1]?.functionName).toBe('Measure-DapPipedSample');
  });

  it('reports five different mistakes of one file, each as path:line:col', () => {
    const { problems } = loadDefinitions([fiveMistakes]);
    const lines = problems.map(formatProblem);
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^test\/fixtures\/definitions\/invalid\/five-mistakes\.ts:\d+:\d+: /);
    expect(lines.join('\n')).toMatch(/'Fetch' is not an approved PowerShell verb/);
    expect(lines.join('\n')).toMatch(/unsupported parameter type 'object'/);
    expect(lines.join('\n')).toMatch(/duplicate parameter name 'size'/);
    expect(lines.join('\n')).toMatch(/missing the help text of parameter 'Quiet'/);
    expect(lines.join('\n')).toMatch(/the default of 'Days' must be an integer/);
    expect(problems.find((p) => p.message.includes('Fetch'))).toMatchObject({ line: 6, col: 9 });
  });

  it.each([
    ['a call', "{ name: 'X', type: 'string', default: String(1), help: 'h' }", /cannot read 'String\(1\)' statically/],
    ['a template with a substitution', "{ name: 'X', type: 'string', default: `${1}`, help: 'h' }", /template string/],
    ['an unknown identifier', "{ name: 'X', type: 'string', default: somewhere, help: 'h' }", /cannot resolve 'somewhere'/],
    ['a reserved name', "{ name: 'Credential', type: 'string', help: 'h' }", /reserved/],
    ['a non-identifier name', "{ name: 'a-b', type: 'string', help: 'h' }", /not an identifier/],
    ['a default outside the set', "{ name: 'X', type: { oneOf: ['A'] }, default: 'B', help: 'h' }", /must be one of 'A'/],
    ['a bad date default', "{ name: 'X', type: 'Date', default: 'yesterday', help: 'h' }", /ISO date/],
    ['a required parameter with a default', "{ name: 'X', type: 'string', required: true, default: 'a', help: 'h' }", /cannot have a default/],
    ['a true switch default', "{ name: 'X', type: 'boolean', default: true, help: 'h' }", /must be false/],
    ['an unknown property', "{ name: 'X', type: 'string', hlep: 'h', help: 'h' }", /unknown property 'hlep'/],
    ['empty help', "{ name: 'X', type: 'string', help: '  ' }", /must not be empty/],
  ])('rejects %s', (_what, parameter, message) => {
    const problems = problemsOf(valid.replace('PARAMS', parameter));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it.each([
    ['an unknown source kind', valid.replace("kind: 'exchange'", "kind: 'graph'").replace('PARAMS', ''), /unknown source kind 'graph'/],
    ['a report name that is not PascalCase', valid.replace("'Valid'", "'valid_report'").replace('PARAMS', ''), /PascalCase/],
    ['a missing description', valid.replace("description: 'd',\n", '').replace('PARAMS', ''), /missing the description/],
    ['no examples', valid.replace("[{ code: 'c', description: 'd' }]", '[]').replace('PARAMS', ''), /at least one example/],
    ['a file without definitions', 'export const x = 1;', /no report definition found/],
    ['a syntax error', valid.replace('PARAMS', '{ name: ').concat('\n'), /syntax error/],
  ])('rejects %s', (_what, source, message) => {
    expect(problemsOf(source).join('\n')).toMatch(message);
  });

  it('rejects a report name defined twice, across files, and a name the module already uses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dap-def-'));
    const one = join(dir, 'one.ts');
    const two = join(dir, 'two.ts');
    writeFileSync(one, valid.replace('PARAMS', ''));
    writeFileSync(two, valid.replace('PARAMS', '').replace("'Valid'", "'VALID'"));
    const customer = join(dir, 'customer.ts');
    writeFileSync(customer, valid.replace('PARAMS', '').replace("'Valid'", "'Customer'"));
    const { problems } = loadDefinitions([one, two, customer]);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/duplicate report 'VALID'/),
      expect.stringMatching(/would generate Get-DapCustomer/),
    ]);
    expect(problems[0]).toMatchObject({ file: two.replace(/\\/g, '/'), line: 3, col: 9 });
  });

  it('never executes a definition file', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'dap-def-')), 'executed');
    const problems = problemsOf(
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\n${valid.replace('PARAMS', '')}`,
    );
    expect(problems).toEqual([]);
    expect(() => writeFileSync(marker, '', { flag: 'wx' })).not.toThrow();
  });
});
