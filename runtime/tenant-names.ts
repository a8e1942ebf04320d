/** Tenant names as users give them and as discovery returns them: DNS domain names or GUIDs. */

const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A fully qualified DNS name of at least two labels (e.g. contoso.onmicrosoft.com), at most 253 characters. */
export function isDnsName(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const labels = value.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((part) => label.test(part))) return false;
  // the top-level label is never all digits (that would be an IP address)
  return !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

export function isGuid(value: string): boolean {
  return guid.test(value);
}

/** The canonical form of a tenant name for comparing: domains and GUIDs are case-insensitive. */
export function normaliseTenantName(value: string): string {
  return value.trim().toLowerCase();
}
