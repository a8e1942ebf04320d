import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { vi } from 'vitest';
import { readCatalog } from '../../common/catalog.js';
import { DapError, ExitCode } from '../../common/dap-error.js';
import type { FailureCategory } from '../../common/failure-category.js';
import { createProgram } from '../../runtime/cli/cli.js';
import type { Account, DiscoveredTenant, Discovery, TenantJob, TenantOutcome, TenantRunner } from '../../runtime/backends/contract/runner-types.js';
import type { ExchangeHost } from '../../runtime/backends/exchange/pwsh-host/exchange-host.js';
import type { RuntimeDeps } from '../../runtime/backends/runtime-deps.js';
import type { SimulatedWorld } from '../../runtime/backends/contract/simulated-world.js';

export const fixtureCatalog = join(import.meta.dirname, '..', 'fixtures', 'runtime', 'catalog.json');
export const fixtures = join(import.meta.dirname, '..', 'fixtures', 'runtime');
export const USER = 'admin@contoso.onmicrosoft.com';

export function tempDir(prefix = 'dap-report-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function tenantId(index: number): string {
  return `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
}

/** n customers; domains deliberately not in TenantId order, so sorting by domain is visible. */
export function makeTenants(n: number, prefix = 'customer'): DiscoveredTenant[] {
  return Array.from({ length: n }, (_, i) => {
    const domain = `${prefix}${String(n - 1 - i).padStart(3, "0")}-${i}.onmicrosoft.com`;
    return { tenantId: tenantId(i), name: `Customer ${i}`, defaultDomainName: domain, initialDomain: domain, contractType: 'SupportPartnerContract' };
  });
}

export class FakeDiscovery implements Discovery {
  signIns: string[] = [];
  constructor(
    private readonly tenantsFor: (account: Account) => DiscoveredTenant[],
    private readonly badPasswords: ReadonlySet<string> = new Set(),
  ) {}
  async discover(accounts: readonly Account[]): Promise<Array<{ account: string; tenants: DiscoveredTenant[] }>> {
    const found = [];
    for (const account of accounts) {
      this.signIns.push(account.userName);
      if (this.badPasswords.has(account.password)) {
        throw new DapError('AUTHENTICATION_FAILED', ExitCode.fatal, `sign-in failed for ${account.userName}: Authentication Error: Bad username or password.`);
      }
      found.push({ account: account.userName, tenants: this.tenantsFor(account) });
    }
    return found;
  }
}

export type Behaviour = 'ok' | 'noData' | 'hang' | 'badCsv' | FailureCategory;

/** Rows a tenant "returns": deterministic, with awkward values; some tenants have an extra column. */
export function rowsFor(job: Pick<TenantJob, 'tenantId' | 'domain'>, count = 3): string[][] {
  const index = Number(job.tenantId.slice(-4));
  const extra = index % 4 === 1;
  const header = ['TenantId', 'TenantDomain', 'Date', 'TotalNumberOfActiveMailboxes', 'Note', ...(extra ? ['ArchiveStatus'] : [])];
  const notes = ['plain', 'Smith, John', 'He said "hi"', 'two\nlines', 'Zoë Ångström 日本', '=1+2', '-5', '@home', '+x'];
  const rows = Array.from({ length: count }, (_, r) => [
    job.tenantId,
    job.domain,
    `2015-03-${String(18 - r).padStart(2, '0')}`,
    String(index * 10 + r),
    notes[(index + r) % notes.length]!,
    ...(extra ? ['Active'] : []),
  ]);
  return [header, ...rows];
}

export interface FakeRunnerOptions {
  /** Behaviour per attempt (1-based) for a tenant, by domain; default 'ok'. */
  behaviour?: (domain: string, attempt: number) => Behaviour;
  rows?: number;
  /** Milliseconds a tenant takes. */
  delayMs?: number;
  /** Called when an attempt finishes (e.g. to raise a signal after k tenants). */
  afterAttempt?: (job: TenantJob, completed: number) => void;
}

/** A runner that writes CSV like the pwsh host does and records the concurrency it sees per account. */
export class FakeRunner implements TenantRunner {
  open = new Map<string, number>();
  maxOpen = new Map<string, number>();
  attempts: TenantJob[] = [];
  completed = 0;
  closed = false;

  constructor(private readonly options: FakeRunnerOptions = {}) {}

  async run(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    this.attempts.push(job);
    const now = (this.open.get(job.account) ?? 0) + 1;
    this.open.set(job.account, now);
    this.maxOpen.set(job.account, Math.max(this.maxOpen.get(job.account) ?? 0, now));
    try {
      const behaviour = this.options.behaviour?.(job.domain, job.attempt) ?? 'ok';
      await new Promise<void>((resolve) => {
        if (behaviour === 'hang') {
          signal.addEventListener('abort', () => resolve(), { once: true });
          return;
        }
        const timer = setTimeout(resolve, this.options.delayMs ?? 1);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
      if (signal.aborted) return { status: 'failed', rows: 0, category: 'Interrupted', message: 'aborted' };
      if (behaviour === 'ok') {
        const rows = rowsFor(job, this.options.rows ?? 3);
        // as Export-Csv writes them: every field quoted, LF
        writeFileSync(job.outPath, stringify(rows, { quoted: true }));
        return { status: 'succeeded', rows: rows.length - 1, partPath: job.outPath };
      }
      if (behaviour === 'badCsv') {
        writeFileSync(job.outPath, 'TenantId,TenantDomain\n"unterminated,x\n');
        return { status: 'succeeded', rows: 1, partPath: job.outPath };
      }
      if (behaviour === 'noData') return { status: 'noData', rows: 0 };
      return { status: 'failed', rows: 0, category: behaviour as FailureCategory, message: `simulated ${behaviour} for ${job.domain}` };
    } finally {
      this.open.set(job.account, (this.open.get(job.account) ?? 1) - 1);
      this.completed += 1;
      this.options.afterAttempt?.(job, this.completed);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A writable that keeps what was written, standing in for stdout/stderr. */
export class Capture extends PassThrough {
  text = '';
  isTTY = false;
  constructor() {
    super();
    this.on('data', (chunk: Buffer) => {
      this.text += chunk.toString('utf8');
    });
  }
}

export interface Harness {
  deps: RuntimeDeps;
  signals: EventEmitter;
  stdout: Capture;
  stderr: Capture;
  exitCode: number | undefined;
  /** The Exchange backend's host (deps.exchange.openExchangeHost): its calls hold the spec (accounts, pool size, simulator env). */
  openExchangeHost: ReturnType<typeof vi.fn>;
  startSimulator: ReturnType<typeof vi.fn>;
  discovery: FakeDiscovery;
  runner: FakeRunner;
  /**
   * Runs the CLI with exitOverride: resolves with the exit code, or rejects with the DapError.
   * With `{ asBin: true }` an error is handled as the bin does (printed, exit code set) and resolves
   * with that exit code; only for errors of an action (commander's own would exit the process).
   */
  run(args: string[], options?: { asBin?: boolean }): Promise<number | undefined>;
}

export interface HarnessOptions {
  tenants?: DiscoveredTenant[] | ((account: Account) => DiscoveredTenant[]);
  runner?: FakeRunnerOptions;
  env?: NodeJS.ProcessEnv;
  badPasswords?: string[];
  cwd?: string;
  simulator?: Partial<SimulatedWorld>;
  deps?: Partial<RuntimeDeps>;
}

/** The counters the fake simulated world ends with (the summary keeps them as they are). */
export const fakeSimulatorStats = { accounts: { [USER]: { sessionsOpened: 6, openSessionsAtEnd: 0, maxConcurrentSessions: 3 } } };

export function harness(options: HarnessOptions = {}): Harness {
  const signals = new EventEmitter();
  const stdout = new Capture();
  const stderr = new Capture();
  const tenants = options.tenants ?? makeTenants(6);
  const discovery = new FakeDiscovery(typeof tenants === 'function' ? tenants : () => tenants, new Set(options.badPasswords ?? []));
  const runner = new FakeRunner(options.runner);
  const simulator: SimulatedWorld = {
    url: 'http://127.0.0.1:1',
    caPem: [],
    exchange: {
      userName: USER,
      password: 'sim-password',
      env: { DAP_SIM_URL: 'http://127.0.0.1:1', PSModulePath: '/stand-ins' },
      standInModules: ['/stand-ins/MSOnline/MSOnline.psd1', '/stand-ins/DapSim.Remoting/DapSim.Remoting.psd1'],
    },
    app: {
      graphUrl: 'https://127.0.0.1:1',
      loginUrl: 'https://127.0.0.1:2',
      exchangeUrl: 'https://127.0.0.1:3',
      clientId: 'sim-app',
      clientSecret: 'sim-secret',
      partnerTenant: 'partner.onmicrosoft.com',
    },
    stats: () => ({}),
    stop: async () => fakeSimulatorStats,
    ...options.simulator,
  };
  const h: Harness = {
    signals,
    stdout,
    stderr,
    exitCode: undefined,
    discovery,
    runner,
    openExchangeHost: vi.fn((): ExchangeHost => ({ discovery, runner, probe: runner, pids: () => [], close: async () => undefined })),
    startSimulator: vi.fn(async () => simulator),
    deps: undefined as unknown as RuntimeDeps,
    async run(args, runOptions = {}) {
      h.exitCode = undefined;
      const program = createProgram(h.deps);
      if (!runOptions.asBin) program.exitOverride();
      // the catalog is the fixture's (deps.readCatalog) unless --catalog names another
      await program.parseAsync(['node', 'dap-report', ...args]);
      return h.exitCode;
    },
  };
  h.deps = {
    env: options.env ?? { DAP_PASSWORD: 'Secret-Marker-7f3a9c' },
    cwd: options.cwd ?? tempDir(),
    stdout: stdout as unknown as NodeJS.WritableStream,
    stderr: stderr as unknown as NodeJS.WritableStream,
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    signals,
    setExitCode: (code) => {
      h.exitCode = code;
    },
    readCatalog: (path) => readCatalog(path ?? fixtureCatalog),
    startSimulator: h.startSimulator as unknown as RuntimeDeps['startSimulator'],
    validateScenario: () => undefined,
    exchange: {
      resolvePwsh: () => ({ path: '/nonexistent/pwsh', source: '--pwsh' }),
      openExchangeHost: h.openExchangeHost as unknown as RuntimeDeps['exchange']['openExchangeHost'],
    },
    sleep: async () => undefined,
    graceMs: 5_000,
    now: () => new Date(),
    ...options.deps,
  };
  return h;
}
