import type { CatalogParameterType } from '../common/catalog.js';

/** A validated report definition, ready to emit. */
export interface ReportModel {
  name: string;
  verb: string;
  /** `<verb>-Dap<name>` */
  functionName: string;
  summary: string;
  description: string;
  source: SourceModel;
  parameters: ParameterModel[];
  columns: ColumnModel[];
  examples: ExampleModel[];
  links: string[];
  /** The definition file, relative to the project root when inside it, else as given. */
  definitionFile: string;
}

export type SourceModel = ExchangeSourceModel | GraphSourceModel;

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

/** A report whose rows come from a remote Exchange Online session. */
export type ExchangeReportModel = ReportModel & { source: ExchangeSourceModel };
/** A report whose rows come from a Microsoft Graph usage report. */
export type GraphReportModel = ReportModel & { source: GraphSourceModel };

export function isExchangeReport(report: ReportModel): report is ExchangeReportModel {
  return report.source.kind === 'exchange';
}

export function isGraphReport(report: ReportModel): report is GraphReportModel {
  return report.source.kind === 'graph';
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
