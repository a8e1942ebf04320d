/**
 * The simulator's login host as real clients see it (reference §4e): the OpenID configuration, the
 * JWKS and instance discovery; access tokens as signed JWTs with the claims resources read;
 * client assertions as Entra ID documents them (aud = the token endpoint, RS256 + x5t or PS256 +
 * x5t#S256, x5c); both device code grant forms; refresh tokens that rotate and then expire.
 * Assertions are made here with jose, as any client would, not with the project's own code.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, importJWK, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { loadScenario, startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { defaultAppCertificate } from '../../simulator/world/default-app-certificate.js';
import { APP_ID, APP_SECRET, GRAPH_SCOPE, PARTNER_TENANT, REFRESH_TOKEN, graphScenario } from './graph-helpers.js';
import { trustingFetch } from '../helpers/https-server.js';

const pem = readFileSync(join(projectRoot, 'simulator', 'scenarios', 'simulator-app.pem'), 'utf8');
const privateKey = createPrivateKey(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(pem)![0]);
const cert = new X509Certificate(defaultAppCertificate);
const thumbprint = (hash: 'sha1' | 'sha256') => createHash(hash).update(cert.raw).digest('base64url');
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const EXO_SCOPE = 'https://outlook.office365.com/.default';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** The simulator's hosts are https under its own CA: a fetch that trusts it, as a child of dap-sim run would. */
const fetch = (url: string, init?: RequestInit) => trustingFetch(sim!)(url, init);

async function post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** A client assertion as Entra ID documents it; `header` and `claims` override the good ones. */
async function assertion(aud: string, header: Record<string, unknown> = { alg: 'RS256', x5t: thumbprint('sha1') }, claims: Record<string, unknown> = {}, key = privateKey) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ aud, iss: APP_ID, sub: APP_ID, jti: randomUUID(), nbf: now, iat: now, exp: now + 600, ...claims })
    .setProtectedHeader({ typ: 'JWT', ...header, alg: String(header.alg) })
    .sign(key);
}

const appScenario = (graph: Record<string, unknown> = {}) =>
  graphScenario({}, { apps: [{ clientId: APP_ID, clientSecret: APP_SECRET, refreshTokens: [REFRESH_TOKEN], certificates: [defaultAppCertificate] }], tokenLifetimeSeconds: 3599, ...graph });

