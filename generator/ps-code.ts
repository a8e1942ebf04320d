import { dnsNamePattern } from '../common/dns-name.js';
import { psLiteral, psStringArray } from '../common/ps-literal.js';
import { parameterNamePattern, tenantIdPattern } from './identifiers.js';
import type { HelpSections } from './ps-comment.js';
import { block, helpBlock, type PsBlock, type PsCode, paramBlock, render } from './ps-writer.js';
import type { ParameterModel, ReportModel } from './report-model.js';

/** A name the generator emits as a bare PowerShell identifier ($Name, -Name): checked again here. */
export function identifier(name: string): string {
  if (!parameterNamePattern.test(name)) throw new Error(`not an identifier: ${JSON.stringify(name)}`);
  return name;
}

/** The argument list of an attribute such as [ValidateSet(...)]: string literals separated by commas. */
export function literalList(values: readonly string[]): string {
  return values.map(psLiteral).join(', ');
}

/** A number as a PowerShell numeric literal. */
export function psNumber(value: number): string {
  const text = String(value);
  if (!Number.isFinite(value) || !/^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(text)) throw new Error(`not a finite number: ${text}`);
  return text;
}

export function psScalar(value: string | number | boolean): string {
  if (typeof value === 'string') return psLiteral(value);
  if (typeof value === 'number') return psNumber(value);
  return value ? '$true' : '$false';
}

/** What a domain that is not a DNS name is told ({0} is the value). */
export const dnsNameMessage =
  "'{0}' is not a DNS domain name: expected at least two labels of 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen, at most 253 characters.";

/**
 * The [ValidateScript] that checks a domain is a DNS name; the same in every function (with
 * `allowEmpty`, an empty domain passes too). Invoke-DapTenantReport's template has the same check
 * with the pattern and message as markers.
 */
export function domainValidation(options: { allowEmpty?: boolean } = {}): PsBlock {
  const empty = options.allowEmpty ? "$_ -eq '' -or " : '';
  return block('[ValidateScript({', [`if (${empty}$_ -match ${psLiteral(dnsNamePattern)}) { return $true }`, `throw (${psLiteral(dnsNameMessage)} -f $_)`], '})]');
}

export function tenantIdValidation(): string {
  return psLiteral(tenantIdPattern);
}

/** -TenantId of a report function: a GUID, from the pipeline. */
export const tenantIdParameter: readonly string[] = [
  '[Parameter(Mandatory, ValueFromPipelineByPropertyName)]',
  `[ValidatePattern(${tenantIdValidation()})]`,
  '[string] $TenantId',
];

/** -TenantDomain of an app-only report function: copied into every row, empty when not given. */
export const tenantDomainParameter: readonly string[] = [
  '[Parameter(ValueFromPipelineByPropertyName)]',
  "[Alias('InitialDomain')]",
  '[AllowEmptyString()]',
  "[string] $TenantDomain = ''",
];

/** -AccessToken of an app-only report function, from the pipeline (Get-DapGraphToken, Get-DapExoToken). */
export const accessTokenParameter: readonly string[] = ['[Parameter(Mandatory, ValueFromPipelineByPropertyName)]', '[securestring] $AccessToken'];

const psTypes = { string: 'string', integer: 'int', number: 'double', boolean: 'switch', datetime: 'datetime' } as const;

export function psType(parameter: ParameterModel): string {
  if (parameter.type === 'boolean' && parameter.array) return '[bool[]]';
  return `[${psTypes[parameter.type]}${parameter.array ? '[]' : ''}]`;
}

function psDefault(parameter: ParameterModel): string | undefined {
  const value = parameter.default;
  if (value === undefined || value === false) return undefined;
  if (Array.isArray(value)) return `@(${value.map((item) => psScalar(item)).join(', ')})`;
  return psScalar(value as string | number | boolean);
}

/** One report parameter's declaration inside a param() block: its attributes, then its declaration. */
export function parameterDeclaration(parameter: ParameterModel): string[] {
  const lines: string[] = [];
  if (parameter.required) lines.push('[Parameter(Mandatory)]');
  if (parameter.values) lines.push(`[ValidateSet(${literalList(parameter.values)})]`);
  if (parameter.pattern !== undefined) lines.push(`[ValidatePattern(${psLiteral(parameter.pattern)})]`);
  const fallback = psDefault(parameter);
  lines.push(`${psType(parameter)} $${identifier(parameter.name)}${fallback === undefined ? '' : ` = ${fallback}`}`);
  return lines;
}

/** The help text of a report parameter, with its type facts appended. */
export function parameterHelp(parameter: ParameterModel): string {
  const facts: string[] = [];
  if (parameter.required) facts.push('Required.');
  if (parameter.values) facts.push(`Allowed values: ${parameter.values.join(', ')}.`);
  if (parameter.default !== undefined && parameter.default !== false) {
    facts.push(`Default: ${Array.isArray(parameter.default) ? parameter.default.join(', ') : String(parameter.default)}.`);
  }
  return facts.length > 0 ? `${parameter.help}\n${facts.join(' ')}` : parameter.help;
}

/**
 * The report parameters the caller bound (a switch as true or false), then those with a definition
 * default, in $reportParameters: what is sent to the service. Report functions and standalone
 * scripts build it the same way.
 */
export function boundReportParameters(report: ReportModel): PsCode[] {
  const lines: PsCode[] = ['$reportParameters = @{}'];
  if (report.parameters.length > 0) {
    lines.push(
      block(`foreach ($name in ${psStringArray(report.parameters.map((p) => identifier(p.name)))}) {`, [
        block('if ($PSBoundParameters.ContainsKey($name)) {', [
          '$value = $PSBoundParameters[$name]',
          'if ($value -is [switch]) { $value = $value.IsPresent }',
          '$reportParameters[$name] = $value',
        ]),
      ]),
    );
  }
  for (const parameter of report.parameters) {
    if (parameter.default === undefined || parameter.default === false) continue;
    const name = identifier(parameter.name);
    lines.push(`if (-not $reportParameters.ContainsKey(${psLiteral(name)})) { $reportParameters[${psLiteral(name)}] = $${name} }`);
  }
  return lines;
}

/**
 * The text of an advanced function with one output type: help, [CmdletBinding(…)], the param
 * block, then the body. Every generated report function takes this shape.
 */
export function advancedFunction(parts: { name: string; help: HelpSections; cmdletBinding: string; outputType?: string; parameters: ReadonlyArray<readonly PsCode[]>; body: readonly PsCode[] }): string {
  return render(
    block(`function ${parts.name} {`, [
      helpBlock(parts.help),
      parts.cmdletBinding,
      `[OutputType(${parts.outputType === undefined ? '[pscustomobject]' : psLiteral(parts.outputType)})]`,
      paramBlock(parts.parameters),
      ...parts.body,
    ]),
  );
}
