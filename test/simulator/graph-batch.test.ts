// Graph's JSON batching and the directory reads (/domains, /organization) of the simulator: each
// request of a batch goes through the same checks, limits, faults and counters as a direct call.
import { describe, expect, it } from 'vitest';
import { buildWorld, loadScenario } from '../../simulator/index.js';
import { acceptedDomainObjects } from '../../simulator/world/exchange-objects.js';
import { withSimulator } from './helpers.js';
import { PARTNER_TENANT, graphClient, graphScenario } from './graph-helpers.js';

interface BatchRequest {
  id: string;
  method: string;
  url: string;
  dependsOn?: string[];
  headers?: Record<string, string>;
}

async function postBatch(url: string, bearer: string | undefined, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

const report = (id: string, fn = 'getMailboxUsageDetail'): BatchRequest => ({ id, method: 'GET', url: `/reports/${fn}(period='D7')` });
const byId = (body: any) => new Map<string, any>((body.responses as any[]).map((r) => [r.id, r]));

describe('Graph $batch', () => {
  it('takes 20 requests and refuses 21 with 400 BadRequest, running none of them', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('alpha.onmicrosoft.com');
      const many = (n: number) => ({ requests: Array.from({ length: n }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/admin/reportSettings' })) });
      const twenty = await postBatch(`${g.graphUrl}/v1.0/$batch`, token, many(20));
      expect(twenty.status).toBe(200);
      expect(twenty.body.responses).toHaveLength(20);
      expect((twenty.body.responses as any[]).every((r) => r.status === 200 && r.body.displayConcealedNames === false)).toBe(true);

      const over = await postBatch(`${g.graphUrl}/v1.0/$batch`, token, many(21));
      expect(over.status).toBe(400);
      expect(over.body.error).toMatchObject({ code: 'BadRequest', message: expect.stringContaining('at most 20 requests'), innerError: { 'request-id': expect.any(String) } });
      expect(sim.stats().graph).toMatchObject({ batches: 1, batchedRequests: 20 });
    });
  });

  it.each([
    ['no requests', { requests: [] }, 'Invalid batch payload format.'],
    ['not JSON', '{"requests": [', 'Invalid batch payload format.'],
    ['a request without a url', { requests: [{ id: '1', method: 'GET' }] }, 'Invalid batch payload format.'],
    ['two requests with one id (any case)', { requests: [{ id: 'a1', method: 'GET', url: '/domains' }, { id: 'A1', method: 'GET', url: '/organization' }] }, 'Request Id A1 has to be unique in a batch.'],
    ['a dependsOn naming no request of the batch', { requests: [{ id: '1', method: 'GET', url: '/domains', dependsOn: ['9'] }] }, 'Invalid batch payload format.'],
    ['dependsOn in a circle', { requests: [{ id: '1', method: 'GET', url: '/domains', dependsOn: ['2'] }, { id: '2', method: 'GET', url: '/domains', dependsOn: ['1'] }] }, 'Invalid batch payload format.'],
  ])('refuses a batch with %s', async (_name, body, message) => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const answer = await postBatch(`${g.graphUrl}/v1.0/$batch`, await g.accessToken('alpha.onmicrosoft.com'), body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'BadRequest', message });
      expect(sim.stats().graph).toMatchObject({ batches: 0, batchedRequests: 0, directoryReads: 0 });
    });
  });

  it('answers 401 for the whole batch without a valid token, and 405 to a GET', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const body = { requests: [{ id: '1', method: 'GET', url: '/domains' }] };
      const none = await postBatch(`${g.graphUrl}/v1.0/$batch`, undefined, body);
      expect(none.status).toBe(401);
      expect(none.body.error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
      expect((await postBatch(`${g.graphUrl}/v1.0/$batch`, 'made-up', body)).status).toBe(401);
      expect((await g.get('/v1.0/$batch', await g.accessToken('alpha.onmicrosoft.com'))).status).toBe(405);
      expect(sim.stats().graph).toMatchObject({ batches: 0, directoryReads: 0 });
    });
  });

  it('throttles each request of a batch: a one-shot 429 with its Retry-After while the others succeed', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('throttled.onmicrosoft.com');
      const answer = await postBatch(`${g.graphUrl}/v1.0/$batch`, token, {
        requests: [report('r1'), { id: 'org', method: 'GET', url: '/organization' }, report('r2'), report('r3')],
      });
      expect(answer.status).toBe(200);
      const responses = byId(answer.body);
      // graphThrottle fails the first two report requests of the tenant, whichever way they come
      for (const id of ['r1', 'r2']) {
        expect(responses.get(id)).toMatchObject({ status: 429, headers: { 'Retry-After': '1', 'Content-Type': expect.stringContaining('application/json') } });
        expect(responses.get(id).body.error).toMatchObject({ code: 'TooManyRequests' });
      }
      expect(responses.get('org').status).toBe(200);
      expect(responses.get('r3')).toMatchObject({ status: 302, headers: { Location: expect.stringMatching(/\/graph-download\/[A-Za-z0-9_-]+$/) } });
      expect(responses.get('r3').body).toBeUndefined();
      const csv = await g.download(responses.get('r3').headers.Location);
      expect(csv.status).toBe(200);
      expect(csv.text).toContain('User Principal Name');

      const throttled = buildWorld(loadScenario(graphScenario())).tenants.find((t) => t.name === 'Throttled')!;
      expect(sim.stats().graph).toMatchObject({
        batches: 1,
        batchedRequests: 4,
        reportRequests: 3,
        throttled: 2,
        directoryReads: 1,
        requestsPerTenant: { [throttled.tenantId]: { getMailboxUsageDetail: 3 } },
      });
    });
  });

  it('counts batched requests in the same rate window as direct ones, with Retry-After from the window', async () => {
    await withSimulator(graphScenario({}, { rateLimit: { requests: 2, windowSeconds: 600 } }), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('alpha.onmicrosoft.com');
      expect((await g.report('getMailboxUsageDetail', "period='D7'", token)).status).toBe(302);
      const answer = await postBatch(`${g.graphUrl}/v1.0/$batch`, token, { requests: [report('1'), report('2'), report('3', 'getEmailActivityUserDetail')] });
      const responses = byId(answer.body);
      expect(responses.get('1').status).toBe(302);
      expect(responses.get('2').status).toBe(429);
      expect(Number(responses.get('2').headers['Retry-After'])).toBeGreaterThan(590);
      // another function has its own window
      expect(responses.get('3').status).toBe(302);
      expect((await g.report('getMailboxUsageDetail', "period='D7'", token)).status).toBe(429);
    });
  });

  it('routes relative URLs with or without a leading slash, checks each one like a direct call, and hands out followable links', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const partner = await g.accessToken(PARTNER_TENANT);
      const answer = await postBatch(`${g.graphUrl}/v1.0/$batch`, partner, {
        requests: [
          { id: '1', method: 'GET', url: '/contracts?$top=2' },
          { id: '2', method: 'GET', url: 'tenantRelationships/delegatedAdminRelationships?$top=1&$filter=status%20eq%20%27active%27' },
          { id: '3', method: 'GET', url: '/reports/getMailboxUsageDetail(period=\'D7\')' },
          { id: '4', method: 'GET', url: '/nothingHere' },
          { id: '5', method: 'POST', url: '/contracts' },
          { id: '6', method: 'GET', url: 'https://graph.microsoft.com/v1.0/contracts' },
        ],
      });
      expect(answer.status).toBe(200);
      const responses = byId(answer.body);
      expect(answer.body.responses.map((r: any) => r.id)).toEqual(['1', '2', '3', '4', '5', '6']);
      const contracts = responses.get('1');
      expect(contracts.status).toBe(200);
      expect(contracts.body.value).toHaveLength(2);
      const direct = await g.get('/v1.0/contracts?$top=2', partner);
      expect(contracts.body.value).toEqual(direct.body.value);
      expect(contracts.body['@odata.nextLink']).toBe(direct.body['@odata.nextLink']);
      const next = await g.get(contracts.body['@odata.nextLink'], partner);
      expect(next.status).toBe(200);
      expect(next.body.value[0]).toEqual((await g.get('/v1.0/contracts?$top=3', partner)).body.value[2]);
      expect(responses.get('2').body.value).toHaveLength(1);
      expect(responses.get('2').body.value[0].status).toBe('active');
      // the partner's token on a customer report: the same 403 as a direct call
      expect(responses.get('3').status).toBe(403);
      expect(responses.get('4')).toMatchObject({ status: 400, body: { error: { message: "Resource not found for the segment 'nothingHere'." } } });
      expect(responses.get('5').status).toBe(405);
      expect(responses.get('6')).toMatchObject({ status: 400, body: { error: { code: 'BadRequest' } } });
      expect(sim.stats().graph).toMatchObject({ relationshipPages: 1, batchedRequests: 6 });
    });
  });

  it('runs a request after the ones it depends on, and answers 424 when one of them failed', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('flaky.onmicrosoft.com');
      const answer = await postBatch(`${g.graphUrl}/v1.0/$batch`, token, {
        requests: [
          { id: 'after', method: 'GET', url: '/domains', dependsOn: ['first'] },
          { id: 'first', method: 'GET', url: '/organization' },
          { id: 'failing', method: 'GET', url: "/reports/getMailboxUsageDetail(period='D7')" },
          { id: 'blocked', method: 'GET', url: '/domains', dependsOn: ['failing'] },
        ],
      });
      expect(answer.status).toBe(200);
      const responses = byId(answer.body);
      expect(responses.get('first').status).toBe(200);
      expect(responses.get('first').body['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#organization');
      expect(responses.get('after').status).toBe(200);
      // graphServerError fails the tenant's first report request
      expect(responses.get('failing').status).toBe(503);
      expect(responses.get('blocked').status).toBe(424);
      expect(sim.stats().graph).toMatchObject({ batchedRequests: 3, directoryReads: 2 });
      // /beta/$batch routes to the beta paths
      const beta = await postBatch(`${g.graphUrl}/beta/$batch`, token, { requests: [{ id: '1', method: 'GET', url: 'organization' }] });
      expect(beta.body.responses[0]).toMatchObject({ status: 200, body: { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#organization' } });
    });
  });
});

