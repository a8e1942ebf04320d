import type { DiscoveredTenant } from '../../contract/runner-types.js';
import { isDnsName } from '../../../../common/dns-name.js';
import { isGuid } from '../../../platform/tenant-names.js';
import { DOMAIN_LOOKUP_CONCURRENCY, DOMAIN_LOOKUP_RETRIES, DOMAIN_LOOKUP_TIMEOUT_MS, MAX_DOMAIN_LOOKUP_WAIT_MS } from '../http/graph-limits.js';
import type { BearerSource, ServiceClient } from '../../../platform/http/http-client.js';

export interface DomainLookupOptions {
  /** The HTTP client made for Graph (its redactor keeps the token out of every problem). */
  http: ServiceClient;
  /** The partner's own token (the lookup is a partner-tenant call). */
  partnerToken: BearerSource;
  /** Lookups at once (default 8). */
  concurrency?: number;
  /** Further tries of one lookup after 429 / 5xx / network failures (default 2). */
  retries?: number;
}

export interface DomainLookupResult {
  /** The tenants, those looked up successfully with their defaultDomainName filled in. */
  tenants: DiscoveredTenant[];
  /** How many tenants were looked up and kept no domain. */
  failed: number;
  /** The first failure's reason (redacted), for the one notice. */
  firstProblem?: string;
}

/** GET <graph>/v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='<guid>'). */
export function tenantInformationUrl(graphBase: string, tenantId: string): string {
  if (!isGuid(tenantId)) throw new Error(`'${tenantId}' is not a tenant id (GUID)`);
  return `${graphBase}/v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='${tenantId}')`;
}

type Answer = { domain: string } | { problem: string; stopAll?: boolean };

/**
 * Gives customers discovered without a domain (GDAP relationships name only the tenant) their
 * default domain, from `findTenantInformationByTenantId` with the partner's token: a few at once,
 * a 429's Retry-After honoured (up to a minute), 5xx and network failures tried again at most
 * `retries` times. A tenant whose lookup fails keeps no domain (TenantDomain falls back to its
 * display name); the run goes on. A 401/403 (the app lacks CrossTenantInformation.ReadBasic.All)
 * stops the remaining lookups: they would all be refused.
 */
export async function lookupDomains(tenants: readonly DiscoveredTenant[], options: DomainLookupOptions): Promise<DomainLookupResult> {
  const result = tenants.map((t) => ({ ...t }));
  const todo = result.filter((t) => !t.defaultDomainName && !t.initialDomain && isGuid(t.tenantId));
  if (todo.length === 0) return { tenants: result, failed: 0 };
  try {
    await options.partnerToken(false);
  } catch (error) {
    return { tenants: result, failed: todo.length, firstProblem: options.http.clean(`no partner token: ${(error as Error).message}`) };
  }
  let failed = 0;
  let firstProblem: string | undefined;
  let stopped: string | undefined;
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const tenant = todo[next++]!;
      const answer: Answer = stopped !== undefined ? { problem: stopped } : await lookupOne(tenant.tenantId, options);
      if ('domain' in answer) {
        tenant.defaultDomainName = answer.domain;
        continue;
      }
      failed += 1;
      firstProblem ??= answer.problem;
      if (answer.stopAll) stopped ??= answer.problem;
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? DOMAIN_LOOKUP_CONCURRENCY, todo.length));
  await Promise.all(Array.from({ length: workers }, () => worker()));
  return { tenants: result, failed, ...(firstProblem !== undefined ? { firstProblem } : {}) };
}

async function lookupOne(tenantId: string, options: DomainLookupOptions): Promise<Answer> {
  const { http } = options;
  let response: Response;
  try {
    ({ response } = await http.request(tenantInformationUrl(http.base, tenantId), {
      headers: { accept: 'application/json' },
      bearer: options.partnerToken,
      timeoutMs: DOMAIN_LOOKUP_TIMEOUT_MS,
      retry: { retries: options.retries ?? DOMAIN_LOOKUP_RETRIES, maxWaitMs: MAX_DOMAIN_LOOKUP_WAIT_MS },
    }));
  } catch (error) {
    // a token that could not be had, the network, a timeout: as the error says it
    if (!http.owns(error) || error.details.status === undefined) return { problem: http.clean((error as Error).message) };
    const { status, serviceText, retryAfterMs } = error.details;
    const problem = `HTTP ${status}: ${serviceText ?? ''}`;
    if (status === 401 || status === 403) return { problem: http.clean(`${problem} (the app needs CrossTenantInformation.ReadBasic.All in the partner tenant)`), stopAll: true };
    if (retryAfterMs !== undefined && retryAfterMs > MAX_DOMAIN_LOOKUP_WAIT_MS) return { problem: http.clean(`${problem}; the service asked to wait ${Math.ceil(retryAfterMs / 1000)} s`) };
    return { problem: http.clean(problem) };
  }
  return readAnswer(response, tenantId, (text) => http.clean(text));
}

async function readAnswer(response: Response, tenantId: string, clean: (text: string) => string): Promise<Answer> {
  let body: { tenantId?: unknown; defaultDomainName?: unknown };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    return { problem: 'the tenant information is not JSON' };
  }
  if (typeof body.tenantId === 'string' && body.tenantId.trim().toLowerCase() !== tenantId.toLowerCase()) {
    return { problem: clean(`the tenant information is of another tenant ('${body.tenantId}')`) };
  }
  const domain = typeof body.defaultDomainName === 'string' ? body.defaultDomainName.trim().toLowerCase() : '';
  if (!isDnsName(domain)) return { problem: clean(`the tenant information has no usable defaultDomainName (received '${String(body.defaultDomainName)}')`) };
  return { domain };
}
