/**
 * The directory of a tenant as Graph's `/domains` and `/organization` show it: the customer tenants
 * of the world, and the partner's own tenant. The domain names are the ones Exchange accepts
 * (Get-AcceptedDomain reads `emailDomainNames` too), so both services name the same domains.
 */
import { DAY_MS, graphDateTime, type GraphWorld } from './graph-world.js';
import { createRng } from './prng.js';
import type { TenantRecord, World } from './world.js';

export interface DirectoryDomain {
  name: string;
  isInitial: boolean;
  isDefault: boolean;
  /** False for a subdomain of another domain of the tenant. */
  isRoot: boolean;
  authenticationType: 'Managed' | 'Federated';
  /** Graph's supportedServices, e.g. Email, OfficeCommunicationsOnline. */
  supportedServices: string[];
}

export interface DirectoryOrganization {
  id: string;
  displayName: string;
  countryLetterCode: string;
  createdDateTime: string;
  domains: DirectoryDomain[];
}

/** The `<name>.mail.onmicrosoft.com` routing domain every Exchange Online tenant has, if its initial domain is an onmicrosoft.com one. */
function mailRoutingDomain(initialDomain: string): string | undefined {
  const name = initialDomain.replace(/\.onmicrosoft\.com$/i, '.mail.onmicrosoft.com');
  return name === initialDomain ? undefined : name;
}

/** The tenant's domains that take mail: those with the Email capability, plus its mail routing domain. */
export function emailDomainNames(tenant: TenantRecord): string[] {
  const names = tenant.domains.filter((d) => d.capabilities.split(', ').includes('Email')).map((d) => d.name);
  const routing = mailRoutingDomain(tenant.initialDomain);
  if (routing && !names.some((n) => n.toLowerCase() === routing.toLowerCase())) names.push(routing);
  return names;
}

function customerDomains(tenant: TenantRecord): DirectoryDomain[] {
  const own: DirectoryDomain[] = tenant.domains.map((d) => ({
    name: d.name,
    isInitial: d.isInitial,
    isDefault: d.isDefault,
    isRoot: d.rootDomain === null,
    authenticationType: d.authentication,
    supportedServices: d.capabilities.split(', ').filter((c) => c !== '' && c !== 'None'),
  }));
  const routing = emailDomainNames(tenant).filter((name) => !tenant.domains.some((d) => d.name.toLowerCase() === name.toLowerCase()));
  return [...own, ...routing.map((name) => ({ name, isInitial: false, isDefault: false, isRoot: true, authenticationType: 'Managed' as const, supportedServices: ['Email'] }))];
}

/** The country a tenant's data lives in, from its Exchange region (e.g. namprd04 → US). */
function countryOf(region: string): string {
  const prefix = region.slice(0, 3).toLowerCase();
  return ({ nam: 'US', eur: 'NL', apc: 'AU', gbr: 'GB' } as Record<string, string>)[prefix] ?? 'US';
}

/** A name for the partner's tenant from its initial domain (contoso.onmicrosoft.com → Contoso). */
function partnerName(domain: string): string {
  const first = domain.split('.')[0] ?? domain;
  return first.charAt(0).toUpperCase() + first.slice(1);
}

/**
 * The organization a token's tenant is: a customer tenant of the world, or (undefined) the
 * partner's own tenant. Dates are seeded and before today; the same seed gives the same answer.
 */
export function directoryOf(world: World, graphWorld: GraphWorld, tenant: TenantRecord | undefined): DirectoryOrganization {
  const id = tenant?.tenantId ?? graphWorld.partnerTenantId;
  const rng = createRng(world.seed, 'organization', id);
  const created = graphWorld.today - rng.int(800, 4000) * DAY_MS + rng.int(0, 86_399) * 1000;
  if (tenant) {
    return { id, displayName: tenant.name, countryLetterCode: countryOf(tenant.region), createdDateTime: graphDateTime(created), domains: customerDomains(tenant) };
  }
  const initial = graphWorld.partnerDomain;
  const routing = mailRoutingDomain(initial);
  const domains: DirectoryDomain[] = [
    { name: initial, isInitial: true, isDefault: true, isRoot: true, authenticationType: 'Managed', supportedServices: ['Email', 'OfficeCommunicationsOnline'] },
    ...(routing ? [{ name: routing, isInitial: false, isDefault: false, isRoot: true, authenticationType: 'Managed' as const, supportedServices: ['Email'] }] : []),
  ];
  return { id, displayName: partnerName(initial), countryLetterCode: 'US', createdDateTime: graphDateTime(created), domains };
}
