import { describe, expect, it } from 'vitest';
import { buildWorld, loadScenario, startSimulator } from '../../simulator/index.js';
import { join } from 'node:path';
import { DapError } from '../../common/dap-error.js';
import { projectRoot } from '../../common/project-paths.js';
import { buildGraphWorld } from '../../simulator/world/graph-world.js';
import { withSimulator } from './helpers.js';
import { APP_ID, APP_SECRET, PARTNER_TENANT, REFRESH_TOKEN, graphClient, graphScenario, sleep } from './graph-helpers.js';

// The columns of reference §4, written out literally.
const expectedHeaders: Record<string, string> = {
  getMailboxUsageDetail:
    'Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,Created Date,Last Activity Date,Item Count,Storage Used (Byte),Issue Warning Quota (Byte),Prohibit Send Quota (Byte),Prohibit Send/Receive Quota (Byte),Deleted Item Count,Deleted Item Size (Byte),Has Archive,Report Period',
  getEmailActivityUserDetail:
    'Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,Last Activity Date,Send Count,Receive Count,Read Count,Meeting Created Count,Meeting Interacted Count,Assigned Products,Report Period',
  getMailboxUsageMailboxCounts: 'Report Refresh Date,Total,Active,Report Date,Report Period',
  getOffice365ActiveUserDetail:
    'Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,' +
    'Has Exchange License,Has OneDrive License,Has SharePoint License,Has Skype For Business License,Has Yammer License,Has Teams License,' +
    'Exchange Last Activity Date,OneDrive Last Activity Date,SharePoint Last Activity Date,Skype For Business Last Activity Date,Yammer Last Activity Date,Teams Last Activity Date,' +
    'Exchange License Assign Date,OneDrive License Assign Date,SharePoint License Assign Date,Skype For Business License Assign Date,Yammer License Assign Date,Teams License Assign Date,' +
    'Assigned Products',
};
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const lines = (csv: string) => csv.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');

