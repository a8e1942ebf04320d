import { type Checker, keysOf, type ObjectValue } from './definition-checker.js';
import type { ExchangeRestSource, RowRule } from './report-definition.js';
import { parameterNamePattern } from './identifiers.js';
import type { ColumnModel, ExchangeRestSourceModel, ParameterModel, RowRuleModel } from './report-model.js';
import { describeValue, type Position, type StaticValue } from './static-value.js';
import { checkCmdlet, fixedParameters } from './validate-command.js';

export const restSourceKeys = keysOf<ExchangeRestSource>({ kind: true, cmdlet: true, parameters: true, select: true, forEach: true, dateWindow: true, continueWith: true, rows: true });

/** One nested object of an exchangeRest source (forEach, dateWindow, continueWith). */
type RestSourcePart<K extends 'forEach' | 'dateWindow' | 'continueWith'> = NonNullable<ExchangeRestSource[K]>;

/** What an exchangeRest source refers to, checked once the report's parameters and columns are known. */
export type RestSourceCheck = (parameters: readonly ParameterModel[], columns: readonly ColumnModel[]) => void;

/** Where a property's value is, else where the property is, else where the object is. */
function at(object: ObjectValue, name: string): Position {
  const property = object.properties.get(name);
  return property?.value.at ?? property?.at ?? object.at;
}

/** A required identifier (letters and digits, starting with a letter): parameter and property names go into JSON and PowerShell. */
function identifierProperty(checker: Checker, object: ObjectValue, name: string, what: string): string | undefined {
  const text = checker.string(object, name, what);
  if (text === undefined) return undefined;
  if (!parameterNamePattern.test(text)) return checker.report(at(object, name), `${what} '${text}' is not an identifier (a letter, then letters and digits)`);
  return text;
}

/** A positive whole number no larger than `max`. */
function countProperty(checker: Checker, object: ObjectValue, name: string, what: string, max: number): number | undefined {
  const value = object.properties.get(name)?.value;
  if (!value) return checker.report(object.at, `missing ${what} ('${name}')`);
  if (value.kind === 'unresolved') return undefined;
  if (value.kind !== 'number' || !Number.isInteger(value.value) || value.value < 1 || value.value > max) {
    return checker.report(value.at, `${what} must be a whole number from 1 to ${max}, not ${describeValue(value)}`);
  }
  return value.value;
}

/** `select`: absent (all properties), or a non-empty list of distinct identifiers. */
function selectList(checker: Checker, object: ObjectValue, what: string): string[] | undefined {
  const property = object.properties.get('select');
  if (!property) return undefined;
  const items = checker.array(object, 'select', what, false);
  if (!items) return undefined;
  if (items.length === 0) return checker.report(property.value.at, `${what} is empty; leave 'select' out to get every property`);
  const names: string[] = [];
  for (const item of items) {
    if (item.kind === 'unresolved') continue;
    if (item.kind !== 'string' || !parameterNamePattern.test(item.value)) {
      checker.report(item.at, `${what} names properties: each must be a non-empty identifier (a letter, then letters and digits), not ${describeValue(item)}`);
    } else if (names.some((n) => n.toLowerCase() === item.value.toLowerCase())) {
      checker.report(item.at, `${what} names '${item.value}' twice`);
    } else {
      names.push(item.value);
    }
  }
  return names;
}

function nestedObject(checker: Checker, source: ObjectValue, name: string, what: string, keys: readonly string[]): ObjectValue | undefined {
  const property = source.properties.get(name);
  return property ? checker.object(property.value, what, keys, property.at) : undefined;
}

type RuleOf<K extends RowRule['kind']> = Extract<RowRule, { kind: K }>;
const inactiveForKeys = keysOf<RuleOf<'inactiveFor'>>({ kind: true, column: true, daysParameter: true, daysColumn: true });
const externalRecipientsKeys = keysOf<RuleOf<'externalRecipients'>>({ kind: true, columns: true, matchColumn: true });
const ruleKeys = [...new Set([...inactiveForKeys, ...externalRecipientsKeys])];

