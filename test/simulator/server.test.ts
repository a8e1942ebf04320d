import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/index.js';
import { ADMIN, OTHER, client, faultScenario, withSimulator } from './helpers.js';

const capText =
  'Fail to create a runspace because you have exceeded the maximum number of connections allowed : 3 for the policy party : MaxConcurrency. Please close existing runspace and try again.';
const deniedText =
  'Connecting to remote server ps.outlook.com failed with the following error message : Access is denied. For more information, see the about_Remote_Troubleshooting Help topic.';

describe('sign-in', () => {
  it('counts good and bad passwords and answers the documented error', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const good = await c.signIn(ADMIN, 'admin-pw');
      expect(good.status).toBe(200);
      expect(good.body.token).toEqual(expect.any(String));
      const bad = await c.signIn(ADMIN, 'wrong');
      expect(bad.status).toBe(401);
      expect(bad.body.error.message).toBe('Authentication Error: Bad username or password.');
      expect(bad.body.error.errorId).toBe('Microsoft.Online.Administration.Automation.MicrosoftOnlineException,Microsoft.Online.Administration.Automation.ConnectMsolService');
      const stats = (await c.stats()).body;
      expect(stats.accounts[ADMIN]).toMatchObject({ signIns: 1, failedSignIns: 1 });
      expect(stats.accounts[OTHER]).toMatchObject({ signIns: 0, failedSignIns: 0 });
    });
  });

  it('rejects the right password of an account hit by the wrongPassword fault', async () => {
    await withSimulator(faultScenario({ faults: [{ type: 'wrongPassword', accounts: [OTHER] }] }), async (sim) => {
      const c = client(sim);
      expect((await c.signIn(OTHER, 'other-pw')).status).toBe(401);
      expect((await c.signIn(ADMIN, 'admin-pw')).status).toBe(200);
      const remote = await c.open('alpha.onmicrosoft.com', OTHER, 'other-pw');
      expect(remote.status).toBe(403);
      expect(remote.body.error.message).toBe(deniedText);
      expect((await c.stats()).body.accounts[OTHER]).toMatchObject({ failedSignIns: 2, sessionsOpened: 0 });
    });
  });

  it('requires a sign-in before listing contracts', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const response = await client(sim).call('GET', '/msol/contracts');
      expect(response.status).toBe(401);
      expect(response.body.error.message).toBe('You must call the Connect-MsolService cmdlet before calling any other cmdlets.');
    });
  });
});

