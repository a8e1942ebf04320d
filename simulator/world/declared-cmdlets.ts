/**
 * The Exchange cmdlets report catalogs declare that the simulator has no data of its own for, so
 * that a user's own report runs offline: each becomes a cmdlet of the remoting session and of the
 * admin API, taking the report's parameters and answering rows of the report's columns
 * (declared-rows.ts). Built from the catalog JSON dap-gen writes (common/catalog.ts); a built-in
 * cmdlet keeps its own data and is never redefined by a catalog: which cmdlets are built in, the
 * services know (server/built-in-cmdlets.ts asks them), so the world is told, never imports them.
 */
import { type Catalog, catalogFileAt, type CatalogParameterType, type CatalogRestParameters, catalogSchema } from '../../common/catalog.js';
import { DapError, ExitCode } from '../../common/dap-error.js';
import { inputLimits } from '../../common/input-limits.js';
import { formatIssues } from '../../common/zod-issues.js';
import { readJsonFile } from './read-json-file.js';
import { resultSizePsPattern } from './result-size.js';

/**
 * A declared cmdlet's name: Verb-Noun (the session defines a function of that name). The session
 * checks it again (DapSimParameters.ps1); a contract test holds the two equal.
 */
export const declaredCmdletNamePattern = /^[A-Za-z]+-[A-Za-z][A-Za-z0-9]*$/;
/** A declared parameter's name: an identifier. */
export const declaredParameterNamePattern = /^[A-Za-z][A-Za-z0-9]*$/;

export interface DeclaredParameter {
  name: string;
  type: CatalogParameterType;
  array: boolean;
  /** Bound from the pipeline by property name in the remoting session (Identity, for `input | cmdlet`). */
  pipeline?: boolean;
  /** The service's own rule for the value, a .NET pattern (ResultSize). */
  pattern?: string;
}

export interface DeclaredColumn {
  name: string;
  type: CatalogParameterType;
  /** A string column some report reads a size in bytes from: its values are '33.438 GB (35,903,716,480 bytes)'. */
  bytes?: boolean;
}

export interface DeclaredCmdletSpec {
  /** As the first catalog spells it. */
  name: string;
  /** The report's parameters, the fixed ones its sources send, and the common ones (ResultSize, Identity). */
  parameters: DeclaredParameter[];
  /** The columns the reports read from its objects, in their order. */
  columns: DeclaredColumn[];
  /** Parameters naming one object (Identity, a forEach `parameter`): a call with one answers that object's rows. */
  objectParameters: string[];
  /** The reports that declare it, as `Report (catalog n)`. */
  reports: string[];
}

type CatalogReport = Catalog['reports'][number];
function invalid(message: string, cause?: unknown): DapError {
  return new DapError('CATALOG_INVALID', ExitCode.usage, message, { cause });
}

function check(input: unknown, source: string): Catalog {
  const result = catalogSchema.safeParse(input);
  if (result.success) return result.data;
  throw invalid(`${source} is not a report catalog (the JSON dap-gen writes):\n  ${formatIssues(result.error.issues, '(catalog)').join('\n  ')}`, result.error);
}

/**
 * Reads a catalog for `dap-sim --catalog`: the .catalog.json file, or the folder dap-gen wrote; a
 * missing, unreadable or malformed one is CATALOG_INVALID (exit 2).
 */
export function loadCatalogFile(path: string): Catalog {
  const found = catalogFileAt(path);
  if (found.folder && !found.path) throw invalid(`the folder ${path} holds no catalog: expected ${found.expected} (what dap-gen --reports <file> --out <dir> writes)`);
  const file = found.path ?? path;
  return check(readJsonFile(file, 'catalog', 'CATALOG_INVALID', inputLimits.catalog), `catalog file ${file}`);
}

const commonParameters: readonly DeclaredParameter[] = [
  { name: 'Identity', type: 'string', array: false, pipeline: true },
  { name: 'ResultSize', type: 'string', array: false, pattern: resultSizePsPattern },
];

/** The columns a parent object (an input or forEach cmdlet's) always has. */
const parentColumns: readonly DeclaredColumn[] = [
  { name: 'Identity', type: 'string' },
  { name: 'Name', type: 'string' },
  { name: 'DisplayName', type: 'string' },
];

function fixedList(fixed: CatalogRestParameters | undefined): DeclaredParameter[] {
  return Object.entries(fixed ?? {}).map(([name, value]) => ({
    name,
    type: typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : 'string',
    array: false,
  }));
}

const text = (name: string): DeclaredColumn => ({ name, type: 'string' });

