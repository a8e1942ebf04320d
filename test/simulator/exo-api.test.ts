// The simulated Exchange Online admin API over HTTP: token audience both ways, the anchor header,
// each cmdlet's object shape, paging, $select and the cmdlet / parameter errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, parseScenario, startSimulator, type RunningSimulator, type TenantRecord } from '../../simulator/index.js';
import { EXO_SCOPE, GRAPH_SCOPE, exoClient, exoScenario } from './exo-helpers.js';

const world = buildWorld(parseScenario(exoScenario()));
const byName = (name: string) => world.tenants.find((t) => t.name === name) as TenantRecord;
const alpha = byName('Alpha');
const beta = byName('Beta');

let sim: RunningSimulator;
let c: ReturnType<typeof exoClient>;
let alphaToken: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario: exoScenario() });
  c = exoClient(sim);
  alphaToken = await c.accessToken(alpha.tenantId);
});
afterAll(async () => {
  await sim.stop();
});

describe('tokens and their audience', () => {
  it('puts DAP_EXO_URL in the environment', () => {
    expect(sim.env.DAP_EXO_URL).toBe(`${sim.url}/exo`);
  });

  it('issues Exchange and Graph tokens; another resource is AADSTS500011, no /.default is invalid_scope', async () => {
    expect((await c.token(alpha.tenantId, EXO_SCOPE)).status).toBe(200);
    expect((await c.token(alpha.tenantId, GRAPH_SCOPE)).status).toBe(200);
    const other = await c.token(alpha.tenantId, 'https://management.azure.com/.default');
    expect(other.status).toBe(400);
    expect(other.body.error).toBe('invalid_resource');
    expect(other.body.error_codes).toEqual([500011]);
    expect(other.body.error_description).toMatch(
      /^AADSTS500011: The resource principal named https:\/\/management\.azure\.com was not found in the tenant named Alpha\. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant\. You might have sent your authentication request to the wrong tenant\. Trace ID: /,
    );
    const bare = await c.token(alpha.tenantId, 'https://outlook.office365.com/Exchange.ManageAsApp');
    expect(bare.status).toBe(400);
    expect(bare.body.error).toBe('invalid_scope');
  });

  it('the refresh grant answers the Exchange scope back', async () => {
    const answer = await c.token(alpha.tenantId, EXO_SCOPE, { grant_type: 'refresh_token', refresh_token: 'partner-refresh-token-exo' });
    expect(answer.status).toBe(200);
    expect(answer.body.scope).toBe(`${EXO_SCOPE} offline_access`);
  });

  it('Graph refuses an Exchange token with its "Invalid audience" 401', async () => {
    const answer = await c.graphGet("/v1.0/reports/getMailboxUsageDetail(period='D7')", alphaToken);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('InvalidAuthenticationToken');
    expect(answer.body.error.message).toBe('Access token validation failure. Invalid audience.');
  });

  it('the admin API refuses a Graph token with InvalidAudienceForResource', async () => {
    const graphToken = await c.accessToken(alpha.tenantId, GRAPH_SCOPE);
    const answer = await c.invoke(alpha.tenantId, graphToken, 'Get-Mailbox');
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('InvalidAudienceForResource');
    expect(answer.body.error.message).toBe(
      `The audience claim value is invalid for current resource. Audience claim is 'https://graph.microsoft.com', request url is 'https://outlook.office365.com/adminapi/beta/${alpha.tenantId}/InvokeCommand' and resource type is 'Exchange'.`,
    );
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"$/);
  });

  it('refuses no token, an unknown one, and another tenant\'s token', async () => {
    expect((await c.invoke(alpha.tenantId, undefined, 'Get-Mailbox')).status).toBe(401);
    expect((await c.invoke(alpha.tenantId, 'not-a-token', 'Get-Mailbox')).status).toBe(401);
    const wrong = await c.invoke(beta.tenantId, alphaToken, 'Get-Mailbox');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toContain(`issued for tenant '${alpha.tenantId}'`);
  });

  it('refuses an expired token', async () => {
    const short = await startSimulator({ scenario: exoScenario({ graph: { ...(exoScenario().graph as object), tokenLifetimeSeconds: 1 } }) });
    try {
      const sc = exoClient(short);
      const token = await sc.accessToken(alpha.tenantId);
      expect((await sc.invoke(alpha.tenantId, token, 'Get-AcceptedDomain')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const answer = await sc.invoke(alpha.tenantId, token, 'Get-AcceptedDomain');
      expect(answer.status).toBe(401);
      expect(answer.body.error.message).toBe('The access token has expired.');
    } finally {
      await short.stop();
    }
  });
});

describe('the X-AnchorMailbox header', () => {
  it('accepts the forms public tools send: the system mailbox by tenant id or accepted domain, a mailbox of the tenant, or none', async () => {
    const mailbox = alpha.mailboxes[0]!;
    const accepted = [
      `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${alpha.tenantId}`,
      `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${alpha.initialDomain}`,
      `UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${alpha.initialDomain}`,
      `UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@alpha.com`,
      `UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@alpha.mail.onmicrosoft.com`,
      `UPN:SystemMailbox{8cc370d3-822a-4ab8-a926-bb94bd0641a9}@${alpha.initialDomain}`,
      `UPN:${mailbox.userPrincipalName}`,
      mailbox.userPrincipalName,
      null,
    ];
    for (const anchor of accepted) {
      const answer = await c.invoke(alpha.tenantId, alphaToken, 'Get-AcceptedDomain', {}, { anchor });
      expect(answer.status, String(anchor)).toBe(200);
    }
  });

  it("refuses a malformed anchor, another tenant's, an unknown system mailbox and an unknown address", async () => {
    const refused = [
      `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${beta.tenantId}`,
      `UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${beta.initialDomain}`,
      `UPN:SystemMailbox{00000000-0000-4000-8000-000000000000}@${alpha.initialDomain}`,
      `SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${alpha.initialDomain}`,
      `APP:${alpha.mailboxes[0]!.userPrincipalName}`,
      `UPN:${beta.mailboxes[0]!.userPrincipalName}`,
      `UPN:someone@${alpha.initialDomain}`,
      'APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}',
      '',
      'not an anchor',
    ];
    for (const anchor of refused) {
      const answer = await c.invoke(alpha.tenantId, alphaToken, 'Get-AcceptedDomain', {}, { anchor });
      expect(answer.status, anchor).toBe(400);
      expect(answer.body.error.message).toBe(`The X-AnchorMailbox header is not valid. Set it to 'APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${alpha.tenantId}' or leave it out.`);
    }
  });
});

describe('cmdlet objects', () => {
  it('Get-Mailbox: the main properties, arrays for addresses, ISO dates, ByteQuantifiedSize quotas', async () => {
    const answer = await c.invoke(alpha.tenantId, alphaToken, 'Get-Mailbox', { ResultSize: 'Unlimited' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json;odata\.metadata=minimal/);
    expect(answer.body['@odata.context']).toBe(`https://outlook.office365.com/adminapi/beta/${alpha.tenantId}/$metadata#Collection(Exchange.GenericHashTable)`);
    expect(answer.body['@adminapi.warnings']).toEqual([]);
    expect(answer.body['@odata.nextLink']).toBeUndefined();
    const mailboxes = answer.body.value as Array<Record<string, any>>;
    expect(mailboxes).toHaveLength(12);
    const first = mailboxes[0]!;
    const m = alpha.mailboxes[0]!;
    expect(first).toMatchObject({ UserPrincipalName: m.userPrincipalName, PrimarySmtpAddress: m.userPrincipalName, DisplayName: m.displayName, Alias: m.alias, ExchangeGuid: m.exchangeGuid });
    for (const key of ['ExternalDirectoryObjectId', 'RecipientTypeDetails', 'EmailAddresses', 'ForwardingSmtpAddress', 'ForwardingAddress', 'DeliverToMailboxAndForward', 'HiddenFromAddressListsEnabled', 'WhenCreated', 'ProhibitSendQuota', 'ArchiveStatus']) {
      expect(first, key).toHaveProperty(key);
    }
    expect(first.ExternalDirectoryObjectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.EmailAddresses).toEqual([`SMTP:${m.userPrincipalName}`, `smtp:${m.alias}@alpha.onmicrosoft.com`]);
    expect(first.WhenCreated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(first.ProhibitSendQuota).toMatch(/^[\d.]+ (GB|MB|KB) \([\d,]+ bytes\)$/);
    expect(mailboxes.every((x) => ['UserMailbox', 'SharedMailbox'].includes(x.RecipientTypeDetails))).toBe(true);
    expect(mailboxes.every((x) => x.ForwardingSmtpAddress === null || /^smtp:[^@]+@/.test(x.ForwardingSmtpAddress))).toBe(true);
  });

  it('Get-Mailbox without ResultSize stops at 1000 with the service warning', async () => {
    const big = await startSimulator({ scenario: { ...exoScenario(), tenants: [{ name: 'Big', initialDomain: 'big.onmicrosoft.com', mailboxes: 1003 }], tenantCount: 0, faults: [] } });
    try {
      const bc = exoClient(big);
      const id = buildWorld(parseScenario({ ...exoScenario(), tenants: [{ name: 'Big', initialDomain: 'big.onmicrosoft.com', mailboxes: 1003 }], tenantCount: 0, faults: [] })).tenants[0]!.tenantId;
      const token = await bc.accessToken(id);
      const all = await bc.invokeAll(id, token, 'Get-Mailbox');
      expect(all.values).toHaveLength(1000);
      expect(all.pages[0]!.body['@adminapi.warnings'][0]).toMatch(/^By default, only the first 1000 items are returned\./);
      expect((await bc.invokeAll(id, token, 'Get-Mailbox', { ResultSize: 'Unlimited' })).values).toHaveLength(1003);
    } finally {
      await big.stop();
    }
  });

  it('Get-MailboxStatistics: -Identity by ExternalDirectoryObjectId, UPN or SMTP address gives one object', async () => {
    const mailbox = (await c.invoke(alpha.tenantId, alphaToken, 'Get-Mailbox', { Identity: alpha.mailboxes[1]!.userPrincipalName })).body.value[0];
    const byId = await c.invoke(alpha.tenantId, alphaToken, 'Get-MailboxStatistics', { Identity: mailbox.ExternalDirectoryObjectId });
    expect(byId.status).toBe(200);
    const stats = byId.body.value[0];
    expect(stats).toMatchObject({ DisplayName: mailbox.DisplayName, MailboxGuid: mailbox.ExchangeGuid });
    expect(stats.TotalItemSize).toMatch(/^[\d.]+ (GB|MB|KB|B) \([\d,]+ bytes\)$/);
    expect(Number.isInteger(stats.ItemCount)).toBe(true);
    expect(stats.LastLogonTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(stats.LastUserActionTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    for (const identity of [mailbox.UserPrincipalName, mailbox.EmailAddresses[1].replace(/^smtp:/, '')]) {
      expect((await c.invoke(alpha.tenantId, alphaToken, 'Get-MailboxStatistics', { Identity: identity })).body.value).toEqual([stats]);
    }
    const missing = await c.invoke(alpha.tenantId, alphaToken, 'Get-MailboxStatistics', { Identity: 'nobody@alpha.com' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('Error executing cmdlet');
    expect(missing.body.error.details[0].message).toMatch(/^Ex6F9304\|Microsoft\.Exchange\.Configuration\.Tasks\.ManagementObjectNotFoundException\|The operation couldn't be performed because object 'nobody@alpha\.com' couldn't be found on '/);
  });

  it('Get-InboxRule: rules of a mailbox, arrays of recipients, seeded forwards outside and inside the accepted domains', async () => {
    const external: string[] = [];
    const internal: string[] = [];
    let shapeChecked = false;
    for (const tenant of world.tenants.filter((t) => !['NoRole', 'Unconsented', 'Throttled', 'Flaky', 'Pending', 'Former', 'Ended'].includes(t.name)).slice(0, 12)) {
      const token = await c.accessToken(tenant.tenantId);
      const domains = (await c.invoke(tenant.tenantId, token, 'Get-AcceptedDomain')).body.value.map((d: { DomainName: string }) => d.DomainName.toLowerCase());
      for (const m of tenant.mailboxes) {
        const answer = await c.invoke(tenant.tenantId, token, 'Get-InboxRule', { Mailbox: m.userPrincipalName });
        expect(answer.status).toBe(200);
        for (const rule of answer.body.value as Array<Record<string, any>>) {
          if (!shapeChecked) {
            expect(Object.keys(rule)).toEqual(expect.arrayContaining(['Name', 'Identity', 'Enabled', 'Priority', 'ForwardTo', 'RedirectTo', 'ForwardAsAttachmentTo', 'DeleteMessage', 'MailboxOwnerId', 'Description']));
            expect(rule.MailboxOwnerId).toBe(m.alias);
            expect(rule.Identity).toMatch(new RegExp(`^${m.alias}\\\\\\d+$`));
            shapeChecked = true;
          }
          for (const column of ['ForwardTo', 'RedirectTo', 'ForwardAsAttachmentTo']) {
            const value = rule[column];
            if (value === null) continue;
            expect(Array.isArray(value)).toBe(true);
            for (const target of value as string[]) {
              expect(target).toMatch(/^"[^"]+" \[(SMTP|EX):[^\]]+\]$/);
              const smtp = /\[SMTP:[^@]+@([^\]]+)\]/.exec(target)?.[1]?.toLowerCase();
              if (smtp !== undefined && !domains.includes(smtp)) external.push(target);
              else internal.push(target);
            }
          }
        }
      }
    }
    expect(shapeChecked).toBe(true);
    expect(external.length).toBeGreaterThan(3);
    expect(internal.some((t) => t.includes('[EX:/o=ExchangeLabs/'))).toBe(true);
    expect(internal.some((t) => t.includes('[SMTP:'))).toBe(true);
    const none = await c.invoke(alpha.tenantId, alphaToken, 'Get-InboxRule', {});
    expect(none.status).toBe(400);
    expect(none.body.error.details[0].message).toBe('|System.Management.Automation.ParameterBindingException|Cannot process command because of one or more missing mandatory parameters: Mailbox.');
  });

  it('Get-CASMailbox: protocol switches, SmtpClientAuthenticationDisabled null, true or false', async () => {
    const seen = new Set<unknown>();
    for (const tenant of [alpha, beta, ...world.tenants.slice(10, 16)]) {
      const token = await c.accessToken(tenant.tenantId);
      const values = (await c.invoke(tenant.tenantId, token, 'Get-CASMailbox', { ResultSize: 'Unlimited' })).body.value as Array<Record<string, any>>;
      expect(values).toHaveLength(tenant.mailboxes.length);
      for (const v of values) {
        expect(Object.keys(v)).toEqual(expect.arrayContaining(['PrimarySmtpAddress', 'DisplayName', 'ActiveSyncEnabled', 'OWAEnabled', 'PopEnabled', 'ImapEnabled', 'MAPIEnabled', 'EwsEnabled', 'SmtpClientAuthenticationDisabled']));
        for (const key of ['ActiveSyncEnabled', 'OWAEnabled', 'PopEnabled', 'ImapEnabled', 'MAPIEnabled', 'EwsEnabled']) expect(typeof v[key]).toBe('boolean');
        seen.add(v.SmtpClientAuthenticationDisabled);
      }
    }
    expect([...seen].sort()).toEqual([false, null, true].sort());
  });

  it('Get-AcceptedDomain: every email domain, one default', async () => {
    const values = (await c.invoke(alpha.tenantId, alphaToken, 'Get-AcceptedDomain')).body.value;
    expect(values.map((d: Record<string, unknown>) => [d.DomainName, d.DomainType, d.Default])).toEqual([
      ['alpha.onmicrosoft.com', 'Authoritative', false],
      ['alpha.com', 'Authoritative', true],
      ['alpha.mail.onmicrosoft.com', 'Authoritative', false],
    ]);
  });
});

describe('paging, $select and errors', () => {
  it('pages at Prefer: odata.maxpagesize with an absolute nextLink that takes the same body', async () => {
    const whole = (await c.invoke(alpha.tenantId, alphaToken, 'Get-Mailbox', {})).body.value;
    const before = sim.stats().exo.pages;
    const paged = await c.invokeAll(alpha.tenantId, alphaToken, 'Get-Mailbox', {}, { prefer: 'odata.maxpagesize=5' });
    expect(paged.pages.map((p) => p.body.value.length)).toEqual([5, 5, 2]);
    expect(paged.pages[0]!.headers.get('preference-applied')).toBe('odata.maxpagesize=5');
    const next = paged.pages[0]!.body['@odata.nextLink'] as string;
    expect(next.startsWith(`${sim.url}/exo/adminapi/beta/${alpha.tenantId}/InvokeCommand?`)).toBe(true);
    expect(paged.values).toEqual(whole);
    expect(sim.stats().exo.pages - before).toBe(3);
    const otherBody = await c.invoke(alpha.tenantId, alphaToken, 'Get-CASMailbox', {}, { url: next, prefer: 'odata.maxpagesize=5' });
    expect(otherBody.status).toBe(400);
    // a page size above 1000 is served as 1000, one below 1 as 1
    expect((await c.invoke(alpha.tenantId, alphaToken, 'Get-Mailbox', {}, { prefer: 'odata.maxpagesize = 5000' })).body.value).toHaveLength(12);
    expect((await c.invoke(alpha.tenantId, alphaToken, 'Get-Mailbox', {}, { prefer: 'odata.maxpagesize=0' })).body.value).toHaveLength(1);
  });

  it('$select keeps the asked properties, across pages', async () => {
    const paged = await c.invokeAll(alpha.tenantId, alphaToken, 'Get-Mailbox', {}, { select: 'UserPrincipalName,ExternalDirectoryObjectId', prefer: 'odata.maxpagesize=7' });
    expect(paged.pages).toHaveLength(2);
    expect(paged.values).toHaveLength(12);
    for (const v of paged.values) expect(Object.keys(v)).toEqual(['UserPrincipalName', 'ExternalDirectoryObjectId']);
  });

  it('an unknown cmdlet and an unknown parameter are 400 Invalid Operation with the reason in details', async () => {
    const cmdlet = await c.invoke(alpha.tenantId, alphaToken, 'Get-Nothing');
    expect(cmdlet.status).toBe(400);
    expect(cmdlet.body.error).toMatchObject({ code: 'BadRequest', message: 'Invalid Operation' });
    expect(cmdlet.body.error.details[0].message).toMatch(/^\|System\.Management\.Automation\.CommandNotFoundException\|The term 'Get-Nothing' is not recognized as a name of a cmdlet/);
    const parameter = await c.invoke(alpha.tenantId, alphaToken, 'Get-Mailbox', { BogusParameter: 1 });
    expect(parameter.status).toBe(400);
    expect(parameter.body.error.details[0].message).toBe(
      '|Microsoft.Exchange.AdminApi.CommandInvocation.AmbiguousParameterSetException|Parameter set cannot be resolved using the specified named parameters. Invalid cmdlet parameters specified. BogusParameter',
    );
    expect(parameter.body.error.innererror.internalexception.message).toBe('Parameter set cannot be resolved using the specified named parameters. Invalid cmdlet parameters specified. BogusParameter');
    const size = await c.invoke(alpha.tenantId, alphaToken, 'Get-Mailbox', { ResultSize: 'lots' });
    expect(size.status).toBe(400);
  });
});