describe('session limits', () => {
  it('rejects exactly one of 4 concurrent sessions on one account with the session-cap error', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const results = await Promise.all([1, 2, 3, 4].map(() => c.open('alpha.onmicrosoft.com')));
      const rejected = results.filter((r) => r.status !== 201);
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      expect(rejected).toHaveLength(1);
      const error = rejected[0]!.body.error;
      expect(error.errorId).toBe('-2144108477,PSSessionOpenFailed');
      expect(error.category).toBe('OpenError');
      expect(error.message).toMatch(/^Processing data from remote server ps\.outlook\.com failed with the following error message: \[AuthZRequestId=[0-9a-f-]{36}\]\[FailureCategory=AuthZ-AuthorizationException\] /);
      expect(error.message).toContain(capText);
      expect(error.message).toContain('BudgetType: WSMan');
      expect(error.message).toContain('ActiveRunspaces: 3/3');
      expect(error.details).toBe(`[ps.outlook.com] ${error.message}`);
      expect((await c.stats()).body.accounts[ADMIN]).toEqual({
        signIns: 0, failedSignIns: 0, sessionsOpened: 3, openSessions: 3, openSessionsAtEnd: 3, maxConcurrentSessions: 3, sessionLimitRejections: 1,
      });
    });
  });

  it('gives another account its own cap, and DELETE releases a session', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const mine = await Promise.all([1, 2, 3].map(() => c.open('alpha.onmicrosoft.com')));
      const theirs = await Promise.all([1, 2, 3].map(() => c.open('alpha.onmicrosoft.com', OTHER, 'other-pw')));
      expect([...mine, ...theirs].map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
      expect((await c.open('alpha.onmicrosoft.com')).status).toBe(429);
      expect((await c.close(mine[0]!.body.sessionId)).status).toBe(200);
      expect((await c.open('alpha.onmicrosoft.com')).status).toBe(201);
      const stats = (await c.stats()).body;
      expect(stats.accounts[ADMIN]).toMatchObject({ sessionsOpened: 4, openSessions: 3, maxConcurrentSessions: 3, sessionLimitRejections: 1 });
      expect(stats.accounts[OTHER]).toMatchObject({ sessionsOpened: 3, openSessions: 3, sessionLimitRejections: 0 });
      expect(stats.tenants['alpha.onmicrosoft.com']).toEqual({ commandsRun: 0, sessionsOpened: 7 });
    });
  });

  it('counts a leaked session until it expires, and in openSessionsAtEnd when still open at stop', async () => {
    const sim = await startSimulator({ scenario: faultScenario({ limits: { sessionExpirySeconds: 0.2 } }) });
    const c = client(sim);
    expect((await c.open('alpha.onmicrosoft.com')).status).toBe(201);
    expect((await c.stats()).body.accounts[ADMIN].openSessions).toBe(1);
    await expect.poll(async () => (await c.stats()).body.accounts[ADMIN].openSessions, { timeout: 5000, interval: 50 }).toBe(0);
    expect((await c.open('alpha.onmicrosoft.com')).status).toBe(201);
    const final = await sim.stop();
    expect(final.accounts[ADMIN]).toMatchObject({ sessionsOpened: 2, openSessionsAtEnd: 1 });
  });

  it("takes the client's session id, and closes a session its client closed while it was opening", async () => {
    await withSimulator(faultScenario({ latency: { sessionOpenMs: 300 } }), async (sim) => {
      const c = client(sim);
      const uri = 'https://ps.outlook.com/powershell-liveid?DelegatedOrg=alpha.onmicrosoft.com';
      const open = (sessionId: unknown) => c.call('POST', '/exchange/sessions', { sessionId, userName: ADMIN, password: 'admin-pw', connectionUri: uri });
      const named = '0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b';
      const opened = await open(named);
      expect(opened.status).toBe(201);
      expect(opened.body.sessionId).toBe(named);
      expect((await open(named)).status).toBe(400);
      expect((await open('not-a-guid')).status).toBe(400);
      expect((await c.close(named)).status).toBe(200);
      // a stopped client closes the id it chose before the open has answered: the session opens and closes
      const stopped = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
      const opening = open(stopped);
      expect((await c.close(stopped)).status).toBe(404);
      expect((await opening).status).toBe(201);
      expect((await c.stats()).body.accounts[ADMIN]).toMatchObject({ sessionsOpened: 2, openSessions: 0 });
    });
  });

  it('applies the optional new-session rate limit', async () => {
    await withSimulator(faultScenario({ limits: { newSessionRate: { max: 2, windowSeconds: 60 } } }), async (sim) => {
      const c = client(sim);
      for (let i = 0; i < 2; i += 1) {
        const opened = await c.open('alpha.onmicrosoft.com');
        expect(opened.status).toBe(201);
        await c.close(opened.body.sessionId);
      }
      const third = await c.open('alpha.onmicrosoft.com');
      expect(third.status).toBe(429);
      expect(third.body.error.errorId).toBe('-2144108477,PSSessionOpenFailed');
    });
  });
});