describe('login host: token endpoint', () => {
  it('issues client-credentials tokens for a customer (by id or domain) and for the partner tenant', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const alpha = buildWorld(loadScenario(graphScenario())).tenants[0]!;
      for (const tenant of [alpha.tenantId, 'alpha.onmicrosoft.com', PARTNER_TENANT]) {
        const response = await g.token(tenant);
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String) });
        expect(response.body.refresh_token).toBeUndefined();
      }
      expect(sim.stats().graph).toMatchObject({ tokensIssued: 3, tokenFailures: 0 });
    });
  });

  it('accepts the scenario refresh token, hands out a new one that works too, and rejects an unknown one', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const first = await g.token('beta.onmicrosoft.com', { grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), refresh_token: expect.any(String) });
      const second = await g.token('alpha.onmicrosoft.com', { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
      expect(second.status).toBe(200);
      const partner = await g.token('organizations', { grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN });
      expect(partner.status).toBe(200);
      expect((await g.get('/v1.0/contracts', partner.body.access_token)).status).toBe(200);
      const noTenant = await g.token('organizations');
      expect(noTenant.status).toBe(400);
      expect(noTenant.body.error).toBe('invalid_request');
      const bad = await g.token('alpha.onmicrosoft.com', { grant_type: 'refresh_token', refresh_token: 'made-up' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('invalid_grant');
    });
  });

  it.each([
    ['a wrong client secret', 'alpha.onmicrosoft.com', { client_secret: 'wrong' }, 401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.'],
    ['a tenant without consent', 'unconsented.onmicrosoft.com', {}, 400, 'invalid_client', `AADSTS65001: The user or administrator has not consented to use the application with ID '${APP_ID}'`],
    ['an unknown tenant', 'nowhere.onmicrosoft.com', {}, 400, 'invalid_request', "AADSTS90002: Tenant 'nowhere.onmicrosoft.com' not found."],
    ['an unknown app', 'alpha.onmicrosoft.com', { client_id: '00000000-0000-4000-8000-000000000000' }, 400, 'unauthorized_client', 'AADSTS700016:'],
    ['a missing scope', 'alpha.onmicrosoft.com', { scope: '' }, 400, 'invalid_request', "AADSTS900144: The request body must contain the following parameter: 'scope'."],
    ['a scope without /.default', 'alpha.onmicrosoft.com', { scope: 'https://graph.microsoft.com/Reports.Read.All' }, 400, 'invalid_scope', 'AADSTS1002012:'],
    ['an unsupported grant', 'alpha.onmicrosoft.com', { grant_type: 'password' }, 400, 'unsupported_grant_type', 'AADSTS70003:'],
  ])('refuses %s with the Entra ID error body', async (_name, tenant, fields, status, error, description) => {
    await withSimulator(graphScenario(), async (sim) => {
      const response = await graphClient(sim).token(tenant, fields);
      expect(response.status).toBe(status);
      expect(response.body.error).toBe(error);
      expect(response.body.error_description).toContain(description);
      expect(response.body.error_description).toMatch(/Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
      expect(response.body).toMatchObject({ error_codes: [expect.any(Number)], trace_id: expect.any(String), correlation_id: expect.any(String) });
      expect(response.text).not.toContain('graph-test-secret');
      expect(sim.stats().graph).toMatchObject({ tokensIssued: 0, tokenFailures: 1 });
    });
  });

  it('places the notConsented fault by a seeded rate, reproducibly, never on the partner tenant', async () => {
    // every relationship active: an inactive one also refuses tokens (AADSTS700016), which is not what this test counts
    const scenario = { seed: 'consent-rate', tenantCount: 40, faults: [{ type: 'notConsented', rate: 0.25 }], graph: { inactiveRelationshipRate: 0 } };
    const refused = async () =>
      withSimulator(scenario, async (sim) => {
        const g = graphClient(sim);
        expect((await g.token(sim.env.DAP_GRAPH_TENANT_ID!, { client_id: sim.env.DAP_GRAPH_CLIENT_ID!, client_secret: sim.env.DAP_GRAPH_CLIENT_SECRET! })).status).toBe(200);
        const world = buildWorld(loadScenario(scenario));
        const result: string[] = [];
        for (const t of world.tenants) {
          const r = await g.token(t.tenantId, { client_id: sim.env.DAP_GRAPH_CLIENT_ID!, client_secret: sim.env.DAP_GRAPH_CLIENT_SECRET! });
          if (r.status !== 200) {
            expect(r.body.error_description).toContain('The user or administrator has not consented');
            result.push(t.initialDomain);
          }
        }
        return result;
      });
    const first = await refused();
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(40);
    expect(await refused()).toEqual(first);
  });
});

