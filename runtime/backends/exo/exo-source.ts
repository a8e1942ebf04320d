import type { CatalogReport, CatalogRowRule, ExchangeRestCatalogSource } from '../../../common/catalog.js';

export type { ExchangeRestCatalogSource } from '../../../common/catalog.js';
export type RowRule = CatalogRowRule;

/** The report's Exchange REST source, or undefined when it has none. */
export function restSourceOf(report: CatalogReport): ExchangeRestCatalogSource | undefined {
  return report.sources.find((s): s is ExchangeRestCatalogSource => s.kind === 'exchangeRest');
}
