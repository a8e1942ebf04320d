import { DapError, ExitCode } from '../../../../common/dap-error.js';
import type { FailureCategory } from '../../../../common/failure-category.js';
import type { DiscoveredTenant } from '../../contract/runner-types.js';
import { isGuid } from '../../../platform/tenant-names.js';
import { GraphCallError } from '../http/graph-error.js';
import { MAX_DISCOVERY_PAGES, RELATIONSHIPS_PAGE_SIZE } from '../http/graph-limits.js';
import type { BearerSource, ServiceClient } from '../../../platform/http/http-client.js';
import { MAX_RETRY_AFTER_MS } from '../../../platform/http/retry-after.js';
import type { Redactor } from '../../../platform/redact.js';

export type DiscoveryMode = 'relationships' | 'contracts';

export interface GraphDiscoveryOptions {
  /** The HTTP client made for Graph. */
  http: ServiceClient;
  mode: DiscoveryMode;
  /** The partner's own token (discovery runs in the partner tenant). */
  partnerToken: BearerSource;
  redactor: Redactor;
  /** Further tries of the partner token and of a page after 429 / 5xx / network failures. */
  retries?: number;
}

interface Relationship {
  displayName?: unknown;
  status?: unknown;
  endDateTime?: unknown;
  lastModifiedDateTime?: unknown;
  customer?: { tenantId?: unknown; displayName?: unknown } | null;
}

interface Contract {
  customerId?: unknown;
  displayName?: unknown;
  defaultDomainName?: unknown;
  contractType?: unknown;
}

/** The first page's URL for a discovery mode. */
export function firstPageUrl(graphBase: string, mode: DiscoveryMode): string {
  if (mode === 'contracts') return `${graphBase}/v1.0/contracts`;
  // every status: a customer whose relationship is not active is reported, not dropped
  const query = new URLSearchParams({ $top: String(RELATIONSHIPS_PAGE_SIZE) });
  return `${graphBase}/v1.0/tenantRelationships/delegatedAdminRelationships?${query.toString()}`;
}

/** Relationship statuses that give access (an expiring relationship works until its end date). */
const usable = new Set(['active', 'expiring']);

/** The category and words for a customer whose relationships are all unusable, from the latest of them. */
export function relationshipProblem(item: Relationship): { category: FailureCategory; message: string } {
  const status = String(item.status ?? 'unknown');
  const name = typeof item.displayName === 'string' && item.displayName ? `'${item.displayName}' ` : '';
  const end = typeof item.endDateTime === 'string' && item.endDateTime ? item.endDateTime : undefined;
  switch (status.toLowerCase()) {
    case 'expired':
      return {
        category: 'RelationshipExpired',
        message: `the GDAP relationship ${name}with this customer expired${end ? ` on ${end}` : ''}; ask the customer to approve a new one (Partner Center, Customers, Admin relationships)`,
      };
    case 'terminated':
    case 'terminating':
    case 'terminationrequested':
      return {
        category: 'RelationshipTerminated',
        message: `the GDAP relationship ${name}with this customer is ${status}${end ? ` (ended ${end})` : ''}; a new relationship must be requested and approved`,
      };
    default:
      return {
        category: 'RelationshipPending',
        message: `the GDAP relationship ${name}with this customer is ${status}, not yet active; the customer must approve it (the approval link is in Partner Center), then it activates`,
      };
  }
}

/** The time a relationship last counted: its end, else its last change. */
const lastOf = (item: Relationship) => Date.parse(String(item.endDateTime ?? item.lastModifiedDateTime ?? '')) || 0;

/**
 * GDAP relationships as customers: one per customer tenant (a customer usually has several
 * relationships), TenantId and display name. A customer none of whose relationships is active (or
 * expiring) is kept with its problem (expired, pending, terminated, and the latest relationship's
 * end date), so the run reports it instead of dropping it. Relationships carry no domain: the
 * backend looks up each customer's default domain afterwards (domain-lookup.ts).
 */
export function customersFromRelationships(items: readonly Relationship[]): DiscoveredTenant[] {
  const byId = new Map<string, { tenant: DiscoveredTenant; usable: boolean; latest?: Relationship }>();
  for (const item of items) {
    const tenantId = typeof item.customer?.tenantId === 'string' ? item.customer.tenantId.trim().toLowerCase() : '';
    if (!tenantId) continue;
    const name = typeof item.customer?.displayName === 'string' ? item.customer.displayName.trim() : '';
    const ok = usable.has(String(item.status ?? '').toLowerCase());
    let entry = byId.get(tenantId);
    if (!entry) {
      entry = { tenant: { tenantId, name, defaultDomainName: '', initialDomain: '', contractType: 'DelegatedAdminRelationship' }, usable: false };
      byId.set(tenantId, entry);
    }
    if (ok && !entry.usable) {
      entry.usable = true;
      if (name) entry.tenant.name = name;
    }
    if (!ok && (!entry.latest || lastOf(item) > lastOf(entry.latest))) entry.latest = item;
  }
  return [...byId.values()].map(({ tenant, usable: ok, latest }) => (ok || !latest ? tenant : { ...tenant, problem: relationshipProblem(latest) }));
}