describe('Graph /domains and /organization', () => {
  it("answers the customer tenant the token is for, with the domains Exchange accepts", async () => {
    const scenario = graphScenario({
      tenants: [
        { name: 'Alpha', initialDomain: 'alpha.onmicrosoft.com', customDomains: ['alpha.com', 'mail.alpha.com'], defaultDomain: 'alpha.com', mailboxes: 3 },
        { name: 'Beta', initialDomain: 'beta.onmicrosoft.com', mailboxes: 2 },
      ],
      faults: [],
    });
    await withSimulator(scenario, async (sim) => {
      const world = buildWorld(loadScenario(scenario));
      const g = graphClient(sim);
      for (const tenant of world.tenants) {
        const token = await g.accessToken(tenant.initialDomain);
        const org = await g.get('/v1.0/organization', token);
        expect(org.status).toBe(200);
        expect(org.body['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#organization');
        expect(org.body.value).toHaveLength(1);
        const o = org.body.value[0];
        expect(o).toMatchObject({ id: tenant.tenantId, displayName: tenant.name, tenantType: 'AAD', countryLetterCode: expect.stringMatching(/^[A-Z]{2}$/) });
        expect(Date.parse(o.createdDateTime)).toBeLessThan(Date.parse('2024-05-20T00:00:00Z'));

        const domains = await g.get('/v1.0/domains', token);
        expect(domains.status).toBe(200);
        const names = (domains.body.value as any[]).map((d) => d.id);
        expect(names.sort()).toEqual(acceptedDomainObjects(tenant).map((d) => String(d.DomainName)).sort());
        expect(o.verifiedDomains.map((d: any) => d.name).sort()).toEqual(names.sort());
        const initial = (domains.body.value as any[]).filter((d) => d.isInitial);
        expect(initial.map((d) => d.id)).toEqual([tenant.initialDomain]);
        expect((domains.body.value as any[]).filter((d) => d.isDefault).map((d) => d.id)).toEqual([tenant.defaultDomain]);
        expect(initial[0]).toMatchObject({ isVerified: true, authenticationType: 'Managed', supportedServices: ['Email', 'OfficeCommunicationsOnline'] });
        expect(o.verifiedDomains.find((d: any) => d.isInitial)).toMatchObject({ name: tenant.initialDomain, type: 'Managed', capabilities: 'Email, OfficeCommunicationsOnline' });
        const one = await g.get(`/v1.0/domains/${tenant.defaultDomain}`, token);
        expect(one.body).toMatchObject({ id: tenant.defaultDomain, isDefault: true });
      }
      const alpha = await g.get('/v1.0/domains', await g.accessToken('alpha.onmicrosoft.com'));
      expect((alpha.body.value as any[]).find((d) => d.id === 'mail.alpha.com')).toMatchObject({ isRoot: false });
      expect(sim.stats().graph.directoryReads).toBe(2 * 3 + 1);
    });
  });

  it("answers the partner's own tenant for a partner token, and 401 without one", async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const partner = await g.accessToken(PARTNER_TENANT);
      const org = await g.get('/v1.0/organization', partner);
      expect(org.body.value[0]).toMatchObject({ id: PARTNER_TENANT, verifiedDomains: [{ name: 'contoso.onmicrosoft.com', isInitial: true, isDefault: true }, { name: 'contoso.mail.onmicrosoft.com' }] });
      const customerIds = buildWorld(loadScenario(graphScenario())).tenants.map((t) => t.tenantId);
      expect(customerIds).not.toContain(org.body.value[0].id);
      const domains = await g.get('/beta/domains?$top=999', partner);
      expect(domains.body['@odata.context']).toBe('https://graph.microsoft.com/beta/$metadata#domains');
      expect(domains.body.value.map((d: any) => d.id)).toEqual(['contoso.onmicrosoft.com', 'contoso.mail.onmicrosoft.com']);
      expect((await g.get(`/v1.0/organization/${PARTNER_TENANT}`, partner)).body.id).toBe(PARTNER_TENANT);
      expect((await g.get('/v1.0/organization/00000000-0000-4000-8000-000000000000', partner)).status).toBe(404);
      const none = await g.get('/v1.0/organization');
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe('InvalidAuthenticationToken');
    });
  });
});
