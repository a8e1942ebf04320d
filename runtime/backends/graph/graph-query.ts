import type { CatalogColumn, GraphQueryCatalogCall } from '../../../common/catalog.js';
import { cellText, isoDateText } from '../app/cells.js';

/** A Graph object as JSON. */
export type GraphObject = Record<string, unknown>;

/** The URL of a query's first page: <base>/<version>/<path>?$select=…&$filter=…&$expand=…&$top=…&$count=true. */
export function graphQueryUrl(base: string, call: GraphQueryCatalogCall): string {
  const url = new URL(`${base.replace(/\/+$/, '')}/${call.version}/${call.path.split('/').map(encodeURIComponent).join('/')}`);
  if (call.select) url.searchParams.set('$select', call.select.join(','));
  if (call.filter !== undefined) url.searchParams.set('$filter', call.filter);
  if (call.expand !== undefined) url.searchParams.set('$expand', call.expand);
  const top = call.first ?? call.top;
  if (top !== undefined) url.searchParams.set('$top', String(top));
  if (call.count) url.searchParams.set('$count', 'true');
  return url.toString();
}

/** The request headers of a query: advanced queries ($count) need ConsistencyLevel: eventual. */
export function graphQueryHeaders(call: GraphQueryCatalogCall): Record<string, string> {
  return { accept: 'application/json', ...(call.count ? { consistencylevel: 'eventual' } : {}) };
}

/** The steps of a property path: identifiers and OData annotations ('principal.@odata.type'). */
export function pathSteps(path: string): string[] {
  return path.match(/@odata\.[A-Za-z]+|[^.]+/g) ?? [];
}

/** The value at a property path; a step through an array takes that property of every item. */
export function valueAt(object: unknown, path: string): unknown {
  let value: unknown = object;
  for (const step of pathSteps(path)) {
    if (Array.isArray(value)) value = value.map((item) => (item !== null && typeof item === 'object' ? (item as GraphObject)[step] : undefined)).flat();
    else if (value !== null && typeof value === 'object') value = (value as GraphObject)[step];
    else return undefined;
  }
  return value;
}

/** The objects of each lookup, by the text of their key (lower case, as Graph ids compare). */
export type Lookups = Map<string, Map<string, GraphObject>>;

/**
 * One declared column's cell of one object: a percentage, a looked-up property (an id or a list of
 * ids; one not found stays as it is), else the value at `from` (or the column's name); then the one
 * cell-text rule, dates ISO 8601.
 */
export function graphQueryCell(column: CatalogColumn, object: GraphObject, lookups: Lookups): string {
  if (column.percent) {
    const of = Number(valueAt(object, column.percent.of));
    const over = Number(valueAt(object, column.percent.over));
    if (!Number.isFinite(of) || !Number.isFinite(over) || over === 0) return '';
    return String(Math.round((of * 10_000) / over) / 100);
  }
  let value = valueAt(object, column.from ?? column.name);
  if (column.lookup !== undefined) {
    const [name, ...rest] = pathSteps(column.lookup);
    const found = lookups.get(name!);
    const property = rest.join('.');
    const resolve = (id: unknown) => {
      const hit = found?.get(cellText(id).toLowerCase());
      return hit ? valueAt(hit, property) : id;
    };
    value = Array.isArray(value) ? value.map(resolve) : value === undefined || value === null ? value : resolve(value);
  }
  return column.type === 'datetime' ? isoDateText(value) : cellText(value);
}
