// The simulator scenarios of the makespan (B1) and overhead (B2) benchmarks, and the partner
// accounts they sign in with. Every account of a scenario sees every customer tenant (the
// simulator does not scope tenants to accounts), so the three-account variant is the same world
// with two more accounts, each with its own limit of 3 open sessions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Simulated partner accounts (simulator-only passwords). The first is the one-account runs' account. */
export const benchAccounts = [
  { userName: 'reports1@contoso.onmicrosoft.com', password: 'Simulated-Bench-Pa55-1!' },
  { userName: 'reports2@contoso.onmicrosoft.com', password: 'Simulated-Bench-Pa55-2!' },
  { userName: 'reports3@contoso.onmicrosoft.com', password: 'Simulated-Bench-Pa55-3!' },
];

/** Tenants per benchmark: the sizes, and the smaller ones of `--quick`. */
export const benchSizes = {
  full: { makespan: 120, overhead: 500, scale: 2_000 },
  quick: { makespan: 30, overhead: 100, scale: 300 },
};

/** Open sessions per account: the service's limit, and the scenario's. */
export const sessionsPerAccount = 3;

/** The day every contender reports (ReportType Daily, StartDate = EndDate): one row per tenant with mailboxes. */
export const reportDay = '2015-03-18';
export const reportName = 'MailboxActivityReport';

/**
 * B1 latency. The simulator adds a uniform 0…jitterMs to each delay, so a base 100 ms below the
 * mean plus 100 ms of jitter gives a session open of 300 ms and a report of 200 ms on average,
 * and 0.5 s per tenant ± 20% (0.4–0.6 s).
 */
export const makespanLatency = { signInMs: 0, sessionOpenMs: 250, commandMs: 150, jitterMs: 100 };
/** The mean simulated time per tenant (session open + report) under makespanLatency, in seconds. */
export const perTenantSeconds = (makespanLatency.sessionOpenMs + makespanLatency.commandMs + makespanLatency.jitterMs) / 1000;

export const zeroLatency = { signInMs: 0, sessionOpenMs: 0, commandMs: 0, jitterMs: 0 };

function accountsOf(count) {
  if (!Number.isInteger(count) || count < 1 || count > benchAccounts.length) {
    throw new RangeError(`expected 1 to ${benchAccounts.length} accounts, received ${count}`);
  }
  return benchAccounts.slice(0, count).map((a) => ({ ...a }));
}

function tenantsOf(count) {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`expected a positive number of tenants, received ${count}`);
  return count;
}

/** B1: `tenants` generated tenants, 0.5 s per tenant on average, `accounts` partner accounts. */
export function makespanScenario({ tenants, accounts = 1 }) {
  return {
    seed: 'dap-bench-makespan',
    accounts: accountsOf(accounts),
    tenantCount: tenantsOf(tenants),
    limits: { maxSessionsPerAccount: sessionsPerAccount },
    latency: { ...makespanLatency },
    faults: [],
  };
}

/** B2: `tenants` generated tenants, no simulated latency at all, one account. */
export function overheadScenario({ tenants }) {
  return {
    seed: 'dap-bench-overhead',
    accounts: accountsOf(1),
    tenantCount: tenantsOf(tenants),
    limits: { maxSessionsPerAccount: sessionsPerAccount },
    latency: { ...zeroLatency },
    faults: [],
  };
}

/** Writes a scenario as JSON (creating its folder) and answers the path. */
export function writeScenario(path, scenario) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(scenario, null, 2)}\n`);
  return path;
}
