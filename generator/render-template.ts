import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-paths.js';
import { psLiteral } from '../common/ps-literal.js';
import { literalList, psNumber } from './ps-code.js';
import { lineCommentText } from './ps-comment.js';
import { depthOf, type PsCode, renderLines } from './ps-writer.js';

export const templatesDir = join(projectRoot, 'generator', 'templates');

/** The shared public functions, each kept as a PowerShell template in generator/templates/<name>.ps1. */
export const publicTemplates = [
  'Connect-DapPartner', 'Get-DapCustomer', 'Invoke-DapTenantReport', 'Export-DapAggregateReport', 'Get-DapGraphToken', 'Get-DapGraphCustomer', 'Invoke-DapGraphReport',
  'Get-DapExoToken', 'Invoke-DapExoCommand', 'Get-DapFailureCategory',
] as const;
/**
 * The shared private functions (generator/templates/Private/<name>.ps1): the module loads them
 * but does not export them; they hold logic several public functions share.
 */
export const privateTemplates = [
  'Invoke-DapTokenRequest',
  'Invoke-DapWebRequest',
  'New-DapClientAssertion',
  'Resolve-DapCertificate',
  'Invoke-DapExoRequest',
  'ConvertTo-DapExoValue',
  'ConvertTo-DapCellText',
  'Invoke-DapExoReport',
  'Invoke-DapGraphQuery',
  'Get-DapUrlRefusal',
  'Invoke-DapRedirectedRequest',
  'New-DapErrorRecord',
] as const;
/** Every shared function, public then private. */
export const sharedTemplates = [...publicTemplates, ...privateTemplates] as const;
/** The shared functions the standalone Exchange (remoting) scripts carry. */
export const scriptTemplates = [
  'Connect-DapPartner', 'Get-DapCustomer', 'Invoke-DapTenantReport', 'Export-DapAggregateReport', 'Get-DapFailureCategory', 'New-DapErrorRecord',
] as const satisfies readonly SharedTemplate[];
/** The shared functions the standalone Exchange admin API (exchangeRest) scripts carry, in the order they are written. */
export const restScriptTemplates = [
  'Invoke-DapTokenRequest', 'Get-DapGraphToken', 'Get-DapGraphCustomer', 'Get-DapExoToken', 'ConvertTo-DapExoValue', 'ConvertTo-DapCellText',
  'Invoke-DapWebRequest', 'Invoke-DapExoRequest', 'Invoke-DapExoReport', 'Get-DapFailureCategory', 'New-DapErrorRecord',
] as const satisfies readonly SharedTemplate[];
/** The shared functions the standalone Graph query scripts carry, in the order they are written. */
export const graphQueryScriptTemplates = [
  'Invoke-DapTokenRequest', 'Get-DapGraphToken', 'Get-DapGraphCustomer', 'ConvertTo-DapCellText',
  'Invoke-DapWebRequest', 'Invoke-DapGraphQuery', 'Get-DapFailureCategory', 'New-DapErrorRecord',
] as const satisfies readonly SharedTemplate[];
export type SharedTemplate = (typeof sharedTemplates)[number];

export function isPrivateTemplate(name: SharedTemplate): boolean {
  return (privateTemplates as readonly string[]).includes(name);
}

export function templatePath(name: SharedTemplate): string {
  return isPrivateTemplate(name) ? join(templatesDir, 'Private', `${name}.ps1`) : join(templatesDir, `${name}.ps1`);
}

/**
 * A fact the generator gives a template for a marker. A marker in code is a string literal holding
 * only `dap-gen:<Name>` (`'dap-gen:TenantIdPattern'`), so that the template parses as PowerShell on
 * its own; the whole literal is replaced by the fact as code: a string through psLiteral(), a number
 * through psNumber(), a list as literals separated by commas (for `[ValidateSet(…)]` and `@(…)`),
 * and `{ code }` as the writer lays it out at the marker's indentation. A marker in a comment is
 * written without quotes (`dap-gen:MaxRetryAfterSeconds`) and is replaced by the fact as text.
 */
export type TemplateFact = string | number | readonly string[] | { readonly code: PsCode };

const markerPattern = /'dap-gen:([A-Za-z]+)'|dap-gen:([A-Za-z]+)/g;

function asCode(fact: TemplateFact, line: string): string {
  if (typeof fact === 'string') return psLiteral(fact);
  if (typeof fact === 'number') return psNumber(fact);
  if (isList(fact)) return literalList(fact);
  const indentation = /^ */.exec(line)![0];
  return renderLines(fact.code, depthOf(indentation)).join('\n').slice(indentation.length);
}

function isList(fact: TemplateFact): fact is readonly string[] {
  return Array.isArray(fact);
}

function asText(fact: TemplateFact): string {
  if (typeof fact === 'object' && !isList(fact)) throw new Error('code cannot stand in a comment');
  const text = typeof fact === 'number' ? psNumber(fact) : isList(fact) ? fact.join(', ') : fact;
  if (lineCommentText(text) !== text || /#>|<#/.test(text)) throw new Error(`${JSON.stringify(text)} is not one line of plain comment text`);
  return text;
}

/** A shared function's text: its template with every marker replaced by its fact (fillMarkers). */
export function renderTemplate(name: SharedTemplate, facts: Readonly<Record<string, TemplateFact>>): string {
  return fillMarkers(readFileSync(templatePath(name), 'utf8'), facts, `${name}.ps1`);
}

/**
 * `text` with every marker replaced by its fact; an unknown marker, a marker without quotes outside
 * a comment, or a fact no marker uses is an error naming `file` and the line.
 */
export function fillMarkers(template: string, facts: Readonly<Record<string, TemplateFact>>, file: string): string {
  const text = template.replace(/\r\n/g, '\n');
  const used = new Set<string>();
  let inBlockComment = false;
  const lines = text.split('\n').map((line, index) => {
    const where = `${file}:${index + 1}`;
    const comment = inBlockComment || /^\s*#/.test(line);
    if (line.includes('<#')) inBlockComment = true;
    if (line.includes('#>')) inBlockComment = false;
    return line.replace(markerPattern, (_match, codeKey: string | undefined, textKey: string | undefined) => {
      const key = (codeKey ?? textKey)!;
      const fact = facts[key];
      if (fact === undefined) throw new Error(`${where}: the generator has no fact for the marker dap-gen:${key}`);
      used.add(key);
      if (codeKey !== undefined) return asCode(fact, line);
      if (!comment) throw new Error(`${where}: dap-gen:${key} outside a comment must be a string literal ('dap-gen:${key}')`);
      try {
        return asText(fact);
      } catch (error) {
        throw new Error(`${where}: dap-gen:${key}: ${(error as Error).message}`);
      }
    });
  });
  const unused = Object.keys(facts).filter((key) => !used.has(key));
  if (unused.length > 0) throw new Error(`${file} has no marker for ${unused.map((key) => `dap-gen:${key}`).join(', ')}`);
  const rendered = lines.join('\n');
  return rendered.endsWith('\n') ? rendered : `${rendered}\n`;
}
