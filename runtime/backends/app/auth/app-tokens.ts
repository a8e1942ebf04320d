/**
 * The tokens the backends ask for, per (tenant, scope), from the sign-in (MSAL's cache). Kept
 * hand-written for two things MSAL does not do: callers asking for the same tenant and scope at
 * once share one request (MSAL coalesces silent requests only, not client credentials), and a
 * token the service refused (401) is not handed out again (the next request skips MSAL's cache).
 */

import type { BearerSource } from '../../../platform/http/http-client.js';

/** Gets a token for a tenant and scope; `forceRefresh` when the cached one was refused. */
export type TokenIssuer = (tenant: string, scope: string, forceRefresh: boolean) => Promise<string>;

/** The tokens of one scope, by tenant: what a backend's tenant runner needs. */
export interface TenantTokens {
  get(tenant: string, signal?: AbortSignal): Promise<string>;
  /** Forgets a token the service refused (401), unless a newer one has replaced it already. */
  invalidate(tenant: string, accessToken: string): void;
}

export interface AppTokensOptions {
  issue: TokenIssuer;
  /** Called with every token handed out, e.g. to keep it out of messages. */
  onToken?(accessToken: string): void;
}

export class AppTokens {
  private readonly pending = new Map<string, Promise<string>>();
  /** The last token handed out per key, and whether the service refused it. */
  private readonly last = new Map<string, { accessToken: string; refused: boolean }>();

  constructor(private readonly options: AppTokensOptions) {}

  private key(tenant: string, scope: string): string {
    return `${tenant.toLowerCase()}\n${scope.toLowerCase()}`;
  }

  /** A token for the tenant and scope. */
  async get(tenant: string, scope: string, signal?: AbortSignal): Promise<string> {
    const key = this.key(tenant, scope);
    let request = this.pending.get(key);
    if (!request) {
      request = this.options
        .issue(tenant, scope, this.last.get(key)?.refused === true)
        .then((accessToken) => {
          this.options.onToken?.(accessToken);
          this.last.set(key, { accessToken, refused: false });
          return accessToken;
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

  /** Marks a token the service refused (401), unless a newer one has replaced it already. */
  invalidate(tenant: string, scope: string, accessToken: string): void {
    const last = this.last.get(this.key(tenant, scope));
    if (last?.accessToken === accessToken) last.refused = true;
  }

  /** These tokens seen through one scope (Graph, Exchange), for a tenant runner. */
  forScope(scope: string): TenantTokens {
    return {
      get: (tenant, signal) => this.get(tenant, scope, signal),
      invalidate: (tenant, accessToken) => this.invalidate(tenant, scope, accessToken),
    };
  }
}

/** A tenant's token of one scope for the HTTP client: from the sign-in, a new one after the service refused the last (401). */
export function tenantBearer(tokens: TenantTokens, tenantId: string, signal?: AbortSignal): BearerSource {
  let last: string | undefined;
  return async (refresh) => {
    if (refresh && last) tokens.invalidate(tenantId, last);
    last = await tokens.get(tenantId, signal);
    return last;
  };
}
