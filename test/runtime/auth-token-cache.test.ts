import { describe, expect, it } from 'vitest';
import { GRAPH_SCOPE, TOKEN_REFRESH_MARGIN_MS } from '../../runtime/backends/app/auth/scopes.js';
import { refreshMarginMs, TokenCache } from '../../runtime/backends/app/auth/token-cache.js';
import { classifyTokenFailure, requestToken } from '../../runtime/backends/app/auth/token-client.js';

const G = GRAPH_SCOPE;

function fakeIssuer(lifetimeMs = 3_600_000) {
  const calls: string[] = [];
  let n = 0;
  return {
    calls,
    issue: async (tenant: string) => {
      calls.push(tenant);
      n += 1;
      return { accessToken: `token-${tenant}-${n}`, lifetimeMs };
    },
  };
}

describe('TokenCache (fake clock)', () => {
  it('reuses a tenant token until 5 minutes before it expires, then gets a new one', async () => {
    let now = 1_000_000;
    const issuer = fakeIssuer(3_600_000);
    const cache = new TokenCache({ issue: issuer.issue, now: () => now });
    const first = await cache.get('T1', G);
    expect(await cache.get('t1', G)).toBe(first); // tenant ids are case-insensitive
    now += 3_600_000 - TOKEN_REFRESH_MARGIN_MS - 1;
    expect(await cache.get('T1', G)).toBe(first);
    now += 1;
    const second = await cache.get('T1', G);
    expect(second).not.toBe(first);
    expect(issuer.calls).toEqual(['T1', 'T1']);
    expect(cache.issued).toBe(2);
  });

  it.each([
    [3_600_000, 300_000],
    [600_000, 60_000],
    [60_000, 6_000],
    [86_400_000, 300_000],
  ])('a token living %i ms is renewed %i ms before it expires', (lifetime, margin) => {
    expect(refreshMarginMs(lifetime)).toBe(margin);
  });

  it('keeps one token per tenant', async () => {
    const issuer = fakeIssuer();
    const cache = new TokenCache({ issue: issuer.issue, now: () => 0 });
    const [a, b] = await Promise.all([cache.get('A', G), cache.get('B', G)]);
    expect(a).not.toBe(b);
    await cache.get('A', G);
    expect(issuer.calls).toEqual(['A', 'B']);
  });

  it('callers asking at once share one request', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const cache = new TokenCache({
      now: () => 0,
      issue: async () => {
        calls += 1;
        await gate;
        return { accessToken: 'shared', lifetimeMs: 3_600_000 };
      },
    });
    const waiting = [cache.get('A', G), cache.get('A', G), cache.get('A', G)];
    release();
    expect(await Promise.all(waiting)).toEqual(['shared', 'shared', 'shared']);
    expect(calls).toBe(1);
  });

  it('invalidate forgets a refused token (only that one); a failure is not cached', async () => {
    const issuer = fakeIssuer();
    const cache = new TokenCache({ issue: issuer.issue, now: () => 0 });
    const first = await cache.get('A', G);
    cache.invalidate('A', G, 'some-older-token');
    expect(await cache.get('A', G)).toBe(first);
    cache.invalidate('A', G, first);
    expect(await cache.get('A', G)).not.toBe(first);

    let fail = true;
    const flaky = new TokenCache({
      now: () => 0,
      issue: async () => {
        if (fail) throw new Error('down');
        return { accessToken: 'ok', lifetimeMs: 1000 };
      },
    });
    await expect(flaky.get('A', G)).rejects.toThrow('down');
    fail = false;
    expect(await flaky.get('A', G)).toBe('ok');
  });

  it('a waiter whose signal aborts stops waiting; the others still get the token', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const cache = new TokenCache({
      now: () => 0,
      issue: async () => {
        await gate;
        return { accessToken: 'late', lifetimeMs: 1000 };
      },
    });
    const controller = new AbortController();
    const aborted = cache.get('A', G, controller.signal);
    const patient = cache.get('A', G);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    release();
    expect(await patient).toBe('late');
  });
});

