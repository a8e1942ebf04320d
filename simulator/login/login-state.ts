/**
 * The login host's side of the simulator: the scenario's apps, their refresh tokens and device
 * codes, and the token endpoint's decisions (login/grants.ts checks the client's credentials).
 * Tokens are signed by the shared store (http/tokens.ts) whose check the APIs use. Secrets are compared, never
 * stored beyond the scenario nor written anywhere.
 */
import { randomBytes } from 'node:crypto';
import { instanceDiscovery, isMultiTenant, issuerOf, openidConfiguration, tokenEndpointAudiences } from './discovery.js';
import type { GraphApp, TokenStore } from '../http/tokens.js';
import { GRAPH_SCOPE, resolveAudience } from '../http/token-audience.js';
import type { GraphWorld } from '../world/graph-world.js';
import { faultsOf, type TenantRecord, type World } from '../world/world.js';
import type { GraphAppSpec } from '../world/scenario-schema.js';
import { authenticateClient, certificatesByThumbprint, DEVICE_CODE_GRANT, DEVICE_CODE_GRANT_SHORT, DeviceCodes, type LoginClient } from './grants.js';
import { loginErrors, type LoginFailure } from './texts.js';

export type TokenResult =
  | {
      ok: true;
      body: { token_type: 'Bearer'; expires_in: number; ext_expires_in: number; access_token: string; scope?: string; refresh_token?: string; id_token?: string; client_info?: string };
    }
  | { ok: false; failure: LoginFailure };


/** The token endpoint's counters (part of GraphStats). */
export interface LoginStats {
  tokensIssued: number;
  tokenFailures: number;
}