describe('delegatedAdminRelationships and contracts', () => {
  const big = { seed: 'paging', tenantCount: 350, graph: { apps: [{ clientId: APP_ID, clientSecret: APP_SECRET }], inactiveRelationshipRate: 0.15 } };

  it('pages 350 relationships as 300 + 50 with an absolute nextLink, items shaped like Graph', async () => {
    await withSimulator(big, async (sim) => {
      const g = graphClient(sim);
      const partner = await g.accessToken(sim.env.DAP_GRAPH_TENANT_ID!);
      const first = await g.get('/v1.0/tenantRelationships/delegatedAdminRelationships', partner);
      expect(first.status).toBe(200);
      expect(first.body.value).toHaveLength(300);
      const next: string = first.body['@odata.nextLink'];
      expect(next.startsWith(`${sim.env.DAP_GRAPH_URL}/v1.0/tenantRelationships/delegatedAdminRelationships?`)).toBe(true);
      expect(new URL(next).searchParams.get('$skiptoken')).toEqual(expect.any(String));
      const second = await g.get(next, partner);
      expect(second.status).toBe(200);
      expect(second.body.value).toHaveLength(50);
      expect(second.body['@odata.nextLink']).toBeUndefined();
      const all = [...first.body.value, ...second.body.value];
      expect(new Set(all.map((r) => r.customer.tenantId)).size).toBe(350);
      const item = all[0];
      expect(Object.keys(item)).toEqual([
        'id', 'displayName', 'duration', 'customer', 'accessDetails', 'status', 'autoExtendDuration',
        'createdDateTime', 'lastModifiedDateTime', 'activatedDateTime', 'endDateTime',
      ]);
      expect(item.id).toMatch(/^[0-9a-f-]{36}-[0-9a-f-]{36}$/);
      expect(item.duration).toBe('P730D');
      expect(Object.keys(item.customer)).toEqual(['tenantId', 'displayName']);
      expect(item.accessDetails.unifiedRoles[0]).toEqual({ roleDefinitionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      const statuses = new Set(all.map((r) => r.status));
      expect(statuses.has('active')).toBe(true);
      expect([...statuses].filter((s) => s !== 'active').length).toBeGreaterThan(0);
      expect(all.filter((r) => r.status === 'active').length).toBeGreaterThan(250);
      for (const r of all.filter((x) => x.status === 'approvalPending')) expect(r.activatedDateTime).toBeNull();
      expect(sim.stats().graph.relationshipPages).toBe(2);
    });
  });

  it('honours $top (at most 300) and $filter=status eq ... across pages', async () => {
    await withSimulator(big, async (sim) => {
      const g = graphClient(sim);
      const partner = await g.accessToken(sim.env.DAP_GRAPH_TENANT_ID!);
      const over = await g.get('/v1.0/tenantRelationships/delegatedAdminRelationships?$top=301', partner);
      expect(over.status).toBe(400);
      expect(over.body.error.code).toBe('BadRequest');
      expect(over.body.error.message).toBe("The limit of '300' for Top query has been exceeded. The value from the incoming request is '301'.");
      expect((await g.get('/v1.0/tenantRelationships/delegatedAdminRelationships?$top=0', partner)).status).toBe(400);

      const pages: number[] = [];
      const active: any[] = [];
      let link: string | undefined = `/v1.0/tenantRelationships/delegatedAdminRelationships?$top=100&$filter=${encodeURIComponent("status eq 'active'")}`;
      while (link) {
        const page = await g.get(link, partner);
        expect(page.status).toBe(200);
        pages.push(page.body.value.length);
        active.push(...page.body.value);
        link = page.body['@odata.nextLink'];
      }
      expect(active.every((r) => r.status === 'active')).toBe(true);
      expect(pages.slice(0, -1).every((n) => n === 100)).toBe(true);
      expect(active.length).toBeLessThan(350);
      expect(pages.length).toBe(Math.ceil(active.length / 100));

      const unsupported = await g.get(`/v1.0/tenantRelationships/delegatedAdminRelationships?$filter=${encodeURIComponent("startswith(displayName,'A')")}`, partner);
      expect(unsupported.status).toBe(400);
      expect(unsupported.body.error.message).toContain('Invalid filter clause');
    });
  });

  it('lists contracts per customer with the Graph shape, paged the same way', async () => {
    await withSimulator(big, async (sim) => {
      const g = graphClient(sim);
      const partner = await g.accessToken(sim.env.DAP_GRAPH_TENANT_ID!);
      const first = await g.get('/v1.0/contracts', partner);
      expect(first.status).toBe(200);
      expect(first.body.value).toHaveLength(300);
      expect(Object.keys(first.body.value[0])).toEqual(['contractType', 'customerId', 'defaultDomainName', 'displayName', 'id']);
      expect(['SupportPartnerContract', 'ResellerPartnerContract']).toContain(first.body.value[0].contractType);
      const second = await g.get(first.body['@odata.nextLink'], partner);
      expect(second.body.value).toHaveLength(50);
      const world = buildWorld(loadScenario(big));
      const t = world.tenants[7]!;
      const one = await g.get(`/v1.0/contracts?$filter=${encodeURIComponent(`customerId eq '${t.tenantId}'`)}`, partner);
      expect(one.body.value).toEqual([expect.objectContaining({ customerId: t.tenantId, defaultDomainName: t.defaultDomain, displayName: t.name })]);
    });
  });

  it('requires a valid partner-tenant bearer token', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const none = await g.get('/v1.0/tenantRelationships/delegatedAdminRelationships');
      expect(none.status).toBe(401);
      expect(none.body.error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
      expect(none.body.error.innerError).toMatchObject({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/), 'request-id': expect.any(String) });
      expect((await g.get('/v1.0/contracts', 'not-a-token')).status).toBe(401);
      const customer = await g.accessToken('alpha.onmicrosoft.com');
      const wrong = await g.get('/v1.0/tenantRelationships/delegatedAdminRelationships', customer);
      expect(wrong.status).toBe(403);
      expect(wrong.body.error.code).toBe('Forbidden');
      expect((await g.get('/v1.0/contracts', customer)).status).toBe(403);
    });
  });
});

