/**
 * The simulator's login host over HTTPS: client assertions, the device code endpoint and grant, and
 * refresh token rotation (the redeemed token keeps working for the scenario's refreshTokenReuseSeconds).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { parseCertificatePem } from '../../runtime/backends/app/auth/certificate.js';
import { buildClientAssertion } from '../helpers/client-assertion.js';
import { defaultAppCertificate } from '../../simulator/world/default-app-certificate.js';
import { loadScenario, startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { trustingFetch } from '../helpers/https-server.js';
import { APP_ID, APP_SECRET, GRAPH_SCOPE, PARTNER_TENANT, REFRESH_TOKEN, graphScenario } from './graph-helpers.js';

const certificate = parseCertificatePem(readFileSync(join(projectRoot, 'simulator', 'scenarios', 'simulator-app.pem'), 'utf8'));
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function post(url: string, fields: Record<string, string>) {
  const response = await trustingFetch(sim as RunningSimulator)(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('login host: certificates, device codes, rotation', () => {
  it('a client assertion signed by an uploaded certificate gets a token; a secret still does; neither is AADSTS7000218', async () => {
    sim = await startSimulator({ scenario: graphScenario({}, { apps: [{ clientId: APP_ID, clientSecret: APP_SECRET, certificates: [defaultAppCertificate] }] }) });
    const url = `${sim.urls.login}/${PARTNER_TENANT}/oauth2/v2.0/token`;
    const base = { client_id: APP_ID, scope: GRAPH_SCOPE, grant_type: 'client_credentials' };
    const assertion = buildClientAssertion({ clientId: APP_ID, audience: url, certificate });
    const ok = await post(url, { ...base, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion });
    expect(ok.status).toBe(200);
    expect(ok.body.access_token).toEqual(expect.any(String));
    expect((await post(url, { ...base, client_secret: APP_SECRET })).status).toBe(200);
    const none = await post(url, base);
    expect(none.status).toBe(401);
    expect(none.body.error_description).toMatch(/^AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'\./);
    // an assertion made for another URL
    const elsewhere = buildClientAssertion({ clientId: APP_ID, audience: `${sim.urls.login}/organizations/oauth2/v2.0/token`, certificate });
    const refused = await post(url, { ...base, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: elsewhere });
    expect(refused).toMatchObject({ status: 401, body: { error: 'invalid_client', error_codes: [50012] } });
  });

  it('device code: pending until approved, then a token and a refresh token; the code works once', async () => {
    sim = await startSimulator({ scenario: graphScenario({}, { deviceCode: { approveAfterPolls: 2, slowDownPolls: 1, intervalSeconds: 0 } }) });
    const started = await post(`${sim.urls.login}/organizations/oauth2/v2.0/devicecode`, { client_id: APP_ID, scope: `${GRAPH_SCOPE} offline_access` });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900, interval: 0 });
    expect(started.body.message).toBe(`To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${started.body.user_code} to authenticate.`);
    const tokenUrl = `${sim.urls.login}/organizations/oauth2/v2.0/token`;
    const poll = () => post(tokenUrl, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: APP_ID, device_code: started.body.device_code });
    expect((await poll()).body.error).toBe('slow_down');
    expect((await poll()).body).toMatchObject({ error: 'authorization_pending', error_codes: [70016] });
    const done = await poll();
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String), access_token: expect.any(String) });
    expect((await poll()).body.error).toBe('bad_verification_code');
    // unknown app
    expect((await post(`${sim.urls.login}/organizations/oauth2/v2.0/devicecode`, { client_id: '00000000-0000-4000-8000-000000000000', scope: GRAPH_SCOPE })).body.error_codes).toEqual([700016]);
  });

  it('a scenario certificate that is not a PEM certificate is refused when the scenario loads', () => {
    expect(() => loadScenario({ graph: { apps: [{ clientId: APP_ID, clientSecret: APP_SECRET, certificates: ['-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----'] }] } })).toThrow(/expected a PEM certificate/);
  });

  it('rotation: each redeem answers a new refresh token, and the redeemed one keeps working within the reuse window', async () => {
    sim = await startSimulator({ scenario: graphScenario() });
    const url = `${sim.urls.login}/${PARTNER_TENANT}/oauth2/v2.0/token`;
    const redeem = (token: string) => post(url, { client_id: APP_ID, client_secret: APP_SECRET, scope: GRAPH_SCOPE, grant_type: 'refresh_token', refresh_token: token });
    const first = await redeem(REFRESH_TOKEN);
    expect(first.body.refresh_token).not.toBe(REFRESH_TOKEN);
    const second = await redeem(first.body.refresh_token);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect((await redeem(REFRESH_TOKEN)).status).toBe(200);
    expect((await redeem('never-issued')).body.error).toBe('invalid_grant');
  });
});
