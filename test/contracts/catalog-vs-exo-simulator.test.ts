// The exchangeRest sources of the catalog against the simulator's Exchange admin API cmdlets
// (written independently): every cmdlet and forEach cmdlet is served, takes the parameters the
// catalog sends, and returns the properties the report reads (its select, its forEach property,
// its columns but the ones the module fills: bytesOf and a rule's output column).
import { describe, expect, it } from 'vitest';
import { readCatalog, type CatalogReport, type ExchangeRestCatalogSource } from '../../common/catalog.js';
import { runExoCmdlet } from '../../simulator/exo/cmdlets.js';
import { buildWorld, loadScenario } from '../../simulator/index.js';

const world = buildWorld(loadScenario());
const now = Date.now();
const tenant = world.tenants.find((t) => t.mailboxes.length >= 20)!;
const restReports = readCatalog().reports.flatMap((r) =>
  r.sources.flatMap((s) => (s.kind === 'exchangeRest' ? [[r.name, r, s] as [string, CatalogReport, ExchangeRestCatalogSource]] : [])));

/** What the report sends (report parameters as their defaults, or a sample value), as the module would. */
function sentParameters(report: CatalogReport, source: ExchangeRestCatalogSource): Record<string, unknown> {
  const sent: Record<string, unknown> = { ...source.parameters };
  const day = 86_400_000;
  const midnight = Math.floor(now / day) * day;
  for (const p of report.parameters) {
    if (source.rows?.kind === 'inactiveFor' && p.name === source.rows.daysParameter) continue;
    if (source.dateWindow && p.name === source.dateWindow.start) sent[p.name] = new Date(midnight - source.dateWindow.days * day).toISOString().replace('.000', '');
    else if (source.dateWindow && p.name === source.dateWindow.end) sent[p.name] = new Date(midnight).toISOString().replace('.000', '');
    else if (p.default !== undefined) sent[p.name] = p.default;
  }
  if (source.continueWith) sent[source.continueWith.sizeParameter] = source.continueWith.size;
  return sent;
}

describe('the exchangeRest sources of the catalog agree with the simulated admin API', () => {
  it('has the Exchange admin API reports', () => {
    expect(restReports.map(([name]) => name).sort()).toEqual([
      'CasMailboxProtocolReport', 'InboxRuleExternalForwardingReport', 'MailboxStatisticsReport', 'MessageTraceV2Report', 'UnusedMailboxReport',
    ]);
  });

  it.each(restReports)('%s: the cmdlets take what is sent and return what is read', (_name, report, source) => {
    let sent = sentParameters(report, source);
    if (source.forEach) {
      const outer = runExoCmdlet(world, tenant, source.forEach.cmdlet, { ...source.forEach.parameters }, now);
      expect(outer.ok, JSON.stringify(outer)).toBe(true);
      const objects = outer.ok ? outer.values : [];
      expect(objects.length).toBeGreaterThan(0);
      for (const name of [...(source.forEach.select ?? []), source.forEach.property]) expect(Object.keys(objects[0]!)).toContain(name);
      // an object with data for the report (a mailbox with inbox rules, say)
      const withRows = objects.find((o) => {
        const inner = runExoCmdlet(world, tenant, source.cmdlet, { ...sent, [source.forEach!.parameter]: o[source.forEach!.property] }, now);
        return inner.ok && inner.values.length > 0;
      });
      expect(withRows).toBeDefined();
      sent = { ...sent, [source.forEach.parameter]: withRows![source.forEach.property] };
    }
    const answer = runExoCmdlet(world, tenant, source.cmdlet, sent, now);
    expect(answer.ok, JSON.stringify(answer)).toBe(true);
    const rows = answer.ok ? answer.values : [];
    expect(rows.length).toBeGreaterThan(0);
    const filled = new Set([
      ...report.columns.filter((c) => c.bytesOf).map((c) => c.name),
      ...(source.rows?.kind === 'inactiveFor' ? [source.rows.daysColumn] : source.rows ? [source.rows.matchColumn] : []),
    ]);
    const read = [...report.columns.map((c) => c.name).filter((n) => !filled.has(n)), ...(source.select ?? []), ...Object.values(source.continueWith?.from ?? {})];
    for (const name of new Set(read)) expect(Object.keys(rows[0]!), `${source.cmdlet} returns ${name}`).toContain(name);
    if (source.rows?.kind === 'externalRecipients') {
      const accepted = runExoCmdlet(world, tenant, 'Get-AcceptedDomain', {}, now);
      expect(accepted.ok && accepted.values.every((d) => typeof d.DomainName === 'string')).toBe(true);
    }
  });
});
