/**
 * A pwsh child of `dap-sim run` reaches the simulator's https hosts with nothing but the trust
 * variables it is given (SSL_CERT_FILE: the machine's roots and the simulator's CA, which .NET
 * reads on Linux): no certificate check is turned off. Without that variable the same script is
 * refused by .NET, so the trust comes from it.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { pwsh } from '../helpers/powershell.js';

const bin = join(projectRoot, 'bin', 'dap-sim.js');

// token, one page of relationships and its https nextLink, a report through its Location (another host)
const script = [
  '$ErrorActionPreference = "Stop"',
  '$form = @{ client_id = $env:DAP_GRAPH_CLIENT_ID; client_secret = $env:DAP_GRAPH_CLIENT_SECRET; scope = "https://graph.microsoft.com/.default"; grant_type = "client_credentials" }',
  '$partner = (Invoke-RestMethod -Method Post -Uri "$env:DAP_LOGIN_URL/$env:DAP_GRAPH_TENANT_ID/oauth2/v2.0/token" -Body $form).access_token',
  '$headers = @{ Authorization = "Bearer $partner" }',
  '$page = Invoke-RestMethod -Uri "$env:DAP_GRAPH_URL/v1.0/tenantRelationships/delegatedAdminRelationships?`$top=2" -Headers $headers',
  '$next = $page."@odata.nextLink"',
  '$page2 = Invoke-RestMethod -Uri $next -Headers $headers',
  '$customer = (Invoke-RestMethod -Method Post -Uri "$env:DAP_LOGIN_URL/$($page.value[0].customer.tenantId)/oauth2/v2.0/token" -Body $form).access_token',
  `$csv = Invoke-WebRequest -Uri "$env:DAP_GRAPH_URL/v1.0/reports/getMailboxUsageDetail(period='D7')" -Headers @{ Authorization = "Bearer $customer" }`,
  '[ordered]@{ graph = $env:DAP_GRAPH_URL; next = $next; second = @($page2.value).Count; csv = ([string]$csv.Content).TrimStart([char]0xFEFF).Split("`n")[0].Trim() } | ConvertTo-Json -Compress',
].join('\n');

const dapSimRun = (command: string[]) => execa(process.execPath, [bin, 'run', '--', ...command], { cwd: projectRoot, reject: false, env: { DAP_PASSWORD: '' } });

describe('dap-sim run: a pwsh child over https', () => {
  it('reaches login, Graph and the download host with only SSL_CERT_FILE; every link is https', async () => {
    const result = await dapSimRun([pwsh.path, '-NoProfile', '-NonInteractive', '-Command', script]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const seen = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(seen.graph).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(seen.next.startsWith(`${seen.graph}/v1.0/tenantRelationships/delegatedAdminRelationships?`)).toBe(true);
    expect(seen.second).toBe(2);
    expect(seen.csv).toMatch(/^Report Refresh Date,User Principal Name,/);
  }, 120_000);

  it('without SSL_CERT_FILE the same child is refused by .NET (the trust comes from that variable)', async () => {
    const result = await dapSimRun(['env', '-u', 'SSL_CERT_FILE', pwsh.path, '-NoProfile', '-NonInteractive', '-Command', script]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr + result.stdout).toMatch(/SSL connection could not be established|certificate/i);
  }, 120_000);
});
