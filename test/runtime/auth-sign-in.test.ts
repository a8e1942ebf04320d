/**
 * runtime/backends/app/auth: the client assertion (checked with node:crypto and by the simulator's login host),
 * the certificate file, device code polling, refresh token rotation into an owner-only file, and
 * tokens cached per (tenant, scope).
 */
import { createHash, createPrivateKey, generateKeyPairSync, verify, X509Certificate } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../common/dap-error.js';
import { parseCertificatePem } from '../../runtime/backends/app/auth/certificate.js';
import { readCertificateFile } from '../../runtime/backends/app/auth/certificate-file.js';
import { ASSERTION_LIFETIME_SECONDS, buildClientAssertion, CLIENT_ASSERTION_TYPE } from '../../runtime/backends/app/auth/client-assertion.js';
import { DEVICE_CODE_GRANT, signInWithDeviceCode } from '../../runtime/backends/app/auth/device-code.js';
import { EXCHANGE_SCOPE, GRAPH_SCOPE } from '../../runtime/backends/app/auth/scopes.js';
import { planSignIn } from '../../runtime/backends/app/auth/sign-in-options.js';
import { TokenCache } from '../../runtime/backends/app/auth/token-cache.js';
import { requestToken, type AppCredential } from '../../runtime/backends/app/auth/token-client.js';
import { RefreshTokenFile } from '../../runtime/backends/app/auth/token-file.js';
import { certificatesByThumbprint, verifyClientAssertion } from '../../simulator/login/grants.js';
import { projectRoot } from '../../common/project-paths.js';
import { defaultAppCertificate } from '../../simulator/world/default-app-certificate.js';
import { tempDir } from './fakes.js';

