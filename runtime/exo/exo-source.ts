import type { CatalogReport } from '../../common/catalog.js';

/** Fixed cmdlet parameters of a definition. */
export type RestParameters = Record<string, string | number | boolean>;

export type RowRule =
  | { kind: 'inactiveFor'; column: string; daysParameter: string; daysColumn: string }
  | { kind: 'externalRecipients'; columns: string[]; matchColumn: string };

/** An Exchange cmdlet called over the Exchange admin REST API, as the catalog holds it. */
export interface ExchangeRestCatalogSource {
  kind: 'exchangeRest';
  cmdlet: string;
  parameters?: RestParameters;
  select?: string[];
  forEach?: { cmdlet: string; parameters?: RestParameters; select?: string[]; property: string; parameter: string };
  dateWindow?: { start: string; end: string; days: number };
  continueWith?: { sizeParameter: string; size: number; from: Record<string, string> };
  rows?: RowRule;
}

/** The report's Exchange REST source, or undefined when it has none. */
export function restSourceOf(report: CatalogReport): ExchangeRestCatalogSource | undefined {
  const sources = (report as { sources?: unknown[] }).sources ?? [(report as { source?: unknown }).source];
  return sources.find((s): s is ExchangeRestCatalogSource => (s as { kind?: string } | undefined)?.kind === 'exchangeRest');
}