describe('faults', () => {
  it('accessDenied: the exact remoting error for that tenant only', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const denied = await c.open('denied.onmicrosoft.com');
      expect(denied.status).toBe(403);
      expect(denied.body.error).toMatchObject({ message: deniedText, errorId: 'AccessDenied,PSSessionOpenFailed', category: 'OpenError', details: `[ps.outlook.com] ${deniedText}` });
      expect((await c.open('alpha.onmicrosoft.com')).status).toBe(201);
    });
  });

  it('a wrong password on the remote endpoint is the same Access is denied error', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const opened = await client(sim).open('alpha.onmicrosoft.com', ADMIN, 'nope');
      expect(opened.body.error.message).toBe(deniedText);
      expect((await client(sim).stats()).body.accounts[ADMIN].failedSignIns).toBe(1);
    });
  });

  it('throttle (delay): the Micro delay warning and the rows', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const s = (await c.open('delayed.onmicrosoft.com')).body.sessionId;
      const result = (await c.run(s, 'Get-MailboxUsageReport', { StartDate: '2015-03-18', EndDate: '2015-03-18' })).body;
      expect(result.warnings[0]).toMatch(/^Micro delay applied\. Actual delayed: 5 msecs, Enforced: True, Capped delay: 5 msecs, Required: False/);
      expect(result.rows).toHaveLength(1);
    });
  });

  it('throttle (fail): N session-limit failures, then success', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const statuses = [];
      for (let i = 0; i < 3; i += 1) {
        const opened = await c.open('failing.onmicrosoft.com');
        statuses.push(opened.status);
        if (opened.status !== 201) expect(opened.body.error.errorId).toBe('-2144108477,PSSessionOpenFailed');
      }
      expect(statuses).toEqual([429, 429, 201]);
    });
  });

  it('noData and tenants without mailboxes return zero rows', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      for (const domain of ['nodata.onmicrosoft.com', 'empty.onmicrosoft.com']) {
        const s = (await c.open(domain)).body.sessionId;
        const result = (await c.run(s, 'Get-MailboxActivityReport', { StartDate: '2015-03-01', EndDate: '2015-03-18' })).body;
        expect(result.rows).toEqual([]);
        expect(result.errors).toEqual([]);
        await c.close(s);
      }
    });
  });

  it('hang: the command never answers while the simulator keeps serving others', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const s = (await c.open('hang.onmicrosoft.com')).body.sessionId;
      const abort = new AbortController();
      let settled = false;
      const hung = c.run(s, 'Get-MailboxActivityReport', {}, abort.signal).then(
        () => (settled = true),
        () => undefined,
      );
      for (let i = 0; i < 5; i += 1) expect((await c.call('GET', '/health')).status).toBe(200);
      expect((await c.stats()).body.tenants['hang.onmicrosoft.com'].commandsRun).toBe(1);
      expect(settled).toBe(false);
      abort.abort();
      await hung;
      expect(settled).toBe(false);
    });
  });

  it('slow: answers after the delay with the rows', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const s = (await c.open('slow.onmicrosoft.com')).body.sessionId;
      const result = (await c.run(s, 'Get-StaleMailboxReport', { StartDate: '2015-03-17', EndDate: '2015-03-18' })).body;
      expect(result.rows).toHaveLength(2);
    });
  });

  it('malformedRows: string values with commas, quotes, line breaks, unicode and formula characters', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const s = (await c.open('malformed.onmicrosoft.com')).body.sessionId;
      const rows = (await c.run(s, 'Get-MailboxUsageDetailReport', { StartDate: '2015-03-18', EndDate: '2015-03-18' })).body.rows as Array<Record<string, unknown>>;
      const values = rows.flatMap((row) => [row.TenantName, row.WindowsLiveID, row.UserName, row.MailboxPlan].map(String));
      expect(values.some((v) => v.includes(',') && v.includes('"') && v.includes('\n'))).toBe(true);
      expect(values.some((v) => /^[=+\-@]/.test(v))).toBe(true);
      expect(values.some((v) => /[^\x00-\x7f]/.test(v))).toBe(true);
    });
  });

  it('schemaDrift: an extra or a missing column for that tenant', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const columns = async (domain: string) => {
        const s = (await c.open(domain)).body.sessionId;
        const result = (await c.run(s, 'Get-MailboxActivityReport', { StartDate: '2015-03-18', EndDate: '2015-03-18' })).body;
        await c.close(s);
        return { declared: result.columns.map((col: { name: string }) => col.name), row: Object.keys(result.rows[0]) };
      };
      const base = ['TenantGuid', 'TenantName', 'Date', 'TotalNumberOfActiveMailboxes', 'AccountCreated', 'AccountDeleted'];
      expect(await columns('alpha.onmicrosoft.com')).toEqual({ declared: base, row: base });
      expect(await columns('extra.onmicrosoft.com')).toEqual({ declared: [...base, 'ReportPeriod'], row: [...base, 'ReportPeriod'] });
      const fewer = base.filter((name) => name !== 'AccountDeleted');
      expect(await columns('missing.onmicrosoft.com')).toEqual({ declared: fewer, row: fewer });
    });
  });
});

