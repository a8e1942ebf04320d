/**
 * The app's sign-in on @azure/msal-node: one MSAL client application per run, tokens per customer
 * tenant (authority = the login base + that tenant) and scope, from MSAL's cache.
 * - app-only: a ConfidentialClientApplication with the client secret or the certificate (SHA-256
 *   thumbprint, PS256; `x5c` when asked), `acquireTokenByClientCredential`;
 * - delegated: the partner admin's refresh token (from a device-code sign-in, the token file, or
 *   DAP_GRAPH_REFRESH_TOKEN) in MSAL's cache, then `acquireTokenSilent` per tenant, which redeems it
 *   there and keeps each rotation.
 * MSAL's network calls go through the runtime's FetchLike (msal-network.ts); its logger is off.
 */
import {
  type AccountInfo,
  type AuthenticationResult,
  ConfidentialClientApplication,
  type Configuration,
  type ICachePlugin,
  LogLevel,
  PublicClientApplication,
} from '@azure/msal-node';
import type { FetchLike } from '../../../platform/http/fetch-like.js';
import { GraphCallError } from '../http/graph-error.js';
import { DEFAULT_LOGIN_URL } from '../http/graph-limits.js';
import { isTokenTenant } from '../http/graph-urls.js';
import type { ClientCertificate } from './certificate.js';
import { msalNetworkClient } from './msal-network.js';
import { ServiceClient } from '../../../platform/http/http-client.js';
import { type TokenRole, tokenFailure } from './token-failure.js';

/**
 * The app's credential: a certificate (preferred) or a client secret for a confidential client,
 * neither for a public one (device code); a refresh token given by the user makes the sign-in
 * delegated.
 */
export interface AppCredential {
  clientId: string;
  clientSecret?: string;
  certificate?: ClientCertificate;
  /** Send the certificate itself (`x5c`) in each assertion, for an app trusting certificates by subject name and issuer. */
  sendX5c?: boolean;
}

export interface MsalAppOptions {
  loginBase: string;
  credential: AppCredential;
  fetch: FetchLike;
  /** Delegated sign-in: a refresh token (the user's or the token file's) instead of client credentials. */
  delegated: boolean;
  /** A refresh token given by the user (or an older token file), redeemed by the first token request. */
  refreshToken?: string;
  /** Where MSAL's cache is kept between runs (token-file.ts); in memory only without one. */
  cachePlugin?: ICachePlugin;
  now?: () => number;
}

/** MSAL's authority for a tenant of the login base. */
export function authorityUrl(loginBase: string, tenant: string): string {
  if (!isTokenTenant(tenant)) throw new Error(`'${tenant}' is not a tenant id, domain, 'organizations' or 'common'`);
  return `${loginBase}/${encodeURIComponent(tenant)}`;
}

/**
 * What MSAL is told of a login host. Microsoft's own keeps MSAL's defaults (its built-in metadata
 * and instance discovery). Any other (a national cloud by --login-url, the simulator) is named as a
 * known authority, with endpoints of the same form MSAL holds for Microsoft's hosts, so MSAL asks it
 * for nothing but tokens and device codes.
 */
export function authorityOptions(loginBase: string): Pick<Configuration['auth'], 'knownAuthorities' | 'authorityMetadata'> {
  if (loginBase === DEFAULT_LOGIN_URL) return {};
  const url = new URL(loginBase);
  if (url.protocol !== 'https:') {
    throw new GraphCallError('AuthenticationFailed', `the login host must be https to sign in (MSAL refuses ${url.protocol}// authorities): ${loginBase}`);
  }
  const endpoint = (path: string) => `${loginBase}/{tenantid}/${path}`;
  return {
    knownAuthorities: [url.host],
    authorityMetadata: JSON.stringify({
      token_endpoint: endpoint('oauth2/v2.0/token'),
      authorization_endpoint: endpoint('oauth2/v2.0/authorize'),
      device_authorization_endpoint: endpoint('oauth2/v2.0/devicecode'),
      end_session_endpoint: endpoint('oauth2/v2.0/logout'),
      jwks_uri: endpoint('discovery/v2.0/keys'),
      issuer: endpoint('v2.0'),
    }),
  };
}

/** MSAL's configuration for the credential; the secret and key stay in this process's memory. */
function configuration(options: MsalAppOptions, loginBase: string): Configuration {
  const { credential } = options;
  const auth: Configuration['auth'] = { clientId: credential.clientId, authority: authorityUrl(loginBase, 'organizations'), ...authorityOptions(loginBase) };
  if (credential.certificate) {
    auth.clientCertificate = {
      thumbprintSha256: credential.certificate.thumbprintSha256,
      privateKey: credential.certificate.privateKeyPem,
      ...(credential.sendX5c ? { x5c: credential.certificate.certificatePem } : {}),
    };
  } else if (credential.clientSecret) {
    auth.clientSecret = credential.clientSecret;
  }
  return {
    auth,
    ...(options.cachePlugin ? { cache: { cachePlugin: options.cachePlugin } } : {}),
    system: {
      networkClient: msalNetworkClient(new ServiceClient({ service: 'the login host', base: loginBase, transport: options.fetch, ...(options.now ? { now: options.now } : {}) })),
      // the runtime's scheduler retries a tenant whose token failed for a passing reason
      disableInternalRetries: true,
      // off: MSAL's messages name accounts, tenants and endpoints, none of which the runtime logs
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
    },
  };
}