describe('findTenantInformationByTenantId', () => {
  const lookup = (id: string) => `/v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='${id}')`;
  const scenario = () => graphScenario({ tenants: [
    { name: 'Alpine Studios', initialDomain: 'alpinestudios.onmicrosoft.com', customDomains: ['alpine-studios.example'], mailboxes: 2 },
    { name: 'Beta', initialDomain: 'beta.onmicrosoft.com', mailboxes: 2 },
    { name: 'Pending', initialDomain: 'pending.onmicrosoft.com', mailboxes: 2, relationshipStatus: 'approvalPending' },
  ], faults: [] });

  it("answers a customer's tenantInformation (its default domain) to the partner token, counted in tenantLookups", async () => {
    await withSimulator(scenario(), async (sim) => {
      const g = graphClient(sim);
      const partner = await g.accessToken(PARTNER_TENANT);
      const world = buildWorld(loadScenario(scenario()));
      for (const tenant of world.tenants) {
        const response = await g.get(lookup(tenant.tenantId), partner);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(response.body).toEqual({
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.tenantInformation',
          tenantId: tenant.tenantId,
          displayName: tenant.name,
          defaultDomainName: tenant.defaultDomain,
          federationBrandName: null,
        });
      }
      expect(world.tenants[0]!.defaultDomain).toBe('alpine-studios.example');
      // upper-case id, percent-encoded quotes (as some clients send them)
      const encoded = await g.get(`/v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId=%27${world.tenants[1]!.tenantId.toUpperCase()}%27)`, partner);
      expect(encoded.status).toBe(200);
      expect(encoded.body.defaultDomainName).toBe('beta.onmicrosoft.com');
      expect(sim.stats().graph.tenantLookups).toBe(4);
    });
  });

  it('an unknown tenant id is 404 with a Graph error body; a malformed call is 400', async () => {
    await withSimulator(scenario(), async (sim) => {
      const g = graphClient(sim);
      const partner = await g.accessToken(PARTNER_TENANT);
      const unknown = await g.get(lookup('00000000-0000-4000-8000-000000000000'), partner);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ code: 'Request_ResourceNotFound', message: expect.stringContaining('00000000-0000-4000-8000-000000000000') });
      expect(unknown.body.error.innerError).toMatchObject({ 'request-id': expect.any(String) });
      expect((await g.get(lookup(PARTNER_TENANT), partner)).status).toBe(404);
      for (const bad of ['/v1.0/tenantRelationships/findTenantInformationByTenantId', '/v1.0/tenantRelationships/findTenantInformationByTenantId(id=\'x\')']) {
        const response = await g.get(bad, partner);
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('BadRequest');
      }
      expect(sim.stats().graph.tenantLookups).toBe(2);
    });
  });

  it('requires the partner token: none or unknown 401, expired 401, a customer token 403 (not counted)', async () => {
    // a JWT's exp is in whole seconds: a 3-second token is good for 2 seconds at least (time for the
    // calls that need it on a loaded machine) and expired 3.1 s after it was issued
    await withSimulator({ ...scenario(), graph: { ...(scenario().graph as object), tokenLifetimeSeconds: 3 } }, async (sim) => {
      const g = graphClient(sim);
      const id = buildWorld(loadScenario(scenario())).tenants[0]!.tenantId;
      const none = await g.get(lookup(id));
      expect(none.status).toBe(401);
      expect(none.body.error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
      expect((await g.get(lookup(id), 'not-a-token')).status).toBe(401);
      const customer = await g.accessToken('beta.onmicrosoft.com');
      const forbidden = await g.get(lookup(id), customer);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.code).toBe('Forbidden');
      const partner = await g.accessToken(PARTNER_TENANT);
      await sleep(3100);
      const expired = await g.get(lookup(id), partner);
      expect(expired.status).toBe(401);
      expect(expired.body.error.message).toBe('Lifetime validation failed, the token is expired.');
      expect(sim.stats().graph.tenantLookups).toBe(0);
    });
  });
});

