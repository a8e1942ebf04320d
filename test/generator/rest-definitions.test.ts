// exchangeRest definitions: what dap-gen accepts, and the message and place of each mistake.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogSource } from '../../generator/emit-module-files.js';
import { loadDefinitions } from '../../generator/load-definitions.js';

function load(source: string) {
  const dir = mkdtempSync(join(tmpdir(), 'dap-rest-'));
  writeFileSync(join(dir, 'report.ts'), source);
  return loadDefinitions([join(dir, 'report.ts')]);
}

const template = `
export const r = {
  name: 'Rest',
  summary: 's',
  description: 'd',
  source: SOURCE,
  parameters: [
    { name: 'StartDate', type: 'Date', required: true, help: 'h' },
    { name: 'EndDate', type: 'Date', required: true, help: 'h' },
    { name: 'Days', type: 'integer', default: 90, help: 'h' },
    { name: 'Label', type: 'string', help: 'h' },
  ],
  columns: [
    { name: 'Received', type: 'Date' },
    { name: 'RecipientAddress', type: 'string' },
    { name: 'ForwardTo', type: 'string' },
    { name: 'Outside', type: 'string' },
    { name: 'Idle', type: 'integer' },
  ],
  examples: [{ code: 'c', description: 'd' }],
} satisfies ReportDefinition;`;

const withSource = (source: string): string => template.replace('SOURCE', source);
const rest = (extra: string): string => `{ kind: 'exchangeRest', cmdlet: 'Get-X'${extra ? `, ${extra}` : ''} }`;

