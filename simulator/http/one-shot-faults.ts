import type { TenantRecord } from '../world/world.js';

/**
 * How often each one-shot fault of the scenario has fired per tenant (a throttle that answers 429
 * `failures` times, then lets the calls through), for every service that has such faults.
 */
export class OneShotFaults {
  /** `${fault}|${tenantId}` → how many times it has fired. */
  private readonly fired = new Map<string, number>();

  /** True while a one-shot fault still has firings left for this tenant (and uses one). */
  fire(fault: string, tenant: TenantRecord, times: number): boolean {
    const key = `${fault}|${tenant.tenantId}`;
    const used = this.fired.get(key) ?? 0;
    if (used >= times) return false;
    this.fired.set(key, used + 1);
    return true;
  }
}
