/**
 * The simulator's mutable state: accounts and their sessions, the session limits, sign-in
 * tokens and the counters reported as SimulatorStats; the login host, Graph and the admin API keep
 * their own (LoginState, GraphState, ExoState), the access tokens being shared (TokenStore).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { accessDeniedError, sessionCapError, sessionRateError, type SimError } from '../remoting/texts.js';
import { ExoState } from '../exo/exo-state.js';
import { GraphState } from '../graph/graph-state.js';
import { TokenStore } from '../http/tokens.js';
import { LoginState } from '../login/login-state.js';
import { buildGraphWorld } from '../world/graph-world.js';
import { createRng, type Rng } from '../world/prng.js';
import type { AccountStats, SimulatorStats, TenantStats } from '../simulator-types.js';
import { faultsOf, type TenantRecord, type World } from '../world/world.js';

export interface AccountState {
  userName: string;
  password: string;
  stats: AccountStats;
  /** Open times (ms) of recent sessions, for the optional new-session rate limit. */
  recentOpens: number[];
}

export interface SessionState {
  id: string;
  runspaceId: string;
  account: AccountState;
  tenant: TenantRecord;
  /** The host the client connected to (ps.outlook.com, outlook.office365.com). */
  host: string;
  openedAt: number;
  lastUsedAt: number;
}

export type OpenResult = { ok: true; session: SessionState } | { ok: false; status: number; error: SimError };

export function emptyAccountStats(): AccountStats {
  return { signIns: 0, failedSignIns: 0, sessionsOpened: 0, openSessions: 0, openSessionsAtEnd: 0, maxConcurrentSessions: 0, sessionLimitRejections: 0 };
}

export class SimState {
  readonly accounts = new Map<string, AccountState>();
  readonly tenantStats = new Map<string, TenantStats>();
  readonly sessions = new Map<string, SessionState>();
  /**
   * Ids a client closed before the service had answered their open (the client was stopped while
   * the session opened): such a session closes as soon as it has opened.
   */
  private readonly abandoned = new Set<string>();
  /** Sign-in tokens handed out by /msol/signin → account. */
  readonly tokens = new Map<string, AccountState>();
  private readonly throttleFailures = new Map<string, number>();
  readonly jitter: Rng;
  /** The Microsoft Graph / login side of the world. */
  readonly graph: GraphState;
  /** The login host: apps, device codes, the token endpoint. */
  readonly login: LoginState;
  /** The access tokens the login host issued, which Graph and the admin API check. */
  readonly accessTokens: TokenStore;
  /** The Exchange Online admin API side (counters, faults, requests in flight). */
  readonly exo: ExoState;
  stopped = false;

  constructor(
    readonly world: World,
    private readonly clock: () => number = Date.now,
  ) {
    for (const account of world.scenario.accounts) {
      this.accounts.set(account.userName.toLowerCase(), { userName: account.userName, password: account.password, stats: emptyAccountStats(), recentOpens: [] });
    }
    for (const tenant of world.tenants) this.tenantStats.set(tenant.initialDomain.toLowerCase(), { commandsRun: 0, sessionsOpened: 0 });
    this.jitter = createRng(world.seed, 'latency');
    const graphWorld = buildGraphWorld(world, clock());
    this.accessTokens = new TokenStore(world, graphWorld.partnerTenantId, clock);
    this.graph = new GraphState(world, graphWorld, this.accessTokens, clock);
    // the token endpoint's counters are part of GraphStats
    this.login = new LoginState(world, graphWorld, this.accessTokens, this.graph.counters, clock);
    this.exo = new ExoState(world);
  }

  /** A delay with the scenario's jitter added. */
  delay(baseMs: number): number {
    const jitter = this.world.scenario.latency.jitterMs;
    return baseMs + (jitter > 0 ? Math.round(this.jitter.next() * jitter) : 0);
  }

  /** The account if the user name and password match and the account is not locked; counts the attempt. */
  authenticate(userName: unknown, password: unknown, countSuccess: boolean): AccountState | undefined {
    const account = typeof userName === 'string' ? this.accounts.get(userName.toLowerCase()) : undefined;
    const good = account !== undefined && typeof password === 'string' && password === account.password && !this.world.lockedAccounts.has(account.userName.toLowerCase());
    if (account && !good) account.stats.failedSignIns += 1;
    if (account && good && countSuccess) account.stats.signIns += 1;
    return good ? account : undefined;
  }

