/**
 * The mutable Graph side of the simulator: report download URLs, the per app / tenant / function
 * request windows, one-shot fault counters and GraphStats. Tokens are the login host's
 * (login/login-state.ts), read here from the shared store (http/tokens.ts).
 */
import { randomBytes } from 'node:crypto';
import { graphReportSpecs } from './report-catalog.js';
import type { BearerCheck, GraphApp, TokenStore } from '../http/tokens.js';
import type { GraphWorld } from '../world/graph-world.js';
import type { ReportRequest } from './report-data.js';
import type { TenantRecord, World } from '../world/world.js';
import { OneShotFaults } from '../http/one-shot-faults.js';
import { type GraphThrottleClass, graphThrottleTable } from '../../common/graph-throttling.js';

/** Counters of the Microsoft Graph side of the world. */
export interface GraphStats {
  tokensIssued: number;
  tokenFailures: number;
  relationshipPages: number;
  /** findTenantInformationByTenantId calls answered with a partner token (found or not). */
  tenantLookups: number;
  reportRequests: number;
  downloads: number;
  /**
   * Download requests that carried an Authorization header: a client that sent its Graph token on
   * to the storage host (clients drop it on a redirect to another host; the URL itself is the credential).
   */
  downloadsWithAuthorization: number;
  expiredDownloads: number;
  throttled: number;
  /** `/domains` and `/organization` reads answered (any token kind). */
  directoryReads: number;
  /** `$batch` calls accepted (a refused batch body is not counted). */
  batches: number;
  /** Requests run from inside batches; each is also counted where a direct call of it would be. */
  batchedRequests: number;
  /** Report requests per customer tenant id and report function, e.g. {"<id>": {"getMailboxUsageDetail": 2}}. */
  requestsPerTenant: Record<string, Record<string, number>>;
  /** Requests (and, for directory reads, resource units) per customer tenant id and throttling class, e.g. {"<id>": {"directory": {"requests": 2, "units": 5}}}. */
  classesPerTenant: Record<string, Partial<Record<GraphThrottleClass, { requests: number; units: number; throttled: number; maxInWindow: number }>>>;
}

export interface Download {
  request: ReportRequest;
  expiresAt: number;
}

export type SlotResult = { ok: true } | { ok: false; retryAfterSeconds: number };

