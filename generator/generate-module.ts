import { emitCatalog, emitManifest, emitRootModule, moduleName } from './emit-module-files.js';
import { emitGraphFunction } from './emit-graph-function.js';
import { emitReportFunction } from './emit-report-function.js';
import { emitScript } from './emit-script.js';
import { generatedHeader } from './generated-header.js';
import { type PackageFacts, packageFactSources } from './package-facts.js';
import { displayPath } from './load-definitions.js';
import { scriptTemplates, type SharedTemplate, sharedTemplates, templatePath } from './render-template.js';
import { type GraphReportModel, isExchangeReport, isGraphReport, type ReportModel } from './report-model.js';
import { renderSharedFunctions } from './shared-functions.js';

export interface GenerateOptions {
  reports: readonly ReportModel[];
  /** The module's version, project and license addresses and release notes. */
  package: PackageFacts;
}

/** Generated files by path relative to the output folder (forward slashes), in a stable order. */
export type GeneratedFiles = Map<string, string>;

/** The folders under the output folder whose generated files dap-gen may delete when stale. */
export const ownedFolders = [`${moduleName}/Public`, `${moduleName}/Private`, 'scripts'] as const;

/** Everything `module/` holds, as text; pure (no file system writes), byte-identical for the same input. */
export function generateModule(options: GenerateOptions): GeneratedFiles {
  const { reports, package: facts } = options;
  const definitionFiles = [...new Set(reports.map((r) => r.definitionFile))];
  const exchangeFiles = [...new Set(reports.filter(isExchangeReport).map((r) => r.definitionFile))];
  const graphFiles = [...new Set(reports.filter(isGraphReport).map((r) => r.definitionFile))];
  // The shared functions whose text depends on the definitions name those files in their header.
  const sharedSources: Partial<Record<SharedTemplate, string[]>> = {
    'Invoke-DapTenantReport': exchangeFiles,
    'Export-DapAggregateReport': exchangeFiles,
    'Invoke-DapGraphReport': graphFiles,
  };
  const templateFiles = sharedTemplates.map((name) => displayPath(templatePath(name)));
  const shared = renderSharedFunctions(reports);
  const files: GeneratedFiles = new Map();

  const publicFunctions: string[] = [];
  for (const [name, text] of shared) {
    files.set(`${moduleName}/Public/${name}.ps1`, `${generatedHeader([displayPath(templatePath(name)), ...(sharedSources[name] ?? [])])}\n\n${text}`);
    publicFunctions.push(name);
  }
  for (const report of reports) {
    const text = isExchangeReport(report) ? emitReportFunction(report) : emitGraphFunction(report as GraphReportModel);
    files.set(`${moduleName}/Public/${report.functionName}.ps1`, `${generatedHeader([report.definitionFile])}\n\n${text}`);
    publicFunctions.push(report.functionName);
  }
  publicFunctions.sort();
  const moduleSources = [...definitionFiles, ...templateFiles];
  files.set(`${moduleName}/${moduleName}.psd1`, emitManifest(facts, publicFunctions, [...moduleSources, ...packageFactSources]));
  files.set(`${moduleName}/${moduleName}.psm1`, emitRootModule(publicFunctions, [], moduleSources));
  files.set(`${moduleName}/${moduleName}.catalog.json`, emitCatalog(facts.version, reports));
  // Standalone scripts exist for the Exchange reports, which discover tenants and sign in with
  // MSOnline; a Graph report runs through the module or the runtime.
  const scriptTemplateFiles = scriptTemplates.map((name) => displayPath(templatePath(name)));
  for (const report of reports.filter(isExchangeReport)) {
    files.set(`scripts/${report.name}.ps1`, emitScript(report, shared, [report.definitionFile, ...scriptTemplateFiles]));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