const simPemPath = join(projectRoot, 'simulator', 'scenarios', 'simulator-app.pem');
const simPem = readFileSync(simPemPath, 'utf8');
const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(simPem)![0];
const APP = '6f0c4b8e-2d1a-4c57-9e3b-5a7d8c9f0b12';
const TOKEN_URL = 'https://login.example/00000000-0000-4000-8000-000000000001/oauth2/v2.0/token';
const part = (text: string) => JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('client assertion', () => {
  const certificate = parseCertificatePem(simPem);
  const now = Date.UTC(2026, 10, 25, 12, 0, 0);

  it('is an RS256 JWT with x5t = base64url SHA-1 of the DER certificate, signed by the key (checked with node:crypto)', () => {
    const jwt = buildClientAssertion({ clientId: APP, audience: TOKEN_URL, certificate, now });
    const [h, c, s] = jwt.split('.') as [string, string, string];
    const cert = new X509Certificate(certPem);
    expect(part(h)).toEqual({ alg: 'RS256', typ: 'JWT', x5t: createHash('sha1').update(cert.raw).digest('base64url') });
    const claims = part(c);
    expect(claims).toMatchObject({ aud: TOKEN_URL, iss: APP, sub: APP, nbf: now / 1000, exp: now / 1000 + ASSERTION_LIFETIME_SECONDS });
    expect(Number(claims.exp) - Number(claims.nbf)).toBeLessThanOrEqual(600);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(verify('sha256', Buffer.from(`${h}.${c}`), cert.publicKey, Buffer.from(s, 'base64url'))).toBe(true);
    expect(verify('sha256', Buffer.from(`${h}.${c}x`), cert.publicKey, Buffer.from(s, 'base64url'))).toBe(false);
    // a fresh jti each time
    expect(part(buildClientAssertion({ clientId: APP, audience: TOKEN_URL, certificate, now }).split('.')[1]!).jti).not.toBe(claims.jti);
  });

  it("the simulator's login host accepts it, and refuses a wrong key, a changed claim, another audience and an expired one", async () => {
    const client = { clientId: APP, clientSecret: 'x', certificates: certificatesByThumbprint([certPem]) };
    const good = buildClientAssertion({ clientId: APP, audience: TOKEN_URL, certificate, now });
    expect(await verifyClientAssertion(client, good, [TOKEN_URL], now)).toBeUndefined();
    const code = async (jwt: string, at = now, aud = TOKEN_URL) => (await verifyClientAssertion(client, jwt, [aud], at))?.body.error_codes[0];
    // another key under the same x5t: the signature does not match
    const other = { ...certificate, privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };
    expect(await code(buildClientAssertion({ clientId: APP, audience: TOKEN_URL, certificate: other, now }))).toBe(700027);
    // a certificate the app does not have
    expect(await code(buildClientAssertion({ clientId: APP, audience: TOKEN_URL, certificate: { ...certificate, x5t: 'AAAA' }, now }))).toBe(700027);
    const [h, , s] = good.split('.');
    const forged = Buffer.from(JSON.stringify({ ...part(good.split('.')[1]!), sub: 'someone-else' })).toString('base64url');
    expect(await code(`${h}.${forged}.${s}`)).toBe(700027);
    expect(await code(good, now, 'https://login.example/other/oauth2/v2.0/token')).toBe(50012);
    expect(await code(good, now + (ASSERTION_LIFETIME_SECONDS + 301) * 1000)).toBe(700024);
    expect((await verifyClientAssertion(client, good, [TOKEN_URL], now + 1_000_000))?.body.error_description).toMatch(/^AADSTS700024: Client assertion is not within its valid time range\. Current time: /);
  });

  it("the committed simulator key belongs to the default scenario's app certificate", () => {
    const scenario = JSON.parse(readFileSync(join(projectRoot, 'simulator', 'scenarios', 'default.json'), 'utf8')) as { graph: { apps: Array<{ certificates: string[] }> } };
    expect(scenario.graph.apps[0]!.certificates).toEqual([defaultAppCertificate]);
    expect(certificatesByThumbprint([defaultAppCertificate]).x5t.has(certificate.x5t)).toBe(true);
    expect(simPem).toMatch(/^# SIMULATOR-ONLY TEST KEY\. NOT A SECRET OF ANYONE/);
  });

  it('goes in the token request instead of a secret', async () => {
    const seen: string[] = [];
    await requestToken({
      loginBase: 'https://login.example',
      tenant: '00000000-0000-4000-8000-000000000001',
      scope: EXCHANGE_SCOPE,
      credential: { clientId: APP, certificate, clientSecret: 'not-sent' },
      role: 'customer',
      fetch: async (_url, init) => {
        seen.push(String(init?.body));
        return answer(200, { access_token: 'a', expires_in: 60 });
      },
    });
    const form = new URLSearchParams(seen[0]);
    expect(form.get('client_assertion_type')).toBe(CLIENT_ASSERTION_TYPE);
    expect(form.get('client_secret')).toBeNull();
    expect(form.get('scope')).toBe(EXCHANGE_SCOPE);
    expect(part(form.get('client_assertion')!.split('.')[1]!).aud).toBe(TOKEN_URL);
  });

  it('the PEM file: key and certificate that belong together, no password, owner-only', () => {
    const dir = tempDir();
    const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(simPem)![0];
    expect(() => parseCertificatePem(key)).toThrow(/no certificate found/);
    expect(() => parseCertificatePem(certPem)).toThrow(/no private key found/);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(() => parseCertificatePem(`${otherKey}\n${certPem}`)).toThrow(/does not belong to the certificate/);
    const encrypted = createPrivateKey(key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'p' }) as string;
    expect(() => parseCertificatePem(`${encrypted}\n${certPem}`)).toThrow(/encrypted/);

    const file = join(dir, 'app.pem');
    writeFileSync(file, simPem, { mode: 0o644 });
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    expect(() => readCertificateFile(file, { simulate: false, warn: (m) => warnings.push(m) })).toThrow(expect.objectContaining({ exitCode: ExitCode.usage, message: expect.stringMatching(/other users can read it \(mode 644\); chmod 600/) }));
    expect(readCertificateFile(file, { simulate: true, warn: (m) => warnings.push(m) }).x5t).toBe(certificate.x5t);
    expect(warnings).toHaveLength(1);
    chmodSync(file, 0o600);
    expect(readCertificateFile(file, { simulate: false, warn: (m) => warnings.push(m) }).x5t).toBe(certificate.x5t);
    expect(warnings).toHaveLength(1);
    // the key never shows in a message
    for (const w of warnings) expect(w).not.toContain('PRIVATE KEY');
  });
});

