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

export interface SourceModel {
  kind: 'exchange';
  cmdlet: string;
  input?: { cmdlet: string; parameters: Array<{ name: string; value: string | number | boolean }> };
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
}

export interface ExampleModel {
  code: string;
  description: string;
}
