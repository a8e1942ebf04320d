/** Tenant names as users give them and as discovery returns them: DNS domain names or GUIDs. */

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return guid.test(value);
}

/** The canonical form of a tenant name for comparing: domains and GUIDs are case-insensitive. */
export function normaliseTenantName(value: string): string {
  return value.trim().toLowerCase();
}
