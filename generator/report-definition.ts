/**
 * The typed shape of a report definition. A definition file exports one or more constants written
 * as object literals checked with `satisfies ReportDefinition`:
 *
 *   export const mailboxActivityReport = { name: 'MailboxActivityReport', … } satisfies ReportDefinition;
 *
 * Editors type-check the literal against these types; dap-gen reads the same literal statically
 * (it never runs the file), so every value must be a literal, a constant declared in the same file,
 * or a constant imported by name from a relative module.
 */

/** A scalar parameter type, as a string tag. */
export type ScalarTypeTag = 'string' | 'integer' | 'number' | 'boolean' | 'Date';

/** A parameter type: a scalar, an array of a scalar, or a set of allowed strings. */
export type ParameterTypeTag = ScalarTypeTag | `${ScalarTypeTag}[]` | OneOfType;

/** A union of string literals: becomes [ValidateSet(...)] [string] (or [string[]] with `array`). */
export interface OneOfType {
  readonly oneOf: readonly string[];
  readonly array?: boolean;
}

export type ParameterDefault = string | number | boolean | readonly (string | number)[];

export interface ParameterDefinition {
  /** PowerShell parameter name (an identifier, unique within the report, case-insensitively). */
  readonly name: string;
  readonly type: ParameterTypeTag;
  /** Mandatory in PowerShell; false when absent. A required parameter has no default. */
  readonly required?: boolean;
  /** A value of `type`; Date defaults are ISO 8601 strings such as '2015-03-18'. */
  readonly default?: ParameterDefault;
  /** A .NET regular expression a string value must match ([ValidatePattern]). */
  readonly pattern?: string;
  /** Help text for .PARAMETER. */
  readonly help: string;
}

export type ColumnTypeTag = ScalarTypeTag;

export interface ColumnDefinition {
  readonly name: string;
  readonly type: ColumnTypeTag;
  /**
   * A size in bytes, read from the text of the string column named here, declared before this one:
   * its '(35,903,716,480 bytes)' part, as Exchange writes a ByteQuantifiedSize ('33.438 GB (35,903,716,480 bytes)').
   * The column is then of type 'integer', so spreadsheets can add it up.
   */
  readonly bytesOf?: string;
  /**
   * graphQuery sources: where the value is in each object, a property path ('prepaidUnits.enabled',
   * 'principal.@odata.type'); a step through an array takes that property of every item
   * ('assignedLicenses.skuId' is a list of SKU ids). The column's name when absent.
   */
  readonly from?: string;
  /**
   * graphQuery sources: the value at `from` (an id, or a list of ids) is looked up in one of the
   * source's `lookups` and replaced by a property of the object found: '<lookup>.<property>', e.g.
   * 'sku.skuPartNumber' turns SKU ids into part numbers. An id not found stays as it is.
   */
  readonly lookup?: string;
  /** graphQuery sources: 100 × `of` / `over` (two property paths), two decimals; empty when `over` is 0 or absent. */
  readonly percent?: { readonly of: string; readonly over: string };
}

export interface ExampleDefinition {
  /** The command line shown in the example. */
  readonly code: string;
  /** What the example does. */
  readonly description: string;
}

/** A cmdlet whose output is piped into the report cmdlet inside the same remote session. */
export interface InputCommand {
  readonly cmdlet: string;
  readonly parameters?: Readonly<Record<string, string | number | boolean>>;
}

/** A cmdlet run inside the tenant's remote Exchange Online session. */
export interface ExchangeSource {
  readonly kind: 'exchange';
  readonly cmdlet: string;
  readonly input?: InputCommand;
}

/**
 * A Microsoft Graph usage report, GET /v1.0/reports/<function>(period='D7') or (date=YYYY-MM-DD),
 * fetched with an app-only token for the customer tenant. A Graph definition has a `Period`
 * parameter ({ oneOf: ['D7', 'D30', 'D90', 'D180'] }) and may have a `Date` parameter ('Date');
 * it has no other parameters. Its columns are the CSV headers the service returns, spaces and all.
 */
export interface GraphSource {
  readonly kind: 'graph';
  /** The report function, e.g. 'getMailboxUsageDetail': 'get', then letters and digits. */
  readonly function: string;
}

/** One GET of a Microsoft Graph collection in the customer tenant, every page. */
export interface GraphQueryCall {
  /** The resource path below the version, e.g. 'subscribedSkus', 'roleManagement/directory/roleAssignments'. */
  readonly path: string;
  /** 'v1.0' when absent; 'beta' marks a query on Graph's preview API (it may change without notice). */
  readonly version?: 'v1.0' | 'beta';
  /** `$select`: the properties asked for (absent: the service's default set). */
  readonly select?: readonly string[];
  /** `$filter`, as the service takes it, e.g. "accountEnabled eq true". */
  readonly filter?: string;
  /** `$expand`, e.g. 'principal'. */
  readonly expand?: string;
  /** `$top`: the page size (1 to 999); the service's default when absent. Every page is read. */
  readonly top?: number;
  /** Only the first `first` objects (sent as `$top`, no further page), e.g. 1 for the latest Secure Score. */
  readonly first?: number;
  /** `$count=true` with the header `ConsistencyLevel: eventual`: the advanced queries some filters need. */
  readonly count?: boolean;
}

/**
 * Objects another query returns, found by a key property, e.g. { name: 'sku', path: 'subscribedSkus',
 * key: 'skuId' } to turn SKU ids into part numbers, or the role definitions by id for role names.
 * Read once per tenant, before the rows.
 */
