import { DapError, ExitCode } from '../../common/dap-error.js';
import { compareTenants } from './manifest.js';
import type { DiscoveredTenant } from '../backends/contract/runner-types.js';
import { normaliseTenantName } from '../platform/tenant-names.js';

export interface TenantFilter {
  /** Domains or TenantIds to keep (lower-cased); empty keeps every tenant. */
  include: string[];
  /** Domains or TenantIds to leave out (lower-cased). */
  exclude: string[];
}

export interface SelectedTenant {
  tenantId: string;
  /** TenantDomain: the customer's default domain, lower-cased; see tenantDomainOf. */
  domain: string;
  /** The initial (.onmicrosoft.com) domain where discovery knows it (Exchange: the DelegatedOrg target), else ''. */
  initialDomain: string;
  name: string;
  account: string;
}

export interface Selection {
  tenants: SelectedTenant[];
  /** --tenant values that matched no customer. */
  unmatched: string[];
}

function names(tenant: DiscoveredTenant): string[] {
  return [tenant.tenantId, tenant.initialDomain, tenant.defaultDomainName].filter(Boolean).map(normaliseTenantName);
}

/**
 * The TenantDomain of a customer, the same on every backend: its default domain (the one its
 * contract, its tenant information and Get-MsolPartnerContract name), else its initial domain
 * (lower-cased); a customer discovered without any domain (a GDAP relationship names only the
 * tenant, and the lookup failed) is shown by its display name, else its TenantId.
 */
export function tenantDomainOf(tenant: DiscoveredTenant): string {
  const domain = normaliseTenantName(tenant.defaultDomainName || tenant.initialDomain || '');
  if (domain) return domain;
  return (tenant.name ?? '').trim() || normaliseTenantName(tenant.tenantId);
}

/**
 * Applies --tenant/--exclude/--tenants-file (domain or TenantId), removes duplicates (a tenant seen by
 * several accounts runs once), spreads tenants over the accounts that can see them (the least loaded
 * first, ties in --user order) and sorts them by domain.
 */
export function selectTenants(discovered: ReadonlyArray<{ account: string; tenants: readonly DiscoveredTenant[] }>, filter: TenantFilter): Selection {
  const include = new Set(filter.include);
  const exclude = new Set(filter.exclude);
  const matched = new Set<string>();
  const byId = new Map<string, { tenant: DiscoveredTenant; accounts: string[] }>();
  for (const { account, tenants } of discovered) {
    for (const tenant of tenants) {
      const keys = names(tenant);
      if (keys.some((k) => exclude.has(k))) continue;
      if (include.size > 0) {
        const hits = keys.filter((k) => include.has(k));
        if (hits.length === 0) continue;
        for (const hit of hits) matched.add(hit);
      }
      const id = normaliseTenantName(tenant.tenantId);
      const entry = byId.get(id);
      if (entry) {
        if (!entry.accounts.includes(account)) entry.accounts.push(account);
      } else byId.set(id, { tenant, accounts: [account] });
    }
  }
  const accountOrder = discovered.map((d) => d.account);
  const load = new Map(accountOrder.map((a) => [a, 0]));
  const entries = [...byId.values()]
    .map((e) => ({ ...e, domain: tenantDomainOf(e.tenant) }))
    .sort((a, b) => compareTenants({ domain: a.domain, tenantId: a.tenant.tenantId }, { domain: b.domain, tenantId: b.tenant.tenantId }));
  const tenants = entries.map(({ tenant, accounts, domain }) => {
    const account = [...accounts].sort((a, b) => (load.get(a)! - load.get(b)!) || accountOrder.indexOf(a) - accountOrder.indexOf(b))[0]!;
    load.set(account, load.get(account)! + 1);
    return {
      tenantId: normaliseTenantName(tenant.tenantId),
      domain,
      initialDomain: normaliseTenantName(tenant.initialDomain || ''),
      name: tenant.name ?? '',
      account,
    };
  });
  return { tenants, unmatched: [...include].filter((name) => !matched.has(name)) };
}

/**
 * The usage error (exit 2) for a selection without any tenant: which filters matched nothing, and
 * how many customers the accounts have.
 */
export function noTenantSelected(discovered: ReadonlyArray<{ account: string; tenants: readonly DiscoveredTenant[] }>, filter: TenantFilter): DapError {
  const known = new Set(discovered.flatMap((d) => d.tenants.flatMap(names)));
  const customers = new Set(discovered.flatMap((d) => d.tenants.map((t) => normaliseTenantName(t.tenantId)))).size;
  const accounts = discovered.map((d) => d.account).join(', ');
  const unknown = filter.include.filter((name) => !known.has(name));
  const reasons = [
    ...(unknown.length > 0 ? [`--tenant/--tenants-file ${unknown.join(', ')} matched no customer`] : []),
    // the excludes matter when the same selection without them is not empty
    ...(filter.exclude.length > 0 && selectTenants(discovered, { ...filter, exclude: [] }).tenants.length > 0
      ? [`--exclude ${filter.exclude.join(', ')} left out every ${filter.include.length > 0 ? 'tenant the other filters name' : 'customer'}`]
      : []),
  ];
  const have = `${accounts} ${discovered.length === 1 ? 'has' : 'have'} ${customers} customer${customers === 1 ? '' : 's'}`;
  return new DapError('NO_TENANT_SELECTED', ExitCode.usage, `no tenant selected: ${[...reasons, have].join('; ')}`);
}