describe('login host: discovery documents', () => {
  it("serves a tenant's OpenID configuration on its own base, with the tenant's id in every endpoint and the issuer", async () => {
    sim = await startSimulator({ scenario: appScenario() });
    const base = sim.urls.login;
    const byDomain = await get(`${base}/alpha.onmicrosoft.com/v2.0/.well-known/openid-configuration`);
    expect(byDomain.status).toBe(200);
    const tid = /\/([0-9a-f-]{36})\/v2\.0$/.exec(byDomain.body.issuer)?.[1];
    expect(tid).toMatch(/^[0-9a-f-]{36}$/);
    expect(byDomain.body).toMatchObject({
      issuer: `${base}/${tid}/v2.0`,
      token_endpoint: `${base}/${tid}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${base}/${tid}/oauth2/v2.0/devicecode`,
      authorization_endpoint: `${base}/${tid}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/${tid}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/${tid}/discovery/v2.0/keys`,
    });
    // the same tenant by its id; the partner's own tenant too
    expect((await get(`${base}/${tid}/v2.0/.well-known/openid-configuration`)).body.issuer).toBe(`${base}/${tid}/v2.0`);
    expect((await get(`${base}/${PARTNER_TENANT}/v2.0/.well-known/openid-configuration`)).body.issuer).toBe(`${base}/${PARTNER_TENANT}/v2.0`);
    // /organizations keeps its segment and answers the issuer template
    const orgs = await get(`${base}/organizations/v2.0/.well-known/openid-configuration`);
    expect(orgs.body).toMatchObject({ issuer: `${base}/{tenantid}/v2.0`, token_endpoint: `${base}/organizations/oauth2/v2.0/token` });
    const unknown = await get(`${base}/nobody.onmicrosoft.com/v2.0/.well-known/openid-configuration`);
    expect(unknown).toMatchObject({ status: 400, body: { error: 'invalid_tenant', error_codes: [90002] } });
  });

  it('answers instance discovery in the shape MSAL parses, and refuses an authorization endpoint on another host', async () => {
    sim = await startSimulator({ scenario: appScenario() });
    const base = sim.urls.login;
    const host = new URL(sim.urls.login).host;
    const ok = await get(`${base}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${base}/${PARTNER_TENANT}/oauth2/v2.0/authorize`)}`);
    expect(ok).toMatchObject({
      status: 200,
      body: { tenant_discovery_endpoint: `${base}/${PARTNER_TENANT}/v2.0/.well-known/openid-configuration`, 'api-version': '1.1', metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }] },
    });
    const elsewhere = await get(`${base}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent('https://login.example/x/oauth2/v2.0/authorize')}`);
    expect(elsewhere).toMatchObject({ status: 400, body: { error: 'invalid_instance', error_codes: [50049] } });
  });
});

describe('login host: access tokens', () => {
  it('are JWTs signed by the JWKS key, with the claims of an app-only token for the resource asked', async () => {
    sim = await startSimulator({ scenario: appScenario() });
    const base = sim.urls.login;
    const config = (await get(`${base}/alpha.onmicrosoft.com/v2.0/.well-known/openid-configuration`)).body;
    const answer = await post(`${base}/alpha.onmicrosoft.com/oauth2/v2.0/token`, { client_id: APP_ID, client_secret: APP_SECRET, scope: GRAPH_SCOPE, grant_type: 'client_credentials' });
    expect(answer).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 3599 } });
    const jwks = (await get(config.jwks_uri)).body;
    expect(jwks.keys).toHaveLength(1);
    const key = await importJWK(jwks.keys[0], 'RS256');
    const { payload, protectedHeader } = await jwtVerify(answer.body.access_token, key, { issuer: config.issuer, audience: 'https://graph.microsoft.com' });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: jwks.keys[0].kid });
    const tid = /\/([0-9a-f-]{36})\/v2\.0$/.exec(config.issuer)?.[1];
    expect(payload).toMatchObject({ tid, appid: APP_ID, azp: APP_ID, idtyp: 'app', roles: expect.arrayContaining(['Reports.Read.All']) });
    expect(payload.scp).toBeUndefined();
    expect(payload.oid).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.sub).toBe(payload.oid);
    expect(payload.nbf).toBe(payload.iat);
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3599);
    // the Exchange scope gives the Exchange audience and the app's Exchange role
    const exo = await post(`${base}/alpha.onmicrosoft.com/oauth2/v2.0/token`, { client_id: APP_ID, client_secret: APP_SECRET, scope: EXO_SCOPE, grant_type: 'client_credentials' });
    const exoClaims = (await jwtVerify(exo.body.access_token, key, { audience: 'https://outlook.office365.com' })).payload;
    expect(exoClaims.roles).toEqual(['Exchange.ManageAsApp']);
  });

  it('delegated (refresh token) tokens carry scp and the user, not roles', async () => {
    sim = await startSimulator({ scenario: appScenario() });
    const answer = await post(`${sim.urls.login}/${PARTNER_TENANT}/oauth2/v2.0/token`, { client_id: APP_ID, scope: GRAPH_SCOPE, grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN });
    expect(answer.status).toBe(200);
    const claims = JSON.parse(Buffer.from(answer.body.access_token.split('.')[1], 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ idtyp: 'user', tid: PARTNER_TENANT, scp: expect.stringContaining('Reports.Read.All'), upn: 'admin@contoso.onmicrosoft.com' });
    expect(claims.roles).toBeUndefined();
  });

  it('Graph and the admin API refuse a token signed by another key, for the other API, or for another tenant', async () => {
    sim = await startSimulator({ scenario: appScenario() });
    const tokenOf = async (tenant: string, scope: string) =>
      (await post(`${sim!.urls.login}/${tenant}/oauth2/v2.0/token`, { client_id: APP_ID, client_secret: APP_SECRET, scope, grant_type: 'client_credentials' })).body.access_token as string;
    const graphGet = (token: string) => get(`${sim!.urls.graph}/v1.0/contracts`, { authorization: `Bearer ${token}` });
    const alphaId = (await get(`${sim.urls.login}/alpha.onmicrosoft.com/v2.0/.well-known/openid-configuration`)).body.token_endpoint.split('/').at(-4);
    const betaId = (await get(`${sim.urls.login}/beta.onmicrosoft.com/v2.0/.well-known/openid-configuration`)).body.token_endpoint.split('/').at(-4);
    const invoke = (tenantId: string, token: string) =>
      fetch(`${sim!.urls.exo}/adminapi/beta/${tenantId}/InvokeCommand`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-anchormailbox': `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${tenantId}` },
        body: JSON.stringify({ CmdletInput: { CmdletName: 'Get-Mailbox', Parameters: {} } }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));

    const partnerGraph = await tokenOf(PARTNER_TENANT, GRAPH_SCOPE);
    expect((await graphGet(partnerGraph)).status).toBe(200);
    // the same claims signed by a key the simulator never had
    const claims = JSON.parse(Buffer.from(partnerGraph.split('.')[1]!, 'base64url').toString('utf8'));
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    expect((await graphGet(forged)).body.error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience.' });
    // an opaque string, as the simulator handed out before
    expect((await graphGet('a'.repeat(43))).status).toBe(401);
    // the Exchange token on Graph, the Graph token on Exchange
    const alphaExo = await tokenOf('alpha.onmicrosoft.com', EXO_SCOPE);
    expect((await graphGet(await tokenOf(PARTNER_TENANT, EXO_SCOPE))).status).toBe(401);
    const wrongApi = await invoke(alphaId, await tokenOf('alpha.onmicrosoft.com', GRAPH_SCOPE));
    expect(wrongApi).toMatchObject({ status: 401, body: { error: { code: 'InvalidAudienceForResource' } } });
    expect(wrongApi.body.error.message).toContain("Audience claim is 'https://graph.microsoft.com'");
    // alpha's token on beta's path
    const wrongTenant = await invoke(betaId, alphaExo);
    expect(wrongTenant.status).toBe(401);
    expect(wrongTenant.body.error.message).toContain(`issued for tenant '${alphaId}'`);
    expect((await invoke(alphaId, alphaExo)).status).toBe(200);
  });

  it('expire: the resource refuses a token past its exp with the expiry text', async () => {
    sim = await startSimulator({ scenario: appScenario({ tokenLifetimeSeconds: 1 }) });
    const answer = await post(`${sim.urls.login}/${PARTNER_TENANT}/oauth2/v2.0/token`, { client_id: APP_ID, client_secret: APP_SECRET, scope: GRAPH_SCOPE, grant_type: 'client_credentials' });
    expect(answer.body.expires_in).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const late = await get(`${sim.urls.graph}/v1.0/contracts`, { authorization: `Bearer ${answer.body.access_token}` });
    expect(late).toMatchObject({ status: 401, body: { error: { message: 'Lifetime validation failed, the token is expired.' } } });
  });
});

describe('login host: client assertions', () => {
  const fields = (clientAssertion: string) => ({ client_id: APP_ID, scope: GRAPH_SCOPE, grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion });

  it('take aud = the token endpoint by the tenant as sent, by its id, or the v1 endpoint; not another tenant', async () => {
    sim = await startSimulator({ scenario: appScenario() });
    const base = sim.urls.login;
    const url = `${base}/alpha.onmicrosoft.com/oauth2/v2.0/token`;
    const config = (await get(`${base}/alpha.onmicrosoft.com/v2.0/.well-known/openid-configuration`)).body;
    expect((await post(url, fields(await assertion(url)))).status).toBe(200);
    // MSAL names the configuration's token endpoint, which carries the tenant id
    expect((await post(url, fields(await assertion(config.token_endpoint)))).status).toBe(200);
    expect((await post(url, fields(await assertion(`${base}/alpha.onmicrosoft.com/oauth2/token`)))).status).toBe(200);
    const other = await post(url, fields(await assertion(`${base}/beta.onmicrosoft.com/oauth2/v2.0/token`)));
    expect(other).toMatchObject({ status: 401, body: { error: 'invalid_client', error_codes: [50012] } });
    // an https URL this listener does not serve
    const elsewhere = await post(url, fields(await assertion(`https://login.microsoftonline.com/alpha.onmicrosoft.com/oauth2/v2.0/token`)));
    expect(elsewhere.body.error_codes).toEqual([50012]);
  });

  it('take PS256 with x5t#S256 and RS256 with x5t; refuse the thumbprint kind that does not go with the algorithm', async () => {
    sim = await startSimulator({ scenario: appScenario() });
    const url = `${sim.urls.login}/${PARTNER_TENANT}/oauth2/v2.0/token`;
    const send = async (header: Record<string, unknown>) => post(url, fields(await assertion(url, header)));
    expect((await send({ alg: 'PS256', 'x5t#S256': thumbprint('sha256') })).status).toBe(200);
    expect((await send({ alg: 'RS256', x5t: thumbprint('sha1') })).status).toBe(200);
    const psWithSha1 = await send({ alg: 'PS256', x5t: thumbprint('sha1') });
    expect(psWithSha1).toMatchObject({ status: 401, body: { error: 'invalid_client', error_codes: [50027] } });
    expect(psWithSha1.body.error_description).toContain("'x5t#S256'");
    expect((await send({ alg: 'RS256', 'x5t#S256': thumbprint('sha256') })).body.error_codes).toEqual([50027]);
    // the SHA-256 thumbprint in x5t, the SHA-1 one in x5t#S256: no such key
    const sha256InX5t = await send({ alg: 'RS256', x5t: thumbprint('sha256') });
    expect(sha256InX5t).toMatchObject({ status: 401, body: { error_codes: [700027] } });
    expect(sha256InX5t.body.error_description).toContain('The key was not found.');
    expect((await send({ alg: 'PS256', 'x5t#S256': thumbprint('sha1') })).body.error_codes).toEqual([700027]);
  });

  it('take x5c naming the registered certificate, and refuse one that names another', async () => {
    sim = await startSimulator({ scenario: appScenario() });
    const url = `${sim.urls.login}/${PARTNER_TENANT}/oauth2/v2.0/token`;
    const der = cert.raw.toString('base64');
    expect((await post(url, fields(await assertion(url, { alg: 'PS256', 'x5t#S256': thumbprint('sha256'), x5c: [der] })))).status).toBe(200);
    const otherDer = Buffer.from(der, 'base64');
    otherDer.writeUInt8(otherDer.readUInt8(otherDer.length - 5) ^ 0xff, otherDer.length - 5);
    const mismatch = await post(url, fields(await assertion(url, { alg: 'RS256', x5t: thumbprint('sha1'), x5c: [otherDer.toString('base64')] })));
    expect(mismatch).toMatchObject({ status: 401, body: { error_codes: [50027] } });
  });

  it('refuse an expired assertion and one signed by another key', async () => {
    sim = await startSimulator({ scenario: appScenario() });
    const url = `${sim.urls.login}/${PARTNER_TENANT}/oauth2/v2.0/token`;
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await post(url, fields(await assertion(url, undefined, { iat: past - 600, nbf: past - 600, exp: past })));
    expect(expired).toMatchObject({ status: 401, body: { error_codes: [700024] } });
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect((await post(url, fields(await assertion(url, undefined, {}, otherKey)))).body.error_codes).toEqual([700027]);
  });
});

