/**
 * A failure keeps what it came from: the error of a fetch that could not reach the service is the
 * cause of the classified GraphCallError, which the tenant's outcome (or the sign-in's thrown
 * error) carries, so whoever debugs a RemoteError sees the socket's own error beneath the message.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../common/catalog.js';
import { GRAPH_SCOPE } from '../../runtime/backends/app/auth/scopes.js';
import { AppTokens } from '../../runtime/backends/app/auth/app-tokens.js';
import { MsalApp } from '../../runtime/backends/app/auth/msal-app.js';
import { GraphCallError } from '../../runtime/backends/app/http/graph-error.js';
import type { TenantJob } from '../../runtime/backends/contract/runner-types.js';
import { GraphTenantRunner } from '../../runtime/backends/graph/graph-runner.js';
import { SlidingWindowLimiter } from '../../runtime/backends/graph/rate-limiter.js';
import { ServiceClient } from '../../runtime/platform/http/http-client.js';
import { Redactor } from '../../runtime/platform/redact.js';
import { tempDir } from './fakes.js';
import { graphCatalog } from './graph-harness.js';

const TENANT = '00000000-0000-4000-8000-00000000abcd';
const credential = { clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 'app-secret' };

/** A fetch that fails as undici does when nothing listens: a TypeError whose cause is the socket's error. */
function unreachable(): { fetch: (url: string) => Promise<Response>; failure: TypeError } {
  const failure = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
  return { failure, fetch: async () => Promise.reject(failure) };
}

function job(): TenantJob {
  const report = readCatalog(graphCatalog).reports.find((r) => r.name === 'MailboxUsageDetail')!;
  return { tenantId: TENANT, domain: 'Contoso', account: 'app', report, parameters: [], outPath: join(tempDir(), 'part.csv'), attempt: 1 };
}

function runner(fetch: (url: string) => Promise<Response>, tokens: AppTokens): GraphTenantRunner {
  const http = new ServiceClient({ service: 'Graph', base: 'https://graph.example', transport: fetch });
  return new GraphTenantRunner({ http, tokens: tokens.forScope(GRAPH_SCOPE), limiter: new SlidingWindowLimiter({ now: () => 0 }), redactor: new Redactor() });
}

describe('errors keep their cause', () => {
  it('a token request (through MSAL) that cannot reach the login host throws a RemoteError whose cause is the fetch error', async () => {
    const { fetch, failure } = unreachable();
    const app = new MsalApp({ loginBase: 'https://login.example', credential, fetch, delegated: false });
    const thrown = await app.token(TENANT, GRAPH_SCOPE, 'customer').catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(GraphCallError);
    expect((thrown as GraphCallError).category).toBe('RemoteError');
    expect((thrown as Error).cause).toBe(failure);
  });

  it('a tenant whose token cannot be fetched fails with an outcome that carries the fetch error beneath the GraphCallError', async () => {
    const { fetch, failure } = unreachable();
    const app = new MsalApp({ loginBase: 'https://login.example', credential, fetch, delegated: false });
    const tokens = new AppTokens({ issue: async (tenant, scope) => (await app.token(tenant, scope, 'customer')).accessToken });
    const outcome = await runner(fetch, tokens).run(job(), new AbortController().signal);
    expect(outcome).toMatchObject({ status: 'failed', category: 'RemoteError' });
    expect(outcome.cause).toBeInstanceOf(GraphCallError);
    expect((outcome.cause as Error).cause).toBe(failure);
  });

  it('a report request that cannot reach Graph fails with an outcome whose GraphCallError has the fetch error as cause', async () => {
    const { fetch, failure } = unreachable();
    const tokens = new AppTokens({ issue: async () => 'tok' });
    const outcome = await runner(fetch, tokens).run(job(), new AbortController().signal);
    expect(outcome).toMatchObject({ status: 'failed', category: 'RemoteError', retryable: true });
    expect(outcome.message).toContain('ECONNREFUSED');
    expect((outcome.cause as Error).cause).toBe(failure);
  });
});
