import { setTimeout as delay } from 'node:timers/promises';
import { DapError, ExitCode } from '../../../../common/dap-error.js';
import type { FailureCategory } from '../../../../common/failure-category.js';
import type { DiscoveredTenant } from '../../contract/runner-types.js';
import { isGuid } from '../../../platform/tenant-names.js';
import { GraphCallError, errorText } from '../http/graph-error.js';
import { MAX_DISCOVERY_PAGES, RELATIONSHIPS_PAGE_SIZE } from '../http/graph-limits.js';
import { isUnderBase } from '../http/graph-urls.js';
import type { Redactor } from '../../../platform/redact.js';
import { parseRetryAfter } from '../http/retry-after.js';
import type { FetchLike } from '../../../platform/http/fetch-like.js';

export type DiscoveryMode = 'relationships' | 'contracts';

export interface GraphDiscoveryOptions {
  graphBase: string;
  mode: DiscoveryMode;
  /** The partner's own token (discovery runs in the partner tenant). */
  partnerToken(): Promise<string>;
  fetch: FetchLike;
  redactor: Redactor;
  /** Further tries of a page after 429 / 5xx / network failures. */
  retries?: number;
  sleep?(ms: number): Promise<void>;
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
 * (default) or partner contracts, following @odata.nextLink (only within the Graph base, so the
 * token never goes elsewhere). The partner token is taken first: a refused credential stops the
 * run here (exit 3), before any tenant.
 */
export class GraphDiscovery {
  constructor(private readonly options: GraphDiscoveryOptions) {}

  async discover(): Promise<DiscoveredTenant[]> {
    const { redactor } = this.options;
    let token: string;
    try {
      token = await this.partnerToken();
    } catch (error) {
      if (error instanceof GraphCallError && error.category === 'AuthenticationFailed') {
        throw new DapError('AUTHENTICATION_FAILED', ExitCode.fatal, redactor.clean(`sign-in of the app failed: ${error.message}; stopped before any tenant was tried`), { cause: error });
      }
      throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, redactor.clean(`no token for the partner tenant: ${(error as Error).message}`), { cause: error });
    }
    const items: unknown[] = [];
    let url: string | undefined = firstPageUrl(this.options.graphBase, this.options.mode);
    let pages = 0;
    while (url) {
      if (++pages > MAX_DISCOVERY_PAGES) throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, `discovery stopped after ${MAX_DISCOVERY_PAGES} pages`);
      const page = await this.page(url, token);
      if (!Array.isArray(page.value)) throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, `the ${this.options.mode} listing answered without a value array`);
      items.push(...page.value);
      const next = page['@odata.nextLink'];
      if (typeof next === 'string' && next !== '') {
        if (!isUnderBase(next, this.options.graphBase)) {
          throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, `the ${this.options.mode} listing's next page is outside ${this.options.graphBase}; not following it`);
        }
        url = next;
      } else url = undefined;
    }
    return this.options.mode === 'contracts' ? customersFromContracts(items as Contract[]) : customersFromRelationships(items as Relationship[]);
  }

  async close(): Promise<void> {}

  /** The partner token; a throttled or failing token endpoint is tried again (bounded, honouring Retry-After). */
  private async partnerToken(): Promise<string> {
    const retries = this.options.retries ?? 4;
    const sleep = this.options.sleep ?? ((ms: number) => delay(ms));
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.options.partnerToken();
      } catch (error) {
        const transient = error instanceof GraphCallError && (error.category === 'Throttled' || error.details.retryable === true);
        if (!transient || attempt >= retries) throw error;
        await sleep(error.details.retryAfterMs ?? Math.min(30_000, 1_000 * 2 ** attempt));
      }
    }
  }

  private async page(url: string, token: string): Promise<{ value?: unknown; '@odata.nextLink'?: unknown }> {
    const retries = this.options.retries ?? 4;
    const sleep = this.options.sleep ?? ((ms: number) => delay(ms));
    for (let attempt = 0; ; attempt += 1) {
      let response: Response | undefined;
      let problem: string;
      let wait = Math.min(30_000, 1_000 * 2 ** attempt);
      try {
        response = await this.options.fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, redirect: 'manual' });
      } catch (error) {
        problem = `Graph could not be reached: ${(error as Error).message}`;
      }
      if (response) {
        if (response.ok) {
          try {
            return (await response.json()) as { value?: unknown };
          } catch {
            throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, `the ${this.options.mode} listing is not JSON`);
          }
        }
        const text = await errorText(response);
        problem = `HTTP ${response.status}: ${text}`;
        if (response.status === 401 || response.status === 403) {
          throw new DapError(
            'DISCOVERY_FAILED',
            ExitCode.fatal,
            this.options.redactor.clean(
              `Graph refused the ${this.options.mode} listing (${problem}); the app needs ${this.options.mode === 'contracts' ? 'Directory.Read.All' : 'DelegatedAdminRelationship.Read.All'} in the partner tenant`,
            ),
          );
        }
        if (response.status !== 429 && response.status < 500) {
          throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, this.options.redactor.clean(`the ${this.options.mode} listing failed (${problem})`));
        }
        wait = parseRetryAfter(response.headers.get('retry-after')) ?? wait;
      }
      if (attempt >= retries) {
        throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, this.options.redactor.clean(`the ${this.options.mode} listing failed ${attempt + 1} times; last: ${problem!}`));
      }
      await sleep(wait);
    }
  }
}

/** A reason a discovered tenant cannot be asked for a token: its id goes into a URL path. */
export function graphTenantProblem(tenantId: string): string | undefined {
  return isGuid(tenantId) ? undefined : `the TenantId '${tenantId}' is not a GUID; no token was requested`;
}
