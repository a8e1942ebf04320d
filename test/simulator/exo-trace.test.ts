// Get-MessageTraceV2 over the admin API: the 10-day window, the 90 days back, the ResultSize cap,
// newest first, and the next set by StartingRecipientAddress + EndDate as Microsoft documents it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, parseScenario, startSimulator, type RunningSimulator, type TenantRecord } from '../../simulator/index.js';
import { NOW, exoClient, exoScenario } from './exo-helpers.js';

const scenario = exoScenario({ tenants: [{ name: 'Busy', initialDomain: 'busy.onmicrosoft.com', mailboxes: 40 }], tenantCount: 0, faults: [] });
const busy = buildWorld(parseScenario(scenario)).tenants[0] as TenantRecord;
const day = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const now = Date.parse(NOW);

let sim: RunningSimulator;
let c: ReturnType<typeof exoClient>;
let token: string;
beforeAll(async () => {
  sim = await startSimulator({ scenario });
  c = exoClient(sim);
  token = await c.accessToken(busy.tenantId);
});
afterAll(async () => {
  await sim.stop();
});

const trace = (parameters: Record<string, unknown>) => c.invoke(busy.tenantId, token, 'Get-MessageTraceV2', parameters);
const detail = (answer: { body: any }) => answer.body.error.details[0].message as string;

describe('Get-MessageTraceV2', () => {
  it('answers rows newest first with the V2 properties', async () => {
    const answer = await trace({ StartDate: iso(now - 2 * day), EndDate: iso(now) });
    expect(answer.status).toBe(200);
    const rows = answer.body.value as Array<Record<string, any>>;
    expect(rows.length).toBeGreaterThan(10);
    expect(Object.keys(rows[0]!)).toEqual(['Organization', 'MessageId', 'Received', 'SenderAddress', 'RecipientAddress', 'Subject', 'Status', 'ToIP', 'FromIP', 'Size', 'MessageTraceId']);
    const received = rows.map((r) => r.Received as string);
    expect([...received].sort().reverse()).toEqual(received);
    expect(received.every((r) => r >= iso(now - 2 * day) && r <= iso(now))).toBe(true);
  });

  it('refuses a window over 10 days, a start over 90 days back, and a ResultSize over 5000', async () => {
    const wide = await trace({ StartDate: iso(now - 11 * day), EndDate: iso(now) });
    expect(wide.status).toBe(400);
    expect(detail(wide)).toBe("|Microsoft.Exchange.Management.FfoReporting.InvalidExpressionException|Invalid date range. The date range between StartDate and EndDate can't be greater than 10 days.");
    const old = await trace({ StartDate: iso(now - 95 * day), EndDate: iso(now - 90 * day) });
    expect(old.status).toBe(400);
    expect(detail(old)).toBe("|Microsoft.Exchange.Management.FfoReporting.InvalidExpressionException|Invalid StartDate value. The StartDate can't be older than 90 days from today.");
    const size = await trace({ StartDate: iso(now - day), EndDate: iso(now), ResultSize: 5001 });
    expect(size.status).toBe(400);
    expect(detail(size)).toContain('The ResultSize must be between 1 and 5000.');
    const reversed = await trace({ StartDate: iso(now), EndDate: iso(now - day) });
    expect(reversed.status).toBe(400);
    // exactly 10 days and exactly 90 days back are fine
    expect((await trace({ StartDate: iso(now - 10 * day), EndDate: iso(now) })).status).toBe(200);
    expect((await trace({ StartDate: iso(Math.floor(now / day) * day - 90 * day), EndDate: iso(Math.floor(now / day) * day - 85 * day) })).status).toBe(200);
  });

  it('ResultSize defaults to 1000; a cut set warns with the command for the next set, which continues without gaps or repeats', async () => {
    const window = { StartDate: iso(now - 1.5 * day), EndDate: iso(now) };
    const whole = await c.invokeAll(busy.tenantId, token, 'Get-MessageTraceV2', { ...window, ResultSize: 5000 });
    const all = whole.values;
    expect(all.length).toBeGreaterThan(300);
    expect(all.length).toBeLessThan(5000);
    expect(whole.pages[0]!.body['@adminapi.warnings']).toEqual([]);

    const collected: Array<Record<string, any>> = [];
    let parameters: Record<string, unknown> = { ...window, ResultSize: 50 };
    let sets = 0;
    for (let round = 0; round < 100; round += 1) {
      const set = await c.invokeAll(busy.tenantId, token, 'Get-MessageTraceV2', parameters, { prefer: 'odata.maxpagesize=20' });
      collected.push(...set.values);
      sets += 1;
      const warning = set.pages[0]!.body['@adminapi.warnings'][0] as string | undefined;
      if (!warning) break;
      expect(set.values.length).toBeLessThanOrEqual(50);
      const last = set.values.at(-1)!;
      expect(warning).toBe(
        `There are more results, use the following command to get more. Get-MessageTraceV2 -StartDate "${window.StartDate}" -EndDate "${last.Received}" -StartingRecipientAddress "${last.RecipientAddress}" -ResultSize 50`,
      );
      const next = /-StartDate "([^"]+)" -EndDate "([^"]+)" -StartingRecipientAddress "([^"]+)" -ResultSize (\d+)$/.exec(warning)!;
      parameters = { StartDate: next[1], EndDate: next[2], StartingRecipientAddress: next[3], ResultSize: Number(next[4]) };
    }
    expect(sets).toBeGreaterThan(5);
    expect(collected.map((r) => r.MessageTraceId)).toEqual(all.map((r) => r.MessageTraceId));
  });

  it('the default ResultSize is 1000, and a big tenant passes 5000 in a window', async () => {
    const busier = exoScenario({ tenants: [{ name: 'Huge', initialDomain: 'huge.onmicrosoft.com', mailboxes: 400 }], tenantCount: 0, faults: [] });
    const huge = buildWorld(parseScenario(busier)).tenants[0] as TenantRecord;
    const s2 = await startSimulator({ scenario: busier });
    try {
      const c2 = exoClient(s2);
      const t2 = await c2.accessToken(huge.tenantId);
      const set = await c2.invokeAll(huge.tenantId, t2, 'Get-MessageTraceV2', { StartDate: iso(now - 10 * day), EndDate: iso(now) });
      expect(set.values.length).toBe(1000);
      expect(set.pages[0]!.body['@adminapi.warnings'][0]).toMatch(/-ResultSize 1000$/);
      const max = await c2.invokeAll(huge.tenantId, t2, 'Get-MessageTraceV2', { StartDate: iso(now - 10 * day), EndDate: iso(now), ResultSize: 5000 });
      expect(max.pages).toHaveLength(5);
      expect(max.values).toHaveLength(5000);
      expect(max.pages.every((p) => p.body['@adminapi.warnings'][0]?.endsWith('-ResultSize 5000'))).toBe(true);
    } finally {
      await s2.stop();
    }
  });
});
