// The generated Graph functions end to end: real pwsh, the module, the simulator's Graph side.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleDir, projectRoot } from '../../common/project-paths.js';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { pwsh } from '../helpers/powershell.js';
import { fetchReportDirectly } from '../runtime/graph-harness.js';
import { tempDir } from '../runtime/fakes.js';

async function activeTenantIds(sim: RunningSimulator): Promise<string[]> {
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
  return list.value.map((r) => r.customer.tenantId);
}

describe('generated Graph functions against the simulator (full pwsh)', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({});
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('Get-DapGraphToken | Get-DapMailboxUsageDetail returns every row the service holds, TenantId first', async () => {
    const dir = tempDir();
    const ids = (await activeTenantIds(sim)).slice(0, 4);
    expect(ids.length).toBe(4);
    writeFileSync(join(dir, 'tenants.txt'), ids.join('\n'));
    const out = join(dir, 'out.csv');
    const result = await execa(
      pwsh.path,
      ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(projectRoot, 'test/fixtures/pwsh/graph-module-report.ps1'),
        '-ModuleManifest', join(moduleDir, 'DapReporting', 'DapReporting.psd1'), '-TenantIdsFile', join(dir, 'tenants.txt'), '-OutFile', out],
      { env: sim.env, reject: false },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const rows = parse(readFileSync(out), { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0] ?? {})[0]).toBe('TenantId');
    for (const id of ids) {
      const served = parse(await fetchReportDirectly(sim, id, 'getMailboxUsageDetail'), { columns: true }) as Array<Record<string, string>>;
      const got = rows.filter((r) => r.TenantId === id).map(({ TenantId: _, ...rest }) => rest);
      expect(got).toEqual(served);
    }
    expect(JSON.stringify(rows)).not.toContain(sim.env.DAP_GRAPH_CLIENT_SECRET!);
  });
});