describe('report cmdlets', () => {
  const run = async (cmdlet: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    withSimulator(faultScenario(extra), async (sim) => {
      const c = client(sim);
      const s = (await c.open('alpha.onmicrosoft.com')).body.sessionId;
      return (await c.run(s, cmdlet, parameters)).body;
    });

  it('keeps StartDate <= Date <= EndDate, newest first', async () => {
    const result = await run('Get-MailboxActivityReport', { ReportType: 'Daily', StartDate: '2015-03-10T00:00:00', EndDate: '2015-03-18T00:00:00' });
    const dates = result.rows.map((r: { Date: string }) => r.Date);
    expect(dates).toHaveLength(9);
    expect(dates[0]).toBe('2015-03-18T00:00:00');
    expect(dates.at(-1)).toBe('2015-03-10T00:00:00');
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(result.warnings).toEqual([]);
  });

  it.each([
    ['Weekly', 2],
    ['Monthly', 1],
    ['Yearly', 0],
  ])('ReportType %s gives one row per period inside the range', async (reportType, count) => {
    const result = await run('Get-MailboxActivityReport', { ReportType: reportType, StartDate: '2015-03-01', EndDate: '2015-03-14' });
    expect(result.rows).toHaveLength(count);
  });

  it('cuts at an explicit ResultSize with the "more results" warning', async () => {
    const result = await run('Get-MailboxUsageDetailReport', { StartDate: '2015-03-01', EndDate: '2015-03-18', ResultSize: 5 });
    expect(result.rows).toHaveLength(5);
    expect(result.warnings).toEqual([
      'There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.',
    ]);
  });

  it('returns everything with ResultSize Unlimited and cuts at 1000 by default', async () => {
    const unlimited = await run('Get-MailboxUsageDetailReport', { StartDate: '2015-01-01', EndDate: '2015-03-31', ResultSize: 'Unlimited' });
    expect(unlimited.rows).toHaveLength(12 * 90);
    expect(unlimited.warnings).toEqual([]);
    const byDefault = await run('Get-MailboxUsageDetailReport', { StartDate: '2015-01-01', EndDate: '2015-03-31' });
    expect(byDefault.rows).toHaveLength(1000);
  });

  it('fails StartDate after EndDate with InvalidDateParameterException', async () => {
    const result = await run('Get-MailboxActivityReport', { StartDate: '2015-03-18', EndDate: '2015-03-01' });
    expect(result.rows).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].exceptionType).toMatch(/InvalidDateParameterException$/);
    expect(result.errors[0].errorId).toMatch(/\[FailureCategory=Cmdlet-InvalidDateParameterException\] [0-9A-F]{8},Microsoft\.Exchange\.Management\.ReportingTask\.GetMailboxActivityReport$/);
  });

  it('with a scenario now and retention, old dates give no rows and recent ones do', async () => {
    const extra = { now: '2016-01-31T12:00:00Z', retentionDays: 30 };
    expect((await run('Get-MailboxActivityReport', { StartDate: '2015-03-18', EndDate: '2015-03-18' }, extra)).rows).toEqual([]);
    expect((await run('Get-MailboxActivityReport', { StartDate: '2016-01-20', EndDate: '2016-01-31' }, extra)).rows).toHaveLength(12);
    expect((await run('Get-ConnectionByClientTypeReport', { StartDate: '2016-01-20', EndDate: '2016-01-31' }, extra)).rows.map((r: { Date: string }) => r.Date)[0]).toBe('2016-01-24T00:00:00');
  });

  it('Get-Mailbox rows pipe into Get-MailboxStatistics by Identity', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const s = (await c.open('alpha.onmicrosoft.com')).body.sessionId;
      const mailboxes = (await c.run(s, 'Get-Mailbox', {})).body;
      expect(mailboxes.rows).toHaveLength(12);
      expect(Object.keys(mailboxes.rows[0])).toEqual(['Identity', 'DisplayName', 'UserPrincipalName', 'PrimarySmtpAddress', 'ExchangeGuid']);
      const stats = (await c.run(s, 'Get-MailboxStatistics', { Identity: mailboxes.rows[0].Identity })).body;
      expect(Object.keys(stats.rows[0])).toEqual(['DisplayName', 'MailboxGuid', 'ItemCount', 'TotalItemSize', 'LastLogonTime', 'LastUserActionTime']);
      expect(stats.rows[0].MailboxGuid).toBe(mailboxes.rows[0].ExchangeGuid);
      expect(stats.rows[0].TotalItemSize).toMatch(/^[\d.]+ (GB|MB|KB|B) \([\d,]+ bytes\)$/);
      const missing = (await c.run(s, 'Get-MailboxStatistics', { Identity: 'nobody' })).body;
      expect(missing.errors[0].message).toMatch(/^The operation couldn't be performed because object 'nobody' couldn't be found/);
    });
  });

  it('Get-MessageTrace pages newest first and filters by status', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const s = (await c.open('alpha.onmicrosoft.com')).body.sessionId;
      const range = { StartDate: '2015-03-08T00:00:00', EndDate: '2015-03-18T00:00:00' };
      const all = (await c.run(s, 'Get-MessageTrace', { ...range, PageSize: 5000 })).body.rows as Array<Record<string, string>>;
      expect(all.length).toBeGreaterThan(10);
      const received = all.map((r) => r.Received!);
      expect([...received].sort().reverse()).toEqual(received);
      const page2 = (await c.run(s, 'Get-MessageTrace', { ...range, PageSize: 3, Page: 2 })).body.rows;
      expect(page2).toEqual(all.slice(3, 6));
      const delivered = (await c.run(s, 'Get-MessageTrace', { ...range, PageSize: 5000, Status: ['Delivered'] })).body.rows as Array<Record<string, string>>;
      expect(delivered.every((r) => r.Status === 'Delivered')).toBe(true);
    });
  });

  it('refuses a command on a removed session', async () => {
    await withSimulator(faultScenario(), async (sim) => {
      const c = client(sim);
      const s = (await c.open('alpha.onmicrosoft.com')).body.sessionId;
      await c.close(s);
      const result = await c.run(s, 'Get-Mailbox');
      expect(result.status).toBe(410);
      expect(result.body.error.errorId).toBe('InvalidSessionState,Microsoft.PowerShell.Commands.InvokeCommandCommand');
    });
  });
});

