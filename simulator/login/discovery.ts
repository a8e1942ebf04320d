/**
 * The documents real clients read before they ask for a token (reference §4e): a tenant's OpenID
 * configuration and the cloud instance discovery MSAL asks for, and the URLs derived from them (a
 * token's issuer, the token endpoint a client assertion may name). Every URL is built on `base`,
 * the login host's base URL as the request reached it.
 */

/** The path segments that name no single tenant; the configuration keeps them in its endpoints. */
export const MULTI_TENANT_SEGMENTS = ['organizations', 'common'] as const;

export function isMultiTenant(segment: string): boolean {
  return (MULTI_TENANT_SEGMENTS as readonly string[]).includes(segment.toLowerCase());
}

/** A tenant's issuer, `<base>/{tid}/v2.0`, the `iss` of its tokens. */
export function issuerOf(base: string, tenantId: string): string {
  return `${base}/${tenantId}/v2.0`;
}

/**
 * The token endpoint URLs a client assertion's `aud` may name for a request to
 * `<base>/{segment}/oauth2/v2.0/token`: the tenant as sent or by its id (the configuration names
 * the id), the v2.0 endpoint or the v1 one.
 */
export function tokenEndpointAudiences(base: string, segment: string, tenantId: string): string[] {
  const tenants = [...new Set([segment, tenantId])];
  return tenants.flatMap((t) => [`${base}/${t}/oauth2/v2.0/token`, `${base}/${t}/oauth2/token`]);
}

/**
 * GET /{tenant}/v2.0/.well-known/openid-configuration. For a tenant, the endpoints name its id; for
 * /organizations and /common they keep the segment and the issuer is the template
 * `<base>/{tenantid}/v2.0`, as Entra ID answers.
 */
export function openidConfiguration(base: string, segment: string, tenantId: string | undefined): Record<string, unknown> {
  const tenant = tenantId ?? segment.toLowerCase();
  const oauth = `${base}/${tenant}/oauth2/v2.0`;
  return {
    token_endpoint: `${oauth}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: issuerOf(base, tenantId ?? '{tenantid}'),
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${oauth}/authorize`,
    device_authorization_endpoint: `${oauth}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${oauth}/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/${tenant}/kerberos`,
    tenant_region_scope: tenantId ? 'NA' : null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/**
 * GET /common/discovery/instance?api-version=1.1&authorization_endpoint=…: the host's aliases
 * (only itself here) and the configuration URL for the tenant the authorization endpoint names;
 * undefined when that endpoint is on another host (Entra ID: invalid_instance).
 */
export function instanceDiscovery(base: string, authorizationEndpoint: string | null): Record<string, unknown> | undefined {
  const host = new URL(base).host;
  let tenant = '{tenant}';
  if (authorizationEndpoint) {
    let url: URL;
    try {
      url = new URL(authorizationEndpoint);
    } catch {
      return undefined;
    }
    if (url.host.toLowerCase() !== host.toLowerCase()) return undefined;
    const basePath = new URL(base).pathname.replace(/\/+$/, '');
    const rest = url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length + 1) : '';
    tenant = rest.split('/')[0] || tenant;
  }
  return {
    tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