function validateRows(checker: Checker, rows: ObjectValue): RowRuleModel | undefined {
  const kind = checker.string(rows, 'kind', 'the row rule kind');
  if (kind === undefined) return undefined;
  const keys = kind === 'inactiveFor' ? inactiveForKeys : kind === 'externalRecipients' ? externalRecipientsKeys : undefined;
  if (!keys) return checker.report(at(rows, 'kind'), `unknown row rule '${kind}'; supported: 'inactiveFor', 'externalRecipients'`);
  for (const [name, property] of rows.properties) {
    // names no rule has were reported as unknown already
    if (!keys.includes(name) && ruleKeys.includes(name)) checker.report(property.at, `unknown property '${name}' in the ${kind} row rule; expected one of: ${keys.join(', ')}`);
  }
  if (kind === 'inactiveFor') {
    const column = checker.string(rows, 'column', 'the date column of inactiveFor');
    const daysParameter = checker.string(rows, 'daysParameter', 'the days parameter of inactiveFor');
    const daysColumn = checker.string(rows, 'daysColumn', 'the days column of inactiveFor');
    if (column === undefined || daysParameter === undefined || daysColumn === undefined) return undefined;
    return { kind: 'inactiveFor', column, daysParameter, daysColumn };
  }
  const items = checker.array(rows, 'columns', 'the address columns of externalRecipients', true);
  const matchColumn = checker.string(rows, 'matchColumn', 'the match column of externalRecipients');
  if (!items) return undefined;
  if (items.length === 0) return checker.report(at(rows, 'columns'), 'externalRecipients needs at least one address column');
  const columns: string[] = [];
  for (const item of items) {
    if (item.kind === 'string' && item.value.trim() !== '') columns.push(item.value);
    else if (item.kind !== 'unresolved') checker.report(item.at, `an address column of externalRecipients must be a column name, not ${describeValue(item)}`);
  }
  if (matchColumn === undefined || columns.length !== items.length) return undefined;
  return { kind: 'externalRecipients', columns, matchColumn };
}

