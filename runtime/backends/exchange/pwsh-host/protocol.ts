/**
 * The line protocol between dap-report and its pwsh host (runtime/backends/exchange/powershell/DapHost.ps1), version 1:
 * one JSON object per line, UTF-8, in both directions. PROTOCOL.md beside this file describes it;
 * the host checks `protocol` in hello and refuses any other version.
 */
import { z } from 'zod';
import type { JobParameter } from '../../contract/runner-types.js';

export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------- Node -> host

export interface HelloMessage {
  type: 'hello';
  protocol: typeof PROTOCOL_VERSION;
  /** Runspaces in the pool: the sum of the accounts' session caps. */
  poolSize: number;
  /** Sent once; the host keeps each as a PSCredential and never writes it anywhere. */
  accounts: Array<{ userName: string; password: string }>;
  /** Under --simulate: the stand-in module manifests, imported by path before DapReporting. */
  standInModules: string[];
  /** DapReporting.psd1. */
  moduleManifest: string;
  /** DapHostJobs.psm1: the functions an attempt calls. */
  jobsModule: string;
}

/** What one tenant attempt runs: only data, bound as parameters of Invoke-DapHostTenantJob. */
export interface HostJob {
  function: string;
  tenantId: string;
  domain: string;
  parameters: JobParameter[];
  outPath: string;
  /** The report's datetime columns: written as ISO 8601 (yyyy-MM-dd, with THH:mm:ss when there is a time of day). */
  dateColumns: string[];
  /** Columns the runtime adds: `name` holds the number of bytes in the '(N bytes)' text of `from`. */
  bytesColumns: Array<{ name: string; from: string }>;
}

/** A partner contract as discovery hands it on: the tenant, without its initial domain yet. */
export interface HostContract {
  tenantId: string;
  name: string;
  defaultDomainName: string;
  contractType: string;
}

export type RunMessage =
  | { type: 'run'; id: string; kind: 'tenant'; account: string; job: HostJob }
  /** The pre-flight check of one tenant: a remote session opened and one cheap read-only call, nothing written. */
  | { type: 'run'; id: string; kind: 'probe'; account: string; job: Pick<HostJob, 'tenantId' | 'domain'> }
  | { type: 'run'; id: string; kind: 'contracts'; account: string }
  | { type: 'run'; id: string; kind: 'customers'; account: string; contracts: HostContract[] };

export type NodeMessage =
  | HelloMessage
  | RunMessage
  | { type: 'cancel'; id: string }
  | { type: 'ping'; id: string }
  | { type: 'shutdown' };

// ---------------------------------------------------------------- host -> Node

const contract = z.object({
  tenantId: z.string(),
  name: z.string(),
  defaultDomainName: z.string(),
  contractType: z.string(),
});

const customer = contract.extend({ initialDomain: z.string() });

const readyMessage = z.object({
  type: z.literal('ready'),
  protocol: z.literal(PROTOCOL_VERSION),
  pid: z.number().int(),
  psVersion: z.string(),
  poolSize: z.number().int(),
});

const resultMessage = z.object({
  type: z.literal('result'),
  id: z.string(),
  /** stopped: the attempt's PowerShell instance was stopped on request (cancel or shutdown). */
  status: z.enum(['succeeded', 'noData', 'failed', 'stopped']),
  rows: z.number().int().nonnegative(),
  category: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
  /** contracts: the account's partner contracts. */
  contracts: z.array(contract).optional(),
  /** customers: the tenants of the contracts given, with their initial domain. */
  customers: z.array(customer).optional(),
});

export const hostMessage = z.discriminatedUnion('type', [
  readyMessage,
  resultMessage,
  z.object({ type: z.literal('pong'), id: z.string(), running: z.number().int() }),
  /** A message the host could not act on (a bug on one side or the other). */
  z.object({ type: z.literal('error'), id: z.string().nullable().optional(), message: z.string() }),
  /** The host could not start (bad hello, a module that does not load): it exits after this. */
  z.object({ type: z.literal('fatal'), message: z.string() }),
  /** The host is ending (end of input or shutdown); stillRunning attempts did not stop in time. */
  z.object({ type: z.literal('bye'), reason: z.string(), stillRunning: z.number().int() }),
]);

export type HostMessage = z.infer<typeof hostMessage>;
export type HostResult = z.infer<typeof resultMessage>;
export type HostReady = z.infer<typeof readyMessage>;

/** A host line as a message, or undefined for a line that is not one (anything else a module printed). */
export function parseHostLine(line: string): HostMessage | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = hostMessage.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function encodeMessage(message: NodeMessage): string {
  return `${JSON.stringify(message)}\n`;
}
