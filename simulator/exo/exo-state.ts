/**
 * The mutable side of the simulated Exchange admin API: one-shot fault counters, requests in
 * flight per tenant, and the counters reported as SimulatorStats.exo.
 */
import type { TenantRecord, World } from '../world/world.js';
import { OneShotFaults } from '../http/one-shot-faults.js';

/** Counters of the Exchange Online admin API (InvokeCommand under <url>/exo). */
export interface ExoStats {
  /** InvokeCommand calls received (every answer, refused and throttled ones included), each call of a $batch among them. */
  requests: number;
  /** $batch calls accepted (a batch refused as a whole is not counted; its calls are not run). */
  batches: number;
  /** 200 answers (each page of a paged answer is one). */
  pages: number;
  /** 429 answers (exoThrottle). */
  throttled: number;
  /** 401 and 403 answers (no, bad, expired or wrong-audience/tenant token; roleMissing). */
  refused: number;
  /** 500 answers (exoServerError). */
  serverErrors: number;
  /** The most InvokeCommand calls in flight at once, over all tenants. */
  maxConcurrent: number;
  /** Per customer tenant id: the most calls for that tenant in flight at once. */
  maxConcurrentPerTenant: Record<string, number>;
}

export function emptyExoStats(): ExoStats {
  return { requests: 0, batches: 0, pages: 0, throttled: 0, refused: 0, serverErrors: 0, maxConcurrent: 0, maxConcurrentPerTenant: {} };
}

export class ExoState {
  readonly counters = emptyExoStats();
  private readonly faults = new OneShotFaults();
  private readonly inFlight = new Map<string, number>();
  private inFlightTotal = 0;
  /** tenant id → the most requests seen at once. */
  private readonly peak = new Map<string, number>();

  constructor(readonly world: World) {}

  /** A request for the tenant starts (or, with no tenant, for a path naming none); returns its end. */
  begin(tenantId: string): () => void {
    const key = tenantId.toLowerCase();
    const n = (this.inFlight.get(key) ?? 0) + 1;
    this.inFlight.set(key, n);
    this.inFlightTotal += 1;
    this.peak.set(key, Math.max(this.peak.get(key) ?? 0, n));
    this.counters.maxConcurrent = Math.max(this.counters.maxConcurrent, this.inFlightTotal);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
      this.inFlightTotal -= 1;
    };
  }

  /** True while a one-shot fault still has firings left for this tenant (and uses one). */
  fire(fault: string, tenant: TenantRecord, times: number): boolean {
    return this.faults.fire(fault, tenant, times);
  }

  /** The counters; maxConcurrentPerTenant in world order (tenants never called are left out). */
  stats(): ExoStats {
    const maxConcurrentPerTenant: Record<string, number> = {};
    for (const tenant of this.world.tenants) {
      const n = this.peak.get(tenant.tenantId.toLowerCase());
      if (n) maxConcurrentPerTenant[tenant.tenantId] = n;
    }
    return { ...this.counters, maxConcurrentPerTenant };
  }
}
