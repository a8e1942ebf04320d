export { approvedVerb, approvedVerbs } from './approved-verbs.js';
export { createProgram, packageVersion, runGenerator } from './cli.js';
export { type DefinitionProblem, definitionError, formatProblem } from './definition-problem.js';
export { generateModule, type GeneratedFiles, type GenerateOptions, ownedFolders } from './generate-module.js';
export { generatedMarker } from './generated-header.js';
export { builtinDefinitionFiles, displayPath, expandDefinitionPaths, type LoadedDefinitions, loadDefinitions, sharedFunctionNames } from './load-definitions.js';
export type * from './report-definition.js';
export type { ColumnModel, ExampleModel, ParameterModel, ReportModel, SourceModel } from './report-model.js';
export { type CheckResult, checkGeneratedFiles, isFresh, type WriteResult, writeGeneratedFiles } from './write-module.js';
