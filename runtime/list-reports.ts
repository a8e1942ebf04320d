import type { Catalog, CatalogParameter } from '../common/catalog.js';

function describeParameter(p: CatalogParameter): string {
  const type = `${p.type}${p.array ? '[]' : ''}`;
  const values = p.values ? ` ${p.values.join('|')}` : '';
  const flags = [p.required ? 'required' : '', p.default !== undefined ? `default ${Array.isArray(p.default) ? p.default.join(',') : String(p.default)}` : '']
    .filter(Boolean)
    .join(', ');
  return `    --param ${p.name}=<${type}>${values}${flags ? ` (${flags})` : ''}${p.help ? `  ${p.help}` : ''}`;
}

/** The catalog as text: each report, its function, summary, parameters and columns. */
export function formatCatalog(catalog: Catalog): string {
  const lines: string[] = [];
  for (const report of catalog.reports) {
    const source = report.sources[0]!;
    lines.push(`${report.name}  (${report.function}, ${source.kind === 'graph' ? `Graph ${source.function}` : source.cmdlet})`);
    if (report.summary) lines.push(`  ${report.summary}`);
    if (report.parameters.length > 0) {
      lines.push('  parameters:');
      for (const p of report.parameters) lines.push(describeParameter(p));
    }
    lines.push(`  columns: TenantId, TenantDomain, ${report.columns.map((c) => c.name).join(', ')}`);
    lines.push('');
  }
  return lines.join('\n');
}
