import { errorsFileSuffix } from '../common/errors-file-format.js';
import { MAX_SESSIONS_PER_ACCOUNT } from '../common/exchange-limits.js';
import { psLiteral } from '../common/ps-literal.js';
import { emitReportFunction, reportOutputsHelp } from './emit-report-function.js';
import { generatedHeader } from './generated-header.js';
import type { HelpSections } from './ps-comment.js';
import { boundReportParameters, identifier, parameterDeclaration, parameterHelp, psNumber } from './ps-code.js';
import { block, hashtable, helpBlock, type PsCode, paramBlock, render, verbatim } from './ps-writer.js';
import { type SharedTemplate, scriptTemplates } from './render-template.js';
import type { ExchangeReportModel } from './report-model.js';

/**
 * scripts/<Name>.ps1: runs one report in every customer tenant without the module. It carries the
 * same shared functions as the module (rendered from the same templates) and the report's own
 * function, then runs Export-DapAggregateReport.
 */
export function emitScript(report: ExchangeReportModel, shared: ReadonlyMap<SharedTemplate, string>, sources: readonly string[]): StandaloneScript {
  const fileName = `${report.name}.ps1`;
  const maxSessions = psNumber(MAX_SESSIONS_PER_ACCOUNT);
  const help: HelpSections = {
    synopsis: `${report.summary} All tenants, one CSV.`,
    description:
      `${report.description}\n\n` +
      'This script runs the report in every customer tenant of the partner and merges the rows into one CSV file ' +
      '(TenantId and TenantDomain first, then the report columns), listing every tenant that failed in the errors file. ' +
      'It needs no other file: it asks for the partner administrator password (Get-Credential), signs in with MSOnline, ' +
      'discovers the customer tenants and runs up to ThrottleLimit tenants at a time on PowerShell 7 (one at a time on Windows PowerShell 5.1). ' +
      'Exit code: 0 when every tenant succeeded, 1 when some failed, 3 when nothing could run (for example a failed sign-in).',
    parameters: [
      { name: 'UserName', help: 'The partner administrator user name, e.g. admin@contoso.onmicrosoft.com; the password is asked for.' },
      { name: 'OutputFile', help: 'The merged CSV file to write.' },
      { name: 'ErrorFile', help: `The errors file (CSV) listing every tenant that failed or returned no rows. Default: OutputFile followed by ${errorsFileSuffix}.` },
      {
        name: 'ThrottleLimit',
        help: `How many tenants run at the same time, 1 to ${maxSessions} (the service allows ${maxSessions} sessions per account).`,
      },
      { name: 'Tenant', help: 'Only these tenants: initial domains, default domains or tenant ids.' },
      { name: 'Exclude', help: 'Leave these tenants out: initial domains, default domains or tenant ids.' },
      ...report.parameters.map((parameter) => ({ name: identifier(parameter.name), help: parameterHelp(parameter) })),
    ],
    examples: [
      {
        code: `.\\${fileName} -UserName admin@contoso.onmicrosoft.com -OutputFile ReportOutput.csv`,
        description: `Asks for the password, then writes the report of every customer tenant to ReportOutput.csv and the failed or empty tenants to ReportOutput.csv${errorsFileSuffix}.`,
      },
    ],
    inputs: 'None. The script takes no pipeline input.',
    outputs: `DapReporting.AggregateResult (a summary). The rows go to OutputFile: ${reportOutputsHelp(report)}`,
    links: ['Export-DapAggregateReport', ...report.links],
  };
  const parameters = [
    ['[Parameter(Mandatory)]', '[ValidateNotNullOrEmpty()]', '[string] $UserName'],
    ['[ValidateNotNullOrEmpty()]', "[string] $OutputFile = 'ReportOutput.csv'"],
    ['[ValidateNotNullOrEmpty()]', '[string] $ErrorFile'],
    [`[ValidateRange(1, ${maxSessions})]`, `[int] $ThrottleLimit = ${maxSessions}`],
    ['[ValidateNotNullOrEmpty()]', '[string[]] $Tenant'],
    ['[ValidateNotNullOrEmpty()]', '[string[]] $Exclude'],
    ...report.parameters.map(parameterDeclaration),
  ];
  const functions = [
    ...scriptTemplates.map((name) => sharedFunction(shared, name)),
    { name: report.functionName, text: emitReportFunction(report) },
  ];
  const main: PsCode[] = [
    ...boundReportParameters(report),
    '# MSOnline first: the sign-in needs it, and a missing module is better said before the password prompt',
    block('try {', ['Import-Module -Name MSOnline -ErrorAction Stop']),
    block('catch {', [
      "Write-Error -Message ('The MSOnline module could not be imported: {0}' -f $_.Exception.Message) -ErrorId 'Dap.MissingModule' -Category NotInstalled",
      'exit 3',
    ]),
    "$credential = Get-Credential -UserName $UserName -Message 'Password of the partner administrator'",
    block('if (-not $credential) {', ["Write-Error -Message 'No credential was given.' -ErrorId 'Dap.AuthenticationFailed' -Category AuthenticationError", 'exit 3']),
    hashtable('$export = @{', [
      ['Report', psLiteral(report.name)],
      ['Credential', '$credential'],
      ['OutputFile', '$OutputFile'],
      ['ThrottleLimit', '$ThrottleLimit'],
      ['Parameters', '$reportParameters'],
    ]),
    'if ($ErrorFile) { $export.ErrorFile = $ErrorFile }',
    'if ($Tenant) { $export.Tenant = $Tenant }',
    'if ($Exclude) { $export.Exclude = $Exclude }',
    block('try {', ['$result = Export-DapAggregateReport @export']),
    block('catch {', ['$PSCmdlet.WriteError($_)', 'exit 3']),
    '$result',
    'if ($result.Failed -gt 0) { exit 1 }',
    'exit 0',
  ];
  return { sources, help, parameters, functions, main };
}

