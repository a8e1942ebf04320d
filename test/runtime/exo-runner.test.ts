/**
 * The Exchange admin REST backend's pieces against a scripted service: cell text, dates, windows,
 * paging, throttling, refusals, and the runner's forEach / continueWith / row rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { CatalogReport } from '../../common/catalog.js';
import { bytesText, cellText, isoDateText } from '../../runtime/backends/app/cells.js';
import { ExoClient } from '../../runtime/backends/exo/exo-client.js';
import { applyRowRule, externalAddresses } from '../../runtime/backends/exo/exo-rules.js';
import { dateWindows, ExoTenantRunner } from '../../runtime/backends/exo/exo-runner.js';
import type { ExchangeRestCatalogSource, RowRule } from '../../runtime/backends/exo/exo-source.js';
import { Redactor } from '../../runtime/platform/redact.js';
import { ServiceClient } from '../../runtime/platform/http/http-client.js';
import { AppTokens } from '../../runtime/backends/app/auth/app-tokens.js';
import { EXCHANGE_SCOPE } from '../../runtime/backends/app/auth/scopes.js';
import type { TenantJob } from '../../runtime/backends/contract/runner-types.js';
import { tempDir } from './fakes.js';

const BASE = 'https://exchange.example';
const TENANT = '6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b';
const DAY = 86_400_000;

interface Call {
  url: string;
  body: { CmdletInput: { CmdletName: string; Parameters: Record<string, unknown> } };
  headers: Record<string, string>;
}

/** A scripted Exchange admin API: `answer` decides each call's response. */
function service(answer: (call: Call, index: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = async (url: string, init?: RequestInit) => {
    const call = { url, body: JSON.parse(String(init?.body)), headers: init?.headers as Record<string, string> };
    calls.push(call);
    return answer(call, calls.length - 1);
  };
  return { calls, fetch };
}

const page = (value: unknown[], next?: string, extra: Record<string, unknown> = {}) => Response.json({ '@odata.context': 'x', value, ...(next ? { '@odata.nextLink': next } : {}), ...extra });

function client(fetch: (url: string, init?: RequestInit) => Promise<Response>, tokens: string[] = ['token-1', 'token-2']) {
  let n = 0;
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  const c = new ExoClient({
    http: new ServiceClient({ service: 'the Exchange admin API', base: BASE, transport: fetch, redactor: new Redactor(), sleep }),
    tenantId: TENANT,
    token: async (refresh) => tokens[refresh ? Math.min(++n, tokens.length - 1) : n]!,
    signal: new AbortController().signal,
  });
  return { client: c, waits };
}

describe('cell text', () => {
  it('flattens nested values into readable text, never [object Object]', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText(true)).toBe('True');
    expect(cellText(false)).toBe('False');
    expect(cellText(42)).toBe('42');
    expect(cellText(['SMTP:a@x.com', 'smtp:b@x.com'])).toBe('SMTP:a@x.com; smtp:b@x.com');
    expect(cellText([])).toBe('');
    expect(cellText({ a: 1, b: ['c'] })).toBe('{"a":1,"b":["c"]}');
    expect(cellText([{ a: 1 }, null, 'z'])).toBe('{"a":1}; z');
  });

  it('dates as the remoting path writes them; sizes in bytes', () => {
    expect(isoDateText('2015-03-18T00:00:00Z')).toBe('2015-03-18');
    expect(isoDateText('2026-11-25T13:05:09.1234567Z')).toBe('2026-11-25T13:05:09Z');
    expect(isoDateText('not a date')).toBe('not a date');
    expect(isoDateText(null)).toBe('');
    expect(bytesText('33.438 GB (35,903,716,480 bytes)')).toBe('35903716480');
    expect(bytesText('Unlimited')).toBe('');
  });
});

describe('date windows', () => {
  it('splits a range into windows of at most N days, newest first, covering it exactly', () => {
    const start = Date.UTC(2026, 10, 1);
    const end = Date.UTC(2026, 10, 25);
    const windows = dateWindows(start, end, 10);
    expect(windows.map((w) => [new Date(w.start).toISOString().slice(0, 10), new Date(w.end).toISOString().slice(0, 10)])).toEqual([
      ['2026-11-15', '2026-11-25'],
      ['2026-11-05', '2026-11-15'],
      ['2026-11-01', '2026-11-05'],
    ]);
    for (const w of windows) expect(w.end - w.start).toBeLessThanOrEqual(10 * DAY);
  });
});

