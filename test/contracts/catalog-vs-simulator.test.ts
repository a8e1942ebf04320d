// The generator's catalog (what the product expects) and the simulator (what the service answers)
// are written independently on purpose; this keeps them from drifting apart unnoticed.
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../common/catalog.js';
import { graphReportSpec } from '../../simulator/graph/report-catalog.js';
import { cmdletSpecs } from '../../simulator/remoting/cmdlet-catalog.js';
import { valueAt } from '../../runtime/backends/graph/graph-query.js';
import { roleAssignmentObjects, roleDefinitionObjects, secureScoreObjects, subscribedSkuObjects } from '../../simulator/world/directory-objects.js';
import { buildWorld, loadScenario } from '../../simulator/index.js';
import { defaultScenarioPath } from '../../simulator/world/paths.js';
import { readFileSync } from 'node:fs';

const catalog = readCatalog();
/** The columns the service itself serves: the runtime's bytes columns (bytesOf) are read from them, not served. */
const reportColumns = (columns: Array<{ name: string; bytesOf?: string }>) => columns.filter((c) => !c.bytesOf).map((c) => c.name).filter((n) => n !== 'TenantId' && n !== 'TenantDomain');

describe('the report catalog agrees with the simulated service', () => {
  it('has Exchange and Graph reports', () => {
    expect(catalog.reports.filter((r) => r.sources.some((s) => s.kind === 'exchange')).length).toBeGreaterThanOrEqual(8);
    expect(catalog.reports.filter((r) => r.sources.some((s) => s.kind === 'graph')).length).toBe(4);
  });

  // The remoting and Graph sources; exchangeRest and graphQuery sources' columns are properties of the service's objects.
  const checked = catalog.reports.flatMap((r) => r.sources.flatMap((s) => (s.kind === 'exchangeRest' || s.kind === 'graphQuery' ? [] : [[`${r.name} (${s.kind})`, r, s] as const])));
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

describe('Graph query reports read what the simulated service serves', () => {
  const world = buildWorld(loadScenario(JSON.parse(readFileSync(defaultScenarioPath, 'utf8'))));
  const served: Record<string, () => Array<Record<string, unknown>>> = {
    subscribedSkus: () => world.tenants.flatMap((t) => subscribedSkuObjects(world.seed, t)),
    'roleManagement/directory/roleAssignments': () => world.tenants.flatMap((t) => roleAssignmentObjects(world.seed, t)),
    'roleManagement/directory/roleDefinitions': () => roleDefinitionObjects(),
    'security/secureScores': () => world.tenants.flatMap((t) => secureScoreObjects(world.seed, t, Date.now())),
  };
  const queries = catalog.reports.flatMap((r) => r.sources.flatMap((s) => (s.kind === 'graphQuery' ? [[r.name, r, s] as const] : [])));
  it('has the Graph query reports', () => {
    expect(queries.map(([name]) => name).sort()).toEqual(['AdminRoleHolderReport', 'SecureScoreReport', 'TenantLicenseReport']);
  });
  it.each(queries)('%s: its path, its lookups and every column\'s value are served', (_name, report, source) => {
    const objects = served[source.path]?.();
    expect(objects, `the simulator serves ${source.path}`).toBeDefined();
    for (const lookup of source.lookups ?? []) {
      const found = served[lookup.path]?.();
      expect(found, `the simulator serves ${lookup.path}`).toBeDefined();
      expect(found!.every((o) => valueAt(o, lookup.key) !== undefined)).toBe(true);
    }
    for (const column of report.columns) {
      const paths = column.percent ? [column.percent.of, column.percent.over] : [column.from ?? column.name];
      for (const path of paths) expect(objects!.some((o) => valueAt(o, path) !== undefined), `${report.name}.${column.name} reads ${path}`).toBe(true);
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
