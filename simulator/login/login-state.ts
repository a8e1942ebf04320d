/**
 * The login host's side of the simulator: the scenario's apps, their refresh tokens and device
 * codes, and the token endpoint's decisions (login/grants.ts checks the client's credentials).
 * Tokens go to the shared store (http/tokens.ts) the APIs read. Secrets are compared, never
 * stored beyond the scenario nor written anywhere.
 */
import { randomBytes } from 'node:crypto';
import type { GraphApp, TokenStore } from '../http/tokens.js';
import { GRAPH_SCOPE, resolveAudience } from '../http/token-audience.js';
import type { GraphWorld } from '../world/graph-world.js';
import { faultsOf, type TenantRecord, type World } from '../world/world.js';
import { authenticateClient, certificatesByX5t, DEVICE_CODE_GRANT, DeviceCodes, type LoginClient } from './grants.js';
import { loginErrors, type LoginFailure } from './texts.js';

export type TokenResult =
  | { ok: true; body: { token_type: 'Bearer'; expires_in: number; ext_expires_in: number; access_token: string; scope?: string; refresh_token?: string } }
  | { ok: false; failure: LoginFailure };


/** The token endpoint's counters (part of GraphStats). */
export interface LoginStats {
  tokensIssued: number;
  tokenFailures: number;
}