describe('CSV reports', () => {
  it.each(Object.keys(expectedHeaders))('%s: 302 to a download URL that returns text/csv with a BOM and the exact columns', async (fn) => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('alpha.onmicrosoft.com');
      const response = await g.report(fn, "period='D7'", token);
      expect(response.status).toBe(302);
      const location = response.headers.get('location')!;
      expect(location).toMatch(new RegExp(`^${sim.urls.download.replace(/\./g, '\\.')}/[A-Za-z0-9_-]+$`));
      expect(location).toMatch(/^https:\/\//);
      const file = await g.download(location);
      expect(file.status).toBe(200);
      expect(file.contentType).toMatch(/^text\/csv/);
      expect(file.bytes.subarray(0, 3)).toEqual(BOM);
      const rows = lines(file.text);
      expect(rows[0]).toBe(expectedHeaders[fn]);
      expect(rows).toHaveLength(1 + (fn === 'getMailboxUsageMailboxCounts' ? 7 : 9));
      const width = expectedHeaders[fn]!.split(',').length;
      for (const row of rows.slice(1)) {
        expect(row.split(',')).toHaveLength(width);
        expect(row.startsWith('2024-05-18,')).toBe(true);
      }
      if (fn !== 'getMailboxUsageMailboxCounts') expect(rows[1]).toContain('@alpha.onmicrosoft.com');
      if (fn !== 'getOffice365ActiveUserDetail') expect(rows.slice(1).every((r) => r.endsWith(',7'))).toBe(true);
    });
  });

  it('accepts (date=…) within the last 30 days for the functions that take it, and refuses the rest', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('alpha.onmicrosoft.com');
      const ok = await g.report('getEmailActivityUserDetail', 'date=2024-05-01', token);
      expect(ok.status).toBe(302);
      const rows = lines((await g.download(ok.headers.get('location')!)).text);
      expect(rows.slice(1).every((r) => r.endsWith(',1'))).toBe(true);
      expect((await g.report('getOffice365ActiveUserDetail', "date='2024-04-20'", token)).status).toBe(302);
      for (const [fn, args] of [
        ['getEmailActivityUserDetail', 'date=2024-04-19'],
        ['getEmailActivityUserDetail', 'date=2024-05-21'],
        ['getEmailActivityUserDetail', 'date=2024-02-30'],
        ['getMailboxUsageDetail', 'date=2024-05-01'],
        ['getMailboxUsageDetail', "period='D5'"],
        ['getMailboxUsageDetail', "span='D7'"],
      ] as const) {
        const refused = await g.report(fn, args, token);
        expect(refused.status, `${fn}(${args})`).toBe(400);
        expect(refused.body.error.code).toBe('BadRequest');
      }
      const unknown = await g.report('getMeetingAttendance', "period='D7'", token);
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toBe("Resource not found for the segment 'getMeetingAttendance'.");
    });
  });

  it('accepts the quotes percent-encoded, as PowerShell sends them', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('alpha.onmicrosoft.com');
      expect((await g.get("/v1.0/reports/getMailboxUsageDetail(period=%27D30%27)", token)).status).toBe(302);
    });
  });

  it('answers header-only CSVs for a tenant without mailboxes and for graphNoData', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      for (const tenant of ['empty.onmicrosoft.com', 'blank.onmicrosoft.com']) {
        const response = await g.report('getMailboxUsageDetail', "period='D30'", await g.accessToken(tenant));
        const file = await g.download(response.headers.get('location')!);
        expect(file.bytes.subarray(0, 3)).toEqual(BOM);
        expect(lines(file.text)).toEqual([expectedHeaders.getMailboxUsageDetail]);
      }
    });
  });

  it('conceals user names as 32 hex characters when the scenario says so', async () => {
    await withSimulator(graphScenario({}, { concealUserNames: true }), async (sim) => {
      const g = graphClient(sim);
      const response = await g.report('getEmailActivityUserDetail', "period='D7'", await g.accessToken('alpha.onmicrosoft.com'));
      const rows = lines((await g.download(response.headers.get('location')!)).text).slice(1);
      for (const row of rows) {
        const [, upn, name] = row.split(',');
        expect(upn).toMatch(/^[0-9A-F]{32}$/);
        expect(name).toMatch(/^[0-9A-F]{32}$/);
      }
      expect(rows.join('\n')).not.toContain('@');
    });
  });

  it('refuses the partner token on a report (403) and an expired token (401)', async () => {
    // 3 seconds: see the partner-token test above
    await withSimulator(graphScenario({}, { tokenLifetimeSeconds: 3 }), async (sim) => {
      const g = graphClient(sim);
      const partner = await g.accessToken(PARTNER_TENANT);
      const forbidden = await g.report('getMailboxUsageDetail', "period='D7'", partner);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.code).toBe('Forbidden');
      expect(forbidden.body.error.message).toContain(PARTNER_TENANT);
      const customer = await g.accessToken('alpha.onmicrosoft.com');
      expect((await g.report('getMailboxUsageDetail', "period='D7'", customer)).status).toBe(302);
      await sleep(3100);
      const expired = await g.report('getMailboxUsageDetail', "period='D7'", customer);
      expect(expired.status).toBe(401);
      expect(expired.body.error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' });
    });
  });
});