/**
 * The cmdlets the catalogs declare beyond the built-in ones, merged by name (case-insensitive):
 * parameters and columns of every report that uses a cmdlet, the first declaration of a name
 * winning. A catalog that is not one, or a name that is not Verb-Noun (cmdlet) or an identifier
 * (parameter), is CATALOG_INVALID (exit 2). Built-in cmdlets named by a catalog are left out
 * silently (`isBuiltIn` names them): they answer with their own data.
 */
export function declareCatalogCmdlets(catalogs: readonly Catalog[], isBuiltIn: (name: string) => boolean): DeclaredCmdletSpec[] {
  const specs = new Map<string, { spec: DeclaredCmdletSpec; parameters: Set<string>; columns: Set<string> }>();
  const problems: string[] = [];

  const declare = (cmdlet: string, where: string, parameters: readonly DeclaredParameter[], columns: readonly DeclaredColumn[], objectParameter?: string) => {
    if (isBuiltIn(cmdlet)) return;
    if (!declaredCmdletNamePattern.test(cmdlet)) {
      problems.push(`${where}: '${cmdlet}' is not a cmdlet name (Verb-Noun)`);
      return;
    }
    let entry = specs.get(cmdlet.toLowerCase());
    if (!entry) {
      entry = { spec: { name: cmdlet, parameters: [], columns: [], objectParameters: [], reports: [] }, parameters: new Set(), columns: new Set() };
      specs.set(cmdlet.toLowerCase(), entry);
    }
    const { spec } = entry;
    if (!spec.reports.includes(where)) spec.reports.push(where);
    for (const parameter of [...commonParameters, ...parameters]) {
      if (!declaredParameterNamePattern.test(parameter.name)) {
        problems.push(`${where}: '${parameter.name}' (a parameter of ${cmdlet}) is not a parameter name`);
        continue;
      }
      const key = parameter.name.toLowerCase();
      if (entry.parameters.has(key)) continue;
      entry.parameters.add(key);
      spec.parameters.push(parameter);
    }
    for (const column of columns) {
      const key = column.name.toLowerCase();
      if (entry.columns.has(key)) continue;
      entry.columns.add(key);
      spec.columns.push(column);
    }
    for (const name of ['Identity', ...(objectParameter ? [objectParameter] : [])]) {
      if (!spec.objectParameters.some((p) => p.toLowerCase() === name.toLowerCase())) spec.objectParameters.push(name);
    }
  };

  const declareReport = (report: CatalogReport, where: string) => {
    const bytesSources = new Set(report.columns.flatMap((c) => (c.bytesOf ? [c.bytesOf.toLowerCase()] : [])));
    const served = report.columns
      .filter((c) => !c.bytesOf)
      .map((c): DeclaredColumn => ({ name: c.name, type: c.type, ...(c.type === 'string' && bytesSources.has(c.name.toLowerCase()) ? { bytes: true } : {}) }));
    const reportParameters = report.parameters.map((p): DeclaredParameter => ({ name: p.name, type: p.type, array: p.array }));
    for (const source of report.sources) {
      if (source.kind === 'exchange') {
        declare(source.cmdlet, where, reportParameters, served);
        if (source.input) declare(source.input.cmdlet, where, fixedList(source.input.parameters), parentColumns);
      }
      if (source.kind === 'exchangeRest') {
        // the columns a row rule writes are the runtime's, not the service's
        const rule = source.rows;
        const derived = new Set(rule ? [(rule.kind === 'inactiveFor' ? rule.daysColumn : rule.matchColumn).toLowerCase()] : []);
        const columns = [...served.filter((c) => !derived.has(c.name.toLowerCase())), ...(source.select ?? []).map(text)];
        const continued = source.continueWith
          ? [{ name: source.continueWith.sizeParameter, type: 'integer', array: false } as const, ...Object.keys(source.continueWith.from).map((name): DeclaredParameter => ({ name, type: 'string', array: false }))]
          : [];
        const each = source.forEach;
        const perObject = each ? [{ name: each.parameter, type: 'string', array: false } as const] : [];
        declare(source.cmdlet, where, [...reportParameters, ...fixedList(source.parameters), ...perObject, ...continued], columns, each?.parameter);
        if (each) declare(each.cmdlet, where, fixedList(each.parameters), [...parentColumns, text(each.property), ...(each.select ?? []).map(text)]);
      }
    }
  };

  catalogs.forEach((input, i) => {
    const catalog = check(input, `catalog ${i + 1}`);
    for (const report of catalog.reports) declareReport(report, `${report.name} (catalog ${i + 1})`);
  });
  if (problems.length > 0) throw invalid(`the report catalogs declare cmdlets the simulator cannot serve:\n  ${problems.join('\n  ')}`);
  return [...specs.values()].map((entry) => entry.spec);
}
