import type { BearerSource } from '../../../platform/http/http-client.js';
import { TOKEN_REFRESH_MARGIN_MS, TOKEN_REFRESH_MARGIN_SHARE } from './scopes.js';
import type { IssuedToken } from './token-client.js';

interface Entry {
  accessToken: string;
  /** Used until this time (already minus the margin). */
  useUntil: number;
}

export interface TokenCacheOptions {
  /** Gets a new token for a tenant and scope (the token endpoint). */
  issue(tenant: string, scope: string): Promise<IssuedToken>;
  now?: () => number;
  /** Called with every token issued, e.g. to keep it out of messages. */
  onToken?(accessToken: string): void;
}

/** The tokens of one scope, by tenant: what a backend's tenant runner needs. */
export interface TenantTokens {
  get(tenant: string, signal?: AbortSignal): Promise<string>;
  /** Forgets a token the service refused (401), unless a newer one has replaced it already. */
  invalidate(tenant: string, accessToken: string): void;
}

/** When a token of this lifetime is renewed: 5 minutes before it expires, or 10% of its lifetime for short-lived ones. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(TOKEN_REFRESH_MARGIN_MS, lifetimeMs * TOKEN_REFRESH_MARGIN_SHARE);
}

/**
 * One access token per (tenant, scope), reused until shortly before it expires. Callers asking
 * for the same tenant and scope at once share one request; a failed request is not cached.
 */
export class TokenCache {
  private readonly tokens = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<string>>();
  private issuedCount = 0;

  constructor(private readonly options: TokenCacheOptions) {}

  /** Tokens requested from the service so far. */
  get issued(): number {
    return this.issuedCount;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private key(tenant: string, scope: string): string {
    return `${tenant.toLowerCase()}\n${scope.toLowerCase()}`;
  }

  /** A token for the tenant and scope: the cached one while it is fresh, else a new one. */
  async get(tenant: string, scope: string, signal?: AbortSignal): Promise<string> {
    const key = this.key(tenant, scope);
    const cached = this.tokens.get(key);
    if (cached && this.now() < cached.useUntil) return cached.accessToken;
    let request = this.pending.get(key);
    if (!request) {
      request = this.options
        .issue(tenant, scope)
        .then((issued) => {
          this.issuedCount += 1;
          this.options.onToken?.(issued.accessToken);
          this.tokens.set(key, { accessToken: issued.accessToken, useUntil: this.now() + issued.lifetimeMs - refreshMarginMs(issued.lifetimeMs) });
          return issued.accessToken;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    if (!signal) return request;
    signal.throwIfAborted();
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      request.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Forgets a token the service refused (401), unless a newer one has replaced it already. */
  invalidate(tenant: string, scope: string, accessToken: string): void {
    const key = this.key(tenant, scope);
    if (this.tokens.get(key)?.accessToken === accessToken) this.tokens.delete(key);
  }

  /** This cache seen through one scope (Graph, Exchange), for a tenant runner. */
  forScope(scope: string): TenantTokens {
    return {
      get: (tenant, signal) => this.get(tenant, scope, signal),
      invalidate: (tenant, accessToken) => this.invalidate(tenant, scope, accessToken),
    };
  }
}

/** A tenant's token of one scope for the HTTP client: from the cache, a new one after the service refused the last (401). */
export function tenantBearer(tokens: TenantTokens, tenantId: string, signal?: AbortSignal): BearerSource {
  let last: string | undefined;
  return async (refresh) => {
    if (refresh && last) tokens.invalidate(tenantId, last);
    last = await tokens.get(tenantId, signal);
    return last;
  };
}