/** An exchangeRest source's own shape, and the check of what it refers to (run later). */
export function validateRestSource(checker: Checker, source: ObjectValue): { source: ExchangeRestSourceModel; check: RestSourceCheck } | undefined {
  const before = checker.problems.length;
  const cmdlet = checkCmdlet(checker, source, 'the source cmdlet');
  const parameters = fixedParameters(checker, source, 'the fixed');
  const select = selectList(checker, source, 'the select list');
  let forEach: ExchangeRestSourceModel['forEach'];
  const forEachObject = nestedObject(checker, source, 'forEach', 'the forEach command', keysOf<RestSourcePart<'forEach'>>({ cmdlet: true, parameters: true, select: true, property: true, parameter: true }));
  if (forEachObject) {
    const forEachCmdlet = checkCmdlet(checker, forEachObject, 'the forEach cmdlet');
    const forEachParameters = fixedParameters(checker, forEachObject, 'the forEach');
    const forEachSelect = selectList(checker, forEachObject, 'the forEach select list');
    const property = identifierProperty(checker, forEachObject, 'property', 'the forEach property');
    const parameter = identifierProperty(checker, forEachObject, 'parameter', 'the forEach parameter');
    if (property !== undefined && forEachSelect && !forEachSelect.some((n) => n.toLowerCase() === property.toLowerCase())) {
      checker.report(at(forEachObject, 'property'), `the forEach property '${property}' is not in the forEach select list: the service would not return it`);
    }
    if (forEachCmdlet !== undefined && property !== undefined && parameter !== undefined) {
      forEach = {
        cmdlet: forEachCmdlet,
        ...(forEachParameters ? { parameters: forEachParameters } : {}),
        ...(forEachSelect ? { select: forEachSelect } : {}),
        property,
        parameter,
      };
    }
  }
  let dateWindow: ExchangeRestSourceModel['dateWindow'];
  const windowObject = nestedObject(checker, source, 'dateWindow', 'the dateWindow', keysOf<RestSourcePart<'dateWindow'>>({ start: true, end: true, days: true }));
  if (windowObject) {
    const start = identifierProperty(checker, windowObject, 'start', 'the dateWindow start parameter');
    const end = identifierProperty(checker, windowObject, 'end', 'the dateWindow end parameter');
    const days = countProperty(checker, windowObject, 'days', 'the dateWindow days', 3650);
    if (start !== undefined && end !== undefined && start.toLowerCase() === end.toLowerCase()) {
      checker.report(at(windowObject, 'end'), `the dateWindow start and end must be two parameters, not '${start}' twice`);
    }
    if (start !== undefined && end !== undefined && days !== undefined) dateWindow = { start, end, days };
  }
  let continueWith: ExchangeRestSourceModel['continueWith'];
  const continueObject = nestedObject(checker, source, 'continueWith', 'the continueWith', keysOf<RestSourcePart<'continueWith'>>({ sizeParameter: true, size: true, from: true }));
  if (continueObject) {
    const sizeParameter = identifierProperty(checker, continueObject, 'sizeParameter', 'the continueWith size parameter');
    const size = countProperty(checker, continueObject, 'size', 'the continueWith size', 1_000_000);
    const fromValue = continueObject.properties.get('from')?.value;
    const from: Array<{ parameter: string; property: string }> = [];
    if (!fromValue) checker.report(continueObject.at, "missing the continueWith 'from' map ('from'): which parameter is set from which column of the last row");
    else if (fromValue.kind !== 'object' && fromValue.kind !== 'unresolved') checker.report(fromValue.at, `the continueWith 'from' map must be an object, not ${describeValue(fromValue)}`);
    else if (fromValue.kind === 'object' && fromValue.properties.size === 0) checker.report(fromValue.at, "continueWith 'from' needs at least one parameter: what tells the service where the next set starts");
    for (const [parameter, property] of fromValue?.kind === 'object' ? fromValue.properties : []) {
      if (!parameterNamePattern.test(parameter)) checker.report(property.at, `continueWith parameter name '${parameter}' is not an identifier (a letter, then letters and digits)`);
      const v: StaticValue = property.value;
      if (v.kind === 'string' && v.value.trim() !== '') from.push({ parameter, property: v.value });
      else if (v.kind !== 'unresolved') checker.report(v.at, `continueWith '${parameter}' must name a column of the last row, not ${describeValue(v)}`);
    }
    if (sizeParameter !== undefined && size !== undefined && fromValue?.kind === 'object') continueWith = { sizeParameter, size, from };
  }
  let rows: RowRuleModel | undefined;
  const rowsObject = nestedObject(checker, source, 'rows', 'the row rule', ruleKeys);
  if (rowsObject) rows = validateRows(checker, rowsObject);
  if (checker.problems.length > before || cmdlet === undefined) return undefined;
  const model: ExchangeRestSourceModel = {
    kind: 'exchangeRest',
    cmdlet,
    ...(parameters ? { parameters } : {}),
    ...(select ? { select } : {}),
    ...(forEach ? { forEach } : {}),
    ...(dateWindow ? { dateWindow } : {}),
    ...(continueWith ? { continueWith } : {}),
    ...(rows ? { rows } : {}),
  };
  return { source: model, check: (reportParameters, columns) => checkReferences(checker, source, model, reportParameters, columns) };
}

