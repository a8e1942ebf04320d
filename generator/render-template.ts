import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-paths.js';

export const templatesDir = join(projectRoot, 'generator', 'templates');

/** The shared public functions, each kept as a PowerShell template in generator/templates/<name>.ps1. */
export const publicTemplates = [
  'Connect-DapPartner', 'Get-DapCustomer', 'Invoke-DapTenantReport', 'Export-DapAggregateReport', 'Get-DapGraphToken', 'Get-DapGraphCustomer', 'Invoke-DapGraphReport',
  'Get-DapExoToken', 'Invoke-DapExoCommand',
] as const;
/**
 * The shared private functions (generator/templates/Private/<name>.ps1): the module loads them
 * but does not export them; they hold logic several public functions share.
 */
export const privateTemplates = [
  'Invoke-DapTokenRequest',
  'New-DapClientAssertion',
  'Resolve-DapCertificate',
  'Invoke-DapExoRequest',
  'ConvertTo-DapExoValue',
  'ConvertTo-DapCellText',
  'Invoke-DapExoReport',
] as const;
/** Every shared function, public then private. */
export const sharedTemplates = [...publicTemplates, ...privateTemplates] as const;
/** The shared functions the standalone Exchange (remoting) scripts carry. */
export const scriptTemplates = ['Connect-DapPartner', 'Get-DapCustomer', 'Invoke-DapTenantReport', 'Export-DapAggregateReport'] as const satisfies readonly SharedTemplate[];
/** The shared functions the standalone Exchange admin API (exchangeRest) scripts carry, in the order they are written. */
export const restScriptTemplates = [
  'Invoke-DapTokenRequest', 'Get-DapGraphToken', 'Get-DapGraphCustomer', 'Get-DapExoToken', 'ConvertTo-DapExoValue', 'ConvertTo-DapCellText',
  'Invoke-DapExoRequest', 'Invoke-DapExoReport',
] as const satisfies readonly SharedTemplate[];
export type SharedTemplate = (typeof sharedTemplates)[number];

export function isPrivateTemplate(name: SharedTemplate): boolean {
  return (privateTemplates as readonly string[]).includes(name);
}

export function templatePath(name: SharedTemplate): string {
  return isPrivateTemplate(name) ? join(templatesDir, 'Private', `${name}.ps1`) : join(templatesDir, `${name}.ps1`);
}

/**
 * Fills a template's {{Placeholder}}s with PowerShell code the generator built (through
 * psLiteral()); every placeholder must be filled and every value used.
 */
export function renderTemplate(name: SharedTemplate, values: Readonly<Record<string, string>>): string {
  const text = readFileSync(templatePath(name), 'utf8').replace(/\r\n/g, '\n');
  const used = new Set<string>();
  const rendered = text.replace(/\{\{([A-Za-z]+)\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template ${name}.ps1 uses {{${key}}}, which the generator does not provide`);
    used.add(key);
    return value;
  });
  const unused = Object.keys(values).filter((key) => !used.has(key));
  if (unused.length > 0) throw new Error(`template ${name}.ps1 does not use ${unused.join(', ')}`);
  return rendered.endsWith('\n') ? rendered : `${rendered}\n`;
}