describe('download URLs', () => {
  it('expire after downloadLifetimeSeconds with the storage AuthenticationFailed answer', async () => {
    await withSimulator(graphScenario({}, { downloadLifetimeSeconds: 0.5 }), async (sim) => {
      const g = graphClient(sim);
      const response = await g.report('getMailboxUsageDetail', "period='D7'", await g.accessToken('alpha.onmicrosoft.com'));
      const url = response.headers.get('location')!;
      expect((await g.download(url)).status).toBe(200);
      await sleep(600);
      const expired = await g.download(url);
      expect(expired.status).toBe(403);
      expect(expired.text).toContain('<Code>AuthenticationFailed</Code>');
      expect(expired.text).toMatch(/Signed expiry time \[.+\] must be after signed start time \[.+\]/);
      expect((await g.download(`${sim.urls.download}/unknownid`)).status).toBe(404);
      expect(sim.stats().graph).toMatchObject({ downloads: 1, expiredDownloads: 1 });
    });
  });

  it('counts the downloads that carried an Authorization header (a Graph token sent to the storage host)', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('alpha.onmicrosoft.com');
      const url = (await g.report('getMailboxUsageDetail', "period='D7'", token)).headers.get('location')!;
      expect((await g.download(url)).status).toBe(200);
      expect(sim.stats().graph).toMatchObject({ downloads: 1, downloadsWithAuthorization: 0 });
      expect((await g.download(url, { authorization: `Bearer ${token}` })).status).toBe(200);
      expect(sim.stats().graph).toMatchObject({ downloads: 2, downloadsWithAuthorization: 1 });
    });
  });

  it('expiredDownload: the first URL of that tenant is already expired, a new request works', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('stale.onmicrosoft.com');
      const first = await g.report('getMailboxUsageDetail', "period='D7'", token);
      expect((await g.download(first.headers.get('location')!)).status).toBe(403);
      const again = await g.report('getMailboxUsageDetail', "period='D7'", token);
      expect((await g.download(again.headers.get('location')!)).status).toBe(200);
    });
  });
});

