/**
 * Sign-in end to end against the simulator's login host: app-only with the simulator's test
 * certificate, and a partner admin's device-code sign-in whose rotated refresh tokens land in an
 * owner-only file and are used by the next run.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { defaultAppCertificate } from '../../simulator/world/default-app-certificate.js';
import { tempDir } from './fakes.js';
import { startSimulator } from '../../simulator/index.js';
import { APP_ID, PARTNER_TENANT, graphWorld, runGraph, writeScenario } from './graph-harness.js';

const simKey = join(projectRoot, 'simulator', 'scenarios', 'simulator-app.pem');
const runArgs = (scenario: string, ...more: string[]) => ['run', '--simulate', scenario, '--backend', 'graph', '--report', 'MailboxUsageDetail', '--quiet', ...more];
/** The refresh token a token file holds (MSAL's cache, its RefreshToken part). */
const savedRefreshToken = (path: string) =>
  Object.values((JSON.parse(readFileSync(path, 'utf8')) as { msalCache: { RefreshToken: Record<string, { secret: string }> } }).msalCache.RefreshToken)[0]!.secret;

/** The login host requests of a run (MSAL adds a client-request-id query, left out here). */
const tokenForms = (run: Awaited<ReturnType<typeof runGraph>>) =>
  run.fetches
    .map((f) => ({ ...f, url: f.url.split('?')[0]! }))
    .filter((f) => /\/oauth2\/v2\.0\/(token|devicecode)$/.test(f.url))
    .map((f) => ({ url: f.url, status: f.status, form: new URLSearchParams(String(f.init?.body)) }));

