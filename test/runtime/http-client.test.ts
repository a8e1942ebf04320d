/**
 * The one HTTP client of the runtime (runtime/platform/http/http-client.ts) over a scripted
 * transport: Retry-After and backoff inside a call, classification, redaction, causes, where a
 * bearer token may go, redirects, paging and the fresh token after a 401.
 */
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../runtime/platform/http/fetch-like.js';
import { bearerRefusal, ServiceClient, type ServiceClientOptions } from '../../runtime/platform/http/http-client.js';
import { MAX_RETRY_AFTER_MS } from '../../runtime/platform/http/retry-after.js';
import { ServiceCallError, serviceWords } from '../../runtime/platform/http/service-error.js';
import { PLAIN_HTTP_ON_LOOPBACK } from '../../runtime/platform/http/url-safety.js';
import { Redactor } from '../../runtime/platform/redact.js';

const BASE = 'https://graph.example';
const TOKEN = 'access-token-0123456789';

interface Call {
  url: string;
  init: RequestInit | undefined;
  authorization: string | null;
}

/** A transport answering from a script (a function of the call's index), recording each call. */
function scripted(answer: (call: Call, index: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const transport: FetchLike = async (url, init) => {
    const call = { url, init, authorization: new Headers(init?.headers).get('authorization') };
    calls.push(call);
    // a turn of the event loop, as a real transport takes: a client that never stops asking still lets the test time out
    await new Promise((resolve) => setImmediate(resolve));
    return answer(call, calls.length - 1);
  };
  return { calls, transport };
}

function clientOf(transport: FetchLike, more: Partial<ServiceClientOptions> = {}) {
  const waits: number[] = [];
  const client = new ServiceClient({
    service: 'Graph',
    base: BASE,
    transport,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...more,
  });
  return { client, waits };
}

const bearer = async () => TOKEN;
const graphError = (status: number, code: string, message: string, headers: Record<string, string> = {}) => Response.json({ error: { code, message } }, { status, headers });

describe('Retry-After and backoff inside a call', () => {
  it('waits the seconds a 429 names, then answers', async () => {
    const s = scripted((_c, i) => (i === 0 ? graphError(429, 'TooManyRequests', 'slow down', { 'retry-after': '7' }) : Response.json({ ok: true })));
    const { client, waits } = clientOf(s.transport);
    const { response } = await client.request(`${BASE}/v1.0/x`, { bearer });
    expect(response.status).toBe(200);
    expect(waits).toEqual([7_000]);
  });

  it('reads an HTTP date against the clock', async () => {
    const now = Date.parse('2024-05-20T09:00:00Z');
    const s = scripted((_c, i) => (i === 0 ? new Response('', { status: 503, headers: { 'retry-after': 'Mon, 20 May 2024 09:00:12 GMT' } }) : Response.json({})));
    const { client, waits } = clientOf(s.transport, { now: () => now });
    await client.request(`${BASE}/v1.0/x`);
    expect(waits).toEqual([12_000]);
  });

  it('a wait longer than the call may take ends it, Throttled with the wait, after one request', async () => {
    const s = scripted(() => graphError(429, 'TooManyRequests', 'slow down', { 'retry-after': '120' }));
    const { client, waits } = clientOf(s.transport, { retry: { maxWaitMs: 30_000 } });
    const error = await client.request(`${BASE}/v1.0/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceCallError);
    expect(error).toMatchObject({ category: 'Throttled', details: { status: 429, retryAfterMs: 120_000 } });
    expect(waits).toEqual([]);
    expect(s.calls).toHaveLength(1);
  });

  it('a Retry-After beyond the longest honoured is cut to it', async () => {
    const s = scripted(() => graphError(429, 'TooManyRequests', 'slow down', { 'retry-after': '999999' }));
    const { client } = clientOf(s.transport);
    await expect(client.request(`${BASE}/v1.0/x`)).rejects.toMatchObject({ details: { retryAfterMs: MAX_RETRY_AFTER_MS } });
  });

  it('without Retry-After: exponential backoff with jitter, between half and all of base·2^(n-1), capped; then the last failure', async () => {
    const s = scripted(() => new Response('busy', { status: 503 }));
    const low = clientOf(s.transport, { random: () => 0, retry: { retries: 5, baseDelayMs: 1_000, maxDelayMs: 8_000 } });
    await expect(low.client.request(`${BASE}/v1.0/x`)).rejects.toMatchObject({ category: 'RemoteError', details: { status: 503, retryable: true } });
    expect(low.waits).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    expect(s.calls).toHaveLength(6);
    const high = clientOf(scripted(() => new Response('busy', { status: 503 })).transport, { random: () => 0.999, retry: { retries: 5, baseDelayMs: 1_000, maxDelayMs: 8_000 } });
    await high.client.request(`${BASE}/v1.0/x`).catch(() => undefined);
    expect(high.waits).toEqual([1_000, 1_999, 3_998, 7_996, 7_996]);
  });

  it('a 4xx other than 429 is not tried again', async () => {
    const s = scripted(() => graphError(400, 'BadRequest', 'no such parameter'));
    const { client, waits } = clientOf(s.transport);
    await expect(client.request(`${BASE}/v1.0/x`)).rejects.toMatchObject({ category: 'InvalidParameter' });
    expect(s.calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('retries: 0 asks once', async () => {
    const s = scripted(() => new Response('', { status: 502 }));
    await expect(clientOf(s.transport).client.request(`${BASE}/v1.0/x`, { retry: { retries: 0 } })).rejects.toMatchObject({ details: { retryable: true } });
    expect(s.calls).toHaveLength(1);
  });
});

describe('classification, the service words, redaction, causes', () => {
  it.each([
    [401, 'AccessDenied'],
    [403, 'AccessDenied'],
    [404, 'InvalidParameter'],
    [400, 'InvalidParameter'],
    [429, 'Throttled'],
    [408, 'Timeout'],
    [500, 'RemoteError'],
    [503, 'RemoteError'],
    [409, 'RemoteError'],
  ] as const)('HTTP %i is %s', async (status, category) => {
    const s = scripted(() => graphError(status, 'Code', 'words'));
    await expect(clientOf(s.transport).client.request(`${BASE}/v1.0/x`, { retry: { retries: 0 } })).rejects.toMatchObject({ category, details: { status } });
  });

  it("keeps the service's own words: Graph's code and message, Exchange's detail, the login host's description", () => {
    expect(serviceWords(JSON.stringify({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' } }))).toBe('Authorization_RequestDenied: Insufficient privileges.');
    expect(serviceWords(JSON.stringify({ error: { code: 'Forbidden', message: 'outer', details: [{ message: 'The role is not supported.' }] } }))).toBe('Forbidden: The role is not supported.');
    expect(serviceWords(JSON.stringify({ error: { code: 'X', message: 'outer', innererror: { internalException: { message: 'inner reason' } } } }))).toBe('X: inner reason');
    expect(serviceWords(JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret.' }))).toBe('invalid_client: AADSTS7000215: Invalid client secret.');
    expect(serviceWords('<html>\n  busy\n</html>')).toBe('<html> busy </html>');
    expect(serviceWords('x'.repeat(1000)).length).toBeLessThanOrEqual(301);
  });

  it('an error message carries those words, without the token or a known secret', async () => {
    const redactor = new Redactor();
    redactor.add('Client-Secret~42');
    const s = scripted(() => graphError(403, 'Forbidden', `denied for ${TOKEN} with Client-Secret~42 and https://files.example/r.csv?sig=SIGNED`));
    const error = (await clientOf(s.transport, { redactor })
      .client.request(`${BASE}/v1.0/x`, { bearer })
      .catch((e: unknown) => e)) as ServiceCallError;
    expect(error.message).toMatch(/^Graph answered HTTP 403: Forbidden: denied for/);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain('Client-Secret~42');
    expect(error.message).not.toContain('SIGNED');
    expect(error.details.serviceText).not.toContain(TOKEN);
  });

  it('a network failure is a retryable RemoteError naming the socket error, with the transport error as cause', async () => {
    const failure = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    const { client, waits } = clientOf(async () => Promise.reject(failure), { retry: { retries: 2 } });
    const error = (await client.request(`${BASE}/v1.0/x`).catch((e: unknown) => e)) as ServiceCallError;
    expect(error).toMatchObject({ category: 'RemoteError', message: 'Graph could not be reached: ECONNREFUSED', details: { retryable: true } });
    expect(error.cause).toBe(failure);
    expect(waits).toHaveLength(2);
  });

  it('a try that takes too long is a Timeout, with the abort as cause; the caller aborting is not one', async () => {
    const hanging: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      });
    const { client } = clientOf(hanging, { retry: { retries: 0 } });
    const error = (await client.request(`${BASE}/v1.0/x`, { timeoutMs: 20 }).catch((e: unknown) => e)) as ServiceCallError;
    expect(error).toMatchObject({ category: 'Timeout', details: { retryable: true } });
    expect((error.cause as Error).name).toBe('TimeoutError');
    const stop = new AbortController();
    const stopped = client.request(`${BASE}/v1.0/x`, { signal: stop.signal, timeoutMs: 60_000 }).catch((e: unknown) => e);
    stop.abort();
    expect(await stopped).not.toBeInstanceOf(ServiceCallError);
  });

  it("owns the errors it made, and passes a bearer source's failure on as it was", async () => {
    const tokenFailure = new ServiceCallError('ConsentMissing', 'not consented', { status: 400 });
    const s = scripted(() => Response.json({}));
    const { client } = clientOf(s.transport);
    const passed = await client
      .request(`${BASE}/v1.0/x`, {
        bearer: async () => {
          throw tokenFailure;
        },
      })
      .catch((e: unknown) => e);
    expect(passed).toBe(tokenFailure);
    expect(client.owns(passed)).toBe(false);
    expect(s.calls).toHaveLength(0);
    const made = await clientOf(scripted(() => new Response('', { status: 404 })).transport)
      .client.request(`${BASE}/v1.0/x`)
      .catch((e: unknown) => e);
    expect(client.owns(made)).toBe(false); // another client's
  });
});

