/**
 * Runs `dap-report` in this process against the real simulator (Graph side): no pwsh, no fakes
 * of the backend. Keeps hold of the simulator so a test can read its counters and fetch reports
 * from it directly after the run.
 */
import { createTransport } from '../../runtime/platform/http/transport.js';
import { tlsIdentity } from '../../simulator/server/tls-identity.js';
import { trustingFetch } from '../helpers/https-server.js';
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { vi } from 'vitest';
import { readCatalog } from '../../common/catalog.js';
import { createProgram } from '../../runtime/cli/cli.js';
import type { FetchLike } from '../../runtime/platform/http/fetch-like.js';
import type { RuntimeDeps } from '../../runtime/backends/runtime-deps.js';
import { simulatedWorldOf } from '../../runtime/backends/simulate.js';
import { startSimulator } from '../../simulator/index.js';
import type { RunningSimulator, SimulatorStats } from '../../simulator/simulator-types.js';
import { Capture, fixtures, tempDir } from './fakes.js';

export const graphCatalog = join(fixtures, 'graph-catalog.json');
export const APP_ID = '3c1f9a52-7d4e-4b8a-9c21-6e5f4d3b2a10';
export const PARTNER_TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const NOW = '2024-05-20T09:00:00Z';

/** A scenario with named tenants (each fault on its own tenant) and a fixed "now", so report bytes repeat. */
export function graphWorld(options: { secret?: string; tenants?: number; faults?: unknown[]; extra?: Record<string, unknown>; graph?: Record<string, unknown> } = {}): Record<string, unknown> {
  const named = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon', 'Zeta'].map((name, i) => ({ name, initialDomain: `${name.toLowerCase()}.onmicrosoft.com`, mailboxes: 3 + i }));
  return {
    seed: 'graph-runtime-tests',
    now: NOW,
    tenants: named,
    tenantCount: options.tenants ?? 0,
    emptyTenantRate: 0,
    faults: options.faults ?? [],
    graph: {
      partnerTenantId: PARTNER_TENANT,
      apps: [{ clientId: APP_ID, clientSecret: options.secret ?? 'Graph-Test-Secret~1' }],
      inactiveRelationshipRate: 0,
      ...options.graph,
    },
    ...options.extra,
  };
}

export function writeScenario(dir: string, scenario: Record<string, unknown>, name = 'scenario.json'): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(scenario));
  return path;
}

export interface GraphRunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** Called for every fetch the runtime makes (after it answered). */
  onFetch?(url: string, init: RequestInit | undefined, response: Response): void;
  /** Keep the simulator running after the command (the test stops it). */
  keepSimulator?: boolean;
  deps?: Partial<RuntimeDeps>;
  /** Use the project's real catalog (module/DapReporting/DapReporting.catalog.json) instead of the fixture. */
  realCatalog?: boolean;
}

export interface GraphRun {
  exitCode: number | undefined;
  error: unknown;
  stdout: string;
  stderr: string;
  simulator: RunningSimulator | undefined;
  stats: SimulatorStats | undefined;
  /** Every wait the scheduler was asked for between attempts, in ms. */
  retryWaits: number[];
  fetches: Array<{ url: string; init: RequestInit | undefined; status: number }>;
  signals: EventEmitter;
  deps: RuntimeDeps;
}

/** Runs the CLI with the graph fixture as its catalog (unless realCatalog or --catalog); resolves once the command is done. */
let transport: FetchLike | undefined;

/** The transport --simulate gives the runtime: the system roots and the simulator's CA. */
export async function simulatorTransport(): Promise<FetchLike> {
  transport ??= createTransport({ extraCaPem: [(await tlsIdentity()).caPem] });
  return transport;
}

export async function runGraph(args: string[], options: GraphRunOptions = {}): Promise<GraphRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const signals = new EventEmitter();
  const result: GraphRun = {
    exitCode: undefined,
    error: undefined,
    stdout: '',
    stderr: '',
    simulator: undefined,
    stats: undefined,
    retryWaits: [],
    fetches: [],
    signals,
    deps: undefined as unknown as RuntimeDeps,
  };
  const fetch: FetchLike = async (url, init) => {
    // the runtime's transport, trusting the simulator's CA (the one identity of this process)
    const response = await (await simulatorTransport())(url, init);
    result.fetches.push({ url, init, status: response.status });
    options.onFetch?.(url, init, response);
    return response;
  };
  const deps: Partial<RuntimeDeps> = {
    cwd: options.cwd ?? tempDir('dap-graph-test-'),
    env: options.env ?? {},
    stdout: stdout as unknown as NodeJS.WritableStream,
    stderr: stderr as unknown as NodeJS.WritableStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    signals,
    setExitCode: (code) => {
      result.exitCode = code;
    },
    readCatalog: (path) => (options.realCatalog ? readCatalog(path) : readCatalog(path ?? graphCatalog)),
    // the Graph backend never needs pwsh, its discovery or its pool
    exchange: {
      resolvePwsh: vi.fn(() => {
        throw new Error('pwsh must not be looked for by the graph backend');
      }),
      openExchangeHost: vi.fn(() => {
        throw new Error('the pwsh host must not be used by the graph backend');
      }),
    },
    startSimulator: async (startOptions) => {
      const simulator = await startSimulator(startOptions);
      result.simulator = simulator;
      const stop = simulator.stop.bind(simulator);
      simulator.stop = async () => {
        result.stats = simulator.stats();
        if (options.keepSimulator) return result.stats;
        return (result.stats = await stop());
      };
      (simulator as RunningSimulator & { reallyStop?: () => Promise<SimulatorStats> }).reallyStop = stop;
      return simulatedWorldOf(simulator);
    },
    fetch,
    sleep: async (ms, signal) => {
      result.retryWaits.push(ms);
      await delay(ms, undefined, { signal });
    },
    graceMs: 30_000,
    now: () => new Date(),
    ...options.deps,
  };
  const program = createProgram(deps).exitOverride();
  try {
    await program.parseAsync(['node', 'dap-report', ...args]);
  } catch (error) {
    result.error = error;
  }
  result.stdout = stdout.text;
  result.stderr = stderr.text;
  result.deps = { ...(deps as RuntimeDeps) };
  return result;
}

/** Stops a simulator kept by keepSimulator. */
export async function stopKept(run: GraphRun): Promise<void> {
  const sim = run.simulator as (RunningSimulator & { reallyStop?: () => Promise<SimulatorStats> }) | undefined;
  await sim?.reallyStop?.();
}

/** The report CSV the simulator serves a tenant, fetched directly (client credentials, 302, download). */
export async function fetchReportDirectly(sim: RunningSimulator, tenantId: string, fn: string, args = "period='D7'"): Promise<string> {
  const fetch = trustingFetch(sim);
  const tokenResponse = await fetch(`${sim.env.DAP_LOGIN_URL}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: sim.env.DAP_GRAPH_CLIENT_ID!,
      client_secret: sim.env.DAP_GRAPH_CLIENT_SECRET!,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const report = await fetch(`${sim.env.DAP_GRAPH_URL}/v1.0/reports/${fn}(${args})`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  if (report.status !== 302) throw new Error(`direct report request: HTTP ${report.status}`);
  const download = await fetch(report.headers.get('location')!);
  return (await download.text()).replace(/^\uFEFF/, '');
}