describe('sign-in against the simulator', () => {
  it('--certificate: every token request is a client assertion (no secret), and the report runs', async () => {
    const cwd = tempDir();
    const scenario = graphWorld({ graph: { apps: [{ clientId: APP_ID, clientSecret: 'Graph-Test-Secret~1', certificates: [defaultAppCertificate] }] } });
    const run = await runGraph(runArgs(writeScenario(cwd, scenario), '--certificate', simKey), { cwd });
    expect(run.error).toBeUndefined();
    expect(run.exitCode).toBe(0);
    const forms = tokenForms(run);
    expect(forms).toHaveLength(7); // the partner and each of the 6 customers
    for (const { form, status } of forms) {
      expect(status).toBe(200);
      expect(form.get('client_secret')).toBeNull();
      expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      expect(form.get('grant_type')).toBe('client_credentials');
    }
    expect(run.stats!.graph.reportRequests).toBe(6);
    expect(run.stderr).not.toContain('PRIVATE KEY');
  });

  it('--certificate the app does not have: the login host refuses it (AADSTS700027) and the run stops before any tenant (exit 3)', async () => {
    const cwd = tempDir();
    const run = await runGraph(runArgs(writeScenario(cwd, graphWorld()), '--certificate', simKey), { cwd });
    expect(run.error).toMatchObject({ exitCode: 3 });
    expect(String((run.error as Error).message)).toMatch(/AADSTS700027: Client assertion contains an invalid signature\. \[Reason - The key was not found\./);
    expect(run.stats!.graph.reportRequests).toBe(0);
  });

  it('--certificate with --client-secret-stdin is a usage error (exit 2)', async () => {
    const cwd = tempDir();
    const run = await runGraph(runArgs(writeScenario(cwd, graphWorld()), '--certificate', simKey, '--client-secret-stdin'), { cwd, stdin: 'x\n' });
    expect(run.error).toMatchObject({ exitCode: 2, code: 'OPTION_CONFLICT' });
    expect(String((run.error as Error).message)).toMatch(/two client credentials/);
  });

  it('--device-code: the message on stderr, approval after the polls, rotated refresh tokens saved 0600 and never shown', async () => {
    const cwd = tempDir();
    const scenario = writeScenario(cwd, graphWorld({ graph: { deviceCode: { approveAfterPolls: 2, intervalSeconds: 0 } } }));
    const tokenFile = join(cwd, 'tokens', 'partner.token');
    const first = await runGraph(runArgs(scenario, '--device-code', '--token-file', tokenFile), { cwd });
    expect(first.error).toBeUndefined();
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toMatch(/^dap-report: To sign in, use a web browser to open the page https:\/\/microsoft\.com\/devicelogin and enter the code [A-Z0-9]{9} to authenticate\.$/m);
    const forms = tokenForms(first);
    expect(forms[0]!.url).toMatch(/\/devicecode$/);
    // MSAL polls with the short grant form, which the service takes too
    expect(forms.slice(1, 4).map((f) => f.form.get('grant_type'))).toEqual(Array(3).fill('device_code'));
    expect(forms.slice(1, 4).map((f) => f.status)).toEqual([400, 400, 200]);
    // after that, refresh tokens only, one per customer (the partner's token came with the sign-in),
    // each redeem sending the newest one, no secret (a public client)
    const redeems = forms.slice(4);
    expect(redeems).toHaveLength(6);
    for (const { form } of redeems) {
      expect(form.get('grant_type')).toBe('refresh_token');
      expect(form.get('client_secret')).toBeNull();
    }
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const saved = { refreshToken: savedRefreshToken(tokenFile) };
    const sent = new Set(redeems.map((r) => r.form.get('refresh_token')));
    expect(sent.has(saved.refreshToken)).toBe(false); // rotated during the run: the file holds a newer one than any sent
    for (const token of [...sent, saved.refreshToken]) {
      expect(first.stdout).not.toContain(token!);
      expect(first.stderr).not.toContain(token!);
    }
    expect(readFileSync(join(cwd, 'ReportOutput.csv.errors.csv'), 'utf8')).not.toContain(saved.refreshToken);

  });

  it('--device-code without --simulate (a kept simulator as the login host): the next run signs in with the saved token, no prompt', async () => {
    const cwd = tempDir();
    const sim = await startSimulator({ scenario: graphWorld({ graph: { deviceCode: { approveAfterPolls: 1, intervalSeconds: 0 } } }) });
    try {
      const tokenFile = join(cwd, 'partner.token');
      const args = ['run', '--report', 'MailboxUsageDetail', '--quiet', '--graph-url', sim.env.DAP_GRAPH_URL!, '--login-url', sim.env.DAP_LOGIN_URL!, '--client-id', APP_ID, '--partner-tenant', PARTNER_TENANT, '--device-code', '--token-file', tokenFile];
      const first = await runGraph(args, { cwd, env: {} });
      expect(first.error).toBeUndefined();
      expect(first.stderr).toContain('To sign in');
      const saved = savedRefreshToken(tokenFile);
      const second = await runGraph([...args, '--fresh'], { cwd, env: {} });
      expect(second.error).toBeUndefined();
      expect(second.exitCode).toBe(0);
      expect(second.stderr).not.toContain('To sign in');
      const again = tokenForms(second);
      expect(again.some((f) => f.url.endsWith('/devicecode'))).toBe(false);
      expect(again[0]!.form.get('refresh_token')).toBe(saved);
      expect(savedRefreshToken(tokenFile)).not.toBe(saved);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    } finally {
      await sim.stop();
    }
  });

  it('--device-code with a saved token the login host no longer accepts: exit 3, saying to delete the file and sign in again', async () => {
    const cwd = tempDir();
    const scenario = writeScenario(cwd, graphWorld({ graph: { deviceCode: { approveAfterPolls: 0, intervalSeconds: 0 } } }));
    const tokenFile = join(cwd, 'partner.token');
    writeFileSync(tokenFile, JSON.stringify({ version: 1, clientId: APP_ID, refreshToken: 'Revoked-Refresh-Token-1', savedAt: '2026-01-01T00:00:00Z' }), { mode: 0o600 });
    const run = await runGraph(runArgs(scenario, '--device-code', '--token-file', tokenFile), { cwd });
    expect(run.error).toMatchObject({ exitCode: 3, code: 'AUTHENTICATION_FAILED' });
    expect(String((run.error as Error).message)).toContain(`The sign-in saved in ${tokenFile} was refused: delete that file and run with --device-code again`);
    expect(String((run.error as Error).message)).not.toContain('Revoked-Refresh-Token-1');
  });

  it('--simulate --device-code without --token-file keeps the token for the run only: no file anywhere', async () => {
    const cwd = tempDir();
    const home = tempDir();
    const scenario = writeScenario(cwd, graphWorld({ graph: { deviceCode: { approveAfterPolls: 0, intervalSeconds: 0 } } }));
    const run = await runGraph(runArgs(scenario, '--device-code'), { cwd, env: { HOME: home } });
    expect(run.error).toBeUndefined();
    expect(run.exitCode).toBe(0);
    expect(readdirSync(home)).toEqual([]);
    expect(readdirSync(cwd).filter((name) => name.includes('token'))).toEqual([]);
  });

  it('tenants --backend graph --device-code lists the customers after the sign-in', async () => {
    const cwd = tempDir();
    const scenario = writeScenario(cwd, graphWorld({ graph: { deviceCode: { approveAfterPolls: 0, intervalSeconds: 0 } } }));
    const run = await runGraph(['tenants', '--simulate', scenario, '--backend', 'graph', '--device-code', '--token-file', join(cwd, 't.token'), '--json'], { cwd });
    expect(run.error).toBeUndefined();
    expect(run.stderr).toContain('To sign in');
    expect(JSON.stringify(JSON.parse(run.stdout))).toContain('alpha.onmicrosoft.com');
  });

  it.each([
    ['decline', /the sign-in was declined: authorization_declined/],
    ['expire', /expired before the sign-in was completed/],
  ])('--device-code when the admin does not sign in (%s): exit 3, no token file', async (outcome, text) => {
    const cwd = tempDir();
    const scenario = writeScenario(cwd, graphWorld({ graph: { deviceCode: { approveAfterPolls: 1, intervalSeconds: 0, outcome } } }));
    const tokenFile = join(cwd, 'partner.token');
    const run = await runGraph(runArgs(scenario, '--device-code', '--token-file', tokenFile), { cwd });
    expect(run.error).toMatchObject({ exitCode: 3, code: 'SIGN_IN_FAILED' });
    expect(String((run.error as Error).message)).toMatch(text);
    expect(() => statSync(tokenFile)).toThrow();
  });
});