describe('device code sign-in (fake login host)', () => {
  function host(polls: Array<{ status: number; body: unknown }>, interval = 5) {
    const requests: Array<{ url: string; form: URLSearchParams }> = [];
    const sleeps: number[] = [];
    const messages: string[] = [];
    let clock = 0;
    return {
      requests,
      sleeps,
      messages,
      run: () =>
        signInWithDeviceCode({
          loginBase: 'https://login.example',
          tenant: 'organizations',
          scope: GRAPH_SCOPE,
          credential: { clientId: APP },
          fetch: async (url, init) => {
            requests.push({ url, form: new URLSearchParams(String(init?.body)) });
            if (url.endsWith('/devicecode')) {
              return answer(200, { device_code: 'DC-1', user_code: 'ABC', verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900, interval, message: 'To sign in, enter ABC.' });
            }
            const next = polls.shift()!;
            return answer(next.status, next.body);
          },
          notify: (m) => messages.push(m),
          sleep: async (ms) => {
            sleeps.push(ms);
            clock += ms;
          },
          now: () => clock,
        }),
    };
  }
  const pending = { status: 400, body: { error: 'authorization_pending', error_description: 'AADSTS70016: pending' } };
  const slowDown = { status: 400, body: { error: 'slow_down', error_description: 'slow down' } };

  it('prints the message once, polls at the interval (+5 s after slow_down) and keeps the refresh token', async () => {
    const h = host([pending, slowDown, pending, { status: 200, body: { access_token: 'at', expires_in: 3600, refresh_token: 'RT-1' } }]);
    const result = await h.run();
    expect(result).toEqual({ refreshToken: 'RT-1', accessToken: 'at', lifetimeMs: 3_600_000 });
    expect(h.messages).toEqual(['To sign in, enter ABC.']);
    expect(h.sleeps).toEqual([5000, 5000, 10000, 10000]);
    expect(h.requests[0]!.url).toBe('https://login.example/organizations/oauth2/v2.0/devicecode');
    expect(Object.fromEntries(h.requests[0]!.form)).toEqual({ client_id: APP, scope: `${GRAPH_SCOPE} offline_access` });
    expect(Object.fromEntries(h.requests[1]!.form)).toEqual({ grant_type: DEVICE_CODE_GRANT, client_id: APP, device_code: 'DC-1' });
  });

  it.each([
    [{ status: 400, body: { error: 'expired_token', error_description: 'AADSTS70019: Verification code expired.' } }, /expired before the sign-in was completed/],
    [{ status: 400, body: { error: 'authorization_declined', error_description: 'declined' } }, /declined/],
    [{ status: 400, body: { error: 'access_denied', error_description: 'denied' } }, /declined/],
  ])('ends on %j', async (refusal, text) => {
    const h = host([pending, refusal]);
    await expect(h.run()).rejects.toMatchObject({ category: 'AuthenticationFailed', message: expect.stringMatching(text) });
    expect(h.requests).toHaveLength(3);
  });

  it('gives up by itself once the code has expired, whatever the host says', async () => {
    const h = host(Array.from({ length: 400 }, () => pending), 5);
    await expect(h.run()).rejects.toMatchObject({ category: 'AuthenticationFailed', message: expect.stringMatching(/expired/) });
    expect(h.requests.length).toBeLessThanOrEqual(181);
  });
});