describe('login host: device code and refresh tokens', () => {
  it('takes both device code grant forms: grant_type=device_code (MSAL) and the RFC 8628 URN', async () => {
    sim = await startSimulator({ scenario: appScenario({ deviceCode: { approveAfterPolls: 1, intervalSeconds: 0 } }) });
    for (const grant of ['device_code', 'urn:ietf:params:oauth:grant-type:device_code']) {
      const started = await post(`${sim.urls.login}/organizations/oauth2/v2.0/devicecode`, { client_id: APP_ID, scope: `${GRAPH_SCOPE} offline_access` });
      const poll = () => post(`${sim!.urls.login}/organizations/oauth2/v2.0/token`, { grant_type: grant, client_id: APP_ID, device_code: started.body.device_code });
      expect((await poll()).body.error).toBe('authorization_pending');
      expect((await poll())).toMatchObject({ status: 200, body: { refresh_token: expect.any(String), access_token: expect.any(String) } });
    }
    const unknown = await post(`${sim.urls.login}/organizations/oauth2/v2.0/token`, { grant_type: 'device', client_id: APP_ID, device_code: 'x' });
    expect(unknown.body).toMatchObject({ error: 'unsupported_grant_type', error_codes: [70003] });
  });

  it("name the signed-in account: an ID token when openid is asked, client_info when client_info=1 (what MSAL caches by)", async () => {
    sim = await startSimulator({ scenario: appScenario({ deviceCode: { approveAfterPolls: 0, intervalSeconds: 0 } }) });
    const base = sim.urls.login;
    const started = await post(`${base}/organizations/oauth2/v2.0/devicecode`, { client_id: APP_ID, scope: `${GRAPH_SCOPE} openid profile offline_access` });
    const done = await post(`${base}/organizations/oauth2/v2.0/token`, { grant_type: 'device_code', client_id: APP_ID, device_code: started.body.device_code, client_info: '1' });
    expect(done.status).toBe(200);
    const key = await importJWK((await get(`${base}/organizations/discovery/v2.0/keys`)).body.keys[0], 'RS256');
    const idClaims = (await jwtVerify(done.body.id_token, key, { audience: APP_ID, issuer: `${base}/${PARTNER_TENANT}/v2.0` })).payload;
    const accessClaims = (await jwtVerify(done.body.access_token, key)).payload;
    expect(idClaims).toMatchObject({ tid: PARTNER_TENANT, oid: accessClaims.oid, preferred_username: 'admin@contoso.onmicrosoft.com' });
    expect(JSON.parse(Buffer.from(done.body.client_info, 'base64url').toString('utf8'))).toEqual({ uid: accessClaims.oid, utid: PARTNER_TENANT });
    // a refresh without openid and without client_info: neither
    const refreshed = await post(`${base}/${PARTNER_TENANT}/oauth2/v2.0/token`, { client_id: APP_ID, scope: GRAPH_SCOPE, grant_type: 'refresh_token', refresh_token: done.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.id_token).toBeUndefined();
    expect(refreshed.body.client_info).toBeUndefined();
  });

  it('rotate: each redeem answers a new refresh token; a redeemed one works for refreshTokenReuseSeconds, then AADSTS700082', async () => {
    // 3 seconds: time for a second redeem on a loaded machine, and past them the token is refused
    sim = await startSimulator({ scenario: appScenario({ refreshTokenReuseSeconds: 3 }) });
    const url = `${sim.urls.login}/${PARTNER_TENANT}/oauth2/v2.0/token`;
    const redeem = (token: string) => post(url, { client_id: APP_ID, scope: GRAPH_SCOPE, grant_type: 'refresh_token', refresh_token: token });
    const first = await redeem(REFRESH_TOKEN);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(REFRESH_TOKEN);
    expect((await redeem(REFRESH_TOKEN)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3300));
    const late = await redeem(REFRESH_TOKEN);
    expect(late).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [700082] } });
    expect(late.body.error_description).toMatch(/^AADSTS700082: The refresh token has expired due to inactivity\. The token was issued on \S+Z and was inactive for 0\.00:00:0[3-9]\./);
    // the newest one was never redeemed: it still works, and answers a newer one
    const next = await redeem(first.body.refresh_token);
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(first.body.refresh_token);
  });

  it('the scenario names the reuse window and the app permissions; a bad value is refused when it loads', () => {
    expect(loadScenario({}).graph.refreshTokenReuseSeconds).toBe(3600);
    expect(loadScenario({}).graph.apps[0]!.roles.exchange).toEqual(['Exchange.ManageAsApp']);
    expect(() => loadScenario({ graph: { refreshTokenReuseSeconds: -1 } })).toThrow(/refreshTokenReuseSeconds/);
  });
});
