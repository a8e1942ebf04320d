import { emitCatalog, emitManifest, emitRootModule, moduleName } from './emit-module-files.js';
import { emitGraphFunction } from './emit-graph-function.js';
import { emitGraphQueryFunction } from './emit-graph-query-function.js';
import { emitExoFunction } from './emit-exo-function.js';
import { emitReportFunction } from './emit-report-function.js';
import { emitRestScript } from './emit-rest-script.js';
import { assembleScript, emitScript, type StandaloneScript, scriptOwnPart } from './emit-script.js';
import { generatedHeader } from './generated-header.js';
import { type PackageFacts, packageFactSources } from './package-facts.js';
import { displayPath } from './load-definitions.js';
import { graphQueryScriptTemplates, isPrivateTemplate, restScriptTemplates, scriptTemplates, type SharedTemplate, sharedTemplates, templatePath } from './render-template.js';
import { exchangeReports, graphReports, type ReportModel, restReports, withSource } from './report-model.js';
import { renderSharedFunctions } from './shared-functions.js';

export interface GenerateOptions {
  reports: readonly ReportModel[];
  /** The module's version, project and license addresses and release notes. */
  package: PackageFacts;
}

/** Generated files by path relative to the output folder (forward slashes), in a stable order. */
export type GeneratedFiles = Map<string, string>;

/** The folders under the output folder whose generated files dap-gen may delete when stale. */
export const ownedFolders = [`${moduleName}/Public`, `${moduleName}/Private`] as const;

/**
 * The folder under a module's output folder that the standalone scripts are built into (the
 * catalog's `script` paths are relative to the output folder). In the project's module/ it is
 * build output, not committed: each script carries copies of the module's functions.
 */
export const scriptsFolder = 'scripts';

/** The module (`module/DapReporting/`) as text; pure (no file system writes), byte-identical for the same input. */
export function generateModule(options: GenerateOptions): GeneratedFiles {
  const { reports, package: facts } = options;
  const definitionFiles = [...new Set(reports.map((r) => r.definitionFile))];
  const exchangeFiles = [...new Set(exchangeReports(reports).map((r) => r.definitionFile))];
  const graphFiles = [...new Set(graphReports(reports).map((r) => r.definitionFile))];
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
  const privateFunctions: string[] = [];
  for (const [name, text] of shared) {
    const folder = isPrivateTemplate(name) ? 'Private' : 'Public';
    files.set(`${moduleName}/${folder}/${name}.ps1`, `${generatedHeader([displayPath(templatePath(name)), ...(sharedSources[name] ?? [])])}\n\n${text}`);
    (folder === 'Private' ? privateFunctions : publicFunctions).push(name);
  }
  for (const report of reports) {
    const text = reportFunction(report);
    files.set(`${moduleName}/Public/${report.functionName}.ps1`, `${generatedHeader([report.definitionFile])}\n\n${text}`);
    publicFunctions.push(report.functionName);
  }
  publicFunctions.sort();
  const moduleSources = [...definitionFiles, ...templateFiles];
  files.set(`${moduleName}/${moduleName}.psd1`, emitManifest(facts, publicFunctions, [...moduleSources, ...packageFactSources]));
  privateFunctions.sort();
  files.set(`${moduleName}/${moduleName}.psm1`, emitRootModule(publicFunctions, privateFunctions, moduleSources));
  files.set(`${moduleName}/${moduleName}.catalog.json`, emitCatalog(facts.version, reports));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The complete standalone scripts by file name (`<Name>.ps1`): each one file that needs no module. */
export function generateScripts(reports: readonly ReportModel[]): GeneratedFiles {
  return new Map([...standaloneScripts(reports)].map(([name, script]) => [name, assembleScript(script)]));
}

/** Each standalone script's own part (its functions named, not copied), by file name: what the golden files hold. */
export function generateScriptOwnParts(reports: readonly ReportModel[]): GeneratedFiles {
  return new Map([...standaloneScripts(reports)].map(([name, script]) => [name, scriptOwnPart(script)]));
}

/**
 * Standalone scripts exist for the Exchange and Graph query reports, after their first (default)
 * source: the remoting ones discover tenants and sign in with MSOnline, the admin API and Graph
 * query ones with GDAP and the app's secret. A Graph usage report runs through the module or the
 * runtime.
 */
function standaloneScripts(reports: readonly ReportModel[]): Map<string, StandaloneScript> {
  const shared = renderSharedFunctions(reports);
  const scriptTemplateFiles = scriptTemplates.map((name) => displayPath(templatePath(name)));
  const restScriptTemplateFiles = restScriptTemplates.map((name) => displayPath(templatePath(name)));
  const graphQueryScriptTemplateFiles = graphQueryScriptTemplates.map((name) => displayPath(templatePath(name)));
  const scripts = new Map<string, StandaloneScript>();
  for (const report of reports) {
    const first = report.sources[0]!.kind;
    const remoting = first === 'exchange' ? withSource(report, 'exchange') : undefined;
    if (remoting) scripts.set(`${report.name}.ps1`, emitScript(remoting, shared, [report.definitionFile, ...scriptTemplateFiles]));
    if (first === 'exchangeRest') scripts.set(`${report.name}.ps1`, emitRestScript(report, shared, [report.definitionFile, ...restScriptTemplateFiles]));
    if (first === 'graphQuery') scripts.set(`${report.name}.ps1`, emitRestScript(report, shared, [report.definitionFile, ...graphQueryScriptTemplateFiles]));
  }
  return new Map([...scripts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A report's function: the admin API one (with the remoting set too when it has both), else remoting, else Graph. */
function reportFunction(report: ReportModel): string {
  if (restReports([report]).length > 0) return emitExoFunction(report);
  const remoting = withSource(report, 'exchange');
  if (remoting) return emitReportFunction(remoting);
  const graph = withSource(report, 'graph');
  if (graph) return emitGraphFunction(graph);
  const query = withSource(report, 'graphQuery');
  if (query) return emitGraphQueryFunction(query);
  throw new Error(`${report.name} has no source`);
}