export interface GraphLookup extends GraphQueryCall {
  /** How a column's `lookup` names it: an identifier. */
  readonly name: string;
  /** The property of each object its id is in. */
  readonly key: string;
}

/**
 * A Microsoft Graph query as a report: a GET of a collection in the customer tenant
 * (`GET <graph>/<version>/<path>?$select…`) with an app-only token for that tenant, every page by
 * `@odata.nextLink` (on the Graph host only, bounded), one row per object. Each column says where
 * its value is (`from`, `lookup`, `percent`); nested values and lists become cells by the one
 * cell-text rule, dates ISO 8601. The report's budget is the throttling class of its path
 * (common/graph-throttling.ts).
 */
export interface GraphQuerySource extends GraphQueryCall {
  readonly kind: 'graphQuery';
  /** The least application permission the query needs, named when the service refuses it, e.g. 'LicenseAssignment.Read.All'. */
  readonly permission: string;
  /** Objects to look ids up in (see GraphLookup and a column's `lookup`). */
  readonly lookups?: readonly GraphLookup[];
  /**
   * A call per object of another query, e.g. the methods of every user: `path` names the
   * property in braces ('users/{id}/authentication/methods'); sent as JSON `$batch` requests of 20,
   * each answer's own status and Retry-After honoured. Columns read the object of `forEach` as
   * 'parent.<path>'. (Designed; dap-gen does not take it yet.)
   */
  readonly forEach?: GraphQueryCall & { readonly property: string };
}

/** Parameter values sent with an Exchange admin API call: names are the cmdlet's parameter names. */
export interface RestParameters { readonly [name: string]: string | number | boolean }

/**
 * An Exchange cmdlet called over the Exchange Online admin REST API
 * (`POST <exchange>/adminapi/beta/{tenantId}/InvokeCommand`), with a token for
 * https://outlook.office365.com/.default in the customer tenant. The report's own parameters are
 * sent by name, except those a `dateWindow` or a `rows` rule consumes.
 */
export interface ExchangeRestSource {
  readonly kind: 'exchangeRest';
  /** The cmdlet, e.g. 'Get-CASMailbox'. */
  readonly cmdlet: string;
  /** Fixed parameters sent with every call, besides the report's own parameters (which are sent by name). */
  readonly parameters?: RestParameters;
  /** `$select`: the properties asked for (absent: all). */
  readonly select?: readonly string[];
  /**
   * Run `cmdlet` once per object of another cmdlet: e.g. Get-Mailbox, then
   * Get-MailboxStatistics -Identity <the mailbox's ExternalDirectoryObjectId> for each.
   * `property` is read from each object of `forEach.cmdlet`, and sent as parameter `parameter`.
   */
  readonly forEach?: {
    readonly cmdlet: string;
    readonly parameters?: RestParameters;
    readonly select?: readonly string[];
    readonly property: string;
    readonly parameter: string;
  };
  /**
   * Split the report's [start, end] date range (the report parameters named `start` and `end`) into
   * windows of at most `days` days (Get-MessageTraceV2: 10), one call (and its pages) per window,
   * newest window first.
   */
  readonly dateWindow?: { readonly start: string; readonly end: string; readonly days: number };
  /**
   * When one call returns `size` rows (the parameter `sizeParameter` is sent as `size`), there may be
   * more: call again with each parameter of `from` set to the named property of the LAST row
   * (Get-MessageTraceV2: { StartingRecipientAddress: 'RecipientAddress', EndDate: 'Received' },
   * size 5000, sizeParameter 'ResultSize'). Rows already seen (same values in every column) are not
   * repeated.
   */
  readonly continueWith?: { readonly sizeParameter: string; readonly size: number; readonly from: { readonly [parameter: string]: string } };
  /** A row rule applied after the rows are read; both the runtime and the module implement each one. */
  readonly rows?: RowRule;
}

export type RowRule =
  /** Keep rows whose date column is older than `daysParameter` days before now, or empty (never);
   *  write the whole days since that date (empty when never) into the column `daysColumn`. */
  | { readonly kind: 'inactiveFor'; readonly column: string; readonly daysParameter: string; readonly daysColumn: string }
  /** Keep rows where an address in any of `columns` is outside the tenant's accepted domains
   *  (Get-AcceptedDomain, DomainName); list those outside addresses, '; '-separated, in `matchColumn`. */
  | { readonly kind: 'externalRecipients'; readonly columns: readonly string[]; readonly matchColumn: string };

/** Where a report's rows come from; a discriminated union on `kind`. */
export type ReportSource = ExchangeSource | GraphSource | ExchangeRestSource | GraphQuerySource;

export interface ReportDefinition {
  /** PascalCase, unique; the function is `<verb>-Dap<name>`, the script `scripts/<name>.ps1`. */
  readonly name: string;
  /** An approved PowerShell verb (Get-Verb); 'Get' when absent. */
  readonly verb?: string;
  /** One line: .SYNOPSIS. */
  readonly summary: string;
  /** Paragraphs: .DESCRIPTION. */
  readonly description: string;
  /**
   * One source, or one per kind (at most one of each kind); the first is the report's default
   * backend (exchange: --backend exchange, graph and graphQuery: --backend graph, exchangeRest:
   * --backend exo). A graph or graphQuery source stands alone.
   */
  readonly source: ReportSource | readonly ReportSource[];
  readonly parameters?: readonly ParameterDefinition[];
  readonly columns: readonly ColumnDefinition[];
  /** At least one. */
  readonly examples: readonly ExampleDefinition[];
  /** Extra .LINK entries, e.g. the source cmdlet's documentation. */
  readonly links?: readonly string[];
}