describe('exchangeRest definitions', () => {
  it('reads every field into the model and the catalog, in the definition order', () => {
    const loaded = load(withSource(`[
      { kind: 'exchange', cmdlet: 'Get-X' },
      {
        kind: 'exchangeRest', cmdlet: 'Get-X', parameters: { ResultSize: 'Unlimited', IncludeHidden: true, Top: 5 }, select: ['Received', 'RecipientAddress'],
        forEach: { cmdlet: 'Get-Mailbox', parameters: { ResultSize: 'Unlimited' }, select: ['ExternalDirectoryObjectId'], property: 'ExternalDirectoryObjectId', parameter: 'Mailbox' },
        dateWindow: { start: 'StartDate', end: 'EndDate', days: 10 },
        continueWith: { sizeParameter: 'PageSize', size: 5000, from: { StartingRecipientAddress: 'RecipientAddress', EndDate: 'Received' } },
        rows: { kind: 'inactiveFor', column: 'Received', daysParameter: 'Days', daysColumn: 'Idle' },
      },
    ]`));
    expect(loaded.problems).toEqual([]);
    const [report] = loaded.reports;
    expect(report!.sources.map((s) => s.kind)).toEqual(['exchange', 'exchangeRest']);
    expect(catalogSource(report!.sources[1]!)).toEqual({
      kind: 'exchangeRest',
      cmdlet: 'Get-X',
      parameters: { ResultSize: 'Unlimited', IncludeHidden: true, Top: 5 },
      select: ['Received', 'RecipientAddress'],
      forEach: { cmdlet: 'Get-Mailbox', parameters: { ResultSize: 'Unlimited' }, select: ['ExternalDirectoryObjectId'], property: 'ExternalDirectoryObjectId', parameter: 'Mailbox' },
      dateWindow: { start: 'StartDate', end: 'EndDate', days: 10 },
      continueWith: { sizeParameter: 'PageSize', size: 5000, from: { StartingRecipientAddress: 'RecipientAddress', EndDate: 'Received' } },
      rows: { kind: 'inactiveFor', column: 'Received', daysParameter: 'Days', daysColumn: 'Idle' },
    });
    expect(Object.keys(catalogSource(report!.sources[1]!))).toEqual(['kind', 'cmdlet', 'parameters', 'select', 'forEach', 'dateWindow', 'continueWith', 'rows']);
    expect(catalogSource(report!.sources[0]!)).toEqual({ kind: 'exchange', cmdlet: 'Get-X' });
  });

  it('puts a mistake at the line and column of the value it is about', () => {
    const loaded = load(withSource(rest("dateWindow: { start: 'From', end: 'EndDate', days: 10 }")));
    expect(loaded.problems).toHaveLength(1);
    const problem = loaded.problems[0]!;
    expect(problem.message).toBe("the dateWindow start 'From' is not a parameter of the report (the report has StartDate, EndDate, Days, Label)");
    const line = withSource(rest("dateWindow: { start: 'From', end: 'EndDate', days: 10 }")).split('\n')[problem.line - 1]!;
    expect(line.slice(problem.col - 1)).toMatch(/^'From'/);
  });

  it.each([
    ['two sources of one kind', `[${rest('')}, ${rest('')}]`, /a second 'exchangeRest' source; a report has at most one source of each kind/],
    ['a graph source with another', `[${rest('')}, { kind: 'graph', function: 'getX' }]`, /a graph source stands alone/],
    ['an empty source list', '[]', /the source list is empty/],
    ['a dateWindow end that is not a Date', rest("dateWindow: { start: 'StartDate', end: 'Label', days: 10 }"), /the dateWindow end 'Label' must be a parameter of type 'Date', not a string/],
    ['a dateWindow of no days', rest("dateWindow: { start: 'StartDate', end: 'EndDate', days: 0 }"), /the dateWindow days must be a whole number from 1 to 3650, not the number 0/],
    ['one parameter as both ends of a dateWindow', rest("dateWindow: { start: 'StartDate', end: 'StartDate', days: 10 }"), /must be two parameters, not 'StartDate' twice/],
    ['inactiveFor days from a string parameter', rest("rows: { kind: 'inactiveFor', column: 'Received', daysParameter: 'Label', daysColumn: 'Idle' }"), /the inactiveFor days parameter 'Label' must be of type 'integer', not a string/],
    ['inactiveFor days from no parameter', rest("rows: { kind: 'inactiveFor', column: 'Received', daysParameter: 'InactiveDays', daysColumn: 'Idle' }"), /the inactiveFor days parameter 'InactiveDays' is not a parameter of the report/],
    ['inactiveFor on a text column', rest("rows: { kind: 'inactiveFor', column: 'ForwardTo', daysParameter: 'Days', daysColumn: 'Idle' }"), /the inactiveFor column 'ForwardTo' must be of type 'Date', not string/],
    ['an undeclared days column', rest("rows: { kind: 'inactiveFor', column: 'Received', daysParameter: 'Days', daysColumn: 'DaysInactive' }"), /the inactiveFor days column 'DaysInactive' is not declared \(the report has Received, RecipientAddress, ForwardTo, Outside, Idle\)/],
    ['a days column of text', rest("rows: { kind: 'inactiveFor', column: 'Received', daysParameter: 'Days', daysColumn: 'Outside' }"), /the inactiveFor days column 'Outside' must be of type 'integer', not string/],
    ['an undeclared match column', rest("rows: { kind: 'externalRecipients', columns: ['ForwardTo'], matchColumn: 'External' }"), /the externalRecipients match column 'External' is not declared/],
    ['an undeclared address column', rest("rows: { kind: 'externalRecipients', columns: ['ForwardTo', 'RedirectTo'], matchColumn: 'Outside' }"), /the externalRecipients column 'RedirectTo' is not declared/],
    ['no address column', rest("rows: { kind: 'externalRecipients', columns: [], matchColumn: 'Outside' }"), /externalRecipients needs at least one address column/],
    ['an unknown row rule', rest("rows: { kind: 'olderThan', column: 'Received' }"), /unknown row rule 'olderThan'; supported: 'inactiveFor', 'externalRecipients'/],
    ['a property of the other rule', rest("rows: { kind: 'externalRecipients', columns: ['ForwardTo'], matchColumn: 'Outside', daysColumn: 'Idle' }"), /unknown property 'daysColumn' in the externalRecipients row rule/],
    ['continueWith from an undeclared column', rest("continueWith: { sizeParameter: 'ResultSize', size: 5000, from: { StartingRecipientAddress: 'Recipient' } }"), /continueWith 'StartingRecipientAddress' reads the column 'Recipient' of the last row, which is not declared/],
    ['continueWith from nothing', rest("continueWith: { sizeParameter: 'ResultSize', size: 5000, from: {} }"), /continueWith 'from' needs at least one parameter/],
    ['a continueWith size parameter that is a report parameter', rest("continueWith: { sizeParameter: 'Label', size: 10, from: { Next: 'Received' } }"), /the continueWith size parameter 'Label' is also a report parameter/],
    ['a fixed parameter that is a report parameter', rest("parameters: { Label: 'x' }"), /the fixed parameter 'Label' is also a report parameter: the report parameter is sent by name/],
    ['an empty select name', rest("select: ['Received', '']"), /the select list names properties: each must be a non-empty identifier/],
    ['a select name that is not an identifier', rest("select: ['Received', 'a-b']"), /each must be a non-empty identifier .*"a-b"/],
    ['an empty select list', rest('select: []'), /the select list is empty; leave 'select' out to get every property/],
    ['a forEach property it does not select', rest("forEach: { cmdlet: 'Get-Mailbox', select: ['UserPrincipalName'], property: 'ExternalDirectoryObjectId', parameter: 'Identity' }"), /the forEach property 'ExternalDirectoryObjectId' is not in the forEach select list/],
    ['a forEach parameter that is not an identifier', rest("forEach: { cmdlet: 'Get-Mailbox', property: 'Id', parameter: '-Identity' }"), /the forEach parameter '-Identity' is not an identifier/],
    ['a typo in forEach', rest("forEach: { cmdlet: 'Get-Mailbox', propery: 'Id', property: 'Id', parameter: 'Identity' }"), /unknown property 'propery' in the forEach command/],
    ['a forEach cmdlet that is not Verb-Noun', rest("forEach: { cmdlet: 'Get Mailbox', property: 'Id', parameter: 'Identity' }"), /the forEach cmdlet 'Get Mailbox' is not a Verb-Noun cmdlet name/],
    ['a graph property', rest("function: 'getX'"), /'function' belongs to a graph source; an exchangeRest source has 'cmdlet', 'parameters'/],
    ['a remoting property', rest("input: { cmdlet: 'Get-Mailbox' }"), /'input' belongs to an exchange source/],
    ['a REST property in a remoting source', "{ kind: 'exchange', cmdlet: 'Get-X', select: ['A'] }", /'select' belongs to an exchangeRest source; an exchange source names a 'cmdlet'/],
    ['a fixed parameter of an object', rest('parameters: { ResultSize: { a: 1 } }'), /the fixed parameter 'ResultSize' must be a string, number or boolean, not an object/],
  ])('rejects %s', (_what, source, message) => {
    const { problems, reports } = load(withSource(source));
    expect(reports).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(message);
  });
});