/** The parameters and columns a source names must exist, with the type its rule needs. */
function checkReferences(checker: Checker, object: ObjectValue, source: ExchangeRestSourceModel, parameters: readonly ParameterModel[], columns: readonly ColumnModel[]): void {
  const parameter = (name: string): ParameterModel | undefined => parameters.find((p) => p.name === name);
  const column = (name: string): ColumnModel | undefined => columns.find((c) => c.name === name);
  const nested = (name: string): ObjectValue => {
    const value = object.properties.get(name)?.value;
    return value?.kind === 'object' ? value : object;
  };
  const parameterList = parameters.length === 0 ? 'the report has none' : `the report has ${parameters.map((p) => p.name).join(', ')}`;
  const columnList = `the report has ${columns.map((c) => c.name).join(', ')}`;
  const reportParameterNames = new Set(parameters.map((p) => p.name.toLowerCase()));
  const taken = (name: string, where: Position, what: string): void => {
    if (reportParameterNames.has(name.toLowerCase())) checker.report(where, `${what} '${name}' is also a report parameter: the report parameter is sent by name, so this one would be sent twice`);
  };
  const fixedObject = nested('parameters');
  for (const p of source.parameters ?? []) taken(p.name, fixedObject.properties.get(p.name)?.at ?? object.at, 'the fixed parameter');
  if (source.forEach) taken(source.forEach.parameter, at(nested('forEach'), 'parameter'), 'the forEach parameter');
  if (source.continueWith) taken(source.continueWith.sizeParameter, at(nested('continueWith'), 'sizeParameter'), 'the continueWith size parameter');
  if (source.dateWindow) {
    const window = nested('dateWindow');
    for (const end of ['start', 'end'] as const) {
      const name = source.dateWindow[end];
      const found = parameter(name);
      if (!found) checker.report(at(window, end), `the dateWindow ${end} '${name}' is not a parameter of the report (${parameterList})`);
      else if (found.type !== 'datetime' || found.array) checker.report(at(window, end), `the dateWindow ${end} '${name}' must be a parameter of type 'Date', not ${found.array ? 'an array' : `a ${found.type}`}`);
    }
  }
  if (source.continueWith) {
    const from = nested('continueWith').properties.get('from')?.value;
    for (const { parameter: name, property } of source.continueWith.from) {
      const where = from?.kind === 'object' ? from.properties.get(name)?.value.at ?? from.at : object.at;
      if (!column(property)) checker.report(where, `continueWith '${name}' reads the column '${property}' of the last row, which is not declared (${columnList})`);
    }
  }
  const rule = source.rows;
  if (!rule) return;
  const rows = nested('rows');
  if (rule.kind === 'inactiveFor') {
    const days = parameter(rule.daysParameter);
    if (!days) checker.report(at(rows, 'daysParameter'), `the inactiveFor days parameter '${rule.daysParameter}' is not a parameter of the report (${parameterList})`);
    else if (days.type !== 'integer' || days.array) checker.report(at(rows, 'daysParameter'), `the inactiveFor days parameter '${rule.daysParameter}' must be of type 'integer', not ${days.array ? 'an array' : `a ${days.type}`}`);
    const date = column(rule.column);
    if (!date) checker.report(at(rows, 'column'), `the inactiveFor column '${rule.column}' is not declared (${columnList})`);
    else if (date.type !== 'datetime') checker.report(at(rows, 'column'), `the inactiveFor column '${rule.column}' must be of type 'Date', not ${date.type}`);
    const daysColumn = column(rule.daysColumn);
    if (!daysColumn) checker.report(at(rows, 'daysColumn'), `the inactiveFor days column '${rule.daysColumn}' is not declared (${columnList})`);
    else if (daysColumn.type !== 'integer') checker.report(at(rows, 'daysColumn'), `the inactiveFor days column '${rule.daysColumn}' must be of type 'integer', not ${daysColumn.type}`);
    return;
  }
  const items = rows.properties.get('columns')?.value;
  rule.columns.forEach((name, index) => {
    const where = items?.kind === 'array' ? items.items[index]?.at ?? items.at : rows.at;
    if (!column(name)) checker.report(where, `the externalRecipients column '${name}' is not declared (${columnList})`);
  });
  const match = column(rule.matchColumn);
  if (!match) checker.report(at(rows, 'matchColumn'), `the externalRecipients match column '${rule.matchColumn}' is not declared (${columnList})`);
  else if (match.type !== 'string') checker.report(at(rows, 'matchColumn'), `the externalRecipients match column '${rule.matchColumn}' must be of type 'string', not ${match.type}`);
}
