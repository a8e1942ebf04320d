/**
 * The access tokens the login host hands out (login/) and the APIs take (graph/, exo/): JWTs signed
 * RS256 with a key the simulator makes when it starts (published by the login host's JWKS), with
 * the claims real resources read (`aud`, `iss`, `tid`, `appid`/`azp`, `roles` or `scp`, `oid`,
 * `sub`, `idtyp`, `iat`, `nbf`, `exp`). One check here serves both APIs: signature, expiry,
 * audience, tenant. Kept under the services, so that no service reaches into another for them.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { hashGuid } from '../world/prng.js';
import type { TenantRecord, World } from '../world/world.js';
import { type Audience, audienceResource } from './token-audience.js';

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
  /** The token's claims as signed. */
  claims: Record<string, unknown>;
}

/** What a token is issued for: the login host decides, this store signs. */
export interface TokenGrant {
  app: GraphApp;
  tenantId: string;
  audience: Audience;
  /** `<login base>/{tid}/v2.0`, the issuer of the tenant's OpenID configuration. */
  issuer: string;
  lifetimeSeconds: number;
  /** App-only: the app roles (`roles`); delegated: the signed-in user and the delegated scopes (`scp`). */
  principal: { kind: 'app'; roles: readonly string[] } | { kind: 'user'; userName: string; scopes: readonly string[] };
}

/** The outcome of the bearer check, for each API to word in its own texts. */
export type BearerCheck =
  | { kind: 'missing' | 'invalid' | 'expired' }
  /** Signed and current, but for the other API: `audience` is the token's `aud`. */
  | { kind: 'wrongAudience'; audience: string }
  /** Signed and current, for this API, but for another tenant than the one asked: `tenantId` is the token's `tid`. */
  | { kind: 'wrongTenant'; tenantId: string }
  | { kind: 'ok'; token: AccessToken };

/** The first-party app ids Entra ID also puts in `aud` (delegated tokens often carry these). */
const resourceAppIds: Record<Audience, string> = {
  graph: '00000003-0000-0000-c000-000000000000',
  exchange: '00000002-0000-0ff1-ce00-000000000000',
};

function audienceOf(aud: unknown): Audience | undefined {
  const value = typeof aud === 'string' ? aud.replace(/\/+$/, '').toLowerCase() : '';
  return (Object.keys(audienceResource) as Audience[]).find((a) => audienceResource[a] === value || resourceAppIds[a] === value);
}

export class TokenStore {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  /** RFC 7638 thumbprint of the public key: the `kid` of every token and of the JWKS entry. */
  readonly keyId: string;
  private readonly apps: Map<string, GraphApp>;

  constructor(
    private readonly world: World,
    private readonly partnerTenantId: string,
    private readonly clock: () => number = Date.now,
  ) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    const jwk = this.publicKey.export({ format: 'jwk' });
    this.keyId = createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n })).digest('base64url');
    this.apps = new Map(world.scenario.graph.apps.map((a) => [a.clientId.toLowerCase(), { clientId: a.clientId, clientSecret: a.clientSecret, displayName: a.displayName }]));
  }

  now(): number {
    return this.clock();
  }

  /** The JSON Web Key Set the login host publishes (`jwks_uri`). */
  jwks(): { keys: Array<Record<string, unknown>> } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ kty: jwk.kty, use: 'sig', kid: this.keyId, alg: 'RS256', n: jwk.n, e: jwk.e }] };
  }

  /** A signed access token for the grant. */
  async issue(grant: TokenGrant): Promise<{ token: string; expiresAt: number }> {
    const nowSeconds = Math.floor(this.clock() / 1000);
    const exp = nowSeconds + grant.lifetimeSeconds;
    const seed = this.world.seed;
    const principal = grant.principal;
    const oid = principal.kind === 'app' ? hashGuid(seed, 'service-principal', grant.app.clientId.toLowerCase(), grant.tenantId) : this.userObjectId(principal.userName);
    const claims: Record<string, unknown> = {
      aud: audienceResource[grant.audience],
      iss: grant.issuer,
      iat: nowSeconds,
      nbf: nowSeconds,
      exp,
      tid: grant.tenantId,
      appid: grant.app.clientId,
      azp: grant.app.clientId,
      app_displayname: grant.app.displayName,
      oid,
      sub: oid,
      idtyp: principal.kind,
      uti: randomUUID(),
      ver: '2.0',
      ...(principal.kind === 'app' ? { roles: [...principal.roles] } : { scp: principal.scopes.join(' '), upn: principal.userName }),
    };
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.keyId }).sign(this.privateKey);
    return { token, expiresAt: exp * 1000 };
  }

  /** The object id of a user of the partner's tenant (the `oid` of the tokens it signs in for). */
  userObjectId(userName: string): string {
    return hashGuid(this.world.seed, 'user', userName.toLowerCase());
  }

  /**
   * The ID token of a delegated sign-in (scope `openid`): who signed in, for the client (`aud` =
   * the client id), as public clients such as MSAL read it to name the account.
   */
  async issueIdToken(grant: { clientId: string; tenantId: string; issuer: string; userName: string; lifetimeSeconds: number }): Promise<string> {
    const nowSeconds = Math.floor(this.clock() / 1000);
    const oid = this.userObjectId(grant.userName);
    const claims = {
      aud: grant.clientId,
      iss: grant.issuer,
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + grant.lifetimeSeconds,
      tid: grant.tenantId,
      oid,
      sub: createHash('sha256').update(`${oid}|${grant.clientId.toLowerCase()}`).digest('base64url'),
      preferred_username: grant.userName,
      name: grant.userName.split('@')[0],
      ver: '2.0',
    };
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.keyId }).sign(this.privateKey);
  }

  /**
   * The bearer token of an Authorization header, checked for an API: the signature (this
   * simulator's key, RS256), `exp`/`nbf`, then `aud` (the API's resource), then `tid` when the
   * request names its tenant (`tenantId`, lower-case; null for a path tenant this world lacks).
   */
  async check(header: string | undefined, audience: Audience, tenantId?: string | null): Promise<BearerCheck> {
    const value = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!value) return { kind: 'missing' };
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(value, this.publicKey, { algorithms: ['RS256'], currentDate: new Date(this.clock()), requiredClaims: ['exp', 'tid', 'aud', 'appid'] }));
    } catch (error) {
      return { kind: error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
    }
    const tokenAudience = audienceOf(claims.aud);
    if (tokenAudience !== audience) return { kind: 'wrongAudience', audience: String(claims.aud) };
    const tid = String(claims.tid).toLowerCase();
    if (tenantId !== undefined && tid !== tenantId?.toLowerCase()) return { kind: 'wrongTenant', tenantId: tid };
    const app = this.apps.get(String(claims.appid).toLowerCase());
    const found = this.world.lookup.get(tid);
    const tenant = tid === this.partnerTenantId || found?.tenantId.toLowerCase() !== tid ? undefined : found;
    // signed by this simulator, so these hold; a token of another world is simply not valid here
    if (!app || (tid !== this.partnerTenantId && !tenant)) return { kind: 'invalid' };
    return { kind: 'ok', token: { app, tenantId: tid, tenant, audience: tokenAudience, expiresAt: Number(claims.exp) * 1000, claims } };
  }
}
