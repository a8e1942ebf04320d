import { type Checker, keysOf, type ObjectValue } from './definition-checker.js';
import type { GraphLookup, GraphQuerySource } from './report-definition.js';
import { parameterNamePattern } from './identifiers.js';
import type { ColumnModel, GraphQuerySourceModel, ParameterModel } from './report-model.js';
import { describeValue, type Position } from './static-value.js';

export const graphQuerySourceKeys = keysOf<GraphQuerySource>({
  kind: true, path: true, version: true, select: true, filter: true, expand: true, top: true, first: true, count: true, permission: true, lookups: true, forEach: true,
});
const lookupKeys = keysOf<GraphLookup>({ path: true, version: true, select: true, filter: true, expand: true, top: true, first: true, count: true, name: true, key: true });

/** A resource path below the version: segments of letters, digits, '.', '_' and '-', '/'-separated; no query, no leading slash. */
const resourcePathPattern = /^[A-Za-z][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
/** A step of a property path: an identifier, or an OData annotation such as '@odata.type'. */
const stepPattern = /^(?:[A-Za-z_][A-Za-z0-9_]*|@odata\.[A-Za-z]+)$/;

/** The steps of a property path ('prepaidUnits.enabled', 'principal.@odata.type'), or undefined when it is not one. */
export function propertyPathSteps(path: string): string[] | undefined {
  const steps = path.match(/@odata\.[A-Za-z]+|[^.]+/g) ?? [];
  return steps.length > 0 && steps.join('.') === path && steps.every((s) => stepPattern.test(s)) ? steps : undefined;
}

/** What a graphQuery source refers to in the columns, checked once they are known. */
export type GraphQueryCheck = (parameters: readonly ParameterModel[], columns: readonly ColumnModel[], columnAt: (name: string, property: string) => Position) => void;

function at(object: ObjectValue, name: string): Position {
  const property = object.properties.get(name);
  return property?.value.at ?? property?.at ?? object.at;
}

/** The fields every call shares (path, version, select, filter, expand, top, first, count). */
/** A call as the catalog holds it. */
type CallModel = Omit<GraphQuerySourceModel, 'kind' | 'permission' | 'lookups'>;

function validateCall(checker: Checker, object: ObjectValue, what: string): CallModel | undefined {
  const before = checker.problems.length;
  const path = checker.string(object, 'path', `the path of ${what}`);
  if (path !== undefined && !resourcePathPattern.test(path)) {
    checker.report(
      at(object, 'path'),
      `the path of ${what} '${path}' is not a Graph resource path: give it below the version, without a leading '/' or a query, e.g. 'subscribedSkus' or 'roleManagement/directory/roleAssignments' (the query goes into select, filter, expand, top)`,
    );
  }
  const version = checker.string(object, 'version', `the API version of ${what}`, { required: false });
  if (version !== undefined && version !== 'v1.0' && version !== 'beta') checker.report(at(object, 'version'), `the API version of ${what} is 'v1.0' or 'beta', not '${version}'`);
  let select: string[] | undefined;
  const selectItems = checker.array(object, 'select', `the $select of ${what}`, false);
  if (object.properties.has('select') && selectItems) {
    if (selectItems.length === 0) checker.report(at(object, 'select'), `the $select of ${what} is empty; leave 'select' out to get the service's default properties`);
    select = [];
    for (const item of selectItems) {
      if (item.kind === 'unresolved') continue;
      if (item.kind !== 'string' || !parameterNamePattern.test(item.value)) checker.report(item.at, `the $select of ${what} names properties: each an identifier, not ${describeValue(item)}`);
      else if (select.some((s) => s.toLowerCase() === item.value.toLowerCase())) checker.report(item.at, `the $select of ${what} names '${item.value}' twice`);
      else select.push(item.value);
    }
  }
  const filter = checker.string(object, 'filter', `the $filter of ${what}`, { required: false });
  const expand = checker.string(object, 'expand', `the $expand of ${what}`, { required: false });
  if (expand !== undefined && !/^[A-Za-z][A-Za-z0-9]*$/.test(expand)) checker.report(at(object, 'expand'), `the $expand of ${what} names one navigation property (an identifier), not '${expand}'`);
  const top = pageSize(checker, object, 'top', `the $top (page size) of ${what}`);
  const first = pageSize(checker, object, 'first', `'first' (only the first objects) of ${what}`);
  if (top !== undefined && first !== undefined) checker.report(at(object, 'first'), `${what} has both 'top' (every page, this size) and 'first' (one page, no more): give one`);
  const count = checker.boolean(object, 'count', `'count' of ${what}`);
  if (checker.problems.length > before || path === undefined) return undefined;
  return {
    path,
    version: (version ?? 'v1.0') as 'v1.0' | 'beta',
    ...(select ? { select } : {}),
    ...(filter !== undefined ? { filter } : {}),
    ...(expand !== undefined ? { expand } : {}),
    ...(top !== undefined ? { top } : {}),
    ...(first !== undefined ? { first } : {}),
    ...(count ? { count } : {}),
  };
}

function pageSize(checker: Checker, object: ObjectValue, name: string, what: string): number | undefined {
  const value = object.properties.get(name)?.value;
  if (!value || value.kind === 'unresolved') return undefined;
  if (value.kind !== 'number' || !Number.isInteger(value.value) || value.value < 1 || value.value > 999) return checker.report(value.at, `${what} must be a whole number from 1 to 999, not ${describeValue(value)}`);
  return value.value;
}

/** A graphQuery source, and the check of what its columns refer to. */
export function validateGraphQuerySource(checker: Checker, source: ObjectValue): { source: GraphQuerySourceModel; check: GraphQueryCheck } | undefined {
  const before = checker.problems.length;
  const call = validateCall(checker, source, 'the Graph query');
  const permission = checker.string(source, 'permission', "the permission the query needs (e.g. 'User.Read.All')");
  if (permission !== undefined && !/^[A-Za-z]+(\.[A-Za-z]+)+$/.test(permission)) {
    checker.report(at(source, 'permission'), `the permission '${permission}' is not a Graph permission name (words joined by '.', e.g. 'LicenseAssignment.Read.All')`);
  }
  const lookups: NonNullable<GraphQuerySourceModel['lookups']> = [];
  for (const item of checker.array(source, 'lookups', 'the lookups', false) ?? []) {
    const object = checker.object(item, 'a lookup', lookupKeys, item.at);
    if (!object) continue;
    const name = checker.string(object, 'name', 'the lookup name');
    if (name !== undefined && !parameterNamePattern.test(name)) checker.report(at(object, 'name'), `the lookup name '${name}' is not an identifier`);
    else if (name !== undefined && lookups.some((l) => l.name.toLowerCase() === name.toLowerCase())) checker.report(at(object, 'name'), `a second lookup named '${name}'`);
    const key = checker.string(object, 'key', 'the property the looked-up objects are found by');
    if (key !== undefined && !propertyPathSteps(key)) checker.report(at(object, 'key'), `the lookup key '${key}' is not a property path`);
    const lookupCall = validateCall(checker, object, `lookup '${name ?? '?'}'`);
    if (lookupCall && name !== undefined && key !== undefined) lookups.push({ ...lookupCall, version: lookupCall.version ?? 'v1.0', name, key });
  }
  if (source.properties.has('forEach')) {
    checker.report(source.properties.get('forEach')!.at, "'forEach' (a call per object, sent as $batch) is not supported by dap-gen yet: write the per-object query as a report of its own");
  }
  if (checker.problems.length > before || !call || permission === undefined) return undefined;
  const model: GraphQuerySourceModel = { kind: 'graphQuery', ...call, version: call.version ?? 'v1.0', permission, ...(lookups.length > 0 ? { lookups } : {}) };
  const check: GraphQueryCheck = (_parameters, columns, columnAt) => {
    for (const column of columns) {
      if (column.bytesOf !== undefined) checker.report(columnAt(column.name, 'bytesOf'), `'bytesOf' reads Exchange's size text; a graphQuery column reads its value with 'from'`);
      if (column.from !== undefined && !propertyPathSteps(column.from)) {
        checker.report(columnAt(column.name, 'from'), `'from' of column '${column.name}' is not a property path: identifiers joined by '.', e.g. 'prepaidUnits.enabled' or 'principal.@odata.type'`);
      }
      if (column.lookup !== undefined) {
        const [lookupName, ...property] = column.lookup.split('.');
        if (!lookups.some((l) => l.name === lookupName) || property.length === 0 || !propertyPathSteps(property.join('.'))) {
          checker.report(
            columnAt(column.name, 'lookup'),
            `'lookup' of column '${column.name}' must be '<lookup>.<property>' naming one of the source's lookups (${lookups.length > 0 ? lookups.map((l) => `'${l.name}'`).join(', ') : 'it has none'}), not '${column.lookup}'`,
          );
        }
      }
      if (column.percent) {
        for (const side of ['of', 'over'] as const) {
          if (!propertyPathSteps(column.percent[side])) checker.report(columnAt(column.name, 'percent'), `'percent.${side}' of column '${column.name}' is not a property path`);
        }
        if (column.type !== 'number') checker.report(columnAt(column.name, 'percent'), `a 'percent' column holds a number: its type must be 'number'`);
      }
    }
  };
  return { source: model, check };
}
