import type { Catalog } from '../common/catalog.js';
import type { ExoStats } from './exo/exo-state.js';
import type { GraphStats } from './graph/graph-state.js';

export type { ExoStats, GraphStats };

/**
 * The simulator's programmatic contract, used by dap-sim's own CLI, by dap-report --simulate,
 * by the tests and by the benchmarks.
 */

/** Counters for one partner account. */
export interface AccountStats {
  signIns: number;
  failedSignIns: number;
  sessionsOpened: number;
  /** Sessions open right now (after stop(): the sessions still open at the end). */
  openSessions: number;
  openSessionsAtEnd: number;
  maxConcurrentSessions: number;
  sessionLimitRejections: number;
}

export interface TenantStats {
  commandsRun: number;
  sessionsOpened: number;
}

export interface SimulatorStats {
  /** Keyed by partner user name (UPN). */
  accounts: Record<string, AccountStats>;
  /** Keyed by the tenant's initial domain. */
  tenants: Record<string, TenantStats>;
  graph: GraphStats;
  exo: ExoStats;
}

export interface RunningSimulator {
  /** http://127.0.0.1:<port> */
  url: string;
  /**
   * What a pwsh process needs to talk to this simulator: DAP_SIM_URL, PSModulePath with the
   * stand-in modules first (the current PSModulePath after them), and DAP_PASSWORD with the
   * first partner account's password (dap-sim run puts it there; the runtime passes it on
   * only as a password source, never in argv). For the Graph side also DAP_GRAPH_URL
   * (<url>/graph, in front of /v1.0/…), DAP_LOGIN_URL (<url>/login, in front of
   * /<tenantId>/oauth2/v2.0/token), DAP_GRAPH_CLIENT_ID and DAP_GRAPH_CLIENT_SECRET (the
   * scenario's partner app). For the Exchange admin API DAP_EXO_URL (<url>/exo, in front of
   * /adminapi/beta/<tenantId>/InvokeCommand, playing https://outlook.office365.com).
   */
  env: Record<string, string>;
  /**
   * The stand-ins' module manifests (MSOnline, then DapSim.Remoting): a process imports them by
   * path, so that no module of the same name elsewhere can take their place.
   */
  standInModules: string[];
  /** The default partner account's user name. */
  userName: string;
  stats(): SimulatorStats;
  /** Stops the server; open sessions are counted in openSessionsAtEnd. */
  stop(): Promise<SimulatorStats>;
}

export interface StartSimulatorOptions {
  /** A scenario file path, or an already parsed scenario object; the default scenario when absent. */
  scenario?: string | Record<string, unknown>;
  /** 0 (default) picks a free port. Always bound to 127.0.0.1. */
  port?: number;
  /**
   * Report catalogs (the JSON dap-gen writes): every Exchange cmdlet they name that the simulator
   * does not serve already (an exchange source's `cmdlet` and `input.cmdlet`, an exchangeRest
   * source's `cmdlet` and `forEach.cmdlet`) becomes a cmdlet of the remoting session and of the
   * admin API, answering seeded rows of the report's columns (README, "Declared cmdlets").
   * A catalog that is not one, or a cmdlet name that is not Verb-Noun: CATALOG_INVALID, exit 2.
   */
  catalogs?: Catalog[];
}