describe('throttling and transient faults', () => {
  it('allows 14 report requests per app, tenant and function in the window; the 15th gets 429 with Retry-After', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('alpha.onmicrosoft.com');
      for (let i = 0; i < 14; i += 1) expect((await g.report('getMailboxUsageDetail', "period='D7'", token)).status).toBe(302);
      const limited = await g.report('getMailboxUsageDetail', "period='D7'", token);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(500);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(limited.body.error.code).toBe('TooManyRequests');
      expect(limited.body.error.message).toMatch(/^Too many requests .*Please try again later\.$/);
      expect(limited.body.error.innerError).toMatchObject({ date: expect.any(String), 'request-id': expect.any(String) });
      // Another function and another tenant have their own budgets.
      expect((await g.report('getEmailActivityUserDetail', "period='D7'", token)).status).toBe(302);
      expect((await g.report('getMailboxUsageDetail', "period='D7'", await g.accessToken('beta.onmicrosoft.com'))).status).toBe(302);
      const stats = sim.stats().graph;
      const alpha = buildWorld(loadScenario(graphScenario())).tenants[0]!;
      expect(stats.throttled).toBe(1);
      expect(stats.reportRequests).toBe(17);
      expect(stats.requestsPerTenant[alpha.tenantId]).toEqual({ getMailboxUsageDetail: 15, getEmailActivityUserDetail: 1 });
    });
  });

  it('frees a slot when the oldest request leaves a short window', async () => {
    await withSimulator(graphScenario({}, { rateLimit: { requests: 2, windowSeconds: 1 } }), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('alpha.onmicrosoft.com');
      expect((await g.report('getMailboxUsageMailboxCounts', "period='D7'", token)).status).toBe(302);
      expect((await g.report('getMailboxUsageMailboxCounts', "period='D7'", token)).status).toBe(302);
      const limited = await g.report('getMailboxUsageMailboxCounts', "period='D7'", token);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      await sleep(1100);
      expect((await g.report('getMailboxUsageMailboxCounts', "period='D7'", token)).status).toBe(302);
    });
  });

  it('graphThrottle: the first N report requests of that tenant get 429 with Retry-After 1', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('throttled.onmicrosoft.com');
      const answers = [];
      for (let i = 0; i < 3; i += 1) answers.push(await g.report('getMailboxUsageDetail', "period='D7'", token));
      expect(answers.map((a) => a.status)).toEqual([429, 429, 302]);
      expect(answers[0]!.headers.get('retry-after')).toBe('1');
      expect(sim.stats().graph.throttled).toBe(2);
    });
  });

  it('graphServerError: 503 once, then the report', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const g = graphClient(sim);
      const token = await g.accessToken('flaky.onmicrosoft.com');
      const first = await g.report('getMailboxUsageDetail', "period='D7'", token);
      expect(first.status).toBe(503);
      expect(first.body.error.code).toBe('ServiceUnavailable');
      expect((await g.report('getMailboxUsageDetail', "period='D7'", token)).status).toBe(302);
    });
  });

  it('keeps the Exchange side working next to the Graph side', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      const response = await fetch(`${sim.url}/exchange/sessions`, {
        method: 'POST',
        body: JSON.stringify({ userName: 'admin@contoso.onmicrosoft.com', password: sim.env.DAP_PASSWORD, connectionUri: 'https://ps.outlook.com/powershell-liveid?DelegatedOrg=alpha.onmicrosoft.com' }),
      });
      expect(response.status).toBe(201);
    });
  });
});

describe('determinism and counters', () => {
  const fetchAll = async (seed: string) =>
    withSimulator(graphScenario({ seed }), async (sim) => {
      const g = graphClient(sim);
      const partner = await g.accessToken(PARTNER_TENANT);
      const relationships = (await g.get('/v1.0/tenantRelationships/delegatedAdminRelationships', partner)).body.value;
      const token = await g.accessToken('alpha.onmicrosoft.com');
      const csvs: string[] = [];
      for (const [fn, args] of [
        ['getMailboxUsageDetail', "period='D90'"],
        ['getEmailActivityUserDetail', 'date=2024-05-10'],
        ['getMailboxUsageMailboxCounts', "period='D30'"],
        ['getOffice365ActiveUserDetail', "period='D180'"],
      ]) {
        const response = await g.report(fn!, args!, token);
        csvs.push((await g.download(response.headers.get('location')!)).text);
      }
      return JSON.stringify({ relationships, csvs });
    });

  it('gives byte-identical relationships and CSVs for the same seed, different ones for another seed', async () => {
    const one = await fetchAll('seed-one');
    expect(await fetchAll('seed-one')).toBe(one);
    expect(await fetchAll('seed-two')).not.toBe(one);
  });

  it('counts tokens, pages, requests and downloads', async () => {
    const sim = await startSimulator({ scenario: graphScenario() });
    const g = graphClient(sim);
    const partner = await g.accessToken(PARTNER_TENANT);
    await g.get('/v1.0/tenantRelationships/delegatedAdminRelationships', partner);
    await g.token('alpha.onmicrosoft.com', { client_secret: 'wrong' });
    const token = await g.accessToken('beta.onmicrosoft.com');
    const response = await g.report('getOffice365ActiveUserDetail', "period='D7'", token);
    await g.download(response.headers.get('location')!);
    const stats = await sim.stop();
    const beta = buildWorld(loadScenario(graphScenario())).tenants[1]!;
    expect(stats.graph).toEqual({
      tokensIssued: 2,
      tokenFailures: 1,
      relationshipPages: 1,
      tenantLookups: 0,
      reportRequests: 1,
      downloads: 1,
      downloadsWithAuthorization: 0,
      expiredDownloads: 0,
      throttled: 0,
      directoryReads: 0,
      batches: 0,
      batchedRequests: 0,
      requestsPerTenant: { [beta.tenantId]: { getOffice365ActiveUserDetail: 1 } },
      classesPerTenant: { [beta.tenantId.toLowerCase()]: { usageReports: { requests: 1, units: 1, throttled: 0, maxInWindow: 1 } } },
    });
  });

  it('puts the Graph addresses (https) and the partner app in the environment', async () => {
    await withSimulator(graphScenario(), async (sim) => {
      expect(sim.urls.graph).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.urls.login).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.env).toMatchObject({
        DAP_GRAPH_URL: sim.urls.graph,
        DAP_LOGIN_URL: sim.urls.login,
        DAP_GRAPH_CLIENT_ID: APP_ID,
        DAP_GRAPH_CLIENT_SECRET: 'graph-test-secret',
        DAP_GRAPH_TENANT_ID: PARTNER_TENANT,
        DAP_GRAPH_REFRESH_TOKEN: REFRESH_TOKEN,
      });
    });
  });
});

