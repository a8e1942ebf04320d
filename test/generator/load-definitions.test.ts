import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../generator/definition-problem.js';
import { builtinDefinitionFiles, loadDefinitions } from '../../generator/load-definitions.js';
import { fiveMistakes, graphMistakes, graphQueryMistakes, sampleDefinitions } from './generator-fixtures.js';

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

const GRAPH_PERIOD = "{ name: 'Period', type: { oneOf: ['D7', 'D30', 'D90', 'D180'] }, help: 'h' }";

describe('loadDefinitions', () => {
  it('reads the built-in catalog: the eight remoting, four Graph, three Graph query and four Exchange admin API reports, no problem', () => {
    const loaded = loadDefinitions(builtinDefinitionFiles());
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.reports.map((r) => r.name).sort()).toEqual([
      'AdminRoleHolderReport', 'CasMailboxProtocolReport', 'ConnectionByClientTypeReport', 'EmailActivityUserDetail', 'InboxRuleExternalForwardingReport', 'MailboxActivityReport',
      'MailboxStatisticsReport', 'MailboxUsageDetail', 'MailboxUsageDetailReport', 'MailboxUsageMailboxCounts', 'MailboxUsageReport', 'MessageTraceReport',
      'MessageTraceV2Report', 'Office365ActiveUserDetail', 'SecureScoreReport', 'StaleMailboxDetailReport', 'StaleMailboxReport', 'TenantLicenseReport', 'UnusedMailboxReport',
    ]);
    expect(Object.fromEntries(loaded.reports.map((r) => [r.name, r.sources.map((s) => s.kind).join('+')]))).toMatchObject({
      MailboxStatisticsReport: 'exchange+exchangeRest', UnusedMailboxReport: 'exchangeRest', InboxRuleExternalForwardingReport: 'exchangeRest',
      CasMailboxProtocolReport: 'exchangeRest', MessageTraceV2Report: 'exchangeRest', MessageTraceReport: 'exchange', MailboxUsageDetail: 'graph',
    });
    const statistics = loaded.reports.find((r) => r.name === 'MailboxStatisticsReport');
    expect(statistics?.sources[0]).toEqual({
      kind: 'exchange', cmdlet: 'Get-MailboxStatistics', input: { cmdlet: 'Get-Mailbox', parameters: [{ name: 'ResultSize', value: 'Unlimited' }] },
    });
    const activity = loaded.reports.find((r) => r.name === 'MailboxActivityReport');
    expect(activity?.parameters.map((p) => p.name)).toEqual(['ReportType', 'StartDate', 'EndDate', 'ResultSize']);
    expect(activity?.parameters[0]?.values).toEqual(['Daily', 'Weekly', 'Monthly', 'Yearly']);
  });

  const periodValues = ['D7', 'D30', 'D90', 'D180'];
  const service = ['Exchange', 'OneDrive', 'SharePoint', 'Skype For Business', 'Yammer', 'Teams'];
  const userColumns = ['Report Refresh Date', 'User Principal Name', 'Display Name', 'Is Deleted', 'Deleted Date'];
  it.each([
    ['MailboxUsageDetail', 'getMailboxUsageDetail', ['Period'], [
      ...userColumns, 'Created Date', 'Last Activity Date', 'Item Count', 'Storage Used (Byte)', 'Issue Warning Quota (Byte)',
      'Prohibit Send Quota (Byte)', 'Prohibit Send/Receive Quota (Byte)', 'Deleted Item Count', 'Deleted Item Size (Byte)', 'Has Archive', 'Report Period',
    ]],
    ['EmailActivityUserDetail', 'getEmailActivityUserDetail', ['Period', 'Date'], [
      ...userColumns, 'Last Activity Date', 'Send Count', 'Receive Count', 'Read Count', 'Meeting Created Count', 'Meeting Interacted Count',
      'Assigned Products', 'Report Period',
    ]],
    ['MailboxUsageMailboxCounts', 'getMailboxUsageMailboxCounts', ['Period'], ['Report Refresh Date', 'Total', 'Active', 'Report Date', 'Report Period']],
    ['Office365ActiveUserDetail', 'getOffice365ActiveUserDetail', ['Period', 'Date'], [
      ...userColumns, ...service.map((x) => `Has ${x} License`), ...service.map((x) => `${x} Last Activity Date`),
      ...service.map((x) => `${x} License Assign Date`), 'Assigned Products',
    ]],
  ])('reads the built-in Graph report %s: function %s, parameters %j, the service\'s columns', (name, fn, parameters, columns) => {
    const report = loadDefinitions(builtinDefinitionFiles()).reports.find((r) => r.name === name);
    expect(report).toMatchObject({ functionName: `Get-Dap${name}`, sources: [{ kind: 'graph', function: fn }] });
    expect(report?.parameters.map((p) => p.name)).toEqual(parameters);
    expect(report?.parameters[0]).toMatchObject({ type: 'string', values: periodValues, default: 'D7', required: false });
    if (parameters.includes('Date')) expect(report?.parameters[1]).toMatchObject({ type: 'datetime', array: false, required: false });
    expect(report?.columns.map((c) => c.name)).toEqual(columns);
    expect(report?.examples.length).toBeGreaterThan(0);
  });

  it('reports every mistake of the graph definitions, each as path:line:col', () => {
    const { reports, problems } = loadDefinitions([graphMistakes]);
    expect(reports).toEqual([]);
    const lines = problems.map(formatProblem);
    for (const line of lines) expect(line).toMatch(/^test\/fixtures\/definitions\/invalid\/graph-mistakes\.ts:\d+:\d+: /);
    expect(problems.map((p) => ({ line: p.line, col: p.col, message: p.message }))).toEqual([
      { line: 8, col: 38, message: expect.stringMatching(/Graph report function 'getX\(period='D7'\)\/\.\.\/\.\.\/me' is not a report function name/) },
      { line: 19, col: 15, message: expect.stringMatching(/a graph report needs a 'Period' parameter/) },
      { line: 29, col: 40, message: expect.stringMatching(/the Period of a graph report must be \{ oneOf: \['D7', 'D30', 'D90', 'D180'\] \}, not one of 'D1', 'D7'/) },
      { line: 38, col: 59, message: expect.stringMatching(/'input' belongs to an exchange source/) },
      { line: 41, col: 13, message: expect.stringMatching(/a graph report takes only the parameters 'Period' and 'Date', not 'ResultSize'/) },
    ]);
  });

  it('reports every mistake of the graphQuery definitions, each at its line', () => {
    const { reports, problems } = loadDefinitions([graphQueryMistakes]);
    expect(reports).toEqual([]);
    for (const line of problems.map(formatProblem)) expect(line).toMatch(/^test\/fixtures\/definitions\/invalid\/graph-query-mistakes\.ts:\d+:\d+: /);
    expect(problems.map((p) => ({ line: p.line, col: p.col, message: p.message }))).toEqual([
      { line: 10, col: 11, message: expect.stringMatching(/the path of the Graph query '\/v1\.0\/users\?\$top=5' is not a Graph resource path/) },
      { line: 11, col: 14, message: expect.stringMatching(/'v1\.0' or 'beta', not 'v2\.0'/) },
      { line: 12, col: 20, message: expect.stringMatching(/names 'id' twice/) },
      { line: 13, col: 10, message: expect.stringMatching(/\$top \(page size\) .* from 1 to 999, not the number 1000/) },
      { line: 14, col: 17, message: expect.stringMatching(/'read everything' is not a Graph permission name/) },
      { line: 15, col: 59, message: expect.stringMatching(/the lookup key 'sku id' is not a property path/) },
      { line: 16, col: 5, message: expect.stringMatching(/'forEach' .* is not supported by dap-gen yet/) },
      { line: 28, col: 42, message: expect.stringMatching(/'from' of column 'Sku' is not a property path/) },
      { line: 29, col: 45, message: expect.stringMatching(/'lookup' of column 'Role' must be '<lookup>\.<property>' naming one of the source's lookups \('sku'\)/) },
      { line: 30, col: 48, message: expect.stringMatching(/a 'percent' column holds a number/) },
      { line: 40, col: 5, message: expect.stringMatching(/a graphQuery source stands alone/) },
      { line: 53, col: 52, message: expect.stringMatching(/'from' of column 'Alias' belongs to a graphQuery source's columns/) },
      { line: 62, col: 15, message: expect.stringMatching(/a graphQuery report takes no parameters yet/) },
      { line: 71, col: 71, message: expect.stringMatching(/both 'top' .* and 'first'/) },
    ]);
  });

  it('reads the built-in Graph query reports: path, permission, and where each column is', () => {
    const reports = loadDefinitions(builtinDefinitionFiles()).reports;
    expect(reports.find((r) => r.name === 'TenantLicenseReport')).toMatchObject({ sources: [{ kind: 'graphQuery', path: 'subscribedSkus', version: 'v1.0', permission: 'LicenseAssignment.Read.All' }] });
    expect(reports.find((r) => r.name === 'AdminRoleHolderReport')?.columns[0]).toEqual({ name: 'RoleName', type: 'string', from: 'roleDefinitionId', lookup: 'role.displayName' });
    expect(reports.find((r) => r.name === 'SecureScoreReport')).toMatchObject({ sources: [{ kind: 'graphQuery', path: 'security/secureScores', first: 1 }] });
  });

  it.each([
    ['a cmdlet in a graph source', "source: { kind: 'graph', function: 'getX', cmdlet: 'Get-X' }", GRAPH_PERIOD, /'cmdlet' belongs to an exchange source/],
    ['a function in an exchange source', "source: { kind: 'exchange', cmdlet: 'Get-X', function: 'getX' }", '', /'function' belongs to a graph source/],
    ['a missing function', "source: { kind: 'graph' }", GRAPH_PERIOD, /missing the Graph report function \('function'\)/],
    ['a function not starting with get', "source: { kind: 'graph', function: 'MailboxUsageDetail' }", GRAPH_PERIOD, /is not a report function name/],
    ['a function with a space', "source: { kind: 'graph', function: 'get Mailbox' }", GRAPH_PERIOD, /is not a report function name/],
    ['no parameters at all', "source: { kind: 'graph', function: 'getX' }", '', /needs a 'Period' parameter/],
    ['a Period that is a plain string', "source: { kind: 'graph', function: 'getX' }", "{ name: 'Period', type: 'string', help: 'h' }", /must be \{ oneOf: .* not a string/],
    ['a Period array', "source: { kind: 'graph', function: 'getX' }", "{ name: 'Period', type: { oneOf: ['D7', 'D30', 'D90', 'D180'], array: true }, help: 'h' }", /not an array of/],
    ['a Period with one value missing', "source: { kind: 'graph', function: 'getX' }", "{ name: 'Period', type: { oneOf: ['D7', 'D30', 'D90'] }, help: 'h' }", /not one of 'D7', 'D30', 'D90'/],
    ['a Date of the wrong type', "source: { kind: 'graph', function: 'getX' }", `${GRAPH_PERIOD}, { name: 'Date', type: 'string', help: 'h' }`, /Date of a graph report must be of type 'Date'/],
    ['a Date with a default', "source: { kind: 'graph', function: 'getX' }", `${GRAPH_PERIOD}, { name: 'Date', type: 'Date', default: '2025-06-01', help: 'h' }`, /cannot have a default/],
    ['a required Date', "source: { kind: 'graph', function: 'getX' }", `${GRAPH_PERIOD}, { name: 'Date', type: 'Date', required: true, help: 'h' }`, /cannot be required/],
    ['a column with a line break', "source: { kind: 'graph', function: 'getX' }", GRAPH_PERIOD, /column name "A\\nB" is not allowed/, "columns: [{ name: 'A\\nB', type: 'string' }],"],
    ['a column the runtime owns', "source: { kind: 'graph', function: 'getX' }", GRAPH_PERIOD, /column name 'CustomerName' is not allowed/, "columns: [{ name: 'CustomerName', type: 'string' }],"],
    ['bytesOf naming no earlier column', "source: { kind: 'graph', function: 'getX' }", GRAPH_PERIOD, /bytesOf 'Size' must name a string column declared before 'Bytes'/, "columns: [{ name: 'Bytes', type: 'integer', bytesOf: 'Size' }, { name: 'Size', type: 'string' }],"],
    ['bytesOf on a text column', "source: { kind: 'graph', function: 'getX' }", GRAPH_PERIOD, /its type must be 'integer'/, "columns: [{ name: 'Size', type: 'string' }, { name: 'Bytes', type: 'string', bytesOf: 'Size' }],"],
    ['a column whose property name starts with a digit', "source: { kind: 'graph', function: 'getX' }", GRAPH_PERIOD, /column '7 Day Count' of a graph report gives the property name '7DayCount', which is not allowed/, "columns: [{ name: '7 Day Count', type: 'integer' }],"],
    ['a column with no letter or digit', "source: { kind: 'graph', function: 'getX' }", GRAPH_PERIOD, /column '\(\)' of a graph report gives the property name '', which is not allowed/, "columns: [{ name: '()', type: 'string' }],"],
    ['a column named like TenantDomain', "source: { kind: 'graph', function: 'getX' }", GRAPH_PERIOD, /gives the property name 'TenantDomain', which is not allowed/, "columns: [{ name: 'Tenant Domain', type: 'string' }],"],
    ['two columns with one property name', "source: { kind: 'graph', function: 'getX' }", GRAPH_PERIOD, /columns 'Storage Used' and 'Storage used\?' of a graph report give the same property name 'StorageUsed'/, "columns: [{ name: 'Storage Used', type: 'number' }, { name: 'Storage used?', type: 'number' }],"],
  ])('rejects %s', (_what, source, parameters, message, columns = "columns: [{ name: 'A', type: 'string' }],") => {
    const text = valid
      .replace("source: { kind: 'exchange', cmdlet: 'Get-Valid' },", `${source},`)
      .replace('PARAMS', parameters)
      .replace("columns: [{ name: 'A', type: 'string' }],", columns);
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('rejects a lower-case period: not a Graph parameter, and the Period is missing', () => {
    const text = valid
      .replace("source: { kind: 'exchange', cmdlet: 'Get-Valid' },", "source: { kind: 'graph', function: 'getX' },")
      .replace('PARAMS', GRAPH_PERIOD.replace("'Period'", "'period'"));
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(/takes only the parameters 'Period' and 'Date', not 'period'/),
      expect.stringMatching(/needs a 'Period' parameter/),
    ]);
  });

  it('accepts Graph CSV headers with spaces, slashes and parentheses as column names', () => {
    const text = valid
      .replace("source: { kind: 'exchange', cmdlet: 'Get-Valid' },", "source: { kind: 'graph', function: 'getX' },")
      .replace('PARAMS', GRAPH_PERIOD)
      .replace("columns: [{ name: 'A', type: 'string' }],", "columns: [{ name: 'Prohibit Send/Receive Quota (Byte)', type: 'number' }, { name: \"It's 'quoted'\", type: 'string' }],");
    expect(problemsOf(text)).toEqual([]);
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
    ['an unknown source kind', valid.replace("kind: 'exchange'", "kind: 'sharepoint'").replace('PARAMS', ''), /unknown source kind 'sharepoint'; supported: 'exchange', 'graph'/],
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
