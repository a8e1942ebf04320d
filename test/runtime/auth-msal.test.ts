/**
 * Sign-in on MSAL against a scripted login host (fake-login.ts): the requests MSAL makes (grant,
 * scope, client authentication, assertion header and claims, tenant in the URL), tokens from MSAL's
 * cache per tenant and scope, the device code and refresh token flows, the token file MSAL's cache
 * is kept in, and MSAL's errors in the runtime's failure categories.
 */
import { createHash, verify, X509Certificate, constants } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { signInApp } from '../../runtime/backends/app/auth/app-sign-in.js';
import { AppTokens } from '../../runtime/backends/app/auth/app-tokens.js';
import { parseCertificatePem } from '../../runtime/backends/app/auth/certificate.js';
import { authorityOptions, MsalApp } from '../../runtime/backends/app/auth/msal-app.js';
import { EXCHANGE_SCOPE, GRAPH_SCOPE } from '../../runtime/backends/app/auth/scopes.js';
import { TokenFile } from '../../runtime/backends/app/auth/token-file.js';
import { DEFAULT_LOGIN_URL } from '../../runtime/backends/app/http/graph-limits.js';
import { aadError, fakeLogin } from './fake-login.js';
import { Capture, tempDir } from './fakes.js';

const LOGIN = 'https://login.example';
const APP = '6f0c4b8e-2d1a-4c57-9e3b-5a7d8c9f0b12';
const PARTNER = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const T1 = '00000000-0000-4000-8000-000000000001';
const T2 = '00000000-0000-4000-8000-000000000002';
const simPem = readFileSync(join(projectRoot, 'simulator', 'scenarios', 'simulator-app.pem'), 'utf8');
const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(simPem)![0];
const part = (text: string) => JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('app-only (ConfidentialClientApplication)', () => {
  it('client secret: one request per tenant and scope to <login>/<tenant>/oauth2/v2.0/token, then MSAL’s cache', async () => {
    const host = fakeLogin();
    const app = new MsalApp({ loginBase: LOGIN, credential: { clientId: APP, clientSecret: 's3cret' }, fetch: host.fetch, delegated: false });
    const a = await app.token(T1, GRAPH_SCOPE, 'customer');
    expect((await app.token(T1, GRAPH_SCOPE, 'customer')).accessToken).toBe(a.accessToken);
    const b = await app.token(T2, GRAPH_SCOPE, 'customer');
    const e = await app.token(T1, EXCHANGE_SCOPE, 'customer');
    expect(new Set([a.accessToken, b.accessToken, e.accessToken]).size).toBe(3);
    const sent = host.tokenRequests();
    expect(sent.map((r) => r.path)).toEqual([`${LOGIN}/${T1}/oauth2/v2.0/token`, `${LOGIN}/${T2}/oauth2/v2.0/token`, `${LOGIN}/${T1}/oauth2/v2.0/token`]);
    for (const r of sent) {
      expect(r.method).toBe('POST');
      expect(r.form.get('grant_type')).toBe('client_credentials');
      expect(r.form.get('client_id')).toBe(APP);
      expect(r.form.get('client_secret')).toBe('s3cret');
      expect(r.form.get('client_assertion')).toBeNull();
    }
    expect(sent.map((r) => r.form.get('scope'))).toEqual([GRAPH_SCOPE, GRAPH_SCOPE, EXCHANGE_SCOPE]);
    // the login host is asked for nothing else: no discovery, no metadata
    expect(host.seen).toHaveLength(3);
    // a refused token is not handed out again: the next request skips the cache
    const refreshed = await app.token(T1, GRAPH_SCOPE, 'customer', true);
    expect(refreshed.accessToken).not.toBe(a.accessToken);
    expect(host.tokenRequests()).toHaveLength(4);
  });

  it.each([false, true])('certificate (x5c %s): a PS256 assertion with x5t#S256, aud = the token URL of that tenant, iss = sub = client id; no secret', async (sendX5c) => {
    const host = fakeLogin();
    const certificate = parseCertificatePem(simPem);
    const app = new MsalApp({ loginBase: LOGIN, credential: { clientId: APP, certificate, ...(sendX5c ? { sendX5c } : {}) }, fetch: host.fetch, delegated: false });
    await app.token(T1, EXCHANGE_SCOPE, 'customer');
    await app.token(T2, GRAPH_SCOPE, 'customer');
    const cert = new X509Certificate(certPem);
    const [first, second] = host.tokenRequests();
    for (const [request, tenant] of [[first!, T1], [second!, T2]] as const) {
      expect(request.form.get('client_secret')).toBeNull();
      expect(request.form.get('grant_type')).toBe('client_credentials');
      expect(request.form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      const [h, c, s] = request.form.get('client_assertion')!.split('.') as [string, string, string];
      const header = part(h);
      expect(header).toMatchObject({ alg: 'PS256', typ: 'JWT', 'x5t#S256': createHash('sha256').update(cert.raw).digest('base64url') });
      expect(header.x5t).toBeUndefined();
      if (sendX5c) expect(header.x5c).toEqual([cert.raw.toString('base64')]);
      else expect(header.x5c).toBeUndefined();
      const claims = part(c);
      expect(claims).toMatchObject({ aud: `${LOGIN}/${tenant}/oauth2/v2.0/token`, iss: APP, sub: APP });
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(claims.exp) - Number(claims.nbf)).toBeLessThanOrEqual(600);
      expect(verify('sha256', Buffer.from(`${h}.${c}`), { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(s, 'base64url'))).toBe(true);
    }
    expect(first!.form.get('scope')).toBe(EXCHANGE_SCOPE);
  });

  it('AppTokens: callers asking at once share one request; a refused token makes the next request skip the cache', async () => {
    const host = fakeLogin();
    const app = new MsalApp({ loginBase: LOGIN, credential: { clientId: APP, clientSecret: 's' }, fetch: host.fetch, delegated: false });
    const seen: string[] = [];
    const tokens = new AppTokens({ issue: async (tenant, scope, force) => (await app.token(tenant, scope, 'customer', force)).accessToken, onToken: (t) => seen.push(t) });
    const graph = tokens.forScope(GRAPH_SCOPE);
    const [a, b, c] = await Promise.all([graph.get(T1), graph.get(T1), graph.get(T1)]);
    expect(new Set([a, b, c]).size).toBe(1);
    expect(host.tokenRequests()).toHaveLength(1);
    graph.invalidate(T1, 'an-older-token');
    expect(await graph.get(T1)).toBe(a);
    graph.invalidate(T1, a!);
    expect(await graph.get(T1)).not.toBe(a);
    expect(host.tokenRequests()).toHaveLength(2);
    expect(seen.length).toBeGreaterThan(0);
  });
});

describe('where MSAL is told the authority', () => {
  it('login.microsoftonline.com keeps MSAL’s defaults: no request but the token one', async () => {
    expect(authorityOptions(DEFAULT_LOGIN_URL)).toEqual({});
    const host = fakeLogin();
    const app = new MsalApp({ loginBase: DEFAULT_LOGIN_URL, credential: { clientId: APP, clientSecret: 's' }, fetch: host.fetch, delegated: false });
    await app.token(T1, GRAPH_SCOPE, 'customer');
    expect(host.seen.map((r) => `${r.method} ${r.path}`)).toEqual([`POST https://login.microsoftonline.com/${T1}/oauth2/v2.0/token`]);
  });

  it('another https host is a known authority with its endpoints; http is refused (MSAL would refuse it)', () => {
    const options = authorityOptions('https://127.0.0.1:8443');
    expect(options.knownAuthorities).toEqual(['127.0.0.1:8443']);
    expect(JSON.parse(options.authorityMetadata!)).toMatchObject({ token_endpoint: 'https://127.0.0.1:8443/{tenantid}/oauth2/v2.0/token' });
    expect(() => authorityOptions('http://127.0.0.1:8080')).toThrow(/must be https/);
  });

  it('a tenant that is not an id or domain is refused before any request', async () => {
    const host = fakeLogin();
    const app = new MsalApp({ loginBase: LOGIN, credential: { clientId: APP, clientSecret: 's' }, fetch: host.fetch, delegated: false });
    await expect(app.token('../x', GRAPH_SCOPE, 'customer')).rejects.toThrow(/not a tenant id/);
    expect(host.seen).toEqual([]);
  });

  it('MSAL writes nothing to the console', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((name) => vi.spyOn(console, name).mockImplementation(() => {}));
    try {
      const host = fakeLogin({ token: [aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided.')] });
      const app = new MsalApp({ loginBase: LOGIN, credential: { clientId: APP, clientSecret: 'wrong' }, fetch: host.fetch, delegated: false });
      await app.token(T1, GRAPH_SCOPE, 'customer').catch(() => undefined);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('failures in the runtime’s categories, with the service’s words', () => {
  const fail = async (answer: Parameters<typeof fakeLogin>[0] & object, role: 'partner' | 'customer' = 'customer', delegated = false) => {
    const host = fakeLogin(answer);
    const app = new MsalApp({ loginBase: LOGIN, credential: { clientId: APP, clientSecret: 's' }, fetch: host.fetch, delegated, ...(delegated ? { refreshToken: 'RT-given' } : {}) });
    return app.token(T1, GRAPH_SCOPE, role).then(
      () => expect.fail('expected a failure'),
      (error: unknown) => error as { category: string; message: string; details: { retryAfterMs?: number; retryable?: boolean }; cause?: unknown },
    );
  };

  it.each([
    [aadError(400, 'invalid_client', 65001, 'The user or administrator has not consented to use the application.'), 'customer', 'ConsentMissing', /invalid_client: AADSTS65001: The user or administrator has not consented/],
    [aadError(400, 'unauthorized_client', 700016, "Application with identifier 'x' was not found in the directory 'y'."), 'customer', 'AccessDenied', /AADSTS700016/],
    [aadError(400, 'invalid_request', 90002, "Tenant 'x' not found."), 'customer', 'AccessDenied', /AADSTS90002/],
    [aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided.'), 'customer', 'AuthenticationFailed', /invalid_client: AADSTS7000215: Invalid client secret provided/],
    [aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided.'), 'partner', 'AuthenticationFailed', /AADSTS7000215/],
    [aadError(400, 'invalid_client', 65001, 'has not consented'), 'partner', 'AuthenticationFailed', /AADSTS65001/],
  ] as const)('client credentials: %j for a %s token is %s', async (answer, role, category, words) => {
    const error = await fail({ token: [answer] }, role);
    expect(error.category).toBe(category);
    expect(error.message).toMatch(words);
  });

  it('a refresh token that no longer works (invalid_grant) is AuthenticationFailed', async () => {
    const error = await fail({ token: [aadError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.')] }, 'partner', true);
    expect(error).toMatchObject({ category: 'AuthenticationFailed', message: expect.stringMatching(/invalid_grant: AADSTS70008: The provided authorization code or refresh token has expired/) });
    expect(error.message).not.toContain('RT-given');
  });

  it('429 is Throttled with its Retry-After; MSAL does not hold the request back afterwards', async () => {
    const throttled = { status: 429, body: { error: 'temporarily_unavailable', error_description: 'AADSTS50196: The server terminated an operation because it encountered a client request loop.' }, headers: { 'retry-after': '7' } };
    const host = fakeLogin({ token: [throttled] });
    const app = new MsalApp({ loginBase: LOGIN, credential: { clientId: APP, clientSecret: 's' }, fetch: host.fetch, delegated: false });
    await expect(app.token(T1, GRAPH_SCOPE, 'customer')).rejects.toMatchObject({ category: 'Throttled', details: { retryAfterMs: 7000 }, message: expect.stringMatching(/AADSTS50196/) });
    // the scheduler decides when to try again; MSAL's throttling cache would refuse it locally
    expect((await app.token(T1, GRAPH_SCOPE, 'customer')).accessToken).toMatch(/^AT-/);
    expect(host.tokenRequests()).toHaveLength(2);
  });

  it('5xx is a retryable RemoteError; a login host that cannot be reached too, keeping the cause', async () => {
    expect(await fail({ token: [{ status: 503, body: { error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred.' } }] })).toMatchObject({ category: 'RemoteError', details: { retryable: true } });
    const down = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    const error = await fail({ token: [down] });
    expect(error).toMatchObject({ category: 'RemoteError', details: { retryable: true } });
    expect(error.cause).toBe(down);
  });
});

describe('delegated (a partner admin)', () => {
  const signIn = async (options: { host: ReturnType<typeof fakeLogin>; tokenFile?: string; refreshToken?: string; deviceCode?: boolean }) => {
    const stderr = new Capture();
    const signed = await signInApp({
      clientId: APP,
      plan: { deviceCode: options.deviceCode ?? true, ...(options.tokenFile ? { tokenFile: options.tokenFile } : {}) },
      ...(options.refreshToken ? { refreshToken: options.refreshToken } : {}),
      simulate: true,
      cwd: tempDir(),
      env: {},
      loginBase: LOGIN,
      signInTenant: PARTNER,
      scope: GRAPH_SCOPE,
      fetch: options.host.fetch,
      stderr: stderr as unknown as NodeJS.WritableStream,
    });
    return { ...signed, stderr };
  };

  it.each([true, false])('device code (id_token %s): the message once on stderr, device_code polls, then per tenant the newest refresh token at that tenant', async (idToken) => {
    const host = fakeLogin({ pendingPolls: 2, idToken });
    const { app, stderr } = await signIn({ host });
    expect(stderr.text).toBe('dap-report: To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCDEFGHJ to authenticate.\n');
    const [start, ...polls] = host.seen;
    expect(start!.path).toBe(`${LOGIN}/${PARTNER}/oauth2/v2.0/devicecode`);
    expect(start!.form.get('client_id')).toBe(APP);
    expect(start!.form.get('scope')!.split(' ')).toEqual(expect.arrayContaining([GRAPH_SCOPE, 'offline_access']));
    expect(polls.map((p) => p.form.get('grant_type'))).toEqual(['device_code', 'device_code', 'device_code']);
    expect(polls.every((p) => p.form.get('device_code') === 'DC-1' && p.form.get('client_secret') === null)).toBe(true);
    // the partner's Graph token comes from the sign-in; each customer's from a refresh at that tenant
    expect((await app.token(PARTNER, GRAPH_SCOPE, 'partner')).fromCache).toBe(true);
    await app.token(T1, GRAPH_SCOPE, 'customer');
    await app.token(T2, EXCHANGE_SCOPE, 'customer');
    expect((await app.token(T1, GRAPH_SCOPE, 'customer')).fromCache).toBe(true);
    const redeems = host.tokenRequests().filter((r) => r.form.get('grant_type') === 'refresh_token');
    expect(redeems.map((r) => r.tenant).slice(-2)).toEqual([T1, T2]);
    // each redeem sends the refresh token the previous answer rotated to
    const rotated = redeems.map((r) => r.form.get('refresh_token'));
    expect(new Set(rotated).size).toBe(rotated.length);
    expect(rotated.at(-1)).toBe(`RT-${Number(rotated.at(-2)!.slice(3)) + 1}`);
    expect(redeems.at(-1)!.form.get('scope')!.split(' ')).toContain(EXCHANGE_SCOPE);
  });

  it('DAP_GRAPH_REFRESH_TOKEN: the first token request redeems it, later ones the rotated one', async () => {
    const host = fakeLogin();
    const { app, secrets } = await signIn({ host, refreshToken: 'RT-given', deviceCode: false });
    expect(host.seen).toEqual([]);
    expect(secrets).toEqual(['RT-given']);
    await app.token(PARTNER, GRAPH_SCOPE, 'partner');
    await app.token(T1, GRAPH_SCOPE, 'customer');
    expect(host.tokenRequests().map((r) => [r.tenant, r.form.get('grant_type'), r.form.get('refresh_token')])).toEqual([
      [PARTNER, 'refresh_token', 'RT-given'],
      [T1, 'refresh_token', 'RT-1'],
    ]);
  });

  it('the token file: MSAL’s account and refresh token only (0600), used by the next run without a device code', async () => {
    const dir = tempDir();
    const path = join(dir, 'sub', 'app.token');
    const host = fakeLogin();
    const first = await signIn({ host, tokenFile: path });
    await first.app.token(T1, GRAPH_SCOPE, 'customer');
    await first.tokenFile!.flush();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'sub')).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { version: number; clientId: string; msalCache: Record<string, Record<string, { secret?: string }>> };
    expect(saved).toMatchObject({ version: 2, clientId: APP });
    expect(Object.keys(saved.msalCache).sort()).toEqual(['Account', 'AppMetadata', 'RefreshToken']);
    const kept = Object.values(saved.msalCache.RefreshToken!)[0]!.secret;
    expect(kept).toBe(first.app.refreshToken()!.secret);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toMatch(/AT-\d/);
    expect(text).not.toContain('id_token');

    const again = fakeLogin();
    const second = await signIn({ host: again, tokenFile: path });
    expect(second.stderr.text).toBe('');
    expect(second.secrets).toEqual([kept]);
    await second.app.token(T2, GRAPH_SCOPE, 'customer');
    expect(again.seen.map((r) => [r.tenant, r.form.get('grant_type'), r.form.get('refresh_token')])).toEqual([[T2, 'refresh_token', kept]]);
    await second.tokenFile!.flush();
    expect(Object.values((JSON.parse(readFileSync(path, 'utf8')) as typeof saved).msalCache.RefreshToken!)[0]!.secret).not.toBe(kept);
  });

  it('a token file of the first format: its refresh token is redeemed once, then the file holds MSAL’s cache', async () => {
    const path = join(tempDir(), 'app.token');
    writeFileSync(path, JSON.stringify({ version: 1, clientId: APP, refreshToken: 'RT-old', savedAt: '' }), { mode: 0o600 });
    const host = fakeLogin();
    const { app, tokenFile, secrets } = await signIn({ host, tokenFile: path });
    expect(secrets).toEqual(['RT-old']);
    await app.token(PARTNER, GRAPH_SCOPE, 'partner');
    await tokenFile!.flush();
    expect(host.seen.map((r) => r.form.get('refresh_token'))).toEqual(['RT-old']);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 2, clientId: APP });
    expect(new TokenFile(path, APP).read()).toHaveProperty('msalCache');
  });

  it.each([
    [aadError(400, 'authorization_declined', 70000, 'The user declined.'), /the sign-in was declined: authorization_declined/],
    [aadError(400, 'expired_token', 70019, 'Verification code expired.'), /device code expired before the sign-in was completed/],
  ])('device code refused (%j): SIGN_IN_FAILED, exit 3', async (refusal, text) => {
    const host = fakeLogin({ token: [refusal] });
    await expect(signIn({ host, tokenFile: join(tempDir(), 't.token') })).rejects.toMatchObject({ code: 'SIGN_IN_FAILED', exitCode: 3, message: expect.stringMatching(text) });
  });
});