describe('ExoClient', () => {
  it('POSTs InvokeCommand with the headers of the service, follows nextLink with the same body', async () => {
    const s = service((_call, i) => (i === 0 ? page([{ n: 1 }], `${BASE}/adminapi/beta/${TENANT}/InvokeCommand?$skiptoken=2`) : page([{ n: 2 }])));
    const { client: c } = client(s.fetch);
    expect(await c.all('Get-Mailbox', { ResultSize: 'Unlimited' }, ['DisplayName', 'UserPrincipalName'])).toEqual([{ n: 1 }, { n: 2 }]);
    expect(s.calls[0]!.url).toBe(`${BASE}/adminapi/beta/${TENANT}/InvokeCommand?$select=DisplayName,UserPrincipalName`);
    expect(s.calls[0]!.headers).toMatchObject({
      authorization: 'Bearer token-1',
      'content-type': 'application/json; charset=utf-8',
      prefer: 'odata.maxpagesize=1000',
      'x-anchormailbox': `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${TENANT}`,
    });
    expect(s.calls[1]!.url).toBe(`${BASE}/adminapi/beta/${TENANT}/InvokeCommand?$skiptoken=2`);
    expect(s.calls[1]!.body).toEqual({ CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: { ResultSize: 'Unlimited' } } });
  });

  it('never follows a nextLink outside the Exchange base', async () => {
    const s = service(() => page([], 'https://elsewhere.example/adminapi/beta/x/InvokeCommand'));
    await expect(client(s.fetch).client.all('Get-Mailbox', {})).rejects.toMatchObject({ category: 'RemoteError', message: expect.stringMatching(/outside/) });
    expect(s.calls).toHaveLength(1);
  });

  it('waits a short Retry-After inside the attempt; a long one ends it as Throttled with the wait', async () => {
    const short = service((_c, i) => (i === 0 ? new Response('{}', { status: 429, headers: { 'retry-after': '2' } }) : page([{ ok: true }])));
    const a = client(short.fetch);
    expect(await a.client.all('Get-Mailbox', {})).toEqual([{ ok: true }]);
    expect(a.waits).toEqual([2000]);
    const long = service(() => new Response(JSON.stringify({ error: { code: 'TooManyRequests', message: 'slow down' } }), { status: 429, headers: { 'retry-after': '120' } }));
    await expect(client(long.fetch).client.all('Get-Mailbox', {})).rejects.toMatchObject({ category: 'Throttled', details: { retryAfterMs: 120_000 } });
  });

  it('a 401 is tried once more with a new token; a 403 is AccessDenied naming the roles needed, in the service words', async () => {
    const s = service((call) => (call.headers.authorization === 'Bearer token-1' ? new Response('', { status: 401 }) : page([{ ok: 1 }])));
    expect(await client(s.fetch).client.all('Get-Mailbox', {})).toEqual([{ ok: 1 }]);
    const body = { error: { code: 'Forbidden', message: 'outer', details: [{ message: "The role assigned to application isn't supported in this scenario." }] } };
    const denied = service(() => Response.json(body, { status: 403 }));
    await expect(client(denied.fetch).client.all('Get-InboxRule', {})).rejects.toMatchObject({
      category: 'AccessDenied',
      message: expect.stringMatching(/Forbidden: The role assigned to application isn't supported.*Exchange Administrator or Global Reader/),
    });
  });

  it('a 400 is InvalidParameter; a 5xx is retried, then retryable RemoteError', async () => {
    const bad = service(() => Response.json({ error: { code: 'BadRequest', message: "A parameter cannot be found that matches parameter name 'Foo'." } }, { status: 400 }));
    await expect(client(bad.fetch).client.all('Get-Mailbox', { Foo: 1 })).rejects.toMatchObject({ category: 'InvalidParameter' });
    const down = service(() => new Response('busy', { status: 503 }));
    const d = client(down.fetch);
    await expect(d.client.all('Get-Mailbox', {})).rejects.toMatchObject({ category: 'RemoteError', details: { retryable: true } });
    expect(down.calls.length).toBe(5);
  });
});

