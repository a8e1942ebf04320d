import type { CatalogParameterType } from '../common/catalog.js';
import { remotingColumnNames, tenantKeyColumns } from '../common/output-columns.js';
import { approvedVerb } from './approved-verbs.js';
import { Checker, keysOf } from './definition-checker.js';
import type { DefinitionProblem } from './definition-problem.js';
import {graphParameterNames, graphPeriods, parameterNamePattern, psPropertyName, reportNamePattern, reservedParameterNames,
} from './identifiers.js';
import type { ColumnDefinition, ExampleDefinition, OneOfType, ParameterDefinition, ReportDefinition } from './report-definition.js';
import type { ColumnModel, ExampleModel, ParameterModel, ReportModel } from './report-model.js';
import { describeValue, type Position, type StaticValue } from './static-value.js';
import { dotnetPattern } from '../common/dotnet-pattern.js';
import { validateSources } from './validate-source.js';

const scalarTypes: Readonly<Record<string, CatalogParameterType>> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  Date: 'datetime',
};
const typeTags = [...Object.keys(scalarTypes), ...Object.keys(scalarTypes).map((tag) => `${tag}[]`)];

function controlCharacters(text: string): boolean {
  return /[\u0000-\u001F\u007F]/.test(text);
}

/**
 * The parameters of a Graph report: exactly one `Period` ({ oneOf: ['D7', 'D30', 'D90', 'D180'] })
 * and at most one `Date` (a single 'Date' without a default); nothing else, because the URL has
 * room for nothing else.
 */
function checkGraphParameters(checker: Checker, items: readonly StaticValue[], parameters: ReadonlyArray<ParameterModel | undefined>, reportAt: Position): void {
  let period = false;
  items.forEach((item, index) => {
    const parameter = parameters[index];
    const object = item.kind === 'object' ? item : undefined;
    const at = (name: string): Position => object?.properties.get(name)?.value.at ?? object?.properties.get(name)?.at ?? item.at;
    if (!parameter) return;
    if (parameter.name === graphParameterNames.period) {
      period = true;
      const values = parameter.values ?? [];
      const exact = !parameter.array && values.length === graphPeriods.length && graphPeriods.every((p) => values.includes(p));
      if (!exact) {
        checker.report(at('type'), `the Period of a graph report must be { oneOf: [${graphPeriods.map((p) => `'${p}'`).join(', ')}] }, not ${parameter.array ? 'an array of ' : ''}${parameter.values ? `one of ${values.map((v) => `'${v}'`).join(', ')}` : `a ${parameter.type}`}`);
      }
      if (parameter.pattern !== undefined) checker.report(at('pattern'), 'the Period of a graph report takes no pattern: its values are fixed');
    } else if (parameter.name === graphParameterNames.date) {
      if (parameter.type !== 'datetime' || parameter.array) checker.report(at('type'), `the Date of a graph report must be of type 'Date' (one day, YYYY-MM-DD in the URL), not ${parameter.array ? 'an array' : `a ${parameter.type}`}`);
      if (parameter.required) checker.report(at('required'), 'the Date of a graph report cannot be required: it is the alternative to Period, in its own parameter set');
      if (parameter.default !== undefined) checker.report(at('default'), 'the Date of a graph report cannot have a default: giving a Date is what selects the (date=…) form');
    } else {
      checker.report(at('name'), `a graph report takes only the parameters 'Period' and 'Date', not '${parameter.name}' (names are case-sensitive here)`);
    }
  });
  if (!period) checker.report(reportAt, `a graph report needs a 'Period' parameter: { name: 'Period', type: { oneOf: [${graphPeriods.map((p) => `'${p}'`).join(', ')}] }, … }`);
}

interface ParsedType {
  type: CatalogParameterType;
  array: boolean;
  values?: string[];
}

