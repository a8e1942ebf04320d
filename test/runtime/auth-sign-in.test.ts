/**
 * runtime/backends/app/auth: the certificate file (key and certificate that belong together, no
 * password, owner-only), the thumbprints MSAL is given, the token file's checks, and the sign-in
 * options. The requests MSAL makes are auth-msal.test.ts's.
 */
import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../common/dap-error.js';
import { parseCertificatePem } from '../../runtime/backends/app/auth/certificate.js';
import { readCertificateFile } from '../../runtime/backends/app/auth/certificate-file.js';
import { planSignIn } from '../../runtime/backends/app/auth/sign-in-options.js';
import { TokenFile } from '../../runtime/backends/app/auth/token-file.js';
import { ASSERTION_LIFETIME_SECONDS, buildClientAssertion } from '../helpers/client-assertion.js';
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

describe('the certificate credential', () => {
  const certificate = parseCertificatePem(simPem);
  const now = Date.UTC(2026, 10, 25, 12, 0, 0);

  it("the simulator's login host accepts an RS256 assertion by its certificate, and refuses a wrong key, a changed claim, another audience and an expired one", async () => {
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

  it('gives MSAL the SHA-256 thumbprint (hex) and the key as PKCS#8 PEM', () => {
    const cert = new X509Certificate(certPem);
    expect(certificate.thumbprintSha256).toBe(createHash('sha256').update(cert.raw).digest('hex').toUpperCase());
    expect(createPrivateKey(certificate.privateKeyPem).equals(certificate.privateKey)).toBe(true);
    expect(certificate.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(certificate.certificatePem).toBe(certPem);
  });

  it("the committed simulator key belongs to the default scenario's app certificate", () => {
    const scenario = JSON.parse(readFileSync(join(projectRoot, 'simulator', 'scenarios', 'default.json'), 'utf8')) as { graph: { apps: Array<{ certificates: string[] }> } };
    expect(scenario.graph.apps[0]!.certificates).toEqual([defaultAppCertificate]);
    expect(certificatesByThumbprint([defaultAppCertificate]).x5t.has(certificate.x5t)).toBe(true);
    expect(simPem).toMatch(/^# SIMULATOR-ONLY TEST KEY\. NOT A SECRET OF ANYONE/);
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

describe('the token file', () => {
  it('is refused when others can read it, or when it is another app’s', () => {
    const dir = tempDir();
    const path = join(dir, 'app.token');
    writeFileSync(path, JSON.stringify({ version: 1, clientId: APP, refreshToken: 'RT-9', savedAt: '' }), { mode: 0o600 });
    expect(() => new TokenFile(path, '11111111-1111-4111-8111-111111111111').read()).toThrow(/another app/);
    expect(new TokenFile(path, APP).read()).toEqual({ refreshToken: 'RT-9' });
    chmodSync(path, 0o640);
    expect(() => new TokenFile(path, APP).read()).toThrow(/can be read by other users/);
    expect(new TokenFile(join(dir, 'absent.token'), APP).read()).toBeUndefined();
  });

  it('a save that fails is told once, without the token', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blocker'), 'x');
    const errors: string[] = [];
    const file = new TokenFile(join(dir, 'blocker', 'app.token'), APP, (m) => errors.push(m));
    const context = (secret: string) => ({ cacheHasChanged: true, tokenCache: { serialize: () => JSON.stringify({ RefreshToken: { k: { secret } } }), deserialize: () => {} } });
    await file.afterCacheAccess(context('RT-secret-1') as never);
    await file.afterCacheAccess(context('RT-secret-2') as never);
    await file.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toContain('RT-secret');
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

  it('--certificate-x5c goes with a certificate only', () => {
    expect(planSignIn({ certificate: 'a.pem', certificateX5c: true }, env, false)).toEqual({ deviceCode: false, certificatePath: 'a.pem', sendX5c: true });
    expect(planSignIn({ certificateX5c: true }, { DAP_GRAPH_CERTIFICATE_PATH: '/k/app.pem' }, false)).toMatchObject({ sendX5c: true });
    expect(() => planSignIn({ certificateX5c: true }, env, false)).toThrow(expect.objectContaining({ exitCode: ExitCode.usage, message: expect.stringMatching(/--certificate-x5c applies only with --certificate/) }));
  });
});
