import type { Catalog, CatalogParameter } from '../../common/catalog.js';
import { joinTerminal, type TerminalText, tty } from '../../common/terminal-text.js';

function describeParameter(p: CatalogParameter): TerminalText {
  const type = `${p.type}${p.array ? '[]' : ''}`;
  const values = p.values ? tty` ${p.values.join('|')}` : '';
  const flags = [p.required ? 'required' : '', p.default !== undefined ? `default ${Array.isArray(p.default) ? p.default.join(',') : String(p.default)}` : '']
    .filter(Boolean)
    .join(', ');
  return tty`    --param ${p.name}=<${type}>${values}${flags ? tty` (${flags})` : ''}${p.help ? tty`  ${p.help}` : ''}`;
}

/** The catalog as text: each report, its function, summary, parameters and columns (a catalog's text escaped: it may be anyone's). */
export function formatCatalog(catalog: Catalog): TerminalText {
  const lines: TerminalText[] = [];
  for (const report of catalog.reports) {
    const source = report.sources[0]!;
    lines.push(tty`${report.name}  (${report.function}, ${source.kind === 'graph' ? `Graph ${source.function}` : source.kind === 'graphQuery' ? `Graph ${source.version}/${source.path}` : source.cmdlet})`);
    if (report.summary) lines.push(tty`  ${report.summary}`);
    if (report.parameters.length > 0) {
      lines.push(tty`  parameters:`);
      for (const p of report.parameters) lines.push(describeParameter(p));
    }
    lines.push(tty`  columns: TenantId, TenantDomain, ${report.columns.map((c) => c.name).join(', ')}`);
    lines.push(tty``);
  }
  return joinTerminal(lines, '\n');
}
