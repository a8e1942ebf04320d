import type { BearerSource } from '../../../platform/http/http-client.js';
import type { TenantTokens } from '../auth/token-cache.js';

/** A tenant's token of one scope for the HTTP client: from the cache, a new one after the service refused the last (401). */
export function tenantBearer(tokens: TenantTokens, tenantId: string, signal?: AbortSignal): BearerSource {
  let last: string | undefined;
  return async (refresh) => {
    if (refresh && last) tokens.invalidate(tenantId, last);
    last = await tokens.get(tenantId, signal);
    return last;
  };
}