/** Partner contracts as customers: TenantId, display name and default domain. */
export function customersFromContracts(items: readonly Contract[]): DiscoveredTenant[] {
  const byId = new Map<string, DiscoveredTenant>();
  for (const item of items) {
    const tenantId = typeof item.customerId === 'string' ? item.customerId.trim().toLowerCase() : '';
    if (!tenantId || byId.has(tenantId)) continue;
    byId.set(tenantId, {
      tenantId,
      name: typeof item.displayName === 'string' ? item.displayName.trim() : '',
      defaultDomainName: typeof item.defaultDomainName === 'string' ? item.defaultDomainName.trim().toLowerCase() : '',
      initialDomain: '',
      contractType: typeof item.contractType === 'string' ? item.contractType : '',
    });
  }
  return [...byId.values()];
}

/**
 * Finds the customers through Microsoft Graph with the partner's token: GDAP relationships
 * (default) or partner contracts, every page through the HTTP client (which follows
 * @odata.nextLink only within the Graph base, so the token never goes elsewhere). The partner
 * token is taken first: a refused credential stops the run here (exit 3), before any tenant.
 */
export class GraphDiscovery {
  constructor(private readonly options: GraphDiscoveryOptions) {}

  async discover(): Promise<DiscoveredTenant[]> {
    const { redactor, http, mode } = this.options;
    // a throttled or failing token endpoint is tried again (bounded, honouring Retry-After)
    const retry = { retries: this.options.retries ?? 4, maxWaitMs: MAX_RETRY_AFTER_MS };
    try {
      await http.retrying(() => this.options.partnerToken(false), retry);
    } catch (error) {
      if (error instanceof GraphCallError && error.category === 'AuthenticationFailed') {
        throw new DapError('AUTHENTICATION_FAILED', ExitCode.fatal, redactor.clean(`sign-in of the app failed: ${error.message}; stopped before any tenant was tried`), { cause: error });
      }
      throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, redactor.clean(`no token for the partner tenant: ${(error as Error).message}`), { cause: error });
    }
    const items: unknown[] = [];
    try {
      for await (const page of http.pages(firstPageUrl(http.base, mode), { headers: { accept: 'application/json' }, bearer: this.options.partnerToken, retry }, MAX_DISCOVERY_PAGES)) {
        if (!Array.isArray(page.value)) throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, `the ${mode} listing answered without a value array`);
        items.push(...page.value);
      }
    } catch (error) {
      throw this.failure(error);
    }
    return mode === 'contracts' ? customersFromContracts(items as Contract[]) : customersFromRelationships(items as Relationship[]);
  }

  async close(): Promise<void> {}

  /** A failed listing as the error that stops the run. */
  private failure(error: unknown): unknown {
    const { mode, redactor, http } = this.options;
    if (http.owns(error)) {
      const status = error.details.status;
      if (status === 401 || status === 403) {
        const permission = mode === 'contracts' ? 'Directory.Read.All' : 'DelegatedAdminRelationship.Read.All';
        return new DapError('DISCOVERY_FAILED', ExitCode.fatal, redactor.clean(`Graph refused the ${mode} listing (${error.message}); the app needs ${permission} in the partner tenant`), { cause: error });
      }
      return new DapError('DISCOVERY_FAILED', ExitCode.fatal, redactor.clean(`the ${mode} listing failed: ${error.message}`), { cause: error });
    }
    if (!(error instanceof GraphCallError)) return error;
    // the partner token, asked for again (after a 401)
    if (error.category === 'AuthenticationFailed') {
      return new DapError('AUTHENTICATION_FAILED', ExitCode.fatal, redactor.clean(`sign-in of the app failed: ${error.message}`), { cause: error });
    }
    return new DapError('DISCOVERY_FAILED', ExitCode.fatal, redactor.clean(`no token for the partner tenant: ${error.message}`), { cause: error });
  }
}

/** A reason a discovered tenant cannot be asked for a token: its id goes into a URL path. */
export function graphTenantProblem(tenantId: string): string | undefined {
  return isGuid(tenantId) ? undefined : `the TenantId '${tenantId}' is not a GUID; no token was requested`;
}
