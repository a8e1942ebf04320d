/**
 * The access tokens the login host hands out (login/) and the APIs take (graph/, exo/), in one
 * store under the services, so that no service reaches into another for them.
 */
import type { TenantRecord } from '../world/world.js';
import type { Audience } from './token-audience.js';

export interface GraphApp {
  clientId: string;
  clientSecret: string;
  displayName: string;
}

export interface AccessToken {
  app: GraphApp;
  /** The tenant the token was issued for (lower-case id). */
  tenantId: string;
  /** The customer tenant; undefined for the partner's own tenant. */
  tenant: TenantRecord | undefined;
  /** The API the token is for (from the requested scope): Graph and Exchange refuse each other's tokens. */
  audience: Audience;
  expiresAt: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, AccessToken>();

  constructor(private readonly clock: () => number = Date.now) {}

  now(): number {
    return this.clock();
  }

  add(value: string, token: AccessToken): void {
    this.tokens.set(value, token);
  }

  /** The token behind an Authorization header: missing, unknown, expired or valid. */
  bearer(header: string | undefined): { kind: 'missing' | 'unknown' | 'expired' } | { kind: 'ok'; token: AccessToken } {
    const value = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!value) return { kind: 'missing' };
    const token = this.tokens.get(value);
    if (!token) return { kind: 'unknown' };
    if (this.clock() >= token.expiresAt) return { kind: 'expired' };
    return { kind: 'ok', token };
  }
}
