import { statSync } from 'node:fs';
import { readBoundedFile, readProblem } from './bounded-read.js';
import { inputLimits } from './input-limits.js';
import { z } from 'zod';
import { join } from 'node:path';
import { DapError, ExitCode } from './dap-error.js';
import { moduleDir } from './project-paths.js';
import { formatIssues } from './zod-issues.js';

/**
 * The report catalog that dap-gen writes beside the module
 * (module/DapReporting/DapReporting.catalog.json) and that the runtime reads: the contract
 * between the generator and everything that runs reports.
 */
const parameterTypes = ['string', 'integer', 'number', 'boolean', 'datetime'] as const;
const catalogParameterTypeSchema = z.enum(parameterTypes);
export type CatalogParameterType = z.infer<typeof catalogParameterTypeSchema>;

const catalogParameterSchema = z.strictObject({
  name: z.string().min(1),
  type: catalogParameterTypeSchema,
  /** An array of `type` (e.g. [string[]]). */
  array: z.boolean(),
  required: z.boolean(),
  /** The default as the definition gives it (datetime defaults are ISO strings); absent when none. */
  default: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]).optional(),
  /** The ValidateSet values, for a union of string literals. */
  values: z.array(z.string()).optional(),
  /** The [ValidatePattern] a string value must match (a .NET regular expression; common/dotnet-pattern.ts). */
  pattern: z.string().optional(),
  help: z.string(),
});
export type CatalogParameter = z.infer<typeof catalogParameterSchema>;

const catalogColumnSchema = z.strictObject({
  name: z.string().min(1),
  type: catalogParameterTypeSchema,
  /** The string column whose '(N bytes)' text this integer column is read from (the runtime fills it). */
  bytesOf: z.string().optional(),
  /** graphQuery: the property path of the value in each object ('prepaidUnits.enabled'); the name when absent. */
  from: z.string().optional(),
  /** graphQuery: '<lookup>.<property>': the id (or ids) at `from` replaced by that property of the object looked up. */
  lookup: z.string().optional(),
  /** graphQuery: 100 × of / over (property paths), two decimals. */
  percent: z.strictObject({ of: z.string(), over: z.string() }).optional(),
});
export type CatalogColumn = z.infer<typeof catalogColumnSchema>;

/** Parameter values sent with a cmdlet besides the report's own, by the cmdlet's parameter names. */
const restParametersSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type CatalogRestParameters = z.infer<typeof restParametersSchema>;

/**
 * A cmdlet run inside the tenant's remote Exchange session; with `input`, the objects of another
 * cmdlet (run with its fixed parameters) are piped into it in the same session.
 */
const exchangeSourceSchema = z.strictObject({
  kind: z.literal('exchange'),
  cmdlet: z.string().min(1),
  input: z.strictObject({ cmdlet: z.string().min(1), parameters: restParametersSchema.optional() }).optional(),
});
export type ExchangeCatalogSource = z.infer<typeof exchangeSourceSchema>;

/**
 * A Microsoft Graph usage report, GET /v1.0/reports/<function>(period='D7') or (date=YYYY-MM-DD),
 * fetched with a token for the customer tenant. The report's parameters name which of the two
 * forms a call uses: a `Period` parameter (common/graph-periods.ts) and/or a `Date` parameter.
 */
const graphSourceSchema = z.strictObject({
  kind: z.literal('graph'),
  /** The report function, e.g. getMailboxUsageDetail. */
  function: z.string().min(1),
});
export type GraphCatalogSource = z.infer<typeof graphSourceSchema>;

/** One GET of a Graph collection (generator/report-definition.ts, GraphQueryCall, says what each field means). */
const graphQueryCallShape = {
  path: z.string().min(1),
  version: z.enum(['v1.0', 'beta']),
  select: z.array(z.string()).optional(),
  filter: z.string().optional(),
  expand: z.string().optional(),
  top: z.number().int().min(1).max(999).optional(),
  first: z.number().int().min(1).max(999).optional(),
  count: z.boolean().optional(),
};
const graphQueryCallSchema = z.strictObject(graphQueryCallShape);
export type GraphQueryCatalogCall = z.infer<typeof graphQueryCallSchema>;

/**
 * A Microsoft Graph query as a report: GET <graph>/<version>/<path> in the customer tenant, every
 * page, one row per object; the lookups are read first; `permission` is named when the service
 * refuses the query.
 */
const graphQuerySourceSchema = z.strictObject({
  kind: z.literal('graphQuery'),
  ...graphQueryCallShape,
  permission: z.string().min(1),
  lookups: z.array(z.strictObject({ ...graphQueryCallShape, name: z.string().min(1), key: z.string().min(1) })).optional(),
});
export type GraphQueryCatalogSource = z.infer<typeof graphQuerySourceSchema>;

/** A row rule both the runtime and the module apply after the rows are read. */
const rowRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('inactiveFor'), column: z.string(), daysParameter: z.string(), daysColumn: z.string() }),
  z.strictObject({ kind: z.literal('externalRecipients'), columns: z.array(z.string()), matchColumn: z.string() }),
]);
export type CatalogRowRule = z.infer<typeof rowRuleSchema>;

/**
 * An Exchange cmdlet called over the Exchange Online admin REST API
 * (POST <exchange>/adminapi/beta/{tenantId}/InvokeCommand) with a token for
 * https://outlook.office365.com/.default: the definition's fields as plain JSON
 * (generator/report-definition.ts, ExchangeRestSource, says what each one means). The report's
 * own parameters are sent by name, except those `dateWindow` and `rows` consume.
 */
