/**
 * Microsoft Graph's throttling classes, one table (shared/reference/partner-environment.md §4c,
 * from Microsoft's throttling-limits page, "subject to change"). The runtime keeps every tenant
 * within the budget of the class a query's path falls in; the simulator counts and enforces per
 * class and per tenant from the same table.
 */

export const graphThrottleClasses = ['usageReports', 'identityReports', 'directory', 'secureScore', 'identityProtection'] as const;
export type GraphThrottleClass = (typeof graphThrottleClasses)[number];

export interface GraphThrottleBudget {
  /** What the class covers, as messages name it. */
  readonly label: string;
  /** Requests (or, for `directory`, resource units) per window, per app and tenant. */
  readonly limit: number;
  readonly windowMs: number;
  /** Requests in flight at once per app and tenant, where the service says. */
  readonly concurrent?: number;
  /** The service's 429 carries a Retry-After (Identity Protection and Conditional Access send none). */
  readonly retryAfter: boolean;
  /** The limit counts resource units (directoryReadCost), not requests. */
  readonly units?: true;
}

/**
 * The budget per class. Directory reads: the smallest bucket (tenants under 50 users, 3,500 units
 * per 10 s), since the runtime does not know a tenant's size before it reads it.
 */
export const graphThrottleTable: Readonly<Record<GraphThrottleClass, GraphThrottleBudget>> = {
  usageReports: { label: 'usage reports', limit: 14, windowMs: 10 * 60_000, retryAfter: true },
  identityReports: { label: 'identity and access reports', limit: 5, windowMs: 10_000, retryAfter: true },
  directory: { label: 'directory reads', limit: 3_500, windowMs: 10_000, retryAfter: true, units: true },
  secureScore: { label: 'Secure Score', limit: 150, windowMs: 60_000, concurrent: 4, retryAfter: true },
  identityProtection: { label: 'Conditional Access and Identity Protection', limit: 1, windowMs: 1_000, retryAfter: false },
};

/** The global limit per app across every tenant (the current page: 130,000 requests per 10 s). */
export const graphGlobalBudget = { label: 'all tenants', limit: 130_000, windowMs: 10_000 } as const;

/** A Graph path without its version and query: 'users', 'reports/getMailboxUsageDetail(period=…)'. */
function resourcePath(path: string): string {
  const bare = path.split('?')[0]!.replace(/^\/+/, '').replace(/^(v1\.0|beta)\//i, '');
  return bare.toLowerCase();
}

/** The class a request path ('/v1.0/subscribedSkus', 'security/secureScores?$top=1', …) falls in. */
export function graphThrottleClassOf(path: string): GraphThrottleClass {
  const p = resourcePath(path);
  if (/^reports\/authenticationmethods\//.test(p) || /^auditlogs\//.test(p)) return 'identityReports';
  if (/^reports\/get[a-z0-9]*(\(|$)/.test(p)) return 'usageReports';
  if (/^security\/securescore/.test(p)) return 'secureScore';
  if (/^identity\/conditionalaccess\//.test(p) || /^identityprotection\//.test(p)) return 'identityProtection';
  return 'directory';
}

/** What a query's options change in its directory cost. */
export interface DirectoryCostQuery {
  readonly select?: boolean;
  readonly expand?: boolean;
  readonly top?: number;
}

/** Base costs of the directory resources that cost more than 1. */
const directoryBaseCosts: ReadonlyArray<readonly [RegExp, number]> = [
  [/^users(\/|$)/, 2],
  [/^subscribedskus(\/|$)/, 3],
  [/^contracts(\/|$)/, 3],
  [/^groups\/[^/]+\/members(\/|$)/, 3],
];

/** The resource units one GET of a directory path costs: 1, or its base; $select −1, $expand +1, $top < 20 −1; never below 1. */
export function directoryReadCost(path: string, query: DirectoryCostQuery = {}): number {
  const p = resourcePath(path);
  let cost = directoryBaseCosts.find(([pattern]) => pattern.test(p))?.[1] ?? 1;
  if (query.select) cost -= 1;
  if (query.expand) cost += 1;
  if (query.top !== undefined && query.top < 20) cost -= 1;
  return Math.max(1, cost);
}

/** The budget units one request of a path takes: its directory cost, or 1 in every other class. */
export function graphRequestUnits(path: string, query: DirectoryCostQuery = {}): number {
  return graphThrottleClassOf(path) === 'directory' ? directoryReadCost(path, query) : 1;
}
