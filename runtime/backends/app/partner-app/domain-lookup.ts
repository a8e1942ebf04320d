import { setTimeout as delay } from 'node:timers/promises';
import type { DiscoveredTenant } from '../../contract/runner-types.js';
import { isDnsName } from '../../../../common/dns-name.js';
import { isGuid } from '../../../platform/tenant-names.js';
import { errorText } from '../http/graph-error.js';
import { DOMAIN_LOOKUP_CONCURRENCY, DOMAIN_LOOKUP_RETRIES, DOMAIN_LOOKUP_TIMEOUT_MS, MAX_DOMAIN_LOOKUP_WAIT_MS } from '../http/graph-limits.js';
import type { Redactor } from '../../../platform/redact.js';
import { parseRetryAfter } from '../http/retry-after.js';
import type { FetchLike } from '../../../platform/http/fetch-like.js';

export interface DomainLookupOptions {
  graphBase: string;
  /** The partner's own token (the lookup is a partner-tenant call). */
  partnerToken(): Promise<string>;
  fetch: FetchLike;
  redactor: Redactor;
  /** Lookups at once (default 8). */
  concurrency?: number;
  /** Further tries of one lookup after 429 / 5xx / network failures (default 2). */
  retries?: number;
  sleep?(ms: number): Promise<void>;
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
  let token: string;
  try {
    token = await options.partnerToken();
  } catch (error) {
    return { tenants: result, failed: todo.length, firstProblem: options.redactor.clean(`no partner token: ${(error as Error).message}`) };
  }
  let failed = 0;
  let firstProblem: string | undefined;
  let stopped: string | undefined;
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const tenant = todo[next++]!;
      const answer: Answer = stopped !== undefined ? { problem: stopped } : await lookupOne(tenant.tenantId, token, options);
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

async function lookupOne(tenantId: string, token: string, options: DomainLookupOptions): Promise<Answer> {
  const retries = options.retries ?? DOMAIN_LOOKUP_RETRIES;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const url = tenantInformationUrl(options.graphBase, tenantId);
  const clean = (text: string) => options.redactor.clean(text);
  for (let attempt = 0; ; attempt += 1) {
    let problem: string;
    let wait = 1_000 * 2 ** attempt;
    let response: Response | undefined;
    try {
      response = await options.fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(DOMAIN_LOOKUP_TIMEOUT_MS),
      });
    } catch (error) {
      problem = `Graph could not be reached: ${(error as Error).message}`;
    }
    if (response) {
      if (response.status === 200) return readAnswer(response, tenantId, clean);
      problem = `HTTP ${response.status}: ${await errorText(response)}`;
      if (response.status === 401 || response.status === 403) {
        return { problem: clean(`${problem} (the app needs CrossTenantInformation.ReadBasic.All in the partner tenant)`), stopAll: true };
      }
      if (response.status !== 429 && response.status < 500) return { problem: clean(problem) };
      wait = parseRetryAfter(response.headers.get('retry-after')) ?? wait;
    }
    if (attempt >= retries) return { problem: clean(problem!) };
    if (wait > MAX_DOMAIN_LOOKUP_WAIT_MS) return { problem: clean(`${problem!}; the service asked to wait ${Math.ceil(wait / 1000)} s`) };
    await sleep(wait);
  }
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