function parseType(checker: Checker, value: StaticValue): ParsedType | undefined {
  if (value.kind === 'unresolved') return undefined;
  if (value.kind === 'string') {
    const array = value.value.endsWith('[]');
    const type = scalarTypes[array ? value.value.slice(0, -2) : value.value];
    if (!type) {
      return checker.report(value.at, `unsupported parameter type '${value.value}'; expected one of ${typeTags.map((t) => `'${t}'`).join(', ')} or { oneOf: [...] }`);
    }
    return { type, array };
  }
  if (value.kind === 'object') {
    const object = checker.object(value, 'the parameter type', keysOf<OneOfType>({ oneOf: true, array: true }), value.at);
    const items = object && checker.array(object, 'oneOf', 'the oneOf list', true);
    if (!object || !items) return undefined;
    const values: string[] = [];
    for (const item of items) {
      if (item.kind === 'string' && item.value !== '' && !controlCharacters(item.value)) values.push(item.value);
      else if (item.kind !== 'unresolved') checker.report(item.at, `a oneOf value must be a non-empty one-line string, not ${describeValue(item)}`);
    }
    if (items.length === 0) return checker.report(object.at, 'oneOf needs at least one value');
    const lower = values.map((v) => v.toLowerCase());
    if (new Set(lower).size !== lower.length) checker.report(object.at, 'oneOf values must be unique (PowerShell compares them case-insensitively)');
    return { type: 'string', array: checker.boolean(object, 'array', 'oneOf array') ?? false, values };
  }
  return checker.report(value.at, `unsupported parameter type: ${describeValue(value)}; expected a type tag such as 'string' or { oneOf: [...] }`);
}

const isoDate = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

function scalarDefault(checker: Checker, type: ParsedType, value: StaticValue, name: string): string | number | boolean | undefined {
  const expected = type.values ? `one of ${type.values.map((v) => `'${v}'`).join(', ')}` : type.type === 'datetime' ? "an ISO date string such as '2015-03-18'" : `${/^[aeiou]/.test(type.type) ? 'an' : 'a'} ${type.type}`;
  const mismatch = (): undefined => (value.kind === 'unresolved' ? undefined : checker.report(value.at, `the default of '${name}' must be ${expected}, not ${describeValue(value)}`));
  switch (type.type) {
    case 'string':
      if (value.kind !== 'string') return mismatch();
      if (type.values && !type.values.includes(value.value)) return mismatch();
      return value.value;
    case 'integer':
      return value.kind === 'number' && Number.isInteger(value.value) && Math.abs(value.value) <= 2147483647 ? value.value : mismatch();
    case 'number':
      return value.kind === 'number' && Number.isFinite(value.value) ? value.value : mismatch();
    case 'boolean':
      if (value.kind !== 'boolean') return mismatch();
      if (value.value) return checker.report(value.at, `the default of '${name}' must be false: a boolean parameter is a [switch], present or absent`);
      return value.value;
    case 'datetime':
      return value.kind === 'string' && isoDate.test(value.value) && !Number.isNaN(Date.parse(value.value)) ? value.value : mismatch();
  }
}

