import { startSimulator, type RunningSimulator } from '../../simulator/index.js';

export const ADMIN = 'admin@contoso.onmicrosoft.com';
export const OTHER = 'other@fabrikam.onmicrosoft.com';

/** A small world with one tenant per fault, for the HTTP tests. */
export function faultScenario(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const tenant = (name: string, mailboxes = 8) => ({ name, initialDomain: `${name.toLowerCase()}.onmicrosoft.com`, mailboxes });
  return {
    seed: 'http-tests',
    accounts: [
      { userName: ADMIN, password: 'admin-pw' },
      { userName: OTHER, password: 'other-pw' },
    ],
    tenants: [
      tenant('Alpha', 12), tenant('Empty', 0), tenant('Denied'), tenant('Delayed'), tenant('Failing'), tenant('NoData'),
      tenant('Hang'), tenant('Slow'), tenant('Malformed'), tenant('Extra'), tenant('Missing'),
    ],
    faults: [
      { type: 'accessDenied', tenants: ['denied.onmicrosoft.com'] },
      { type: 'throttle', tenants: ['delayed.onmicrosoft.com'], mode: 'delay', delayMs: 5 },
      { type: 'throttle', tenants: ['failing.onmicrosoft.com'], mode: 'fail', failures: 2 },
      { type: 'noData', tenants: ['nodata.onmicrosoft.com'] },
      { type: 'hang', tenants: ['hang.onmicrosoft.com'] },
      { type: 'slow', tenants: ['slow.onmicrosoft.com'], delayMs: 5 },
      { type: 'malformedRows', tenants: ['malformed.onmicrosoft.com'] },
      { type: 'schemaDrift', tenants: ['extra.onmicrosoft.com'], mode: 'extra', column: 'ReportPeriod' },
      { type: 'schemaDrift', tenants: ['missing.onmicrosoft.com'], mode: 'missing', column: 'AccountDeleted' },
    ],
    ...extra,
  };
}

export interface JsonResponse {
  status: number;
  body: any;
}

/** A tiny JSON client for the simulator's protocol. */
export function client(sim: RunningSimulator) {
  const call = async (method: string, path: string, body?: unknown, token?: string, signal?: AbortSignal): Promise<JsonResponse> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${sim.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    return { status: response.status, body: await response.json() };
  };
  const exchangeUri = (domain: string) => `https://ps.outlook.com/powershell-liveid?DelegatedOrg=${domain}`;
  return {
    call,
    signIn: (userName: string, password: string) => call('POST', '/msol/signin', { userName, password }),
    open: (domain: string, userName = ADMIN, password = 'admin-pw') =>
      call('POST', '/exchange/sessions', { userName, password, connectionUri: exchangeUri(domain) }),
    close: (id: string) => call('DELETE', `/exchange/sessions/${id}`),
    run: (id: string, cmdlet: string, parameters: Record<string, unknown> = {}, signal?: AbortSignal) =>
      call('POST', `/exchange/sessions/${id}/commands`, { cmdlet, parameters }, undefined, signal),
    stats: () => call('GET', '/stats'),
  };
}

export async function withSimulator<T>(scenario: Record<string, unknown>, body: (sim: RunningSimulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ scenario });
  try {
    return await body(sim);
  } finally {
    await sim.stop();
  }
}
