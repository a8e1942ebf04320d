// The generator's catalog (what the product expects) and the simulator (what the service answers)
// are written independently on purpose; this keeps them from drifting apart unnoticed.
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../common/catalog.js';
import { graphReportSpec } from '../../simulator/graph/report-catalog.js';
import { cmdletSpecs } from '../../simulator/remoting/cmdlet-catalog.js';

const catalog = readCatalog();
/** The columns the service itself serves: the runtime's bytes columns (bytesOf) are read from them, not served. */
const reportColumns = (columns: Array<{ name: string; bytesOf?: string }>) => columns.filter((c) => !c.bytesOf).map((c) => c.name).filter((n) => n !== 'TenantId' && n !== 'TenantDomain');

describe('the report catalog agrees with the simulated service', () => {
  it('has Exchange and Graph reports', () => {
    expect(catalog.reports.filter((r) => r.sources.some((s) => s.kind === 'exchange')).length).toBeGreaterThanOrEqual(8);
    expect(catalog.reports.filter((r) => r.sources.some((s) => s.kind === 'graph')).length).toBe(4);
  });

  // The remoting and Graph sources; an exchangeRest source's columns are properties of the admin API's objects.
  const checked = catalog.reports.flatMap((r) => r.sources.flatMap((s) => (s.kind === 'exchangeRest' ? [] : [[`${r.name} (${s.kind})`, r, s] as const])));
  it.each(checked)('%s: same columns, same order', (_name, report, source) => {
    const served =
      source.kind === 'exchange'
        ? cmdletSpecs.find((spec) => spec.name === source.cmdlet)?.columns
        : source.kind === 'graph' ? graphReportSpec(source.function)?.columns : undefined;
    expect(served, `the simulator serves ${JSON.stringify(source)}`).toBeDefined();
    expect(reportColumns(report.columns)).toEqual(served!.map((c) => (typeof c === 'string' ? c : c.name)));
    if (source.kind === 'graph') {
      expect(report.parameters.some((p) => p.name === 'Date'), 'a Date parameter exactly where the service takes (date=…)').toBe(graphReportSpec(source.function)!.acceptsDate);
    }
  });
});

describe('bytes columns', () => {
  it('each reads a string column the service serves as a ByteQuantifiedSize', () => {
    const withBytes = catalog.reports.flatMap((r) => r.columns.filter((c) => c.bytesOf).map((c) => [r, c] as const));
    expect(withBytes.map(([r, c]) => `${r.name}.${c.name}`)).toEqual(['MailboxStatisticsReport.TotalItemSizeBytes', 'UnusedMailboxReport.TotalItemSizeBytes']);
    for (const [report, column] of withBytes) {
      expect(report.columns.find((c) => c.name === column.bytesOf)?.type).toBe('string');
      expect(column.type).toBe('integer');
    }
  });
});