function validateParameter(checker: Checker, value: StaticValue, seen: Map<string, Position>): ParameterModel | undefined {
  const object = checker.object(value, 'a parameter', keysOf<ParameterDefinition>({ name: true, type: true, required: true, default: true, pattern: true, help: true }), value.at);
  if (!object) return undefined;
  const name = checker.string(object, 'name', 'the parameter name');
  const help = checker.string(object, 'help', `the help text of parameter '${name ?? '?'}'`);
  const required = checker.boolean(object, 'required', 'required') ?? false;
  const typeProperty = object.properties.get('type');
  const type = typeProperty ? parseType(checker, typeProperty.value) : checker.report(object.at, `missing the type of parameter '${name ?? '?'}'`);
  const nameAt = object.properties.get('name')?.value.at ?? object.at;
  if (name !== undefined) {
    if (!parameterNamePattern.test(name)) checker.report(nameAt, `parameter name '${name}' is not an identifier (a letter, then letters and digits)`);
    else if (reservedParameterNames.has(name.toLowerCase())) checker.report(nameAt, `parameter name '${name}' is reserved: every report function already has it, or it is a PowerShell common parameter`);
    else if (seen.has(name.toLowerCase())) checker.report(nameAt, `duplicate parameter name '${name}' (PowerShell names are case-insensitive)`);
    else seen.set(name.toLowerCase(), nameAt);
  }
  const pattern = checker.string(object, 'pattern', 'the pattern', { required: false });
  if (pattern !== undefined) {
    if (type && type.type !== 'string') checker.report(object.properties.get('pattern')!.value.at, `a pattern applies to string parameters only, not to '${name}'`);
    try {
      dotnetPattern(pattern);
    } catch (error) {
      checker.report(object.properties.get('pattern')!.value.at, `the pattern of '${name}' is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  let defaultValue: ParameterModel['default'];
  const defaultProperty = object.properties.get('default');
  if (defaultProperty && type && name !== undefined) {
    if (required) checker.report(defaultProperty.at, `required parameter '${name}' cannot have a default`);
    else if (type.array) {
      const items = defaultProperty.value.kind === 'array' ? defaultProperty.value.items : undefined;
      if (!items) {
        if (defaultProperty.value.kind !== 'unresolved') checker.report(defaultProperty.value.at, `the default of '${name}' must be an array, not ${describeValue(defaultProperty.value)}`);
      } else if (type.type === 'boolean') {
        checker.report(defaultProperty.value.at, `a boolean array parameter '${name}' cannot have a default`);
      } else {
        const values = items.map((item) => scalarDefault(checker, { ...type, array: false }, item, name));
        if (values.every((v): v is string | number => v !== undefined && typeof v !== 'boolean')) defaultValue = values;
      }
    } else {
      defaultValue = scalarDefault(checker, type, defaultProperty.value, name);
    }
  }
  // a default the function's own [ValidatePattern] would refuse
  if (pattern !== undefined && defaultValue !== undefined && defaultProperty) {
    let checked: RegExp | undefined;
    try {
      checked = dotnetPattern(pattern);
    } catch {
      checked = undefined;
    }
    const bad = (Array.isArray(defaultValue) ? defaultValue : [defaultValue]).find((v) => checked && !checked.test(String(v)));
    if (bad !== undefined) checker.report(defaultProperty.value.at, `the default '${String(bad)}' of '${name}' does not match its own pattern ${pattern}`);
  }
  if (name === undefined || help === undefined || !type) return undefined;
  return {
    name, type: type.type, array: type.array, required,
    ...(defaultValue !== undefined ? { default: defaultValue } : {}),
    ...(type.values ? { values: type.values } : {}),
    ...(pattern !== undefined ? { pattern } : {}),
    help,
  };
}

/**
 * A Graph report's rows become objects whose property names are psPropertyName() of the CSV
 * headers: each must be an identifier, unique, and not one of the two every row starts with.
 */
function checkGraphPropertyName(checker: Checker, name: string, at: Position, seen: Map<string, string>): void {
  const property = psPropertyName(name);
  if (!parameterNamePattern.test(property) || ['tenantid', 'tenantdomain'].includes(property.toLowerCase())) {
    checker.report(at, `column '${name}' of a graph report gives the property name '${property}', which is not allowed: it must start with a letter and not be TenantId or TenantDomain`);
    return;
  }
  const earlier = seen.get(property.toLowerCase());
  if (earlier !== undefined) checker.report(at, `columns '${earlier}' and '${name}' of a graph report give the same property name '${property}'`);
  else seen.set(property.toLowerCase(), name);
}

/** Where a column's property is, by column name, for checks made once every column is known. */
type ColumnPositions = Map<string, { at: Position; properties: Map<string, Position> }>;

function validateColumn(
  checker: Checker, value: StaticValue, seen: Set<string>, earlier: readonly ColumnModel[], graphProperties?: Map<string, string>, positions?: ColumnPositions,
): ColumnModel | undefined {
  const object = checker.object(value, 'a column', keysOf<ColumnDefinition>({ name: true, type: true, bytesOf: true, from: true, lookup: true, percent: true }), value.at);
  if (!object) return undefined;
  const name = checker.string(object, 'name', 'the column name');
  const typeValue = object.properties.get('type')?.value;
  let type: CatalogParameterType | undefined;
  if (!typeValue) checker.report(object.at, `missing the type of column '${name ?? '?'}'`);
  else if (typeValue.kind === 'string' && scalarTypes[typeValue.value]) type = scalarTypes[typeValue.value];
  else if (typeValue.kind !== 'unresolved') checker.report(typeValue.at, `unsupported column type ${describeValue(typeValue)}; expected 'string', 'integer', 'number', 'boolean' or 'Date'`);
  if (name !== undefined) {
    const at = object.properties.get('name')!.value.at;
    if (controlCharacters(name) || reservedColumns.has(name.toLowerCase())) {
      const shown = controlCharacters(name) ? JSON.stringify(name) : `'${name}'`;
      checker.report(at, `column name ${shown} is not allowed (control characters, a remoting column, or a column every report already starts with)`);
    } else if (seen.has(name.toLowerCase())) checker.report(at, `duplicate column name '${name}'`);
    else {
      seen.add(name.toLowerCase());
      if (graphProperties) checkGraphPropertyName(checker, name, at, graphProperties);
    }
  }
  const bytesOf = checker.string(object, 'bytesOf', 'the column it reads a size from', { required: false });
  if (bytesOf !== undefined) {
    const at = object.properties.get('bytesOf')!.value.at;
    if (!earlier.some((c) => c.name === bytesOf && c.type === 'string')) checker.report(at, `bytesOf '${bytesOf}' must name a string column declared before '${name ?? '?'}'`);
    else if (type !== undefined && type !== 'integer') checker.report(at, `a column with bytesOf holds a number of bytes: its type must be 'integer'`);
  }
  const from = checker.string(object, 'from', 'the property path of the value', { required: false });
  const lookup = checker.string(object, 'lookup', "the lookup ('<lookup>.<property>')", { required: false });
  let percent: ColumnModel['percent'];
  const percentProperty = object.properties.get('percent');
  if (percentProperty) {
    const percentObject = checker.object(percentProperty.value, 'the percent of the column', ['of', 'over'], percentProperty.at);
    const of = percentObject && checker.string(percentObject, 'of', 'the property path of the part');
    const over = percentObject && checker.string(percentObject, 'over', 'the property path of the whole');
    if (of !== undefined && over !== undefined) percent = { of, over };
  }
  if (name !== undefined) {
    positions?.set(name, { at: object.at, properties: new Map([...object.properties].map(([key, property]) => [key, property.value.at ?? property.at])) });
  }
  if (name === undefined || !type) return undefined;
  return {
    name,
    type,
    ...(bytesOf !== undefined ? { bytesOf } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(lookup !== undefined ? { lookup } : {}),
    ...(percent ? { percent } : {}),
  };
}

/** Column names no definition may declare (lower case): the runtime's own and remoting's. */
const reservedColumns: ReadonlySet<string> = new Set([...tenantKeyColumns, ...remotingColumnNames].map((c) => c.toLowerCase()));

function validateExample(checker: Checker, value: StaticValue): ExampleModel | undefined {
  const object = checker.object(value, 'an example', keysOf<ExampleDefinition>({ code: true, description: true }), value.at);
  if (!object) return undefined;
  const code = checker.string(object, 'code', 'the example code');
  const description = checker.string(object, 'description', 'the example description');
  return code !== undefined && description !== undefined ? { code, description } : undefined;
}

const definitionKeys = keysOf<ReportDefinition>({ name: true, verb: true, summary: true, description: true, source: true, parameters: true, columns: true, examples: true, links: true });

/** Checks one definition literal; records every problem and returns the model when there was none. */
export function validateDefinition(value: StaticValue, at: Position, definitionFile: string, problems: DefinitionProblem[]): ReportModel | undefined {
  const before = problems.length;
  const checker = new Checker(problems);
  const object = checker.object(value, 'the report definition', definitionKeys, at);
  if (!object) return undefined;
  const name = checker.string(object, 'name', 'the report name');
  if (name !== undefined && !reportNamePattern.test(name)) {
    checker.report(object.properties.get('name')!.value.at, `report name '${name}' must be PascalCase: a capital letter, then letters and digits`);
  }
  let verb = 'Get';
  const verbText = checker.string(object, 'verb', 'the verb', { required: false });
  if (verbText !== undefined) {
    const approved = approvedVerb(verbText);
    if (approved) verb = approved;
    else checker.report(object.properties.get('verb')!.value.at, `'${verbText}' is not an approved PowerShell verb (see Get-Verb)`);
  }
  const summary = checker.string(object, 'summary', 'the summary (help text)');
  if (summary !== undefined && controlCharacters(summary)) checker.report(object.properties.get('summary')!.value.at, 'the summary must be one line');
  const description = checker.string(object, 'description', 'the description (help text)');
  const validated = validateSources(checker, object.properties.get('source')?.value, object.at);
  const source = validated?.sources.length === 1 ? validated.sources[0] : undefined;
  const seenParameters = new Map<string, Position>();
  const parameterItems = checker.array(object, 'parameters', 'the parameters', false);
  const parameters = (parameterItems ?? []).map((item) => validateParameter(checker, item, seenParameters));
  if (source?.kind === 'graph' && parameterItems) checkGraphParameters(checker, parameterItems, parameters, object.properties.get('parameters')?.value.at ?? object.at);
  const seenColumns = new Set<string>();
  const columnItems = checker.array(object, 'columns', 'the columns', true);
  if (columnItems && columnItems.length === 0) checker.report(object.properties.get('columns')!.value.at, 'a report needs at least one column');
  const graphProperties = source?.kind === 'graph' ? new Map<string, string>() : undefined;
  const columns: (ColumnModel | undefined)[] = [];
  const positions: ColumnPositions = new Map();
  for (const item of columnItems ?? []) {
    columns.push(validateColumn(checker, item, seenColumns, columns.filter((c): c is ColumnModel => c !== undefined), graphProperties, positions));
  }
  const columnAt = (column: string, property: string): Position => positions.get(column)?.properties.get(property) ?? positions.get(column)?.at ?? object.at;
  if (source?.kind === 'graphQuery' && parameterItems && parameterItems.length > 0) {
    checker.report(object.properties.get('parameters')!.value.at, 'a graphQuery report takes no parameters yet: its query is fixed in the source');
  }
  if (validated && !validated.sources.some((s) => s.kind === 'graphQuery')) {
    for (const column of columns) {
      for (const property of ['from', 'lookup', 'percent'] as const) {
        if (column?.[property] !== undefined) checker.report(columnAt(column.name, property), `'${property}' of column '${column.name}' belongs to a graphQuery source's columns; this report has none`);
      }
    }
  }
  // What the sources name is checked against the report's parameters and columns once all of them are known.
  if (validated && parameters.every((p) => p !== undefined) && columns.every((c) => c !== undefined)) {
    for (const check of validated.restChecks) check(parameters as ParameterModel[], columns as ColumnModel[]);
    for (const check of validated.graphQueryChecks) check(parameters as ParameterModel[], columns as ColumnModel[], columnAt);
  }
  const exampleItems = checker.array(object, 'examples', 'the examples (help text)', true);
  if (exampleItems && exampleItems.length === 0) checker.report(object.properties.get('examples')!.value.at, 'a report needs at least one example (help text)');
  const examples = (exampleItems ?? []).map((item) => validateExample(checker, item));
  const links: string[] = [];
  for (const item of checker.array(object, 'links', 'the links', false) ?? []) {
    if (item.kind === 'string' && /^https:\/\/[^\s]+$/.test(item.value)) links.push(item.value);
    else if (item.kind !== 'unresolved') checker.report(item.at, `a link must be an https:// URL without spaces, not ${describeValue(item)}`);
  }
  if (problems.length > before || name === undefined || summary === undefined || description === undefined || !validated) return undefined;
  return {
    name,
    verb,
    functionName: `${verb}-Dap${name}`,
    summary,
    description,
    sources: validated.sources,
    parameters: parameters.filter((p): p is ParameterModel => p !== undefined),
    columns: columns.filter((c): c is ColumnModel => c !== undefined),
    examples: examples.filter((e): e is ExampleModel => e !== undefined),
    links,
    definitionFile,
  };
}