describe('row rules', () => {
  it('externalRecipients keeps rules that send outside the accepted domains and lists those addresses', () => {
    const rule: RowRule = { kind: 'externalRecipients', columns: ['ForwardTo', 'RedirectTo'], matchColumn: 'ExternalRecipients' };
    const domains = new Set(['contoso.com', 'contoso.onmicrosoft.com']);
    const row = { ForwardTo: ['"Jane" [SMTP:jane@fabrikam.com]', '"Bob" [SMTP:bob@contoso.com]'], RedirectTo: 'SMTP:x@EVIL.example' };
    expect(externalAddresses(row, rule.columns, domains)).toEqual(['jane@fabrikam.com', 'x@evil.example']);
    expect(applyRowRule(rule, row, { nowMs: 0, acceptedDomains: domains })).toEqual({ ExternalRecipients: 'jane@fabrikam.com; x@evil.example' });
    expect(applyRowRule(rule, { ForwardTo: ['"Bob" [SMTP:bob@contoso.com]'], RedirectTo: null }, { nowMs: 0, acceptedDomains: domains })).toBeUndefined();
  });

  it('inactiveFor keeps rows older than N days (or never used) and writes the days', () => {
    const rule = { kind: 'inactiveFor', column: 'LastUserActionTime', daysParameter: 'InactiveDays', daysColumn: 'DaysInactive' } as const;
    const now = Date.UTC(2026, 10, 25);
    expect(applyRowRule(rule, { LastUserActionTime: new Date(now - 100 * DAY).toISOString() }, { nowMs: now, days: 90 })).toEqual({ DaysInactive: '100' });
    expect(applyRowRule(rule, { LastUserActionTime: new Date(now - 10 * DAY).toISOString() }, { nowMs: now, days: 90 })).toBeUndefined();
    expect(applyRowRule(rule, { LastUserActionTime: null }, { nowMs: now, days: 90 })).toEqual({ DaysInactive: '' });
  });
});

function report(source: ExchangeRestCatalogSource, columns: CatalogReport['columns']): CatalogReport {
  return { name: 'Sample', function: 'Get-DapSample', summary: '', definitionFile: 'x.ts', sources: [source], parameters: [], columns } as unknown as CatalogReport;
}

function runner(fetch: (url: string, init?: RequestInit) => Promise<Response>, now = Date.UTC(2026, 10, 25)) {
  const tokens = new AppTokens({ issue: async () => 'tok' });
  const http = new ServiceClient({ service: 'the Exchange admin API', base: BASE, transport: fetch, now: () => now, sleep: async () => undefined });
  return new ExoTenantRunner({ http, tokens: tokens.forScope(EXCHANGE_SCOPE), redactor: new Redactor(), tenantConcurrency: 3, now: () => now });
}

const jobOf = (r: CatalogReport, parameters: TenantJob['parameters'] = []): TenantJob => ({
  tenantId: TENANT,
  domain: 'contoso.com',
  account: 'app',
  report: r,
  parameters,
  outPath: join(tempDir(), 'part.csv'),
  attempt: 1,
});
const rowsOf = (path: string) => parse(readFileSync(path, 'utf8'), { columns: true }) as Array<Record<string, string>>;

