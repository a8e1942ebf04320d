/** Name rules shared by the validator and the emitters. */

/** A report name: PascalCase letters and digits. */
export const reportNamePattern = /^[A-Z][A-Za-z0-9]*$/;
/** A PowerShell parameter name the generator emits: letters and digits, starting with a letter. */
export const parameterNamePattern = /^[A-Za-z][A-Za-z0-9]*$/;
/** A cmdlet name: Verb-Noun, letters and digits. */
export const cmdletNamePattern = /^[A-Za-z]+-[A-Za-z][A-Za-z0-9]*$/;
/** The same rule in the .NET dialect, for [ValidatePattern] (\z: no trailing newline accepted). */
export const cmdletNamePsPattern = '^[A-Za-z]+-[A-Za-z][A-Za-z0-9]*\\z';

/** Parameters every report function and script already has, plus PowerShell's common parameters. */
export const reservedParameterNames: ReadonlySet<string> = new Set(
  [
    'TenantId', 'InitialDomain', 'TenantDomain', 'Credential', 'UserName', 'OutputFile', 'ErrorFile', 'ThrottleLimit',
    'Tenant', 'Exclude', 'Report', 'Parameters', 'ConnectionUri',
    // the Exchange admin API functions and scripts
    'AccessToken', 'ExchangeUri', 'PartnerTenantId', 'ClientId', 'ClientSecret', 'LoginUri', 'GraphUri',
    'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction', 'ErrorVariable',
    'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable', 'WhatIf', 'Confirm',
  ].map((name) => name.toLowerCase()),
);

/**
 * The PowerShell property name of a Graph CSV header: its runs of letters and digits, each with a
 * capital first letter, joined ('Prohibit Send/Receive Quota (Byte)' -> ProhibitSendReceiveQuotaByte).
 * Invoke-DapGraphReport applies the same rule to a header no definition names (a contract test
 * holds the two equal).
 */
export function psPropertyName(header: string): string {
  return header
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** A tenant id: a GUID in its usual 8-4-4-4-12 form. */
export const tenantIdPattern = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\\z';

/** A Microsoft Graph report function name: 'get', then a capital letter, letters and digits. */
export const graphFunctionPattern = /^get[A-Z][A-Za-z0-9]*$/;

/** The periods a Graph usage report accepts, in the service's order. */
export { graphPeriods } from '../common/graph-periods.js';

/** The parameter names a Graph definition may have; Period is required, Date optional. */
export const graphParameterNames = { period: 'Period', date: 'Date' } as const;

/**
 * A Graph, login or Exchange base URI the generated functions accept: https only (a local stand-in,
 * the simulator, serves https too), no query or fragment. Written in the .NET dialect (\z).
 */
export const graphBaseUriPattern = '^https://[^\\s?#/]+(?:/[^\\s?#]*)?\\z';

/** The Exchange Online host the admin API functions call by default; -ExchangeUri follows graphBaseUriPattern. */
export const defaultExchangeUri = 'https://outlook.office365.com';

/** The scope of an Exchange Online admin API token. */
export const exchangeScope = 'https://outlook.office365.com/.default';
