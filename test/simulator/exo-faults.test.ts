// The admin API's faults (exoThrottle, exoServerError, roleMissing), the token faults every scope
// meets (notConsented, inactive GDAP relationships), concealedNames on Graph, the exo-faults
// scenario file, and SimulatorStats.exo (requests, pages, refusals, concurrency under latency).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gdapRoles } from '../../simulator/world/graph-world.js';
import { buildWorld, loadScenario, parseScenario, startSimulator, type RunningSimulator, type TenantRecord } from '../../simulator/index.js';
import { EXO_SCOPE, GRAPH_SCOPE, PARTNER_TENANT, REFRESH_TOKEN, exoClient, exoScenario } from './exo-helpers.js';

const world = buildWorld(parseScenario(exoScenario()));
const byName = (name: string) => world.tenants.find((t) => t.name === name) as TenantRecord;

let sim: RunningSimulator;
let c: ReturnType<typeof exoClient>;
beforeAll(async () => {
  sim = await startSimulator({ scenario: exoScenario() });
  c = exoClient(sim);
});
afterAll(async () => {
  await sim.stop();
});

describe('admin API faults', () => {
  it('exoThrottle: the first 2 calls are 429 with Retry-After, then the call goes through', async () => {
    const t = byName('Throttled');
    const token = await c.accessToken(t.tenantId);
    const before = sim.stats().exo.throttled;
    for (let i = 0; i < 2; i += 1) {
      const answer = await c.invoke(t.tenantId, token, 'Get-Mailbox');
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(answer.body.error.code).toBe('TooManyRequests');
      expect(answer.body.error.message).toBe('The request was throttled. Please retry after 1 seconds.');
    }
    expect((await c.invoke(t.tenantId, token, 'Get-Mailbox')).status).toBe(200);
    expect(sim.stats().exo.throttled - before).toBe(2);
  });

  it('exoServerError: the first call is a 500, the next one works', async () => {
    const t = byName('Flaky');
    const token = await c.accessToken(t.tenantId);
    const first = await c.invoke(t.tenantId, token, 'Get-AcceptedDomain');
    expect(first.status).toBe(500);
    expect(first.body.error.code).toBe('InternalServerError');
    expect((await c.invoke(t.tenantId, token, 'Get-AcceptedDomain')).status).toBe(200);
    expect(sim.stats().exo.serverErrors).toBeGreaterThanOrEqual(1);
  });

  it('roleMissing: the relationship has neither Exchange Administrator nor Global Reader, and every cmdlet is "not allowed"', async () => {
    const t = byName('NoRole');
    const token = await c.accessToken(t.tenantId);
    const answer = await c.invoke(t.tenantId, token, 'Get-Mailbox');
    expect(answer.status).toBe(401);
    expect(answer.body.error).toEqual({
      code: 'Unauthorized',
      message: 'User is not allowed to call Get-Mailbox',
      innererror: { message: 'User is not allowed to call Get-Mailbox', type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException', stacktrace: '' },
    });
    const partner = await c.accessToken(PARTNER_TENANT, GRAPH_SCOPE);
    const relationships = (await c.graphGet(`/v1.0/tenantRelationships/delegatedAdminRelationships?$filter=customer/tenantId eq '${t.tenantId}'`, partner)).body.value;
    const roles = relationships[0].accessDetails.unifiedRoles.map((r: { roleDefinitionId: string }) => r.roleDefinitionId);
    expect(roles).not.toContain(gdapRoles.exchangeAdministrator);
    expect(roles).not.toContain(gdapRoles.globalReader);
    const other = (await c.graphGet(`/v1.0/tenantRelationships/delegatedAdminRelationships?$filter=customer/tenantId eq '${byName('Alpha').tenantId}'`, partner)).body.value;
    expect(other[0].accessDetails.unifiedRoles.map((r: { roleDefinitionId: string }) => r.roleDefinitionId)).toContain(gdapRoles.globalReader);
  });

  it('notConsented refuses tokens for every scope', async () => {
    const t = byName('Unconsented');
    for (const scope of [EXO_SCOPE, GRAPH_SCOPE]) {
      const answer = await c.token(t.tenantId, scope);
      expect(answer.status).toBe(400);
      expect(answer.body.error_codes).toEqual([65001]);
    }
  });

  it('a customer whose relationship is not active gets no token; its relationship has the end date the service shows', async () => {
    for (const name of ['Pending', 'Former', 'Ended']) {
      const t = byName(name);
      const app = await c.token(t.tenantId, EXO_SCOPE);
      expect(app.status, name).toBe(400);
      expect(app.body.error_codes).toEqual([700016]);
      const user = await c.token(t.tenantId, EXO_SCOPE, { grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN });
      expect(user.status).toBe(400);
      expect(user.body.error).toBe('invalid_grant');
      expect(user.body.error_description).toMatch(
        new RegExp(`^AADSTS50020: User account '\\{EmailHidden\\}' from identity provider 'https://sts\\.windows\\.net/${PARTNER_TENANT}/' does not exist in tenant '${name}' and cannot access the application`),
      );
    }
    const partner = await c.accessToken(PARTNER_TENANT, GRAPH_SCOPE);
    const all = (await c.graphGet('/v1.0/tenantRelationships/delegatedAdminRelationships', partner)).body.value as Array<Record<string, any>>;
    const of = (name: string) => all.find((r) => r.customer.displayName === name)!;
    expect(of('Pending')).toMatchObject({ status: 'approvalPending', activatedDateTime: null, endDateTime: null });
    expect(of('Former').status).toBe('expired');
    expect(Date.parse(of('Former').endDateTime)).toBeLessThan(Date.parse('2026-11-20T00:00:00Z'));
    expect(of('Ended').status).toBe('terminated');
    expect(Date.parse(of('Ended').endDateTime)).toBeLessThan(Date.parse('2026-11-20T00:00:00Z'));
    expect(Date.parse(of('Alpha').endDateTime)).toBeGreaterThan(Date.parse('2026-11-20T00:00:00Z'));
  });

  it('concealedNames: that tenant reports concealed names and says so in admin/reportSettings', async () => {
    const concealed = byName('Concealed');
    const alpha = byName('Alpha');
    for (const [t, hidden] of [[concealed, true], [alpha, false]] as const) {
      const token = await c.accessToken(t.tenantId, GRAPH_SCOPE);
      const settings = await c.graphGet('/v1.0/admin/reportSettings', token);
      expect(settings.status).toBe(200);
      expect(settings.body).toEqual({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#admin/reportSettings/$entity', displayConcealedNames: hidden });
      const report = await c.graphGet("/v1.0/reports/getMailboxUsageDetail(period='D7')", token);
      expect(report.status).toBe(302);
      const csv = await (await fetch(report.headers.get('location')!)).text();
      const upn = csv.split('\r\n')[1]!.split(',')[1]!;
      if (hidden) expect(upn).toMatch(/^[0-9A-F]{32}$/);
      else expect(upn).toContain('@');
    }
    const exchangeToken = await c.accessToken(alpha.tenantId, EXO_SCOPE);
    expect((await c.graphGet('/v1.0/admin/reportSettings', exchangeToken)).status).toBe(401);
  });
});

describe('the exo-faults scenario', () => {
  it('loads, and has each fault the runtime tests meet', () => {
    const scenario = loadScenario('simulator/scenarios/exo-faults.json');
    const types = scenario.faults.map((f) => f.type);
    for (const type of ['exoThrottle', 'exoServerError', 'roleMissing', 'notConsented', 'concealedNames']) expect(types).toContain(type);
    const w = buildWorld(scenario);
    expect(w.tenants.filter((t) => (w.tenantFaults.get(t.initialDomain.toLowerCase()) ?? []).some((f) => f.spec.type === 'exoThrottle')).length).toBeGreaterThan(1);
    expect(w.tenants.filter((t) => (w.tenantFaults.get(t.initialDomain.toLowerCase()) ?? []).some((f) => f.spec.type === 'roleMissing'))).toHaveLength(1);
  });
});

describe('SimulatorStats.exo', () => {
  it('counts requests, pages and refusals, and the most calls in flight per tenant and overall', async () => {
    const scenario = exoScenario({ latency: { commandMs: 150 } });
    const slow = await startSimulator({ scenario });
    try {
      const sc = exoClient(slow);
      const alpha = byName('Alpha');
      const beta = byName('Beta');
      const ta = await sc.accessToken(alpha.tenantId);
      const tb = await sc.accessToken(beta.tenantId);
      const started = Date.now();
      const answers = await Promise.all([
        sc.invoke(alpha.tenantId, ta, 'Get-Mailbox'),
        sc.invoke(alpha.tenantId, ta, 'Get-CASMailbox'),
        sc.invoke(alpha.tenantId, ta, 'Get-AcceptedDomain'),
        sc.invoke(beta.tenantId, tb, 'Get-Mailbox', {}, { prefer: 'odata.maxpagesize=3' }),
      ]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect((await sc.invoke(alpha.tenantId, undefined, 'Get-Mailbox')).status).toBe(401);
      const stats = await slow.stop();
      expect(stats.exo).toEqual({
        requests: 5,
        batches: 0,
        pages: 4,
        throttled: 0,
        refused: 1,
        serverErrors: 0,
        maxConcurrent: 4,
        maxConcurrentPerTenant: { [alpha.tenantId]: 3, [beta.tenantId]: 1 },
      });
    } finally {
      await slow.stop();
    }
  });
});