function opaque(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function emptyGraphStats(): GraphStats {
  return { tokensIssued: 0, tokenFailures: 0, relationshipPages: 0, tenantLookups: 0, reportRequests: 0, downloads: 0, downloadsWithAuthorization: 0, expiredDownloads: 0, throttled: 0, directoryReads: 0, batches: 0, batchedRequests: 0, requestsPerTenant: {}, classesPerTenant: {} };
}

export class GraphState {
  readonly counters = emptyGraphStats();
  private readonly downloads = new Map<string, Download>();
  /** `${clientId}|${tenantId}|${function}` → times (ms) of accepted report requests in the window. */
  private readonly windows = new Map<string, number[]>();
  private readonly faults = new OneShotFaults();
  /** tenantId → function → requests. */
  private readonly perTenant = new Map<string, Map<string, number>>();

  constructor(
    readonly world: World,
    readonly graphWorld: GraphWorld,
    private readonly tokens: TokenStore,
    private readonly clock: () => number = Date.now,
  ) {}

  now(): number {
    return this.clock();
  }

  /** The Graph token behind an Authorization header, checked (http/tokens.ts). */
  bearer(header: string | undefined): Promise<BearerCheck> {
    return this.tokens.check(header, 'graph');
  }

  countRequest(tenant: TenantRecord, fn: string): void {
    this.counters.reportRequests += 1;
    const key = tenant.tenantId.toLowerCase();
    const byFn = this.perTenant.get(key) ?? new Map<string, number>();
    byFn.set(fn, (byFn.get(fn) ?? 0) + 1);
    this.perTenant.set(key, byFn);
    // the usage reports' class too (its limit is kept per report function: takeSlot)
    const counts = this.classCounts(tenant, 'usageReports');
    counts.requests += 1;
    counts.units += 1;
  }

  /** A tenant's counters of one throttling class. */
  private classCounts(tenant: TenantRecord, throttleClass: GraphThrottleClass): { requests: number; units: number; throttled: number; maxInWindow: number } {
    const perTenant = (this.counters.classesPerTenant[tenant.tenantId.toLowerCase()] ??= {});
    return (perTenant[throttleClass] ??= { requests: 0, units: 0, throttled: 0, maxInWindow: 0 });
  }


  /** True while a one-shot fault still has firings left for this tenant (and uses one). */
  fire(fault: string, tenant: TenantRecord, times: number): boolean {
    return this.faults.fire(fault, tenant, times);
  }

  /** Takes a slot in the app / tenant / function window, or says when the oldest one frees. */
  takeSlot(app: GraphApp, tenant: TenantRecord, fn: string): SlotResult {
    const { requests, windowSeconds } = this.world.scenario.graph.rateLimit;
    const now = this.clock();
    const windowMs = windowSeconds * 1000;
    const key = `${app.clientId.toLowerCase()}|${tenant.tenantId}|${fn}`;
    const recent = (this.windows.get(key) ?? []).filter((t) => now - t < windowMs);
    const counts = this.classCounts(tenant, 'usageReports');
    if (recent.length >= requests) {
      this.windows.set(key, recent);
      counts.throttled += 1;
      const oldest = recent[0] ?? now;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
    }
    recent.push(now);
    this.windows.set(key, recent);
    // the most requests of one report function in one window
    counts.maxInWindow = Math.max(counts.maxInWindow, recent.length);
    return { ok: true };
  }

  /**
   * Takes `units` of the app's budget in the tenant for a throttling class (common/graph-throttling.ts),
   * counting per class and tenant; a request past the budget is refused (with the wait, or none
   * where the service sends no Retry-After).
   */
  takeClassBudget(app: GraphApp, tenant: TenantRecord, throttleClass: GraphThrottleClass, units: number): { ok: true } | { ok: false; retryAfterSeconds: number | undefined } {
    const budget = graphThrottleTable[throttleClass];
    const now = this.clock();
    const key = `${app.clientId.toLowerCase()}|${tenant.tenantId}|class:${throttleClass}`;
    const recent = (this.windows.get(key) ?? []).filter((t) => now - t < budget.windowMs);
    const counts = this.classCounts(tenant, throttleClass);
    counts.requests += 1;
    if (recent.length + units > budget.limit) {
      this.windows.set(key, recent);
      counts.throttled += 1;
      const oldest = recent[0] ?? now;
      return { ok: false, retryAfterSeconds: budget.retryAfter ? Math.max(1, Math.ceil((oldest + budget.windowMs - now) / 1000)) : undefined };
    }
    for (let i = 0; i < units; i += 1) recent.push(now);
    this.windows.set(key, recent);
    counts.units += units;
    counts.maxInWindow = Math.max(counts.maxInWindow, recent.length);
    return { ok: true };
  }

  /** Registers a download URL id for a report; `expired` hands out one that is already past its time. */
  addDownload(request: ReportRequest, expired: boolean): string {
    const id = opaque(36);
    const now = this.clock();
    const expiresAt = expired ? now - 1000 : now + this.world.scenario.graph.downloadLifetimeSeconds * 1000;
    this.downloads.set(id, { request, expiresAt });
    return id;
  }

  download(id: string): Download | undefined {
    return this.downloads.get(id);
  }

  /** The counters; requestsPerTenant in world order, functions in catalog order. */
  stats(): GraphStats {
    const requestsPerTenant: Record<string, Record<string, number>> = {};
    for (const tenant of this.world.tenants) {
      const byFn = this.perTenant.get(tenant.tenantId.toLowerCase());
      if (!byFn) continue;
      const entry: Record<string, number> = {};
      for (const spec of graphReportSpecs) {
        const n = byFn.get(spec.name);
        if (n) entry[spec.name] = n;
      }
      requestsPerTenant[tenant.tenantId] = entry;
    }
    return { ...this.counters, requestsPerTenant };
  }
}
