/**
 * The mutable Graph side of the simulator: access and refresh tokens, report download URLs,
 * the per app / tenant / function request windows, one-shot fault counters and GraphStats.
 * Secrets are compared, never stored beyond the scenario nor written anywhere.
 */
import { randomBytes } from 'node:crypto';
import { graphReportSpecs } from './report-catalog.js';
import { loginErrors, type LoginFailure } from './texts.js';
import { authenticateClient, certificatesByX5t, DEVICE_CODE_GRANT, DeviceCodes, type LoginClient } from '../login/grants.js';
import { buildGraphWorld, type GraphWorld } from '../world/graph-world.js';
import type { ReportRequest } from './report-data.js';
import type { GraphStats } from '../simulator-types.js';
import { GRAPH_SCOPE, resolveAudience, type Audience } from '../http/token-audience.js';
import { faultsOf, type TenantRecord, type World } from '../world/world.js';

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

export interface Download {
  request: ReportRequest;
  expiresAt: number;
}

export type TokenResult =
  | { ok: true; body: { token_type: 'Bearer'; expires_in: number; ext_expires_in: number; access_token: string; scope?: string; refresh_token?: string } }
  | { ok: false; failure: LoginFailure };

export type SlotResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export { GRAPH_SCOPE } from '../http/token-audience.js';

function opaque(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function emptyGraphStats(): GraphStats {
  return { tokensIssued: 0, tokenFailures: 0, relationshipPages: 0, tenantLookups: 0, reportRequests: 0, downloads: 0, expiredDownloads: 0, throttled: 0, requestsPerTenant: {} };
}

export class GraphState {
  readonly graphWorld: GraphWorld;
  readonly counters = emptyGraphStats();
  private readonly apps: Map<string, GraphApp & LoginClient & { refreshTokens: Set<string> }>;
  private readonly deviceCodes: DeviceCodes;
  private readonly tokens = new Map<string, AccessToken>();
  private readonly downloads = new Map<string, Download>();
  /** `${clientId}|${tenantId}|${function}` → times (ms) of accepted report requests in the window. */
  private readonly windows = new Map<string, number[]>();
  /** `${fault}|${tenantId}` → how many times a one-shot fault has fired. */
  private readonly fired = new Map<string, number>();
  /** tenantId → function → requests. */
  private readonly perTenant = new Map<string, Map<string, number>>();

  constructor(
    readonly world: World,
    private readonly clock: () => number = Date.now,
  ) {
    this.graphWorld = buildGraphWorld(world, clock());
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
    this.tokens.set(token, { app, tenantId, tenant: target.partner ? undefined : target.tenant, audience: audience.audience, expiresAt: now + lifetime * 1000 });
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

  /** The token behind an Authorization header: missing, unknown, expired or valid. */
  bearer(header: string | undefined): { kind: 'missing' | 'unknown' | 'expired' } | { kind: 'ok'; token: AccessToken } {
    const value = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!value) return { kind: 'missing' };
    const token = this.tokens.get(value);
    if (!token) return { kind: 'unknown' };
    if (this.clock() >= token.expiresAt) return { kind: 'expired' };
    return { kind: 'ok', token };
  }

  countRequest(tenant: TenantRecord, fn: string): void {
    this.counters.reportRequests += 1;
    const key = tenant.tenantId.toLowerCase();
    const byFn = this.perTenant.get(key) ?? new Map<string, number>();
    byFn.set(fn, (byFn.get(fn) ?? 0) + 1);
    this.perTenant.set(key, byFn);
  }

  /** True while a one-shot fault still has firings left for this tenant (and uses one). */
  fire(fault: string, tenant: TenantRecord, times: number): boolean {
    const key = `${fault}|${tenant.tenantId}`;
    const used = this.fired.get(key) ?? 0;
    if (used >= times) return false;
    this.fired.set(key, used + 1);
    return true;
  }

  /** Takes a slot in the app / tenant / function window, or says when the oldest one frees. */
  takeSlot(app: GraphApp, tenant: TenantRecord, fn: string): SlotResult {
    const { requests, windowSeconds } = this.world.scenario.graph.rateLimit;
    const now = this.clock();
    const windowMs = windowSeconds * 1000;
    const key = `${app.clientId.toLowerCase()}|${tenant.tenantId}|${fn}`;
    const recent = (this.windows.get(key) ?? []).filter((t) => now - t < windowMs);
    if (recent.length >= requests) {
      this.windows.set(key, recent);
      const oldest = recent[0] ?? now;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
    }
    recent.push(now);
    this.windows.set(key, recent);
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