describe('graph scenario validation', () => {
  it.each([
    ['a bad app client id', { graph: { apps: [{ clientId: 'not-a-guid', clientSecret: 'x' }] } }, 'graph.apps.0.clientId'],
    ['no apps', { graph: { apps: [] } }, 'graph.apps'],
    ['a zero token lifetime', { graph: { tokenLifetimeSeconds: 0 } }, 'graph.tokenLifetimeSeconds'],
    ['a negative download lifetime', { graph: { downloadLifetimeSeconds: -1 } }, 'graph.downloadLifetimeSeconds'],
    ['a zero rate limit', { graph: { rateLimit: { requests: 0 } } }, 'graph.rateLimit.requests'],
    ['an unknown graph field', { graph: { colour: 'blue' } }, "'colour'"],
    ['a bad relationship status', { tenants: [{ name: 'A', relationshipStatus: 'sleeping' }] }, 'tenants.0.relationshipStatus'],
    ['a graphThrottle fault with zero failures', { tenantCount: 1, faults: [{ type: 'graphThrottle', rate: 1, failures: 0 }] }, 'faults.0.failures'],
    ['a duplicate app', { graph: { apps: [{ clientId: APP_ID, clientSecret: 'a' }, { clientId: APP_ID.toUpperCase(), clientSecret: 'b' }] } }, 'graph.apps.1.clientId'],
  ])('rejects %s, naming the field', (_name, scenario, fieldPath) => {
    let caught: unknown;
    try {
      buildWorld(loadScenario(scenario));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DapError);
    expect((caught as DapError).exitCode).toBe(2);
    expect((caught as DapError).message).toContain(fieldPath);
  });

  it('rejects a partner tenant id that is also a customer tenant id', async () => {
    const id = '12345678-1234-4234-8234-123456789012';
    await expect(startSimulator({ scenario: { tenants: [{ name: 'A', tenantId: id }], graph: { partnerTenantId: id } } })).rejects.toMatchObject({
      code: 'SCENARIO_INVALID',
      exitCode: 2,
    });
  });

  it('loads the graph-run fixture with its faults and fixed relationship statuses', () => {
    const world = buildWorld(loadScenario(join(projectRoot, 'test', 'fixtures', 'scenarios', 'graph-run.json')));
    expect(world.tenants).toHaveLength(13);
    expect([...world.tenantFaults.values()].flat().map((f) => f.spec.type).sort()).toEqual(['expiredDownload', 'graphServerError', 'graphThrottle', 'notConsented']);
    const graph = buildGraphWorld(world, Date.now());
    expect(graph.relationships.filter((r) => r.status !== 'active').map((r) => r.customer.displayName)).toEqual(['Pending Partner', 'Former Client']);
    expect(graph.today).toBe(Date.parse('2024-05-20T00:00:00Z'));
  });

  it('fills every graph default from an empty scenario', () => {
    const scenario = loadScenario({});
    expect(scenario.graph).toMatchObject({ tokenLifetimeSeconds: 3600, downloadLifetimeSeconds: 300, rateLimit: { requests: 14, windowSeconds: 600 } });
    expect(scenario.graph.apps).toHaveLength(1);
  });
});
