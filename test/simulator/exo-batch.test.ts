// The simulated Exchange admin API's $batch of InvokeCommand calls, in the shape CIPP sends: each
// call is checked, throttled, counted and answered as a direct call would be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, parseScenario, startSimulator, type RunningSimulator, type TenantRecord } from '../../simulator/index.js';
import { ANCHOR_MAILBOX, exoClient, exoScenario } from './exo-helpers.js';

const world = buildWorld(parseScenario(exoScenario()));
const byName = (name: string) => world.tenants.find((t) => t.name === name) as TenantRecord;
const alpha = byName('Alpha');
const beta = byName('Beta');
const throttled = byName('Throttled');
/** The system mailbox CIPP's bulk requests anchor by. */
const CIPP_ANCHOR = 'SystemMailbox{8cc370d3-822a-4ab8-a926-bb94bd0641a9}';

let sim: RunningSimulator;
let c: ReturnType<typeof exoClient>;

beforeAll(async () => {
  sim = await startSimulator({ scenario: exoScenario() });
  c = exoClient(sim);
});
afterAll(async () => {
  await sim.stop();
});

interface Call {
  cmdlet: string;
  parameters?: Record<string, unknown>;
  url?: string;
  headers?: Record<string, string>;
}

/** A batch body as CIPP's New-ExoBulkRequest builds it: absolute InvokeCommand URLs, every header repeated per request. */
function cippBatch(tenant: TenantRecord, token: string, calls: Call[]) {
  return {
    requests: calls.map((call, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      method: 'POST',
      url: call.url ?? `https://outlook.office365.com/adminapi/beta/${tenant.tenantId}/InvokeCommand?$select=Identity,DisplayName,PrimarySmtpAddress,DomainName`,
      body: { CmdletInput: { CmdletName: call.cmdlet, Parameters: call.parameters ?? {} } },
      headers: {
        Authorization: `Bearer ${token}`,
        Prefer: 'odata.maxpagesize = 1000;odata.continue-on-error',
        'parameter-based-routing': 'true',
        'X-AnchorMailbox': `UPN:${CIPP_ANCHOR}@${tenant.initialDomain}`,
        'X-CmdletName': call.cmdlet,
        Accept: 'application/json; odata.metadata=minimal',
        ...call.headers,
      },
    })),
  };
}

