// The customer directory collections the simulator serves to Graph query reports (subscribed
// SKUs, role definitions and assignments, Secure Scores): paging that keeps $select and $expand,
// the permission each needs, and each throttling class's budget per app and tenant, counted.
import { describe, expect, it } from 'vitest';
import { graphThrottleTable } from '../../common/graph-throttling.js';
import { withSimulator } from './helpers.js';
import { APP_ID, APP_SECRET, graphClient, graphScenario } from './graph-helpers.js';

describe('Graph directory collections of a customer tenant', () => {
  it('roleAssignments pages by $top with $expand kept on every page; without $expand no principal; $select keeps only what it names', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('alpha.onmicrosoft.com');
      const first = await g.get('/v1.0/roleManagement/directory/roleAssignments?$expand=principal&$top=1', token);
      expect(first.status).toBe(200);
      expect(first.body.value[0].principal.id).toBe(first.body.value[0].principalId);
      const next = first.body['@odata.nextLink'] as string;
      expect(next.startsWith(`${g.graphUrl}/v1.0/roleManagement/directory/roleAssignments?`)).toBe(true);
      const second = await g.get(next, token);
      expect(second.status).toBe(200);
      expect(second.body.value[0].principal).toBeDefined();
      const bare = await g.get('/v1.0/roleManagement/directory/roleAssignments', token);
      expect(bare.body.value.every((a: Record<string, unknown>) => a.principal === undefined)).toBe(true);
      const selected = await g.get('/v1.0/subscribedSkus?$select=skuId,skuPartNumber', token);
      expect(Object.keys(selected.body.value[0]).sort()).toEqual(['skuId', 'skuPartNumber']);
    });
  });

  it('an app without the permission gets 403 Authorization_RequestDenied; a partner token gets no customer directory', async () => {
    const scenario = graphScenario({}, { apps: [{ clientId: APP_ID, clientSecret: APP_SECRET, roles: { graph: ['Reports.Read.All'], exchange: [] } }] });
    await withSimulator(scenario, async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('alpha.onmicrosoft.com');
      for (const path of ['/v1.0/subscribedSkus', '/v1.0/roleManagement/directory/roleAssignments', '/v1.0/security/secureScores']) {
        const answer = await g.get(path, token);
        expect(answer.status).toBe(403);
        expect(answer.body.error).toMatchObject({ code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
      }
    });
  });

  it('counts requests and resource units per tenant and class, and refuses a request past the class budget with 429 and Retry-After', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const alpha = await g.accessToken('alpha.onmicrosoft.com');
      const beta = await g.accessToken('beta.onmicrosoft.com');
      const secureScoreBudget = graphThrottleTable.secureScore.limit;
      for (let i = 0; i < secureScoreBudget; i += 1) expect((await g.get('/v1.0/security/secureScores?$top=1', alpha)).status).toBe(200);
      const refused = await g.get('/v1.0/security/secureScores?$top=1', alpha);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // another tenant has a budget of its own
      expect((await g.get('/v1.0/security/secureScores?$top=1', beta)).status).toBe(200);
      // subscribedSkus: 3 units; with $select, 2
      expect((await g.get('/v1.0/subscribedSkus', alpha)).status).toBe(200);
      expect((await g.get('/v1.0/subscribedSkus?$select=skuId', alpha)).status).toBe(200);
      const stats = sim.stats().graph.classesPerTenant;
      const alphaId = Object.keys(stats).find((id) => stats[id]!.secureScore?.requests === secureScoreBudget + 1)!;
      expect(stats[alphaId]!.secureScore).toMatchObject({ requests: secureScoreBudget + 1, units: secureScoreBudget, throttled: 1, maxInWindow: secureScoreBudget });
      expect(stats[alphaId]!.directory).toMatchObject({ requests: 2, units: 5, throttled: 0 });
    });
  });
});