describe('ExoTenantRunner', () => {
  it('forEach: one call per parent object, rows in the parents order, parent values fill missing columns, sizes and dates converted', async () => {
    const mailboxes = Array.from({ length: 9 }, (_, i) => ({ ExternalDirectoryObjectId: `id-${i}`, UserPrincipalName: `u${i}@contoso.com` }));
    const s = service(async (call) => {
      const p = call.body.CmdletInput.Parameters;
      if (call.body.CmdletInput.CmdletName === 'Get-Mailbox') return page(mailboxes);
      // answer out of order in time: later mailboxes first
      await new Promise((r) => setTimeout(r, 30 - Number(String(p.Identity).slice(3)) * 3));
      return page([{ DisplayName: `User ${String(p.Identity)}`, TotalItemSize: '1.5 MB (1,572,864 bytes)', LastUserActionTime: '2026-11-20T10:00:00.5Z', Nested: { a: [1, 2] } }]);
    });
    const r = report(
      { kind: 'exchangeRest', cmdlet: 'Get-MailboxStatistics', forEach: { cmdlet: 'Get-Mailbox', parameters: { ResultSize: 'Unlimited' }, property: 'ExternalDirectoryObjectId', parameter: 'Identity' } },
      [
        { name: 'UserPrincipalName', type: 'string' },
        { name: 'DisplayName', type: 'string' },
        { name: 'TotalItemSize', type: 'string' },
        { name: 'TotalItemSizeBytes', type: 'integer', bytesOf: 'TotalItemSize' },
        { name: 'LastUserActionTime', type: 'datetime' },
        { name: 'Nested', type: 'string' },
      ],
    );
    const job = jobOf(r);
    expect(await runner(s.fetch).run(job, new AbortController().signal)).toEqual({ status: 'succeeded', rows: 9, partPath: job.outPath });
    const rows = rowsOf(job.outPath);
    expect(rows.map((row) => row.UserPrincipalName)).toEqual(mailboxes.map((m) => m.UserPrincipalName));
    expect(rows[0]).toEqual({
      TenantId: TENANT,
      TenantDomain: 'contoso.com',
      UserPrincipalName: 'u0@contoso.com',
      DisplayName: 'User id-0',
      TotalItemSize: '1.5 MB (1,572,864 bytes)',
      TotalItemSizeBytes: '1572864',
      LastUserActionTime: '2026-11-20T10:00:00Z',
      Nested: '{"a":[1,2]}',
    });
    expect(s.calls.filter((c) => c.body.CmdletInput.CmdletName === 'Get-MailboxStatistics').map((c) => c.body.CmdletInput.Parameters.Identity)).toHaveLength(9);
  });

  it('continueWith: a full answer asks again from the last row, rows seen twice are written once; dateWindow splits the range', async () => {
    const all = Array.from({ length: 12 }, (_, i) => ({ Received: new Date(Date.UTC(2026, 10, 24) - i * 3_600_000).toISOString(), RecipientAddress: `r${i}@x.com`, MessageId: `<m${i}>` }));
    const s = service((call) => {
      const p = call.body.CmdletInput.Parameters;
      const end = Date.parse(String(p.EndDate));
      const start = Date.parse(String(p.StartDate));
      const inWindow = all.filter((m) => Date.parse(m.Received) <= end && Date.parse(m.Received) >= start);
      const from = p.StartingRecipientAddress ? inWindow.findIndex((m) => m.RecipientAddress === p.StartingRecipientAddress) : 0;
      return page(inWindow.slice(from, from + Number(p.ResultSize)));
    });
    const r = report(
      {
        kind: 'exchangeRest',
        cmdlet: 'Get-MessageTraceV2',
        dateWindow: { start: 'StartDate', end: 'EndDate', days: 10 },
        continueWith: { sizeParameter: 'ResultSize', size: 5, from: { StartingRecipientAddress: 'RecipientAddress', EndDate: 'Received' } },
      },
      [{ name: 'Received', type: 'datetime' }, { name: 'RecipientAddress', type: 'string' }, { name: 'MessageId', type: 'string' }],
    );
    const job = jobOf(r, [
      { name: 'StartDate', type: 'datetime', array: false, value: '2026-11-01T00:00:00Z' },
      { name: 'EndDate', type: 'datetime', array: false, value: '2026-11-25T00:00:00Z' },
    ]);
    expect(await runner(s.fetch).run(job, new AbortController().signal)).toMatchObject({ status: 'succeeded', rows: 12 });
    expect(rowsOf(job.outPath).map((row) => row.RecipientAddress)).toEqual(all.map((m) => m.RecipientAddress));
    const windows = new Set(s.calls.map((c) => String(c.body.CmdletInput.Parameters.StartDate)));
    expect(windows.size).toBe(3);
  });

  it('a tenant with no rows is noData; a refusal is the classified failure without a part', async () => {
    const empty = service(() => page([]));
    const r = report({ kind: 'exchangeRest', cmdlet: 'Get-CASMailbox' }, [{ name: 'PopEnabled', type: 'boolean' }]);
    const job = jobOf(r);
    expect(await runner(empty.fetch).run(job, new AbortController().signal)).toEqual({ status: 'noData', rows: 0 });
    const denied = service(() => Response.json({ error: { code: 'Forbidden', message: 'no role' } }, { status: 403 }));
    const j2 = jobOf(r);
    expect(await runner(denied.fetch).run(j2, new AbortController().signal)).toMatchObject({ status: 'failed', category: 'AccessDenied' });
    expect(() => readFileSync(j2.outPath)).toThrow();
  });
});