async function postBatch(tenantSegment: string, token: string | undefined, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${c.exoUrl}/adminapi/beta/${tenantSegment}/$batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

describe('Exchange admin API $batch', () => {
  it('runs 10 calls of the shape CIPP sends, each answered with its own status and body', async () => {
    const token = await c.accessToken(alpha.tenantId);
    const before = sim.stats().exo;
    const calls: Call[] = [
      { cmdlet: 'Get-AcceptedDomain' },
      ...alpha.mailboxes.slice(0, 8).map((m) => ({ cmdlet: 'Get-Mailbox', parameters: { Identity: m.userPrincipalName } })),
      { cmdlet: 'Get-Mailbox', parameters: { Identity: 'nobody@alpha.com' } },
    ];
    const answer = await postBatch(alpha.tenantId, token, cippBatch(alpha, token, calls));
    expect(answer.status).toBe(200);
    const responses = answer.body.responses as any[];
    expect(responses).toHaveLength(10);
    expect(responses.map((r) => r.id)).toEqual(cippBatch(alpha, token, calls).requests.map((r) => r.id));
    expect(responses[0]).toMatchObject({ status: 200, headers: { 'Content-Type': expect.stringMatching(/^application\/json;odata\.metadata=minimal/) } });
    expect(responses[0].body.value.map((d: any) => d.DomainName)).toContain('alpha.com');
    // $select of the call's own URL applies
    expect(Object.keys(responses[0].body.value[0]).sort()).toEqual(['DomainName', 'Identity']);
    for (const [i, m] of alpha.mailboxes.slice(0, 8).entries()) {
      expect(responses[i + 1].status).toBe(200);
      expect(responses[i + 1].body.value).toEqual([{ Identity: m.alias, DisplayName: m.displayName, PrimarySmtpAddress: m.userPrincipalName }]);
    }
    // the error shape CIPP reads (error.details.message), as a direct call answers it
    expect(responses[9].status).toBe(404);
    expect(responses[9].body.error.details[0].message).toContain("couldn't be found");
    const direct = await c.invoke(alpha.tenantId, token, 'Get-Mailbox', { Identity: 'nobody@alpha.com' });
    expect(direct.status).toBe(404);
    expect(responses[9].body.error.message).toBe(direct.body.error.message);

    const after = sim.stats().exo;
    expect(after.batches - before.batches).toBe(1);
    expect(after.requests - before.requests).toBe(11);
    expect(after.pages - before.pages).toBe(9);
  });

  it('refuses a batch of 11 calls with 400 and runs none of them', async () => {
    const token = await c.accessToken(alpha.tenantId);
    const before = sim.stats().exo;
    const calls = Array.from({ length: 11 }, () => ({ cmdlet: 'Get-AcceptedDomain' }));
    const answer = await postBatch(alpha.tenantId, token, cippBatch(alpha, token, calls));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'BadRequest', message: expect.stringContaining('at most 10 requests') });
    const after = sim.stats().exo;
    expect(after.requests).toBe(before.requests);
    expect(after.batches).toBe(before.batches);
  });

  it('throttles each call of a batch: the one-shot 429s carry Retry-After while the next call succeeds', async () => {
    const token = await c.accessToken(throttled.tenantId);
    const before = sim.stats().exo;
    const answer = await postBatch(throttled.tenantId, token, cippBatch(throttled, token, [{ cmdlet: 'Get-AcceptedDomain' }, { cmdlet: 'Get-AcceptedDomain' }, { cmdlet: 'Get-AcceptedDomain' }]));
    expect(answer.status).toBe(200);
    const [first, second, third] = answer.body.responses as any[];
    for (const r of [first, second]) {
      expect(r).toMatchObject({ status: 429, headers: { 'Retry-After': '1' } });
      expect(r.body.error.message).toBe('The request was throttled. Please retry after 1 seconds.');
    }
    expect(third.status).toBe(200);
    const after = sim.stats().exo;
    expect(after.throttled - before.throttled).toBe(2);
    expect(after.requests - before.requests).toBe(3);
    expect(after.maxConcurrentPerTenant[throttled.tenantId]).toBe(1);
  });

  it("checks each call's own anchor and URL: a foreign anchor or another path fails that call only", async () => {
    const token = await c.accessToken(alpha.tenantId);
    const answer = await postBatch(
      alpha.tenantId,
      token,
      cippBatch(alpha, token, [
        { cmdlet: 'Get-AcceptedDomain', headers: { 'X-AnchorMailbox': `APP:${ANCHOR_MAILBOX}@${beta.tenantId}` } },
        { cmdlet: 'Get-AcceptedDomain', url: `/adminapi/beta/${alpha.tenantId}/InvokeCommand` },
        { cmdlet: 'Get-AcceptedDomain', url: `${c.exoUrl}/adminapi/beta/${alpha.initialDomain}/InvokeCommand` },
        { cmdlet: 'Get-AcceptedDomain', url: `/adminapi/beta/${alpha.tenantId}/Mailbox` },
        { cmdlet: 'Get-AcceptedDomain', url: `/adminapi/beta/${beta.tenantId}/InvokeCommand` },
      ]),
    );
    expect(answer.status).toBe(200);
    const statuses = (answer.body.responses as any[]).map((r) => r.status);
    expect(statuses).toEqual([400, 200, 200, 404, 401]);
    expect(answer.body.responses[0].body.error.message).toContain('The X-AnchorMailbox header is not valid.');
  });

  it("pages a batched call by its Prefer, with a nextLink the client POSTs the same body to", async () => {
    const token = await c.accessToken(alpha.tenantId);
    const answer = await postBatch(
      alpha.tenantId,
      token,
      cippBatch(alpha, token, [{ cmdlet: 'Get-Mailbox', parameters: { ResultSize: 'Unlimited' }, url: `/adminapi/beta/${alpha.tenantId}/InvokeCommand`, headers: { Prefer: 'odata.maxpagesize=5' } }]),
    );
    const page = answer.body.responses[0];
    expect(page.status).toBe(200);
    expect(page.body.value).toHaveLength(5);
    const next: string = page.body['@odata.nextLink'];
    expect(next.startsWith(`${c.exoUrl}/adminapi/beta/`)).toBe(true);
    const all = await c.invokeAll(alpha.tenantId, token, 'Get-Mailbox', { ResultSize: 'Unlimited' }, { prefer: 'odata.maxpagesize=5' });
    const second = await c.invoke(alpha.tenantId, token, 'Get-Mailbox', { ResultSize: 'Unlimited' }, { url: next, prefer: 'odata.maxpagesize=5' });
    expect(second.status).toBe(200);
    expect([...page.body.value, ...second.body.value]).toEqual(all.values.slice(0, 10));
  });

  it('refuses the whole batch without a token for its tenant, and a body that is no batch', async () => {
    const token = await c.accessToken(alpha.tenantId);
    const body = cippBatch(alpha, token, [{ cmdlet: 'Get-AcceptedDomain' }]);
    const before = sim.stats().exo;
    const none = await postBatch(alpha.tenantId, undefined, body);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('InvalidAuthenticationToken');
    const foreign = await postBatch(beta.tenantId, token, body);
    expect(foreign.status).toBe(401);
    expect(foreign.body.error.message).toContain(`cannot be used for tenant '${beta.tenantId}'`);
    const graphToken = await c.accessToken(alpha.tenantId, 'https://graph.microsoft.com/.default');
    expect((await postBatch(alpha.tenantId, graphToken, body)).body.error.code).toBe('InvalidAudienceForResource');
    for (const bad of ['{"requests": [', { requests: [] }, { requests: [{ id: '1', method: 'POST' }] }, { requests: [{ id: 'a', method: 'POST', url: 'x' }, { id: 'A', method: 'POST', url: 'x' }] }]) {
      const answer = await postBatch(alpha.tenantId, token, bad);
      expect(answer.status, JSON.stringify(bad)).toBe(400);
    }
    const get = await fetch(`${c.exoUrl}/adminapi/beta/${alpha.tenantId}/$batch`, { headers: { authorization: `Bearer ${token}` } });
    expect(get.status).toBe(405);
    const after = sim.stats().exo;
    expect(after.requests).toBe(before.requests);
    expect(after.batches).toBe(before.batches);
  });
});
