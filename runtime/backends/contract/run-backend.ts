import type { FailureCategory } from '../../../common/failure-category.js';
import type { DiscoveredTenant, TenantRunner } from './runner-types.js';
import type { SimulatedWorld } from './simulated-world.js';

/**
 * The ways a report runs: Exchange remote PowerShell through pwsh (the seeds' path), Microsoft Graph
 * reports over HTTP, and Exchange cmdlets over the Exchange Online admin REST API (today's path).
 */
export const backendKinds = ['exchange', 'graph', 'exo'] as const;
export type BackendKind = (typeof backendKinds)[number];

/** What each backend talks to, in messages. */
export const backendTitles: Record<BackendKind, string> = {
  exchange: 'Exchange remote PowerShell',
  graph: 'Microsoft Graph reports',
  exo: 'the Exchange admin REST API',
};

/** A scheduler lane: a partner account (or the app) and how many tenants it runs at once. */
export interface AccountLimit {
  userName: string;
  maxSessions: number;
}

/** A catalog given with --catalog or DAP_CATALOG. */
export interface CatalogLocation {
  /** The catalog file. */
  path: string;
  /** How it was given, for messages: `--catalog <value>` or `DAP_CATALOG=<value>`. */
  given: string;
  /** The module dap-gen wrote with it, beside it: what the Exchange backend's pwsh host imports. */
  moduleManifest: string;
}

/**
 * The part of a run that differs between backends (Exchange: one pwsh host, partner accounts, 3
 * sessions per account; Graph and Exchange REST: HTTP, one app, --concurrency): everything else
 * (selection, spool, manifest, scheduler, retries, merge, errors file, summary, signals, exit
 * codes) is shared and names no backend.
 */
export interface RunBackend {
  kind: BackendKind;
  /** The scheduler's lanes: partner accounts, or the app; each with how many tenants it runs at once. */
  lanes: AccountLimit[];
  /** What a lane is, as a column heading: 'Account' (a partner user) or 'App' (a partner app). */
  laneLabel: 'Account' | 'App';
  /** The most any lane may run at once. */
  laneCap: number;
  /** The customers each lane can see; a refused credential is a DapError (exit 3) before any tenant runs. */
  discover(): Promise<Array<{ account: string; tenants: DiscoveredTenant[] }>>;
  /** Why a selected tenant cannot be run at all (it then fails without any request), or undefined. */
  tenantProblem(tenant: { tenantId: string; domain: string; initialDomain?: string }): { category: FailureCategory; message: string } | undefined;
  createRunner(): TenantRunner;
  /** Checks a tenant without running the report (dap-report check): can it be reached, with the rights the report needs. */
  createProbe(): TenantRunner;
  close(): Promise<void>;
  /** The text with every secret this backend knows (app secret, tokens, from stdin too) replaced; for what a run shows of itself. */
  redact?(text: string): string;
}

/** Prepared before anything starts (so its input errors come first), opened once the simulated world (if any) runs. */
export interface BackendStarter {
  open(world: SimulatedWorld | undefined): Promise<RunBackend>;
}
