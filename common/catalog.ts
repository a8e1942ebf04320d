import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DapError, ExitCode } from './dap-error.js';
import { moduleDir } from './project-paths.js';

/**
 * The report catalog that dap-gen writes beside the module
 * (module/DapReporting/DapReporting.catalog.json) and that the runtime reads: the contract
 * between the generator and everything that runs reports.
 */
export type CatalogParameterType = 'string' | 'integer' | 'number' | 'boolean' | 'datetime';

export interface CatalogParameter {
  name: string;
  type: CatalogParameterType;
  /** An array of `type` (e.g. [string[]]). */
  array: boolean;
  required: boolean;
  /** The default as the definition gives it (datetime defaults are ISO strings); absent when none. */
  default?: string | number | boolean | Array<string | number>;
  /** The ValidateSet values, for a union of string literals. */
  values?: string[];
  /** The [ValidatePattern] a string value must match (a .NET regular expression; common/dotnet-pattern.ts). */
  pattern?: string;
  help: string;
}

export interface CatalogColumn {
  name: string;
  type: CatalogParameterType;
  /** The string column whose '(N bytes)' text this integer column is read from (the runtime fills it). */
  bytesOf?: string;
}

/** A cmdlet run inside the tenant's remote Exchange session. */
export interface ExchangeCatalogSource {
  kind: 'exchange';
  cmdlet: string;
}

/**
 * A Microsoft Graph usage report, GET /v1.0/reports/<function>(period='D7') or (date=YYYY-MM-DD),
 * fetched with a token for the customer tenant. The report's parameters name which of the two
 * forms a call uses: a `Period` parameter (D7|D30|D90|D180) and/or a `Date` parameter.
 */
export interface GraphCatalogSource {
  kind: 'graph';
  /** The report function, e.g. getMailboxUsageDetail. */
  function: string;
}

/** Parameter values sent with an Exchange admin API call, by the cmdlet's parameter names. */
export interface CatalogRestParameters { [name: string]: string | number | boolean }

/**
 * An Exchange cmdlet called over the Exchange Online admin REST API
 * (POST <exchange>/adminapi/beta/{tenantId}/InvokeCommand) with a token for
 * https://outlook.office365.com/.default: the definition's fields as plain JSON
 * (generator/report-definition.ts, ExchangeRestSource, says what each one means). The report's
 * own parameters are sent by name, except those `dateWindow` and `rows` consume.
 */
export interface ExchangeRestCatalogSource {
  kind: 'exchangeRest';
  cmdlet: string;
  parameters?: CatalogRestParameters;
  /** `$select`: the properties asked for (absent: all). */
  select?: string[];
  /** Run `cmdlet` once per object of `forEach.cmdlet`, sending its `property` as parameter `parameter`. */
  forEach?: { cmdlet: string; parameters?: CatalogRestParameters; select?: string[]; property: string; parameter: string };
  /** Split the [start, end] report parameters into windows of at most `days` days, newest first. */
  dateWindow?: { start: string; end: string; days: number };
  /** A call that returned `size` rows is followed by one whose `from` parameters are the last row's columns. */
  continueWith?: { sizeParameter: string; size: number; from: { [parameter: string]: string } };
  rows?: CatalogRowRule;
}

/** A row rule both the runtime and the module apply after the rows are read. */
export type CatalogRowRule =
  | { kind: 'inactiveFor'; column: string; daysParameter: string; daysColumn: string }
  | { kind: 'externalRecipients'; columns: string[]; matchColumn: string };

/** A source kind names its backend: exchange -> --backend exchange, graph -> --backend graph, exchangeRest -> --backend exo. */
export type CatalogSource = ExchangeCatalogSource | GraphCatalogSource | ExchangeRestCatalogSource;

export interface CatalogReport {
  /** PascalCase report name, e.g. MailboxActivityReport; what `--report` takes. */
  name: string;
  /** The generated module function, e.g. Get-DapMailboxActivityReport. */
  function: string;
  /**
   * The generated standalone script, relative to module/, e.g. scripts/MailboxActivityReport.ps1,
   * for the report's first source; absent for a Graph report (it runs through the module function
   * or the runtime).
   */
  script?: string;
  summary: string;
  /** The definition file it came from, relative to the project root (or as given). */
  definitionFile: string;
  /** Where the rows come from: at least one, at most one per kind; the first is the default backend. */
  sources: CatalogSource[];
  parameters: CatalogParameter[];
  columns: CatalogColumn[];
}

export interface Catalog {
  module: 'DapReporting';
  version: string;
  reports: CatalogReport[];
}

export const catalogPath = join(moduleDir, 'DapReporting', 'DapReporting.catalog.json');

export function readCatalog(path: string = catalogPath): Catalog {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Catalog;
  } catch (error) {
    throw new DapError('CATALOG_UNREADABLE', ExitCode.fatal, `cannot read the report catalog ${path}; run 'npx dap-gen'`, { cause: error });
  }
}