  signIn(userName: unknown, password: unknown): string | undefined {
    const account = this.authenticate(userName, password, true);
    if (!account) return undefined;
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, account);
    return token;
  }

  /** Closes sessions idle for longer than the scenario's expiry. */
  sweep(): void {
    const expiryMs = this.world.scenario.limits.sessionExpirySeconds * 1000;
    const now = this.clock();
    for (const session of [...this.sessions.values()]) {
      if (now - session.lastUsedAt >= expiryMs) this.close(session.id);
    }
  }

  /**
   * Opens a remote session, enforcing the per-account cap, the optional rate, and the tenant's
   * faults; `id` is the client's id for it when it chose one.
   */
  open(userName: unknown, password: unknown, tenant: TenantRecord | undefined, host: string, id: string = randomUUID()): OpenResult {
    this.sweep();
    const account = this.authenticate(userName, password, false);
    if (!account || !tenant) return { ok: false, status: 403, error: accessDeniedError(host) };
    const { maxSessionsPerAccount, newSessionRate } = this.world.scenario.limits;
    const open = this.openCount(account);
    if (open >= maxSessionsPerAccount) {
      account.stats.sessionLimitRejections += 1;
      return { ok: false, status: 429, error: sessionCapError(host, maxSessionsPerAccount, open) };
    }
    const now = this.clock();
    if (newSessionRate) {
      account.recentOpens = account.recentOpens.filter((t) => now - t < newSessionRate.windowSeconds * 1000);
      if (account.recentOpens.length >= newSessionRate.max) {
        account.stats.sessionLimitRejections += 1;
        return { ok: false, status: 429, error: sessionRateError(host, newSessionRate.max, newSessionRate.windowSeconds) };
      }
    }
    if (faultsOf(this.world, tenant, 'accessDenied').length > 0) return { ok: false, status: 403, error: accessDeniedError(host) };
    const throttle = faultsOf(this.world, tenant, 'throttle').find((f) => f.mode === 'fail');
    if (throttle) {
      const key = tenant.initialDomain.toLowerCase();
      const used = this.throttleFailures.get(key) ?? 0;
      if (used < throttle.failures) {
        this.throttleFailures.set(key, used + 1);
        return { ok: false, status: 429, error: sessionCapError(host, maxSessionsPerAccount, maxSessionsPerAccount) };
      }
    }
    const session: SessionState = { id, runspaceId: randomUUID(), account, tenant, host, openedAt: now, lastUsedAt: now };
    this.sessions.set(session.id, session);
    account.recentOpens.push(now);
    account.stats.sessionsOpened += 1;
    const count = this.openCount(account);
    account.stats.openSessions = count;
    account.stats.maxConcurrentSessions = Math.max(account.stats.maxConcurrentSessions, count);
    const tenantStats = this.tenantStats.get(tenant.initialDomain.toLowerCase());
    if (tenantStats) tenantStats.sessionsOpened += 1;
    if (this.abandoned.delete(id)) this.close(id);
    return { ok: true, session };
  }

  /** The session if it is still open; refreshes its idle timer. */
  touch(id: string): SessionState | undefined {
    this.sweep();
    const session = this.sessions.get(id);
    if (session) session.lastUsedAt = this.clock();
    return session;
  }

  countCommand(session: SessionState): void {
    const stats = this.tenantStats.get(session.tenant.initialDomain.toLowerCase());
    if (stats) stats.commandsRun += 1;
  }

  /** Whether a session of this id is open, or was: a client's id is used once. */
  isKnown(id: string): boolean {
    return this.sessions.has(id) || this.abandoned.has(id);
  }

  /** Closes a session; an id not open yet is remembered, so its open (still under way) closes it at once. */
  close(id: string): boolean {
    const session = this.sessions.get(id);
    if (!session) {
      this.abandoned.add(id);
      return false;
    }
    this.sessions.delete(id);
    session.account.stats.openSessions = this.openCount(session.account);
    return true;
  }

  openCount(account: AccountState): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.account === account) n += 1;
    return n;
  }

  /** The counters, keys in a fixed order: accounts in scenario order, tenants in world order. */
  stats(): SimulatorStats {
    if (!this.stopped) this.sweep();
    const accounts: Record<string, AccountStats> = {};
    for (const account of this.accounts.values()) {
      const s = account.stats;
      const open = this.openCount(account);
      accounts[account.userName] = {
        signIns: s.signIns,
        failedSignIns: s.failedSignIns,
        sessionsOpened: s.sessionsOpened,
        openSessions: open,
        openSessionsAtEnd: this.stopped ? s.openSessionsAtEnd : open,
        maxConcurrentSessions: s.maxConcurrentSessions,
        sessionLimitRejections: s.sessionLimitRejections,
      };
    }
    const tenants: Record<string, TenantStats> = {};
    for (const tenant of this.world.tenants) {
      const t = this.tenantStats.get(tenant.initialDomain.toLowerCase()) ?? { commandsRun: 0, sessionsOpened: 0 };
      tenants[tenant.initialDomain] = { commandsRun: t.commandsRun, sessionsOpened: t.sessionsOpened };
    }
    return { accounts, tenants, graph: this.graph.stats(), exo: this.exo.stats() };
  }

  /** Freezes the counters: sessions still open become openSessionsAtEnd. */
  stop(): void {
    if (this.stopped) return;
    this.sweep();
    for (const account of this.accounts.values()) account.stats.openSessionsAtEnd = this.openCount(account);
    this.stopped = true;
  }
}
