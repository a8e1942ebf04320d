import type { CatalogColumn, CatalogParameter, CatalogRowRule, GraphCatalogSource, GraphQueryCatalogSource } from '../common/catalog.js';

// A report has three shapes: the definition a user writes (report-definition.ts, literal and
// loose), this model (validated and normalised, what the emitters read) and the catalog entry
// (common/catalog.ts, what the runtime and the simulator read). Where the model and the catalog
// agree they are one type: a parameter, a column, a row rule and a Graph source are the catalog's.

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

export type SourceModel = ExchangeSourceModel | GraphSourceModel | ExchangeRestSourceModel | GraphQuerySourceModel;

/** A Graph query: the catalog's shape (the model and the catalog agree). */
export type GraphQuerySourceModel = GraphQueryCatalogSource;

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

export type RowRuleModel = CatalogRowRule;

export interface ExchangeSourceModel {
  kind: 'exchange';
  cmdlet: string;
  input?: { cmdlet: string; parameters: Array<{ name: string; value: string | number | boolean }> };
}

export type GraphSourceModel = GraphCatalogSource;

/** A report with a source of each of these kinds (it may have others). */
type WithSource<K extends SourceModel['kind']> = ReportModel & { readonly source: Extract<SourceModel, { kind: K }> };

/** A report that runs in a remote Exchange Online session; `source` is that source. */
export type ExchangeReportModel = WithSource<'exchange'>;
/** A report whose rows come from a Microsoft Graph usage report; `source` is that source. */
export type GraphReportModel = WithSource<'graph'>;
/** A report whose rows come from a Microsoft Graph query; `source` is that source. */
export type GraphQueryReportModel = WithSource<'graphQuery'>;
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

export function graphQueryReports(reports: readonly ReportModel[]): GraphQueryReportModel[] {
  return reports.flatMap((r) => withSource(r, 'graphQuery') ?? []);
}

export function restReports(reports: readonly ReportModel[]): ExchangeRestReportModel[] {
  return reports.flatMap((r) => withSource(r, 'exchangeRest') ?? []);
}

export type ParameterModel = CatalogParameter;

export type ColumnModel = CatalogColumn;

export interface ExampleModel {
  code: string;
  description: string;
}
