import type { Catalog } from '../../../common/catalog.js';

/** What `--simulate` asks of the simulator. */
export interface SimulationOptions {
  /** A scenario file (already checked); the simulator's default scenario when absent. */
  scenario?: string;
  /** The catalogs given with --catalog: the simulator serves the cmdlets their reports declare too. */
  catalogs?: Catalog[];
}

/**
 * A running simulated partner world as the runtime sees it: what each backend signs in and calls
 * with in place of the real service and the user's credentials. runtime/backends/simulate.ts makes it from
 * the simulator; nothing else in the runtime knows the simulator's code or its variable names.
 */
export interface SimulatedWorld<Stats = unknown> {
  /** Where it listens (http://127.0.0.1:<port>), for messages. */
  url: string;
  /** The CA certificates (PEM) its https hosts chain to: the runtime's transport trusts them besides the system roots. */
  caPem: string[];
  /** Exchange remote PowerShell: its partner account, and what a pwsh process needs to reach it. */
  exchange: {
    userName: string;
    password: string;
    /** The environment of a pwsh process talking to the simulator (its address, the stand-ins' PSModulePath, the trust of its CA); no secret. */
    env: Record<string, string>;
    /** The stand-in modules' manifests (MSOnline, Exchange remoting), imported by path. */
    standInModules: string[];
  };
  /** The partner app of the HTTP backends: the service bases (checked, no trailing slash) and the app's credentials. */
  app: {
    graphUrl: string;
    loginUrl: string;
    exchangeUrl: string;
    clientId: string;
    clientSecret: string;
    /** A delegated sign-in's refresh token, when the scenario's app has one. */
    refreshToken?: string;
    partnerTenant: string;
  };
  /** The simulator's counters so far. */
  stats(): Stats;
  /** Stops the simulator; answers its last counters (a run's summary keeps them). */
  stop(): Promise<Stats>;
}

/** Starts a simulated world for a run; tests put their own in its place. */
export type SimulatorStarter = (options: SimulationOptions) => Promise<SimulatedWorld>;