function opaque(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** A refresh token the host takes: when it was issued and, once redeemed, when that first happened. */
interface RefreshRecord {
  issuedAt: number;
  redeemedAt?: number;
}

/** A .NET TimeSpan as Entra ID prints one: `d.hh:mm:ss`. */
function timeSpan(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(total / 86_400)}.${pad(Math.floor(total / 3600) % 24)}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

type LoginApp = GraphApp & LoginClient & Pick<GraphAppSpec, 'roles' | 'scopes'> & { refreshTokens: Map<string, RefreshRecord> };

export class LoginState {
  private readonly apps: Map<string, LoginApp>;
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
        {
          clientId: a.clientId,
          clientSecret: a.clientSecret,
          displayName: a.displayName,
          roles: a.roles,
          scopes: a.scopes,
          // the scenario's own refresh tokens count as issued when the simulator starts
          refreshTokens: new Map(a.refreshTokens.map((t) => [t, { issuedAt: clock() }])),
          certificates: certificatesByThumbprint(a.certificates),
        },
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

  /** GET /{tenant}/v2.0/.well-known/openid-configuration on the host at `base`. */
  openidConfiguration(base: string, tenantSegment: string): { ok: true; body: Record<string, unknown> } | { ok: false; failure: LoginFailure } {
    if (isMultiTenant(tenantSegment)) return { ok: true, body: openidConfiguration(base, tenantSegment, undefined) };
    const target = this.resolveTenant(tenantSegment);
    if (!target) return { ok: false, failure: loginErrors.configUnknownTenant(tenantSegment, this.clock()) };
    return { ok: true, body: openidConfiguration(base, tenantSegment, target.partner ? target.tenantId : target.tenant.tenantId.toLowerCase()) };
  }

  /** GET /common/discovery/instance on the host at `base`. */
  instanceDiscovery(base: string, authorizationEndpoint: string | null): { ok: true; body: Record<string, unknown> } | { ok: false; failure: LoginFailure } {
    const body = instanceDiscovery(base, authorizationEndpoint);
    return body ? { ok: true, body } : { ok: false, failure: loginErrors.unknownInstance(this.clock()) };
  }

  /** GET /{tenant}/discovery/v2.0/keys: the key the access tokens are signed with (one set for every tenant). */
  jwks(): { keys: Array<Record<string, unknown>> } {
    return this.tokens.jwks();
  }

  /** POST /{tenant}/oauth2/v2.0/devicecode: a device code for the app (login-grants.ts). */
  startDeviceCode(tenantSegment: string, form: URLSearchParams): { ok: true; body: ReturnType<DeviceCodes['start']> } | { ok: false; failure: LoginFailure } {
    const now = this.clock();
    const clientId = form.get('client_id');
    if (!clientId) return { ok: false, failure: loginErrors.missingField('client_id', now) };
    const scope = form.get('scope');
    if (!scope) return { ok: false, failure: loginErrors.missingField('scope', now) };
    const multiTenant = isMultiTenant(tenantSegment);
    const target = multiTenant ? ({ partner: true, tenantId: this.graphWorld.partnerTenantId } as const) : this.resolveTenant(tenantSegment);
    if (!target) return { ok: false, failure: loginErrors.unknownTenant(tenantSegment, now) };
    const tenantId = target.partner ? target.tenantId : target.tenant.tenantId.toLowerCase();
    const app = this.apps.get(clientId.toLowerCase());
    if (!app) return { ok: false, failure: loginErrors.unknownApp(clientId, tenantId, now) };
    return { ok: true, body: this.deviceCodes.start(app.clientId, tenantId, scope, now) };
  }

  /**
   * POST /{tenant}/oauth2/v2.0/token with the form fields; `base` is the login host's base URL the
   * request came to (a client assertion's aud must name this endpoint there; a token's iss is on it).
   */
  async issueToken(tenantSegment: string, form: URLSearchParams, base: string): Promise<TokenResult> {
    const now = this.clock();
    const fail = (failure: LoginFailure): TokenResult => {
      this.counters.tokenFailures += 1;
      return { ok: false, failure };
    };
    const sentGrant = form.get('grant_type');
    if (!sentGrant) return fail(loginErrors.missingField('grant_type', now));
    const grant = sentGrant === DEVICE_CODE_GRANT_SHORT ? DEVICE_CODE_GRANT : sentGrant;
    if (grant !== 'client_credentials' && grant !== 'refresh_token' && grant !== DEVICE_CODE_GRANT) return fail(loginErrors.unsupportedGrant(sentGrant, now));
    const clientId = form.get('client_id');
    if (!clientId) return fail(loginErrors.missingField('client_id', now));
    // the device code grant carries no scope: the one given when the code was handed out holds
    // (an unknown code is refused by its poll below, as bad_verification_code)
    const scope = form.get('scope') ?? (grant === DEVICE_CODE_GRANT ? (this.deviceCodes.scopeOf(form.get('device_code')) ?? GRAPH_SCOPE) : null);
    if (!scope) return fail(loginErrors.missingField('scope', now));
    const audience = resolveAudience(scope);
    if (!audience.ok && audience.reason === 'noDefault') return fail(loginErrors.badScope(now));
    // /organizations and /common name no tenant: a refresh token then resolves to the partner's own tenant.
    const multiTenant = isMultiTenant(tenantSegment);
    if (multiTenant && grant === 'client_credentials') return fail(loginErrors.noTenant(now));
    const target = multiTenant ? ({ partner: true, tenantId: this.graphWorld.partnerTenantId } as const) : this.resolveTenant(tenantSegment);
    if (!target) return fail(loginErrors.unknownTenant(tenantSegment, now));
    const tenantId = target.partner ? target.tenantId : target.tenant.tenantId.toLowerCase();
    if (!audience.ok) return fail(loginErrors.invalidResource(audience.resource, target.partner ? this.graphWorld.partnerDomain : target.tenant.name, now));
    const app = this.apps.get(clientId.toLowerCase());
    if (!app) return fail(loginErrors.unknownApp(clientId, tenantId, now));
    // a secret or a certificate's client assertion; delegated grants may come from a public client
    const unauthenticated = await authenticateClient(app, form, tokenEndpointAudiences(base, tenantSegment, tenantId), grant !== 'client_credentials', now);
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
      app.refreshTokens.set(refreshToken, { issuedAt: now });
    }
    if (grant === 'refresh_token') {
      const given = form.get('refresh_token');
      if (!given) return fail(loginErrors.missingField('refresh_token', now));
      const record = app.refreshTokens.get(given);
      if (!record) return fail(loginErrors.badRefreshToken(now));
      // Rotation: each redeem answers a new refresh token; the redeemed one still works for the
      // scenario's refreshTokenReuseSeconds after its first redeem (clients keep only the newest).
      const reuseMs = this.world.scenario.graph.refreshTokenReuseSeconds * 1000;
      if (record.redeemedAt !== undefined && now - record.redeemedAt > reuseMs) {
        return fail(loginErrors.refreshTokenExpired(new Date(record.issuedAt).toISOString(), timeSpan(now - record.redeemedAt), now));
      }
      record.redeemedAt ??= now;
      refreshToken = opaque(48);
      app.refreshTokens.set(refreshToken, { issuedAt: now });
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
    const principal =
      grant === 'client_credentials'
        ? ({ kind: 'app', roles: app.roles[audience.audience] } as const)
        : ({ kind: 'user', userName: this.world.scenario.graph.deviceCode.user, scopes: app.scopes[audience.audience] } as const);
    const issuer = issuerOf(base, tenantId);
    const { token } = await this.tokens.issue({ app, tenantId, audience: audience.audience, issuer, lifetimeSeconds: lifetime, principal });
    // a signed-in user's answer also names the account, as public clients (MSAL) cache it: an ID
    // token when `openid` was asked, client_info (the user's id and home tenant) when client_info=1
    const account: { id_token?: string; client_info?: string } = {};
    if (principal.kind === 'user') {
      if (/(^|\s)openid(\s|$)/i.test(scope)) account.id_token = await this.tokens.issueIdToken({ clientId: app.clientId, tenantId, issuer, userName: principal.userName, lifetimeSeconds: lifetime });
      if (form.get('client_info') === '1') {
        const uid = this.tokens.userObjectId(principal.userName);
        account.client_info = Buffer.from(JSON.stringify({ uid, utid: this.graphWorld.partnerTenantId })).toString('base64url');
      }
    }
    this.counters.tokensIssued += 1;
    return {
      ok: true,
      body: {
        token_type: 'Bearer',
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: token,
        ...(refreshToken ? { scope: `${audience.scope} offline_access`, refresh_token: refreshToken } : {}),
        ...account,
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