describe('token endpoint', () => {
  const fetchAnswering = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    const seen: Array<{ url: string; body: string }> = [];
    return {
      seen,
      fetch: async (url: string, init?: RequestInit) => {
        seen.push({ url, body: String(init?.body) });
        return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
      },
    };
  };

  it('client credentials: form fields, tenant in the path, lifetime from expires_in', async () => {
    const f = fetchAnswering(200, { token_type: 'Bearer', expires_in: 3599, access_token: 'abc' });
    const token = await requestToken({ scope: G, loginBase: 'https://login.example', tenant: '00000000-0000-4000-8000-000000000001', credential: { clientId: 'app', clientSecret: 's3cret' }, role: 'customer', fetch: f.fetch });
    expect(token).toEqual({ accessToken: 'abc', lifetimeMs: 3_599_000 });
    expect(f.seen[0]!.url).toBe('https://login.example/00000000-0000-4000-8000-000000000001/oauth2/v2.0/token');
    expect(Object.fromEntries(new URLSearchParams(f.seen[0]!.body))).toEqual({
      client_id: 'app',
      client_secret: 's3cret',
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    });
  });

  it('refresh token grant', async () => {
    const f = fetchAnswering(200, { expires_in: '60', access_token: 'abc' });
    await requestToken({ scope: G, loginBase: 'https://login.example', tenant: 'organizations', credential: { clientId: 'app', refreshToken: 'rt-1' }, role: 'partner', fetch: f.fetch });
    expect(Object.fromEntries(new URLSearchParams(f.seen[0]!.body))).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'rt-1' });
  });

  it('refuses a tenant that is not an id or domain before any request', async () => {
    const f = fetchAnswering(200, {});
    await expect(requestToken({ scope: G, loginBase: 'https://l', tenant: '../x', credential: { clientId: 'a', clientSecret: 'b' }, role: 'customer', fetch: f.fetch })).rejects.toThrow(/not a tenant id/);
    expect(f.seen).toEqual([]);
  });

  it.each([
    [400, 'invalid_client: AADSTS65001: The user or administrator has not consented to use the application', 'customer', 'ConsentMissing'],
    [400, 'unauthorized_client: AADSTS700016: Application with identifier x was not found in the directory', 'customer', 'AccessDenied'],
    [400, "invalid_request: AADSTS90002: Tenant 'x' not found.", 'customer', 'AccessDenied'],
    [401, 'invalid_client: AADSTS7000215: Invalid client secret provided.', 'customer', 'AuthenticationFailed'],
    [401, 'invalid_client: AADSTS7000215: Invalid client secret provided.', 'partner', 'AuthenticationFailed'],
    [400, 'invalid_grant: AADSTS70008: The refresh token has expired', 'customer', 'AuthenticationFailed'],
    [400, 'invalid_client: AADSTS65001: has not consented', 'partner', 'AuthenticationFailed'],
    [429, 'TooManyRequests', 'customer', 'Throttled'],
    [503, 'temporarily_unavailable', 'customer', 'RemoteError'],
  ] as const)('HTTP %i "%s" for a %s token is %s', (status, text, role, category) => {
    expect(classifyTokenFailure(status, text, role).category).toBe(category);
  });

  it('a 5xx is retryable, a 429 carries its Retry-After', async () => {
    expect(classifyTokenFailure(503, '', 'customer').details.retryable).toBe(true);
    const f = fetchAnswering(429, { error: 'too_many' }, { 'retry-after': '7' });
    await expect(requestToken({ scope: G, loginBase: 'https://l', tenant: 'common', credential: { clientId: 'a', clientSecret: 'b' }, role: 'customer', fetch: f.fetch })).rejects.toMatchObject({
      category: 'Throttled',
      details: { retryAfterMs: 7000 },
    });
  });
});
