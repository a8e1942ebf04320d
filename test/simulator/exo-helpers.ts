import type { RunningSimulator } from '../../simulator/index.js';
import { trustingFetch } from '../helpers/https-server.js';

export const APP_ID = '11111111-2222-4333-8444-555555555555';
export const APP_SECRET = 'exo-test-secret';
export const REFRESH_TOKEN = 'partner-refresh-token-exo';
export const PARTNER_TENANT = '99999999-8888-4777-8666-555555555555';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const EXO_SCOPE = 'https://outlook.office365.com/.default';
export const ANCHOR_MAILBOX = 'SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}';
export const NOW = '2026-11-20T12:00:00Z';

/** A world for the Exchange admin API: named tenants (one per fault) and generated ones for variety. */
export function exoScenario(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const tenant = (name: string, mailboxes = 6, more: Record<string, unknown> = {}) => ({ name, initialDomain: `${name.toLowerCase()}.onmicrosoft.com`, mailboxes, ...more });
  return {
    seed: 'exo-tests',
    now: NOW,
    tenants: [
      tenant('Alpha', 12, { customDomains: ['alpha.com'] }),
      tenant('Beta', 8),
      tenant('Throttled'),
      tenant('Flaky'),
      tenant('NoRole'),
      tenant('Unconsented'),
      tenant('Concealed'),
      tenant('Pending', 3, { relationshipStatus: 'approvalPending' }),
      tenant('Former', 3, { relationshipStatus: 'expired' }),
      tenant('Ended', 3, { relationshipStatus: 'terminated' }),
    ],
    tenantCount: 20,
    emptyTenantRate: 0,
    faults: [
      { type: 'exoThrottle', tenants: ['throttled.onmicrosoft.com'], failures: 2, retryAfterSeconds: 1 },
      { type: 'exoServerError', tenants: ['flaky.onmicrosoft.com'] },
      { type: 'roleMissing', tenants: ['norole.onmicrosoft.com'] },
      { type: 'notConsented', tenants: ['unconsented.onmicrosoft.com'] },
      { type: 'concealedNames', tenants: ['concealed.onmicrosoft.com'] },
    ],
    graph: {
      partnerTenantId: PARTNER_TENANT,
      apps: [{ clientId: APP_ID, clientSecret: APP_SECRET, refreshTokens: [REFRESH_TOKEN] }],
      inactiveRelationshipRate: 0,
    },
    ...extra,
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function read(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export interface InvokeOptions {
  prefer?: string;
  select?: string;
  /** The X-AnchorMailbox value; null sends none. Default: the system mailbox of the tenant. */
  anchor?: string | null;
  /** POST to this absolute URL (a nextLink) instead of the tenant's InvokeCommand URL. */
  url?: string;
}

/** A plain-fetch client of the login host and the simulated Exchange admin API. */
export function exoClient(sim: RunningSimulator) {
  const fetch = trustingFetch(sim);
  const exoUrl = sim.env.DAP_EXO_URL as string;
  const token = async (tenant: string, scope = EXO_SCOPE, fields: Record<string, string> = {}) =>
    read(
      await fetch(`${sim.urls.login}/${tenant}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: APP_ID, client_secret: APP_SECRET, scope, grant_type: 'client_credentials', ...fields }),
      }),
    );
  const accessToken = async (tenant: string, scope = EXO_SCOPE): Promise<string> => {
    const answer = await token(tenant, scope);
    if (answer.status !== 200) throw new Error(`token for ${tenant}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.access_token as string;
  };
  const invoke = async (tenantId: string, bearer: string | undefined, cmdlet: string, parameters: Record<string, unknown> = {}, options: InvokeOptions = {}) => {
    let url = options.url ?? `${exoUrl}/adminapi/beta/${tenantId}/InvokeCommand`;
    if (!options.url && options.select) url += `?$select=${options.select}`;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (options.prefer) headers.prefer = options.prefer;
    const anchor = options.anchor === undefined ? `APP:${ANCHOR_MAILBOX}@${tenantId}` : options.anchor;
    if (anchor !== null) headers['x-anchormailbox'] = anchor;
    return read(await fetch(url, { method: 'POST', headers, body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }) }));
  };
  /** Every page of one call, following @odata.nextLink with the same body. */
  const invokeAll = async (tenantId: string, bearer: string, cmdlet: string, parameters: Record<string, unknown> = {}, options: InvokeOptions = {}) => {
    const pages: Answer[] = [];
    let url: string | undefined;
    do {
      const page: Answer = await invoke(tenantId, bearer, cmdlet, parameters, { ...options, ...(url ? { url } : {}) });
      if (page.status !== 200) throw new Error(`${cmdlet}: ${page.status} ${JSON.stringify(page.body)}`);
      pages.push(page);
      url = page.body['@odata.nextLink'];
    } while (url);
    return { pages, values: pages.flatMap((p) => p.body.value as Array<Record<string, any>>) };
  };
  const graphGet = async (path: string, bearer: string) => read(await fetch(`${sim.urls.graph}${path}`, { headers: { authorization: `Bearer ${bearer}` }, redirect: 'manual' }));
  return { token, accessToken, invoke, invokeAll, graphGet, exoUrl, fetch };
}