/** A function a standalone script carries: its name and its text as the module has it. */
export interface ScriptFunction {
  name: string;
  text: string;
}

/**
 * A standalone script in parts: its own (header, help, param block, main lines) and the module's
 * functions it runs, copied in when the script is built so that it needs no module.
 */
export interface StandaloneScript {
  sources: readonly string[];
  help: HelpSections;
  parameters: ReadonlyArray<readonly PsCode[]>;
  functions: readonly ScriptFunction[];
  main: readonly PsCode[];
}

/** A shared function by name; the templates and the script lists are both fixed, so a gap is a generator bug. */
export function sharedFunction(shared: ReadonlyMap<SharedTemplate, string>, name: SharedTemplate): ScriptFunction {
  const text = shared.get(name);
  if (text === undefined) throw new Error(`a standalone script needs ${name}, which the generator did not render`);
  return { name, text };
}

/** The script as users run it: one file holding every function it calls. */
export function assembleScript(script: StandaloneScript): string {
  return renderScript(script, (fn) => [...verbatim(fn.text), '']);
}

/**
 * The script's own part: the functions it carries are named, not copied. The module holds them
 * (and its golden files and `dap-gen --check` cover them), so the script's own text is reviewed
 * without thousands of lines repeated from it.
 */
export function scriptOwnPart(script: StandaloneScript): string {
  return renderScript(script, (fn) => [`# ${fn.name}: the module's function, copied in by dap-gen`, '']);
}

function renderScript(script: StandaloneScript, carried: (fn: ScriptFunction) => PsCode[]): string {
  return render([
    verbatim(generatedHeader(script.sources)),
    '',
    helpBlock(script.help),
    '[CmdletBinding(SupportsShouldProcess, PositionalBinding = $false)]',
    paramBlock(script.parameters),
    '',
    '# The functions this script runs; the same code as in the DapReporting module.',
    '',
    script.functions.map(carried),
    ...script.main,
  ]);
}
