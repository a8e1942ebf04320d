import type { CatalogParameterType } from '../common/catalog.js';

/** A validated report definition, ready to emit. */
export interface ReportModel {
  name: string;
  verb: string;
  /** `<verb>-Dap<name>` */
  functionName: string;
  summary: string;
  description: string;
  /** At least one, at most one per kind; the first is the default backend. */
  sources: SourceModel[];
  parameters: ParameterModel[];
  columns: ColumnModel[];
  examples: ExampleModel[];
  links: string[];
  /** The definition file, relative to the project root when inside it, else as given. */
  definitionFile: string;
}

export type SourceModel = ExchangeSourceModel | GraphSourceModel | ExchangeRestSourceModel;

/** Fixed REST parameters, in the order the definition gives them. */
export type RestParameterModel = Array<{ name: string; value: string | number | boolean }>;

export interface ExchangeRestSourceModel {
  kind: 'exchangeRest';
  cmdlet: string;
  parameters?: RestParameterModel;
  select?: string[];
  forEach?: { cmdlet: string; parameters?: RestParameterModel; select?: string[]; property: string; parameter: string };
  dateWindow?: { start: string; end: string; days: number };
  continueWith?: { sizeParameter: string; size: number; from: Array<{ parameter: string; property: string }> };
  rows?: RowRuleModel;
}

export type RowRuleModel =
  | { kind: 'inactiveFor'; column: string; daysParameter: string; daysColumn: string }
  | { kind: 'externalRecipients'; columns: string[]; matchColumn: string };

export interface ExchangeSourceModel {
  kind: 'exchange';
  cmdlet: string;
  input?: { cmdlet: string; parameters: Array<{ name: string; value: string | number | boolean }> };
}

export interface GraphSourceModel {
  kind: 'graph';
  /** The report function, e.g. getMailboxUsageDetail (checked against graphFunctionPattern). */
  function: string;
}

/** A report with a source of each of these kinds (it may have others). */
type WithSource<K extends SourceModel['kind']> = ReportModel & { readonly source: Extract<SourceModel, { kind: K }> };

/** A report that runs in a remote Exchange Online session; `source` is that source. */
export type ExchangeReportModel = WithSource<'exchange'>;
/** A report whose rows come from a Microsoft Graph usage report; `source` is that source. */
export type GraphReportModel = WithSource<'graph'>;
/** A report whose rows come from the Exchange admin REST API; `source` is that source. */
export type ExchangeRestReportModel = WithSource<'exchangeRest'>;

/** The report's source of one kind, if it has one. */
export function sourceOf<K extends SourceModel['kind']>(report: ReportModel, kind: K): Extract<SourceModel, { kind: K }> | undefined {
  return report.sources.find((s): s is Extract<SourceModel, { kind: K }> => s.kind === kind);
}

/** The report seen through its source of one kind (for the emitter of that kind), or undefined. */
export function withSource<K extends SourceModel['kind']>(report: ReportModel, kind: K): WithSource<K> | undefined {
  const source = sourceOf(report, kind);
  return source ? { ...report, source } : undefined;
}

export function exchangeReports(reports: readonly ReportModel[]): ExchangeReportModel[] {
  return reports.flatMap((r) => withSource(r, 'exchange') ?? []);
}

export function graphReports(reports: readonly ReportModel[]): GraphReportModel[] {
  return reports.flatMap((r) => withSource(r, 'graph') ?? []);
}

export function restReports(reports: readonly ReportModel[]): ExchangeRestReportModel[] {
  return reports.flatMap((r) => withSource(r, 'exchangeRest') ?? []);
}

export interface ParameterModel {
  name: string;
  type: CatalogParameterType;
  array: boolean;
  required: boolean;
  default?: string | number | boolean | Array<string | number>;
  values?: string[];
  pattern?: string;
  help: string;
}

export interface ColumnModel {
  name: string;
  type: CatalogParameterType;
  /** The string column whose '(N bytes)' text this integer column is read from. */
  bytesOf?: string;
}

export interface ExampleModel {
  code: string;
  description: string;
}
