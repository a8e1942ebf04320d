// The generated Graph functions end to end: real pwsh, the module, the simulator's Graph side:
// GDAP customers, a token each, typed report rows with TenantId and TenantDomain.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../common/catalog.js';
import { moduleDir, projectRoot } from '../../common/project-paths.js';
import { psPropertyName } from '../../generator/identifiers.js';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { trustingFetch } from '../helpers/https-server.js';
import { pwsh } from '../helpers/powershell.js';
import { fetchReportDirectly } from '../runtime/graph-harness.js';
import { tempDir } from '../runtime/fakes.js';

async function activeTenantIds(sim: RunningSimulator): Promise<{ ids: string[]; token: string }> {
  const fetch = trustingFetch(sim);
  const token = await fetch(`${sim.env.DAP_LOGIN_URL}/${sim.env.DAP_GRAPH_TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: sim.env.DAP_GRAPH_CLIENT_ID!,
      client_secret: sim.env.DAP_GRAPH_CLIENT_SECRET!,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  const list = await fetch(`${sim.env.DAP_GRAPH_URL}/v1.0/tenantRelationships/delegatedAdminRelationships?$filter=status eq 'active'`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  }).then((r) => r.json() as Promise<{ value: Array<{ customer: { tenantId: string } }> }>);
  return { ids: list.value.map((r) => r.customer.tenantId), token: token.access_token };
}

/** The tenant's default domain, as the service tells the partner. */
async function defaultDomain(sim: RunningSimulator, token: string, tenantId: string): Promise<string> {
  const answer = await trustingFetch(sim)(`${sim.env.DAP_GRAPH_URL}/v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='${tenantId}')`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await answer.json()) as { defaultDomainName: string }).defaultDomainName;
}

describe('generated Graph functions against the simulator (full pwsh)', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({});
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('Get-DapGraphToken | Get-DapGraphCustomer | Get-DapGraphToken | Get-DapMailboxUsageDetail: every row the service holds, typed, with TenantId and TenantDomain', async () => {
    const dir = tempDir();
    const { ids, token } = await activeTenantIds(sim);
    const chosen = ids.slice(0, 4);
    expect(chosen.length).toBe(4);
    writeFileSync(join(dir, 'tenants.txt'), chosen.join('\n'));
    const out = join(dir, 'out.json');
    const result = await execa(
      pwsh.path,
      ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(projectRoot, 'test/fixtures/pwsh/graph-module-report.ps1'),
        '-ModuleManifest', join(moduleDir, 'DapReporting', 'DapReporting.psd1'), '-TenantIdsFile', join(dir, 'tenants.txt'), '-OutFile', out],
      { env: sim.env, reject: false },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const got = JSON.parse(readFileSync(out, 'utf8')) as Array<{ Type: string; Row: Record<string, unknown> }>;
    expect(new Set(got.map((r) => r.Type))).toEqual(new Set(['DapReporting.MailboxUsageDetail']));
    expect(got.length).toBeGreaterThan(0);
    expect(Object.keys(got[0]!.Row).slice(0, 2)).toEqual(['TenantId', 'TenantDomain']);
    const columns = readCatalog().reports.find((r) => r.name === 'MailboxUsageDetail')!.columns;
    const typed = (type: string, text: string | undefined): unknown => {
      if (text === undefined || text === '') return null;
      if (type === 'integer' || type === 'number') return Number(text);
      if (type === 'boolean') return text === 'True';
      if (type === 'datetime') return `${text}T00:00:00`;
      return text;
    };
    for (const id of chosen) {
      const domain = await defaultDomain(sim, token, id);
      expect(domain).toMatch(/\./);
      const served = parse(await fetchReportDirectly(sim, id, 'getMailboxUsageDetail'), { columns: true, bom: true }) as Array<Record<string, string>>;
      const expected = served.map((row) => ({
        TenantId: id.toLowerCase(),
        TenantDomain: domain,
        ...Object.fromEntries(columns.map((c) => [psPropertyName(c.name), typed(c.type, row[c.name])])),
      }));
      expect(got.filter((r) => r.Row.TenantId === id.toLowerCase()).map((r) => r.Row)).toEqual(expected);
    }
    expect(readFileSync(out, 'utf8')).not.toContain(sim.env.DAP_GRAPH_CLIENT_SECRET!);
  });
});