describe('partner contracts and domains', () => {
  it('caps contracts at 500 without -All, with a warning; -All and MaxResults as asked', async () => {
    await withSimulator({ seed: 'many', tenantCount: 520, accounts: [{ userName: ADMIN, password: 'pw' }] }, async (sim) => {
      const c = client(sim);
      const token = (await c.signIn(ADMIN, 'pw')).body.token as string;
      const capped = (await c.call('GET', '/msol/contracts', undefined, token)).body;
      expect(capped.contracts).toHaveLength(500);
      expect(capped.warnings).toEqual(['More results are available. Please specify one of the All or MaxResults parameters.']);
      expect((await c.call('GET', '/msol/contracts?all=true', undefined, token)).body.contracts).toHaveLength(520);
      expect((await c.call('GET', '/msol/contracts?maxResults=7', undefined, token)).body.contracts).toHaveLength(7);
      const first = capped.contracts[0];
      expect(Object.keys(first)).toEqual(['ContractType', 'DefaultDomainName', 'Name', 'ObjectId', 'PartnerContext', 'TenantId']);
      const one = (await c.call('GET', `/msol/contracts?tenantId=${first.TenantId}`, undefined, token)).body.contracts;
      expect(one).toEqual([first]);
      const domains = (await c.call('GET', `/msol/domains?tenantId=${first.TenantId}`, undefined, token)).body.domains;
      expect(domains.filter((d: { IsInitial: boolean }) => d.IsInitial)).toHaveLength(1);
      const denied = await c.call('GET', '/msol/domains?tenantId=00000000-0000-4000-8000-000000000000', undefined, token);
      expect(denied.body.error.message).toBe('Access Denied. You do not have permissions to call this cmdlet.');
    });
  });
});
