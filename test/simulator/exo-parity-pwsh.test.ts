// One world, two paths: what the admin REST API answers equals what the remoting session answers
// for the same tenant and mailbox (Get-MailboxStatistics, Get-InboxRule, Get-CASMailbox,
// Get-AcceptedDomain), and the stand-ins serve the new cmdlets to real pwsh.
import { delimiter } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, parseScenario, startSimulator, type RunningSimulator, type TenantRecord } from '../../simulator/index.js';
import { runPwshScript } from '../helpers/powershell.js';
import { exoClient, exoScenario } from './exo-helpers.js';
import { ADMIN, client } from './helpers.js';

const scenario = { ...exoScenario(), accounts: [{ userName: ADMIN, password: 'admin-pw' }] };
const world = buildWorld(parseScenario(scenario));
const tenants = world.tenants.filter((t) => ['Alpha', 'Beta'].includes(t.name) || t.index >= 10).slice(0, 6) as TenantRecord[];

/** A remoting date ("2026-11-20T09:00:00", UTC) and a REST one ("…Z") as one instant. */
const instant = (value: unknown) => (value === null ? null : Date.parse(String(value).endsWith('Z') ? String(value) : `${String(value)}Z`));

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario });
});
afterAll(async () => {
  await sim.stop();
});

describe('REST and remoting answer with the same data', () => {
  it('Get-MailboxStatistics of every mailbox', async () => {
    const rest = exoClient(sim);
    const remoting = client(sim);
    let compared = 0;
    for (const tenant of tenants) {
      const token = await rest.accessToken(tenant.tenantId);
      const session = (await remoting.open(tenant.initialDomain)).body.sessionId as string;
      try {
        for (const m of tenant.mailboxes) {
          const remote = (await remoting.run(session, 'Get-MailboxStatistics', { Identity: m.alias })).body.rows[0];
          const edoid = (await rest.invoke(tenant.tenantId, token, 'Get-Mailbox', { Identity: m.userPrincipalName })).body.value[0].ExternalDirectoryObjectId;
          const api = (await rest.invoke(tenant.tenantId, token, 'Get-MailboxStatistics', { Identity: edoid })).body.value[0];
          expect({ ...api, LastLogonTime: instant(api.LastLogonTime), LastUserActionTime: instant(api.LastUserActionTime) }).toMatchObject({
            DisplayName: remote.DisplayName,
            MailboxGuid: remote.MailboxGuid,
            ItemCount: remote.ItemCount,
            TotalItemSize: remote.TotalItemSize,
            LastLogonTime: instant(remote.LastLogonTime),
            LastUserActionTime: instant(remote.LastUserActionTime),
          });
          compared += 1;
        }
      } finally {
        await remoting.close(session);
      }
    }
    expect(compared).toBeGreaterThan(30);
  });

  it('Get-InboxRule, Get-CASMailbox and Get-AcceptedDomain', async () => {
    const rest = exoClient(sim);
    const remoting = client(sim);
    let rules = 0;
    for (const tenant of tenants) {
      const token = await rest.accessToken(tenant.tenantId);
      const session = (await remoting.open(tenant.initialDomain)).body.sessionId as string;
      try {
        const same = async (cmdlet: string, parameters: Record<string, unknown>) => {
          const remote = (await remoting.run(session, cmdlet, parameters)).body;
          const api = (await rest.invoke(tenant.tenantId, token, cmdlet, parameters)).body.value as Array<Record<string, unknown>>;
          const columns = (remote.columns as Array<{ name: string }>).map((col) => col.name);
          expect(remote.rows, `${tenant.name} ${cmdlet}`).toEqual(api.map((o) => Object.fromEntries(columns.map((name) => [name, o[name] ?? null]))));
          return api.length;
        };
        await same('Get-CASMailbox', { ResultSize: 'Unlimited' });
        expect(await same('Get-AcceptedDomain', {})).toBeGreaterThanOrEqual(2);
        for (const m of tenant.mailboxes) rules += await same('Get-InboxRule', { Mailbox: m.userPrincipalName });
      } finally {
        await remoting.close(session);
      }
    }
    expect(rules).toBeGreaterThan(5);
  });
});

describe('the stand-ins offer the new cmdlets in a session', () => {
  it('Get-InboxRule, Get-CASMailbox and Get-AcceptedDomain through Invoke-Command, multi-valued properties as lists', async () => {
    const tenant = tenants.find((t) => t.name === 'Alpha')!;
    const result = await runPwshScript(
      // the script is the test's own text; the modules, the account and the tenant cross as environment variables
      `Import-Module ($env:TEST_STANDINS -split [System.IO.Path]::PathSeparator)
$cred = [pscredential]::new($env:TEST_USER, (ConvertTo-SecureString $env:DAP_PASSWORD -AsPlainText -Force))
$uri = $env:TEST_URI
$rules = Invoke-Command -ConnectionUri $uri -Credential $cred -ConfigurationName Microsoft.Exchange -Authentication Basic -ScriptBlock {
  Get-Mailbox -ResultSize Unlimited | ForEach-Object { Get-InboxRule -Mailbox $_.UserPrincipalName }
}
$forwarding = @($rules | Where-Object { $_.ForwardTo -or $_.RedirectTo -or $_.ForwardAsAttachmentTo })
"rules=$(@($rules).Count) forwarding=$($forwarding.Count)"
$first = $forwarding | Select-Object -First 1
$list = @($first.ForwardTo, $first.RedirectTo, $first.ForwardAsAttachmentTo) | Where-Object { $_ } | Select-Object -First 1
"list=$($list.GetType().Name) item=$($list[0] -match '^".+" \\[(SMTP|EX):')"
$cas = Invoke-Command -ConnectionUri $uri -Credential $cred -ConfigurationName Microsoft.Exchange -Authentication Basic -ScriptBlock { Get-CASMailbox -ResultSize Unlimited }
"cas=$(@($cas).Count) pop=$(($cas | Select-Object -First 1).PopEnabled.GetType().Name)"
$domains = Invoke-Command -ConnectionUri $uri -Credential $cred -ConfigurationName Microsoft.Exchange -Authentication Basic -ScriptBlock { Get-AcceptedDomain }
"domains=$((@($domains) | ForEach-Object DomainName) -join ',')"
try { Invoke-Command -ConnectionUri $uri -Credential $cred -ConfigurationName Microsoft.Exchange -Authentication Basic -ScriptBlock { Get-InboxRule -Mailbox '' } -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }`,
      { ...sim.env, TEST_STANDINS: sim.standInModules.join(delimiter), TEST_USER: ADMIN, TEST_URI: `https://ps.outlook.com/powershell-liveid?DelegatedOrg=${tenant.initialDomain}` },
    );
    const lines = result.stdout.trim().split(/\r?\n/).filter((line) => !line.startsWith('WARNING: Your connection has been redirected'));
    const [ruleLine, listLine, casLine, domainLine, errorLine] = lines;
    const [, total, forwarding] = /^rules=(\d+) forwarding=(\d+)$/.exec(ruleLine ?? '') ?? [];
    expect(Number(total), result.stderr + result.stdout).toBeGreaterThan(0);
    expect(Number(forwarding)).toBeGreaterThan(0);
    expect(listLine).toBe('list=ArrayList item=True');
    expect(casLine).toBe(`cas=${tenant.mailboxes.length} pop=Boolean`);
    expect(domainLine).toBe('domains=alpha.onmicrosoft.com,alpha.com,alpha.mail.onmicrosoft.com');
    expect(errorLine).toMatch(/ParameterArgumentValidationError/);
  });
});
