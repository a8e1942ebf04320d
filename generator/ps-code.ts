import { psLiteral } from '../common/ps-literal.js';
import { dnsNamePattern } from '../common/dns-name.js';
import { parameterNamePattern, tenantIdPattern } from './identifiers.js';
import type { ParameterModel } from './report-model.js';

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

/** The [ValidateScript] that checks a domain is a DNS name; the same in every function. */
export function domainValidation(indent: string): string {
  return [
    `${indent}[ValidateScript({`,
    `${indent}    if ($_ -match ${psLiteral(dnsNamePattern)}) { return $true }`,
    `${indent}    throw ("'{0}' is not a DNS domain name: expected at least two labels of 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen, at most 253 characters." -f $_)`,
    `${indent}})]`,
  ].join('\n');
}

export function tenantIdValidation(): string {
  return psLiteral(tenantIdPattern);
}

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

/** One report parameter's declaration inside a param() block. */
export function parameterDeclaration(parameter: ParameterModel, indent: string): string {
  const lines: string[] = [];
  if (parameter.required) lines.push('[Parameter(Mandatory)]');
  if (parameter.values) lines.push(`[ValidateSet(${literalList(parameter.values)})]`);
  if (parameter.pattern !== undefined) lines.push(`[ValidatePattern(${psLiteral(parameter.pattern)})]`);
  const fallback = psDefault(parameter);
  lines.push(`${psType(parameter)} $${identifier(parameter.name)}${fallback === undefined ? '' : ` = ${fallback}`}`);
  return lines.map((line) => `${indent}${line}`).join('\n');
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
 * The text of an advanced function with one output type: help, [CmdletBinding(…)], param block of
 * the given declarations, then the body lines. Every generated report function takes this shape.
 */
export function advancedFunction(parts: { name: string; help: string; cmdletBinding: string; outputType?: string; declarations: string[]; body: string[] }): string {
  const indent = '    ';
  return [
    `function ${parts.name} {`,
    parts.help,
    `${indent}${parts.cmdletBinding}`,
    `${indent}[OutputType(${parts.outputType === undefined ? '[pscustomobject]' : psLiteral(parts.outputType)})]`,
    `${indent}param(`,
    parts.declarations.join(',\n\n'),
    `${indent})`,
    ...parts.body,
    '}',
    '',
  ].join('\n');
}