/** The refresh token entity MSAL keeps (one per account; homeAccountId '' when the service named no account). */
export interface CachedRefreshToken {
  home_account_id: string;
  environment: string;
  secret: string;
}

/** The refresh token in a cache MSAL serialized (one signed-in admin per app), or undefined. */
export function cachedRefreshToken(serialized: string): CachedRefreshToken | undefined {
  const cache = JSON.parse(serialized) as { RefreshToken?: Record<string, CachedRefreshToken> };
  return Object.values(cache.RefreshToken ?? {})[0];
}

export class MsalApp {
  private readonly confidential: ConfidentialClientApplication | undefined;
  private readonly client: ConfidentialClientApplication | PublicClientApplication;
  /** The tenant id MSAL filed a requested tenant's tokens under (a domain or 'organizations' becomes the id). */
  private readonly realms = new Map<string, string>();
  /** The redeem of the given refresh token, shared by whoever asks first. */
  private redeeming: Promise<AuthenticationResult | null> | undefined;

  /** The login base (https: MSAL refuses any other authority, and so does the URL rule). */
  private readonly loginBase: string;

  constructor(private readonly options: MsalAppOptions) {
    this.loginBase = options.loginBase;
    const config = configuration(options, options.loginBase);
    const confidential = options.credential.certificate !== undefined || options.credential.clientSecret !== undefined;
    this.confidential = confidential ? new ConfidentialClientApplication(config) : undefined;
    this.client = this.confidential ?? new PublicClientApplication(config);
  }

  get delegated(): boolean {
    return this.options.delegated;
  }

  /** MSAL's whole cache as JSON (its own serialization). */
  serializeCache(): string {
    return this.client.getTokenCache().serialize();
  }

  /** The newest refresh token MSAL holds, or undefined. */
  refreshToken(): CachedRefreshToken | undefined {
    return cachedRefreshToken(this.serializeCache());
  }

  /** A token for the tenant and scope: MSAL's cached one while it is fresh, else a new one from the login host. */
  async token(tenant: string, scope: string, role: TokenRole, forceRefresh = false): Promise<AuthenticationResult> {
    const authority = authorityUrl(this.loginBase, tenant);
    let result: AuthenticationResult | null;
    try {
      if (!this.options.delegated) {
        result = await this.confidential!.acquireTokenByClientCredential({ scopes: [scope], authority, skipCache: forceRefresh });
      } else if (this.options.refreshToken && !this.redeeming && !this.refreshToken()) {
        // the given refresh token goes to the login host once; MSAL keeps what it answers (forceCache:
        // it would drop the tokens of a redeem that names an account it does not know yet)
        this.redeeming = this.client.acquireTokenByRefreshToken({ refreshToken: this.options.refreshToken, scopes: [scope], authority, forceCache: true });
        result = await this.redeeming;
      } else {
        await this.redeeming;
        const account = await this.accountFor(tenant);
        result = await this.client.acquireTokenSilent({ account, scopes: [scope], authority, forceRefresh });
      }
    } catch (error) {
      throw tokenFailure(error, role);
    }
    if (!result?.accessToken) throw new GraphCallError('RemoteError', 'the token endpoint answered without an access token', { retryable: true });
    if (result.tenantId) this.realms.set(tenant.toLowerCase(), result.tenantId);
    return result;
  }

  /**
   * The signed-in admin as MSAL knows them, seen from `tenant`. When the service named no account
   * (no id_token), the refresh token's own key stands for it, so MSAL still finds and rotates it.
   */
  private async accountFor(tenant: string): Promise<AccountInfo> {
    const tenantId = this.realms.get(tenant.toLowerCase()) ?? tenant;
    const [home] = await this.client.getTokenCache().getAllAccounts();
    if (home) return { ...home, tenantId };
    const refresh = this.refreshToken();
    if (!refresh) throw new GraphCallError('AuthenticationFailed', 'no signed-in account and no refresh token: sign in with --device-code');
    return { homeAccountId: refresh.home_account_id, environment: refresh.environment, tenantId, username: '', localAccountId: '' };
  }

  /** The device code sign-in of a partner admin: MSAL shows nothing itself; `notify` gets the service's message once. */
  async signInWithDeviceCode(tenant: string, scope: string, notify: (message: string) => void, signal?: AbortSignal): Promise<void> {
    if (!(this.client instanceof PublicClientApplication)) throw new Error('a device code sign-in needs a public client (no secret, no certificate)');
    const request = {
      scopes: [scope],
      authority: authorityUrl(this.loginBase, tenant),
      deviceCodeCallback: (answer: { message: string }) => notify(answer.message),
      cancel: false,
    };
    const stop = () => {
      request.cancel = true;
    };
    signal?.addEventListener('abort', stop, { once: true });
    try {
      const result = await this.client.acquireTokenByDeviceCode(request);
      if (result?.tenantId) this.realms.set(tenant.toLowerCase(), result.tenantId);
    } catch (error) {
      throw tokenFailure(error, 'partner');
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    if (!this.refreshToken()) throw new GraphCallError('AuthenticationFailed', 'the sign-in answered no refresh token (is offline_access allowed for the app?)');
  }
}
