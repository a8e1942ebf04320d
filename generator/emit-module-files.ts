import type { Catalog, CatalogRestParameters, CatalogSource } from '../common/catalog.js';
import { psLiteral, psStringArray } from '../common/ps-literal.js';
import { generatedHeader } from './generated-header.js';
import { hashtable, render, verbatim } from './ps-writer.js';
import type { PackageFacts } from './package-facts.js';
import type { ReportModel, RestParameterModel, SourceModel } from './report-model.js';

/** The module's fixed identity: never change it, or PowerShell sees a different module. */
export const moduleGuid = '5d6f3b1e-8a47-4c2e-9f1d-7b3a2c4e6f80';
export const moduleName = 'DapReporting';

/**
 * Why MSOnline is not in RequiredModules, said where Gallery users and the manifest's readers see it:
 * a required module would stop the Graph commands from loading where MSOnline is not installed.
 */
export const moduleDescription =
  'Runs Exchange Online and Microsoft Graph usage reports in every customer tenant of a Microsoft cloud partner (delegated admin) ' +
  'and merges them into one CSV. Connect-DapPartner, Get-DapCustomer and the Exchange reports need the MSOnline module; ' +
  'it is not a required module, so that the Microsoft Graph commands load without it.';

/** Gallery tags: the subject, then the edition and the platforms the module runs on. */
export const moduleTags = ['Partner', 'DAP', 'GDAP', 'ExchangeOnline', 'MicrosoftGraph', 'Reporting', 'MSOnline', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS'];

/**
 * The oldest PowerShell the module runs on: the Graph functions use Invoke-WebRequest
 * -SkipHttpErrorCheck and Export-DapAggregateReport ForEach-Object -Parallel, both new in 7.0.
 */
export const minimumPowerShellVersion = '7.0';

export function emitManifest(facts: PackageFacts, functions: readonly string[], sources: readonly string[]): string {
  const version = facts.version;
  const match = /^(\d+\.\d+\.\d+)(?:-([0-9A-Za-z]+))?$/.exec(version);
  if (!match) throw new Error(`package.json version '${version}' is not a version PowerShell accepts (major.minor.patch[-prerelease])`);
  const [, moduleVersion = version, prerelease] = match;
  return render([
    verbatim(generatedHeader(sources)),
    hashtable('@{', [
      ['RootModule', psLiteral(`${moduleName}.psm1`)],
      ['ModuleVersion', psLiteral(moduleVersion)],
      ['GUID', psLiteral(moduleGuid)],
      ['Author', psLiteral('DapReporting contributors')],
      ['CompanyName', psLiteral('DapReporting')],
      ['Copyright', psLiteral('(c) DapReporting contributors. MIT License.')],
      ['Description', psLiteral(moduleDescription)],
      ['PowerShellVersion', psLiteral(minimumPowerShellVersion)],
      ['CompatiblePSEditions', psStringArray(['Core'])],
      ['FunctionsToExport', psStringArray(functions)],
      ['CmdletsToExport', '@()'],
      ['VariablesToExport', '@()'],
      ['AliasesToExport', '@()'],
      [
        'PrivateData',
        hashtable('@{', [
          [
            'PSData',
            hashtable('@{', [
              ['Tags', psStringArray(moduleTags)],
              ['ProjectUri', psLiteral(facts.projectUri)],
              ['LicenseUri', psLiteral(facts.licenseUri)],
              ['ReleaseNotes', psLiteral(facts.releaseNotes)],
              ...(prerelease ? [['Prerelease', psLiteral(prerelease)] as const] : []),
            ]),
          ],
        ]),
      ],
    ]),
  ]);
}

/** The root module: dot-sources each function file by name, then exports the public ones by name. */
export function emitRootModule(publicFunctions: readonly string[], privateFunctions: readonly string[], sources: readonly string[]): string {
  const dotSource = (folder: string, name: string): string => `. ([System.IO.Path]::Combine($PSScriptRoot, ${psLiteral(folder)}, ${psLiteral(`${name}.ps1`)}))`;
  return render([
    verbatim(generatedHeader(sources)),
    '',
    ...privateFunctions.map((name) => dotSource('Private', name)),
    ...publicFunctions.map((name) => dotSource('Public', name)),
    '',
    `Export-ModuleMember -Function ${psStringArray(publicFunctions)}`,
  ]);
}

/** The catalog the runtime reads: exactly the Catalog type (JSON has no comments, so no header). */
export function emitCatalog(version: string, reports: readonly ReportModel[]): string {
  const catalog: Catalog = {
    module: moduleName,
    version,
    reports: reports.map((report) => ({
      name: report.name,
      function: report.functionName,
      ...(report.sources[0]!.kind !== 'graph' ? { script: `scripts/${report.name}.ps1` } : {}),
      summary: report.summary,
      definitionFile: report.definitionFile,
      sources: report.sources.map(catalogSource),
      parameters: report.parameters.map((p) => ({
        name: p.name,
        type: p.type,
        array: p.array,
        required: p.required,
        ...(p.default !== undefined ? { default: p.default } : {}),
        ...(p.values ? { values: p.values } : {}),
        ...(p.pattern !== undefined ? { pattern: p.pattern } : {}),
        help: p.help,
      })),
      columns: report.columns.map((c) => ({
        name: c.name,
        type: c.type,
        ...(c.bytesOf ? { bytesOf: c.bytesOf } : {}),
        ...(c.from !== undefined ? { from: c.from } : {}),
        ...(c.lookup !== undefined ? { lookup: c.lookup } : {}),
        ...(c.percent ? { percent: { ...c.percent } } : {}),
      })),
    })),
  };
  return `${JSON.stringify(catalog, null, 2)}\n`;
}

function restParameters(parameters: RestParameterModel): CatalogRestParameters {
  return Object.fromEntries(parameters.map((p) => [p.name, p.value]));
}

/** A source as the catalog holds it: the definition's fields as plain JSON, in the definition's key order. */
export function catalogSource(source: SourceModel): CatalogSource {
  if (source.kind === 'exchange') {
    const { input } = source;
    const piped = input && { cmdlet: input.cmdlet, ...(input.parameters.length > 0 ? { parameters: restParameters(input.parameters) } : {}) };
    return { kind: 'exchange', cmdlet: source.cmdlet, ...(piped ? { input: piped } : {}) };
  }
  if (source.kind === 'graph') return { kind: 'graph', function: source.function };
  if (source.kind === 'graphQuery') return structuredClone(source);
  const { forEach, continueWith } = source;
  return {
    kind: 'exchangeRest',
    cmdlet: source.cmdlet,
    ...(source.parameters ? { parameters: restParameters(source.parameters) } : {}),
    ...(source.select ? { select: source.select } : {}),
    ...(forEach
      ? {
          forEach: {
            cmdlet: forEach.cmdlet,
            ...(forEach.parameters ? { parameters: restParameters(forEach.parameters) } : {}),
            ...(forEach.select ? { select: forEach.select } : {}),
            property: forEach.property,
            parameter: forEach.parameter,
          },
        }
      : {}),
    ...(source.dateWindow ? { dateWindow: { ...source.dateWindow } } : {}),
    ...(continueWith
      ? { continueWith: { sizeParameter: continueWith.sizeParameter, size: continueWith.size, from: Object.fromEntries(continueWith.from.map((f) => [f.parameter, f.property])) } }
      : {}),
    ...(source.rows ? { rows: source.rows.kind === 'inactiveFor' ? { ...source.rows } : { ...source.rows, columns: [...source.rows.columns] } } : {}),
  };
}
