/**
 * Which resource a token request is for, read from its `scope` field: Microsoft Graph or Exchange
 * Online. A token carries its audience, and each API refuses a token issued for the other one, as
 * the real services do. Kept apart from the token route so grant types can be added there freely.
 */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const EXCHANGE_SCOPE = 'https://outlook.office365.com/.default';

export type Audience = 'graph' | 'exchange';

/** The resource URI each audience answers to (the `aud` a real token would carry). */
export const audienceResource: Record<Audience, string> = {
  graph: 'https://graph.microsoft.com',
  exchange: 'https://outlook.office365.com',
};

export type AudienceResult =
  | { ok: true; audience: Audience; scope: string }
  | { ok: false; reason: 'noDefault' }
  | { ok: false; reason: 'unknownResource'; resource: string };

/**
 * The audience of a space-separated `scope` value. offline_access / openid / profile are not
 * resources and are skipped; the first `<resource>/.default` decides. A scope without any
 * `/.default` is what the app-only flows refuse (invalid_scope); a `/.default` of a resource this
 * world does not have is AADSTS500011 (invalid_resource).
 */
export function resolveAudience(scope: string): AudienceResult {
  const scopes = scope.split(/\s+/).filter((s) => s !== '' && !['offline_access', 'openid', 'profile'].includes(s.toLowerCase()));
  const resourceScope = scopes.find((s) => s.toLowerCase().endsWith('/.default'));
  if (!resourceScope) return { ok: false, reason: 'noDefault' };
  const resource = resourceScope.slice(0, -'/.default'.length).replace(/\/+$/, '').toLowerCase();
  if (resource === audienceResource.graph) return { ok: true, audience: 'graph', scope: GRAPH_SCOPE };
  if (resource === audienceResource.exchange) return { ok: true, audience: 'exchange', scope: EXCHANGE_SCOPE };
  return { ok: false, reason: 'unknownResource', resource: resourceScope.slice(0, -'/.default'.length) };
}
