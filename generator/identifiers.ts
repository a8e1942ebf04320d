/** Name rules shared by the validator and the emitters. */

/** A report name: PascalCase letters and digits. */
export const reportNamePattern = /^[A-Z][A-Za-z0-9]*$/;
/** A PowerShell parameter name the generator emits: letters and digits, starting with a letter. */
export const parameterNamePattern = /^[A-Za-z][A-Za-z0-9]*$/;
/** A cmdlet name: Verb-Noun, letters and digits. */
export const cmdletNamePattern = /^[A-Za-z]+-[A-Za-z][A-Za-z0-9]*$/;

/**
 * A DNS domain name: labels of 1-63 letters, digits or hyphens, not starting or ending with a
 * hyphen, at least two labels, at most 253 characters. Written in the .NET dialect and emitted
 * into the PowerShell validation of every -InitialDomain (\z: no trailing newline accepted).
 */
export const dnsNamePattern = '^(?=.{1,253}\\z)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\z';

/** Parameters every report function and script already has, plus PowerShell's common parameters. */
export const reservedParameterNames: ReadonlySet<string> = new Set(
  [
    'TenantId', 'InitialDomain', 'TenantDomain', 'Credential', 'UserName', 'OutputFile', 'ErrorFile', 'ThrottleLimit',
    'Tenant', 'Exclude', 'Report', 'Parameters', 'ConnectionUri',
    'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction', 'ErrorVariable',
    'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable', 'WhatIf', 'Confirm',
  ].map((name) => name.toLowerCase()),
);

/** A tenant id: a GUID in its usual 8-4-4-4-12 form. */
export const tenantIdPattern = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\\z';