describe('refresh token rotation', () => {
  it('a new refresh token is used from then on and saved (mode 0600), never in a message', async () => {
    const dir = tempDir();
    const path = join(dir, 'sub', 'app.token');
    const errors: string[] = [];
    const store = new RefreshTokenFile(path, APP, (m) => errors.push(m));
    const credential: AppCredential = { clientId: APP, refreshToken: 'RT-0', tokenStore: store };
    const sent: string[] = [];
    const secrets: string[] = [];
    let n = 0;
    const fetch = async (_url: string, init?: RequestInit) => {
      sent.push(new URLSearchParams(String(init?.body)).get('refresh_token')!);
      n += 1;
      return answer(200, { access_token: `at-${n}`, expires_in: 3600, refresh_token: `RT-${n}` });
    };
    const issue = (tenant: string) => requestToken({ loginBase: 'https://l.example', tenant, scope: GRAPH_SCOPE, credential, role: 'customer', fetch, onSecret: (s) => secrets.push(s) });
    await issue('a.onmicrosoft.com');
    await issue('b.onmicrosoft.com');
    await store.flush();
    expect(sent).toEqual(['RT-0', 'RT-1']);
    expect(credential.refreshToken).toBe('RT-2');
    expect(secrets).toEqual(['RT-1', 'RT-2']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'sub')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 1, clientId: APP, refreshToken: 'RT-2' });
    expect(new RefreshTokenFile(path, APP).read()).toBe('RT-2');
    expect(errors).toEqual([]);
  });

  it('the file is refused when others can read it, or when it is another app’s', () => {
    const dir = tempDir();
    const path = join(dir, 'app.token');
    writeFileSync(path, JSON.stringify({ version: 1, clientId: APP, refreshToken: 'RT-9', savedAt: '' }), { mode: 0o600 });
    expect(() => new RefreshTokenFile(path, '11111111-1111-4111-8111-111111111111').read()).toThrow(/another app/);
    chmodSync(path, 0o640);
    expect(() => new RefreshTokenFile(path, APP).read()).toThrow(/can be read by other users/);
    expect(new RefreshTokenFile(join(dir, 'absent.token'), APP).read()).toBeUndefined();
  });

  it('a save that fails is told once, without the token', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blocker'), 'x');
    const errors: string[] = [];
    const store = new RefreshTokenFile(join(dir, 'blocker', 'app.token'), APP, (m) => errors.push(m));
    await store.save('RT-secret-1');
    await store.save('RT-secret-2');
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toContain('RT-secret');
  });
});

describe('TokenCache per (tenant, scope)', () => {
  it('one token per tenant and scope; each scope view reuses its own', async () => {
    const calls: string[] = [];
    const cache = new TokenCache({
      now: () => 0,
      issue: async (tenant, scope) => {
        calls.push(`${tenant} ${scope}`);
        return { accessToken: `${tenant}|${scope}|${calls.length}`, lifetimeMs: 3_600_000 };
      },
    });
    const graph = cache.forScope(GRAPH_SCOPE);
    const exo = cache.forScope(EXCHANGE_SCOPE);
    const g = await graph.get('A');
    const e = await exo.get('A');
    expect(g).not.toBe(e);
    expect(await graph.get('a')).toBe(g);
    expect(await cache.get('A', EXCHANGE_SCOPE)).toBe(e);
    graph.invalidate('A', g);
    expect(await exo.get('A')).toBe(e);
    expect(await graph.get('A')).not.toBe(g);
    expect(calls).toEqual([`A ${GRAPH_SCOPE}`, `A ${EXCHANGE_SCOPE}`, `A ${GRAPH_SCOPE}`]);
  });
});

describe('sign-in options', () => {
  const env = {};
  it.each([
    [{ certificate: 'a.pem', clientSecretStdin: true }, /two client credentials/],
    [{ deviceCode: true, clientSecretStdin: true }, /leave out --client-secret-stdin/],
    [{ deviceCode: true, certificate: 'a.pem' }, /leave out --certificate/],
    [{ tokenFile: 'x.token' }, /only with --device-code/],
  ])('%j is a usage error', (options, text) => {
    expect(() => planSignIn(options, env, false)).toThrow(expect.objectContaining({ exitCode: ExitCode.usage, message: expect.stringMatching(text) }));
  });

  it('DAP_GRAPH_CERTIFICATE_PATH names the certificate (not under --simulate); --device-code and DAP_GRAPH_REFRESH_TOKEN conflict', () => {
    expect(planSignIn({}, { DAP_GRAPH_CERTIFICATE_PATH: '/k/app.pem' }, false)).toEqual({ deviceCode: false, certificatePath: '/k/app.pem' });
    expect(planSignIn({}, { DAP_GRAPH_CERTIFICATE_PATH: '/k/app.pem' }, true)).toEqual({ deviceCode: false });
    expect(() => planSignIn({ deviceCode: true }, { DAP_GRAPH_REFRESH_TOKEN: 'rt' }, false)).toThrow(/DAP_GRAPH_REFRESH_TOKEN is set too/);
    expect(planSignIn({ deviceCode: true, tokenFile: 't' }, {}, false)).toEqual({ deviceCode: true, tokenFile: 't' });
  });
});