function opaque(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export class LoginState {
  private readonly apps: Map<string, GraphApp & LoginClient & { refreshTokens: Set<string> }>;
  private readonly deviceCodes: DeviceCodes;

  constructor(
    readonly world: World,
    readonly graphWorld: GraphWorld,
    private readonly tokens: TokenStore,
    readonly counters: LoginStats,
    private readonly clock: () => number = Date.now,
  ) {
    this.apps = new Map(
      world.scenario.graph.apps.map((a) => [
        a.clientId.toLowerCase(),
        { clientId: a.clientId, clientSecret: a.clientSecret, displayName: a.displayName, refreshTokens: new Set(a.refreshTokens), certificates: certificatesByX5t(a.certificates) },
      ]),
    );
    this.deviceCodes = new DeviceCodes(world.scenario.graph.deviceCode);
  }

  now(): number {
    return this.clock();
  }

  /** The partner (`partner: true`) or customer tenant named in the token path by id or domain. */
  resolveTenant(segment: string): { partner: true; tenantId: string } | { partner: false; tenant: TenantRecord } | undefined {
    const key = segment.toLowerCase();
    const gw = this.graphWorld;
    if (key === gw.partnerTenantId || key === gw.partnerDomain) return { partner: true, tenantId: gw.partnerTenantId };
    const tenant = this.world.lookup.get(key);
    // The lookup also holds display names; the login host only knows ids and domain names.
    if (!tenant || key === tenant.name.toLowerCase()) return undefined;
    return { partner: false, tenant };
  }

  /** POST /{tenant}/oauth2/v2.0/devicecode: a device code for the app (login-grants.ts). */
  startDeviceCode(tenantSegment: string, form: URLSearchParams): { ok: true; body: ReturnType<DeviceCodes['start']> } | { ok: false; failure: LoginFailure } {
    const now = this.clock();
    const clientId = form.get('client_id');
    if (!clientId) return { ok: false, failure: loginErrors.missingField('client_id', now) };
    const scope = form.get('scope');
    if (!scope) return { ok: false, failure: loginErrors.missingField('scope', now) };
    const multiTenant = ['organizations', 'common'].includes(tenantSegment.toLowerCase());
    const target = multiTenant ? ({ partner: true, tenantId: this.graphWorld.partnerTenantId } as const) : this.resolveTenant(tenantSegment);
    if (!target) return { ok: false, failure: loginErrors.unknownTenant(tenantSegment, now) };
    const tenantId = target.partner ? target.tenantId : target.tenant.tenantId.toLowerCase();
    const app = this.apps.get(clientId.toLowerCase());
    if (!app) return { ok: false, failure: loginErrors.unknownApp(clientId, tenantId, now) };
    return { ok: true, body: this.deviceCodes.start(app.clientId, tenantId, scope, now) };
  }

  /**
   * POST /{tenant}/oauth2/v2.0/token with the form fields; `endpointUrl` is the URL the request
   * came to (a client assertion's aud must name it).
   */
  issueToken(tenantSegment: string, form: URLSearchParams, endpointUrl = ''): TokenResult {
    const now = this.clock();
    const fail = (failure: LoginFailure): TokenResult => {
      this.counters.tokenFailures += 1;
      return { ok: false, failure };
    };
    const grant = form.get('grant_type');
    if (!grant) return fail(loginErrors.missingField('grant_type', now));
    if (grant !== 'client_credentials' && grant !== 'refresh_token' && grant !== DEVICE_CODE_GRANT) return fail(loginErrors.unsupportedGrant(grant, now));
    const clientId = form.get('client_id');
    if (!clientId) return fail(loginErrors.missingField('client_id', now));
    // the device code grant carries no scope: the one given when the code was handed out holds
    // (an unknown code is refused by its poll below, as bad_verification_code)
    const scope = form.get('scope') ?? (grant === DEVICE_CODE_GRANT ? (this.deviceCodes.scopeOf(form.get('device_code')) ?? GRAPH_SCOPE) : null);
    if (!scope) return fail(loginErrors.missingField('scope', now));
    const audience = resolveAudience(scope);
    if (!audience.ok && audience.reason === 'noDefault') return fail(loginErrors.badScope(now));
    // /organizations and /common name no tenant: a refresh token then resolves to the partner's own tenant.
    const multiTenant = ['organizations', 'common'].includes(tenantSegment.toLowerCase());
    if (multiTenant && grant === 'client_credentials') return fail(loginErrors.noTenant(now));
    const target = multiTenant ? ({ partner: true, tenantId: this.graphWorld.partnerTenantId } as const) : this.resolveTenant(tenantSegment);
    if (!target) return fail(loginErrors.unknownTenant(tenantSegment, now));
    const tenantId = target.partner ? target.tenantId : target.tenant.tenantId.toLowerCase();
    if (!audience.ok) return fail(loginErrors.invalidResource(audience.resource, target.partner ? this.graphWorld.partnerDomain : target.tenant.name, now));
    const app = this.apps.get(clientId.toLowerCase());
    if (!app) return fail(loginErrors.unknownApp(clientId, tenantId, now));
    // a secret or a certificate's client assertion; delegated grants may come from a public client
    const unauthenticated = authenticateClient(app, form, endpointUrl, grant !== 'client_credentials', now);
    if (unauthenticated) return fail(unauthenticated);
    const secret = form.get('client_secret');
    if (secret !== null && secret !== app.clientSecret) return fail(loginErrors.badSecret(app.clientId, now));
    let refreshToken: string | undefined;
    if (grant === DEVICE_CODE_GRANT) {
      const given = form.get('device_code');
      if (!given) return fail(loginErrors.missingField('device_code', now));
      const poll = this.deviceCodes.poll(given, app.clientId, now);
      if (!poll.ok) return fail(poll.failure);
      refreshToken = opaque(48);
      app.refreshTokens.add(refreshToken);
    }
    if (grant === 'refresh_token') {
      const given = form.get('refresh_token');
      if (!given) return fail(loginErrors.missingField('refresh_token', now));
      if (!app.refreshTokens.has(given)) return fail(loginErrors.badRefreshToken(now));
      // Rotation as Entra ID does it: each redeem answers a new refresh token, and the one redeemed
      // is not revoked (it stays valid until its own expiry; clients should keep only the newest).
      refreshToken = opaque(48);
      app.refreshTokens.add(refreshToken);
    }
    if (!target.partner && faultsOf(this.world, target.tenant, 'notConsented').length > 0) {
      return fail(loginErrors.notConsented(app.clientId, app.displayName, now));
    }
    if (!target.partner && !this.relationshipGrantsAccess(target.tenant)) {
      return fail(
        grant !== 'client_credentials'
          ? loginErrors.noDelegatedAccess(this.graphWorld.partnerTenantId, target.tenant.name, app.clientId, app.displayName, now)
          : loginErrors.unknownApp(app.clientId, tenantId, now),
      );
    }
    const lifetime = this.world.scenario.graph.tokenLifetimeSeconds;
    const token = opaque(32);
    this.tokens.add(token, { app, tenantId, tenant: target.partner ? undefined : target.tenant, audience: audience.audience, expiresAt: now + lifetime * 1000 });
    this.counters.tokensIssued += 1;
    return {
      ok: true,
      body: {
        token_type: 'Bearer',
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: token,
        ...(refreshToken ? { scope: `${audience.scope} offline_access`, refresh_token: refreshToken } : {}),
      },
    };
  }

  /**
   * Whether the partner may still reach the customer: only an active (or expiring) GDAP
   * relationship does. Approval pending, expired and terminated ones give no token, for any grant.
   */
  relationshipGrantsAccess(tenant: TenantRecord): boolean {
    const status = this.graphWorld.relationshipsByTenant.get(tenant.tenantId.toLowerCase())?.status;
    return status === 'active' || status === 'expiring';
  }
}
