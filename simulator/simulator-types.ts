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
  /** http://127.0.0.1:<port>: the stand-ins' channel (DAP_SIM_URL), /health and /stats. */
  url: string;
  /**
   * The real-service hosts, each https://127.0.0.1:<port> with its routes at the root as on the
   * real host: the login host (login.microsoftonline.com: /{tenant}/oauth2/v2.0/token), Graph
   * (graph.microsoft.com: /v1.0/…), the report download storage (reached only through a report's
   * Location) and Exchange (outlook.office365.com: /adminapi/beta/{tenantId}/InvokeCommand).
   */
  urls: { login: string; graph: string; download: string; exo: string };
  /** The CA certificate (PEM) the hosts' certificate chains to: what a client must trust. */
  caPem: string;
  /** The file holding caPem (DAP_SIM_CA_FILE); removed by stop(). */
  caFile: string;
  /**
   * What a process needs to talk to this simulator: DAP_SIM_URL, PSModulePath with the
   * stand-in modules first (the current PSModulePath after them), and DAP_PASSWORD with the
   * first partner account's password (dap-sim run puts it there; the runtime passes it on
   * only as a password source, never in argv). The trust of the hosts' certificate:
   * DAP_SIM_CA_FILE (the CA), NODE_EXTRA_CA_CERTS (for Node: the CA after any the caller had)
   * and SSL_CERT_FILE (for OpenSSL and .NET on Linux: the machine's roots and the CA). For the
   * Graph side DAP_GRAPH_URL and DAP_LOGIN_URL (the hosts' https bases, in front of /v1.0/… and
   * /<tenantId>/oauth2/v2.0/token), DAP_GRAPH_CLIENT_ID and DAP_GRAPH_CLIENT_SECRET (the
   * scenario's partner app). For the Exchange admin API DAP_EXO_URL (in front of
   * /adminapi/beta/<tenantId>/InvokeCommand).
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
  /** The stand-ins' channel's port; 0 (default) picks a free one. The hosts always take free ones. Always bound to 127.0.0.1. */
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