const exchangeRestSourceSchema = z.strictObject({
  kind: z.literal('exchangeRest'),
  cmdlet: z.string().min(1),
  parameters: restParametersSchema.optional(),
  /** `$select`: the properties asked for (absent: all). */
  select: z.array(z.string()).optional(),
  /** Run `cmdlet` once per object of `forEach.cmdlet`, sending its `property` as parameter `parameter`. */
  forEach: z
    .strictObject({ cmdlet: z.string().min(1), parameters: restParametersSchema.optional(), select: z.array(z.string()).optional(), property: z.string(), parameter: z.string() })
    .optional(),
  /** Split the [start, end] report parameters into windows of at most `days` days, newest first. */
  dateWindow: z.strictObject({ start: z.string(), end: z.string(), days: z.number().int().positive() }).optional(),
  /** A call that returned `size` rows is followed by one whose `from` parameters are the last row's columns. */
  continueWith: z.strictObject({ sizeParameter: z.string(), size: z.number().int().positive(), from: z.record(z.string(), z.string()) }).optional(),
  rows: rowRuleSchema.optional(),
});
export type ExchangeRestCatalogSource = z.infer<typeof exchangeRestSourceSchema>;

/** A source kind names its backend: exchange -> --backend exchange, graph and graphQuery -> --backend graph, exchangeRest -> --backend exo. */
const catalogSourceSchema = z.discriminatedUnion('kind', [exchangeSourceSchema, graphSourceSchema, exchangeRestSourceSchema, graphQuerySourceSchema]);
export type CatalogSource = z.infer<typeof catalogSourceSchema>;

const catalogReportSchema = z.strictObject({
  /** PascalCase report name, e.g. MailboxActivityReport; what `--report` takes. */
  name: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'expected a PascalCase report name'),
  /** The generated module function, e.g. Get-DapMailboxActivityReport. */
  function: z.string().min(1),
  /**
   * The generated standalone script, relative to module/, e.g. scripts/MailboxActivityReport.ps1,
   * for the report's first source; absent for a Graph usage report (it runs through the module function
   * or the runtime).
   */
  script: z.string().optional(),
  summary: z.string(),
  /** The definition file it came from, relative to the project root (or as given). */
  definitionFile: z.string(),
  /** Where the rows come from: at least one, at most one per kind; the first is the default backend. */
  sources: z.array(catalogSourceSchema).min(1),
  parameters: z.array(catalogParameterSchema),
  columns: z.array(catalogColumnSchema),
});
export type CatalogReport = z.infer<typeof catalogReportSchema>;

/** The whole catalog; the types above are what it holds, the schema checks a file (readCatalog). */
export const catalogSchema = z.strictObject({
  module: z.literal('DapReporting'),
  version: z.string(),
  reports: z.array(catalogReportSchema).superRefine((reports, context) => {
    const seen = new Set<string>();
    for (const [index, report] of reports.entries()) {
      if (seen.has(report.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `a second report named ${report.name}` });
      seen.add(report.name);
    }
  }),
});
export type Catalog = z.infer<typeof catalogSchema>;

/** Where the catalog is inside a folder dap-gen writes (module/, or --out <dir>). */
export const catalogFileIn = (outDir: string) => join(outDir, 'DapReporting', 'DapReporting.catalog.json');

export const catalogPath = catalogFileIn(moduleDir);

/**
 * The catalog file a user names: a file is itself; a folder dap-gen wrote holds it at
 * <dir>/DapReporting/DapReporting.catalog.json (or <dir>/DapReporting.catalog.json when the
 * DapReporting folder itself is named). Undefined when there is no such file or folder, or the
 * folder holds no catalog; `expected` is where it was looked for first.
 */
export function catalogFileAt(target: string): { path?: string; folder: boolean; expected: string } {
  const kind = (path: string) => {
    try {
      return statSync(path).isDirectory() ? 'folder' : 'file';
    } catch {
      return undefined;
    }
  };
  const found = kind(target);
  if (found !== 'folder') return { ...(found === 'file' ? { path: target } : {}), folder: false, expected: target };
  const candidates = [catalogFileIn(target), join(target, 'DapReporting.catalog.json')];
  const path = candidates.find((candidate) => kind(candidate) === 'file');
  return { ...(path ? { path } : {}), folder: true, expected: candidates[0]! };
}

/**
 * Reads and checks a catalog file: the built-in one (module/, written by dap-gen; missing or broken
 * it is a broken checkout, exit 3), or one the user names (--catalog, DAP_CATALOG; any problem is
 * a usage error, exit 2). The message names the file and every problem found.
 */
export function readCatalog(path?: string): Catalog {
  const file = path ?? catalogPath;
  const fail = (code: string, problem: string, cause?: unknown) =>
    path === undefined
      ? new DapError(code, ExitCode.fatal, `cannot read the report catalog ${file}: ${problem}; run 'npx dap-gen'`, { cause })
      : new DapError(code, ExitCode.usage, `the catalog ${file} ${problem}`, { cause });
  let text: string;
  try {
    text = readBoundedFile(file, inputLimits.catalog);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail('CATALOG_UNREADABLE', `cannot be read (${code === 'ENOENT' ? 'no such file' : readProblem(error)})`, error);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail('CATALOG_MALFORMED', `is not JSON: ${(error as Error).message}`, error);
  }
  const parsed = catalogSchema.safeParse(value);
  if (!parsed.success) {
    throw fail('CATALOG_MALFORMED', `is not a DapReporting catalog (what dap-gen writes):\n  ${formatIssues(parsed.error.issues, 'the catalog').join('\n  ')}`);
  }
  return parsed.data;
}