describe('where a bearer token may go', () => {
  it('to the origin of the service it was made for, over https', async () => {
    const s = scripted(() => Response.json({}));
    await clientOf(s.transport).client.request(`${BASE}/v1.0/me`, { bearer });
    expect(s.calls[0]!.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it.each([
    ['another host', 'https://elsewhere.example/v1.0/me'],
    ['another port', 'https://graph.example:8443/v1.0/me'],
    ['a look-alike host', 'https://graph.example.evil.example/v1.0/me'],
    ['plain http to the same host', 'http://graph.example/v1.0/me'],
    ['a URL with credentials', 'https://user:pw@graph.example/v1.0/me'],
  ])('never to %s: refused before anything is sent', async (_what, url) => {
    const s = scripted(() => Response.json({}));
    const { client } = clientOf(s.transport);
    const error = await client.request(url, { bearer }).catch((e: unknown) => e);
    expect(error).toMatchObject({ category: 'RemoteError', message: expect.stringMatching(/^Graph: not sending the token to /) });
    expect(client.owns(error)).toBe(true);
    expect(s.calls).toHaveLength(0);
  });

  it('a request without a token may go anywhere the caller sends it', async () => {
    const s = scripted(() => Response.json({}));
    await clientOf(s.transport).client.request('https://elsewhere.example/x');
    expect(s.calls[0]!.authorization).toBeNull();
  });

  it('plain http on loopback only under the one switch of url-safety.ts', () => {
    const simulator = 'http://127.0.0.1:4100';
    expect(bearerRefusal(`${simulator}/v1.0/me`, simulator, true)).toBeUndefined();
    expect(bearerRefusal(`${simulator}/v1.0/me`, simulator, false)).toMatch(/plain http/);
    expect(bearerRefusal('http://graph.example/v1.0/me', 'http://graph.example', true)).toMatch(/plain http/);
    expect(bearerRefusal(`${simulator}/v1.0/me`, simulator)).toBe(PLAIN_HTTP_ON_LOOPBACK ? undefined : expect.stringMatching(/plain http/));
  });

  it('a loopback simulator over http gets no token once the switch is off', async () => {
    const s = scripted(() => Response.json({}));
    const { client } = clientOf(s.transport, { base: 'http://127.0.0.1:4100', loopbackHttp: false });
    await expect(client.request('http://127.0.0.1:4100/v1.0/me', { bearer })).rejects.toMatchObject({ message: expect.stringMatching(/plain http/) });
    expect(s.calls).toHaveLength(0);
  });
});

describe('a 401 asks the token source once for a fresh token', () => {
  it('one refresh, one more try, then the answer', async () => {
    const asked: boolean[] = [];
    const tokens = ['tok-1', 'tok-2', 'tok-3'];
    const source = async (refresh: boolean) => {
      asked.push(refresh);
      return tokens[asked.filter(Boolean).length]!;
    };
    const s = scripted((call) => (call.authorization === 'Bearer tok-1' ? new Response('', { status: 401 }) : Response.json({ ok: 1 })));
    const { response } = await clientOf(s.transport).client.request(`${BASE}/v1.0/x`, { bearer: source });
    expect(response.status).toBe(200);
    expect(asked).toEqual([false, true]);
    expect(s.calls.map((c) => c.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('a second 401 is AccessDenied: not a third token', async () => {
    let refreshes = 0;
    const s = scripted(() => graphError(401, 'InvalidAuthenticationToken', 'expired'));
    const error = await clientOf(s.transport)
      .client.request(`${BASE}/v1.0/x`, {
        bearer: async (refresh) => {
          if (refresh) refreshes += 1;
          return TOKEN;
        },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ category: 'AccessDenied', details: { status: 401 } });
    expect(refreshes).toBe(1);
    expect(s.calls).toHaveLength(2);
  });
});

describe('redirects through the one follower', () => {
  it('the report is asked without following; the download gets no Authorization', async () => {
    const s = scripted((call) => (call.url.startsWith(BASE) ? new Response(null, { status: 302, headers: { location: 'https://files.example/r.csv?sig=S' } }) : new Response('A\n1\n')));
    const answer = await clientOf(s.transport).client.request(`${BASE}/v1.0/reports/x`, { bearer, followRedirects: true });
    expect(answer).toMatchObject({ url: 'https://files.example/r.csv?sig=S', hops: 1 });
    expect(s.calls.map((c) => [c.init?.redirect, c.authorization])).toEqual([
      ['manual', `Bearer ${TOKEN}`],
      ['manual', null],
    ]);
  });

  it('a refused Location is a RemoteError whose cause is the follower error; nothing fetched there', async () => {
    const s = scripted(() => new Response(null, { status: 302, headers: { location: 'http://evil.example/r.csv' } }));
    const error = (await clientOf(s.transport)
      .client.request(`${BASE}/v1.0/reports/x`, { bearer, followRedirects: true })
      .catch((e: unknown) => e)) as ServiceCallError;
    expect(error).toMatchObject({ category: 'RemoteError', message: expect.stringMatching(/^redirect 1 refused/) });
    expect((error.cause as Error).name).toBe('RedirectError');
    expect(s.calls).toHaveLength(1);
  });

  it('without followRedirects a redirect is not followed: an unexpected answer', async () => {
    const s = scripted(() => new Response(null, { status: 302, headers: { location: `${BASE}/elsewhere` } }));
    await expect(clientOf(s.transport).client.request(`${BASE}/v1.0/x`, { bearer, retry: { retries: 0 } })).rejects.toMatchObject({ category: 'RemoteError', details: { status: 302 } });
    expect(s.calls).toHaveLength(1);
  });
});

describe('paging by @odata.nextLink', () => {
  const page = (n: number, next?: string) => Response.json({ value: [n], ...(next ? { '@odata.nextLink': next } : {}) });

  it('follows nextLink under the base with the same request, the token each time', async () => {
    const s = scripted((_c, i) => (i < 2 ? page(i, `${BASE}/v1.0/x?$skiptoken=${i + 1}`) : page(i)));
    const { client } = clientOf(s.transport);
    const pages: unknown[] = [];
    for await (const p of client.pages(`${BASE}/v1.0/x`, { bearer, method: 'POST', body: '{"a":1}' }, 10)) pages.push(p.value);
    expect(pages).toEqual([[0], [1], [2]]);
    expect(s.calls.map((c) => [c.url, c.init?.method, c.init?.body, c.authorization])).toEqual([
      [`${BASE}/v1.0/x`, 'POST', '{"a":1}', `Bearer ${TOKEN}`],
      [`${BASE}/v1.0/x?$skiptoken=1`, 'POST', '{"a":1}', `Bearer ${TOKEN}`],
      [`${BASE}/v1.0/x?$skiptoken=2`, 'POST', '{"a":1}', `Bearer ${TOKEN}`],
    ]);
  });

  it.each([
    ['another host', 'https://elsewhere.example/v1.0/x?$skiptoken=1'],
    ['plain http on the same host', 'http://graph.example/v1.0/x?$skiptoken=1'],
    ['outside the base path', 'https://graph.example.evil/v1.0/x'],
  ])('refuses a nextLink to %s: not fetched, the token not sent', async (_what, next) => {
    const s = scripted(() => page(0, next));
    const { client } = clientOf(s.transport);
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const p of client.pages(`${BASE}/v1.0/x`, { bearer }, 10)) seen.push(p.value);
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ category: 'RemoteError', message: `the next page is outside ${BASE}; not following it` });
    expect(seen).toEqual([[0]]);
    expect(s.calls).toHaveLength(1);
  });

  it('a base with a path keeps paging under it', async () => {
    const base = 'https://host.example/graph';
    const s = scripted(() => page(0, 'https://host.example/other/v1.0/x'));
    const { client } = clientOf(s.transport, { base });
    await expect(
      (async () => {
        for await (const _ of client.pages(`${base}/v1.0/x`, { bearer }, 10));
      })(),
    ).rejects.toMatchObject({ message: expect.stringMatching(/outside/) });
  });

  it('stops after the bound on pages, having asked for no more than it', async () => {
    let n = 0;
    const s = scripted(() => page(n, `${BASE}/v1.0/x?$skiptoken=${++n}`));
    const { client } = clientOf(s.transport);
    const error = await (async () => {
      for await (const _ of client.pages(`${BASE}/v1.0/x`, { bearer }, 3));
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ category: 'RemoteError', message: 'stopped after 3 pages' });
    expect(s.calls).toHaveLength(3);
  });

  it('a page that is not JSON is a retryable RemoteError with the parse error as cause', async () => {
    const s = scripted(() => new Response('<html>', { status: 200 }));
    const error = (await (async () => {
      for await (const _ of clientOf(s.transport).client.pages(`${BASE}/v1.0/x`, {}, 3));
    })().catch((e: unknown) => e)) as ServiceCallError;
    expect(error).toMatchObject({ category: 'RemoteError', details: { retryable: true } });
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });
});
