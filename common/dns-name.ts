import { dotnetPattern } from './dotnet-pattern.js';

/**
 * A DNS domain name, the one rule for every place a domain goes into a URI (the runtime's checks,
 * the generated PowerShell's -InitialDomain validation): labels of 1-63 letters, digits or hyphens,
 * not starting or ending with a hyphen, at least two labels, at most 253 characters, a top-level
 * label that is not all digits (that would be an IP address). Written in the .NET dialect, emitted
 * as is into PowerShell (\z: no trailing newline accepted), read in JavaScript by dotnetPattern.
 */
export const dnsNamePattern =
  '^(?=.{1,253}\\z)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+(?![0-9]+\\z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\z';

const dnsName = dotnetPattern(dnsNamePattern);

/** A fully qualified DNS name by dnsNamePattern (e.g. contoso.onmicrosoft.com). */
export function isDnsName(value: string): boolean {
  return dnsName.test(value);
}
