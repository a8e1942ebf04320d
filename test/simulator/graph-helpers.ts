import type { RunningSimulator } from '../../simulator/index.js';
import { trustingFetch } from '../helpers/https-server.js';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const APP_ID = '11111111-2222-4333-8444-555555555555';
export const APP_SECRET = 'graph-test-secret';
export const REFRESH_TOKEN = 'partner-refresh-token-1';
export const PARTNER_TENANT = '99999999-8888-4777-8666-555555555555';

/** A small Graph world: a few named tenants (one per Graph fault) and a fixed "now". */
export function graphScenario(extra: Record<string, unknown> = {}, graph: Record<string, unknown> = {}): Record<string, unknown> {
  const tenant = (name: string, mailboxes = 6, more: Record<string, unknown> = {}) => ({ name, initialDomain: `${name.toLowerCase()}.onmicrosoft.com`, mailboxes, ...more });
  return {
    seed: 'graph-tests',
    now: '2024-05-20T09:00:00Z',
    tenants: [
      tenant('Alpha', 9),
      tenant('Beta', 4),
      tenant('Empty', 0),
      tenant('Unconsented'),
      tenant('Throttled'),
      tenant('Flaky'),
      tenant('Stale'),
      tenant('Blank'),
      tenant('Pending', 3, { relationshipStatus: 'approvalPending' }),
    ],
    faults: [
      { type: 'notConsented', tenants: ['unconsented.onmicrosoft.com'] },
      { type: 'graphThrottle', tenants: ['throttled.onmicrosoft.com'], failures: 2 },
      { type: 'graphServerError', tenants: ['flaky.onmicrosoft.com'] },
      { type: 'expiredDownload', tenants: ['stale.onmicrosoft.com'] },
      { type: 'graphNoData', tenants: ['blank.onmicrosoft.com'] },
    ],
    graph: {
      partnerTenantId: PARTNER_TENANT,
      apps: [{ clientId: APP_ID, clientSecret: APP_SECRET, refreshTokens: [REFRESH_TOKEN] }],
      inactiveRelationshipRate: 0,
      ...graph,
    },
    ...extra,
  };
}

export interface GraphResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

async function read(response: Response): Promise<GraphResponse> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** Plain-fetch client of the simulator's login host, Graph and download URLs. */
export function graphClient(sim: RunningSimulator) {
  const fetch = trustingFetch(sim);
  const loginUrl = sim.urls.login;
  const graphUrl = sim.urls.graph;
  const token = async (tenant: string, fields: Record<string, string> = {}) =>
    read(
      await fetch(`${loginUrl}/${tenant}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: APP_ID, client_secret: APP_SECRET, scope: GRAPH_SCOPE, grant_type: 'client_credentials', ...fields }),
      }),
    );
  const accessToken = async (tenant: string): Promise<string> => {
    const response = await token(tenant);
    if (response.status !== 200) throw new Error(`token for ${tenant}: ${response.status} ${response.text}`);
    return response.body.access_token as string;
  };
  /** A GET on Graph (a path from its root, or an absolute nextLink) that does not follow redirects. */
  const get = async (pathOrUrl: string, bearer?: string) =>
    read(
      await fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${graphUrl}${pathOrUrl}`, {
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
        redirect: 'manual',
      }),
    );
  const report = (fn: string, args: string, bearer: string) => get(`/v1.0/reports/${fn}(${args})`, bearer);
  const download = async (url: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { headers });
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, contentType: response.headers.get('content-type'), bytes, text: bytes.toString('utf8') };
  };
  return { token, accessToken, get, report, download, graphUrl, loginUrl, fetch };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
