import { DapError, ExitCode } from '../../../../common/dap-error.js';
import { failureCategories, type FailureCategory } from '../../../../common/failure-category.js';
import type { Account, DiscoveredTenant, Discovery, TenantJob, TenantOutcome, TenantRunner } from '../../contract/runner-types.js';
import type { HostSupervisor } from './host-supervisor.js';
import type { HostContract, HostResult } from './protocol.js';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function categoryOf(result: HostResult): FailureCategory {
  const named = result.category ?? '';
  return (failureCategories as readonly string[]).includes(named) ? (named as FailureCategory) : 'RemoteError';
}

/** A host result as the scheduler's outcome. */
export function outcomeOf(result: HostResult, outPath: string): TenantOutcome {
  if (result.status === 'succeeded') return { status: 'succeeded', rows: result.rows, partPath: outPath };
  if (result.status === 'noData') return { status: 'noData', rows: 0 };
  if (result.status === 'stopped') return { status: 'failed', rows: 0, category: 'Interrupted', message: result.message ?? 'stopped' };
  const outcome: TenantOutcome = { status: 'failed', rows: 0, category: categoryOf(result) };
  if (result.message) outcome.message = result.message;
  return outcome;
}

/**
 * Tenant attempts in the pwsh host's runspace pool. An aborted attempt (timeout, Ctrl-C) is
 * cancelled: the host stops its PowerShell instance, Invoke-Command closes the remote session, and
 * the attempt answers "stopped". The promise settles only when the host has answered or ended, so
 * the scheduler knows when the session's slot is really free.
 */
export class HostTenantRunner implements TenantRunner {
  constructor(
    private readonly supervisor: HostSupervisor,
    /** 'probe': check that the tenant can be reached (dap-report check) instead of running the report. */
    private readonly kind: 'tenant' | 'probe' = 'tenant',
  ) {}

  async run(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    if (signal.aborted) return { status: 'failed', rows: 0, category: 'Interrupted', message: 'aborted before start' };
    let host: Awaited<ReturnType<HostSupervisor['get']>>;
    try {
      host = await this.supervisor.get();
    } catch (error) {
      return { status: 'failed', rows: 0, category: 'WorkerCrashed', message: `the pwsh host could not start: ${message(error)}` };
    }
    const id = `${job.tenantId}#${job.attempt}`;
    const target = job.initialDomain || job.domain;
    if (this.kind === 'probe') {
      const probe = host.request({ type: 'run', id, kind: 'probe', account: job.account, job: { tenantId: job.tenantId, domain: target } });
      const onAbort = () => host.cancel(id);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await probe;
        return result.status === 'succeeded' || result.status === 'noData' ? { status: 'succeeded', rows: 0 } : outcomeOf(result, job.outPath);
      } catch (error) {
        return { status: 'failed', rows: 0, category: 'WorkerCrashed', message: message(error) };
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    }
    const answer = host.request({
      type: 'run',
      id,
      kind: 'tenant',
      account: job.account,
      job: {
        function: job.report.function,
        tenantId: job.tenantId,
        domain: target,
        parameters: job.parameters,
        outPath: job.outPath,
        dateColumns: job.report.columns.filter((c) => c.type === 'datetime').map((c) => c.name),
        bytesColumns: job.report.columns.flatMap((c) => (c.bytesOf ? [{ name: c.name, from: c.bytesOf }] : [])),
      },
    });
    const onAbort = () => host.cancel(id);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    try {
      return outcomeOf(await answer, job.outPath);
    } catch (error) {
      return { status: 'failed', rows: 0, category: 'WorkerCrashed', message: message(error) };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    // the host belongs to the backend, which closes it after the run
  }
}

/**
 * Discovery in the same host, in two steps. Every account signs in (Connect-DapPartner) and lists
 * its contracts, all accounts at once. Then each tenant's initial domain (Get-DapCustomer
 * -Contract) is looked up once, by one of the accounts that see it, in as many shares as the pool
 * has runspaces: a tenant seen by three accounts costs one lookup, not three, and the lookups run
 * side by side.
 */
export class HostDiscovery implements Discovery {
  constructor(
    private readonly supervisor: HostSupervisor,
    /** Shares of lookups per account: its session cap (the runspaces it may use). */
    private readonly sharesPerAccount: (userName: string) => number,
  ) {}

  async discover(accounts: readonly Account[]): Promise<Array<{ account: string; tenants: DiscoveredTenant[] }>> {
    const listing = accounts.map((account) => this.request(account, { kind: 'contracts' }).then((result) => result.contracts ?? []));
    await Promise.allSettled(listing);
    const contracts = await Promise.all(listing);

    // each tenant goes to the accounts that see it in turn, so the lookups spread over them
    const seenBy = new Map<string, { contract: HostContract; accounts: string[] }>();
    contracts.forEach((list, index) => {
      for (const contract of list) {
        const key = contract.tenantId.toLowerCase();
        const entry = seenBy.get(key) ?? { contract, accounts: [] };
        entry.accounts.push(accounts[index]!.userName);
        seenBy.set(key, entry);
      }
    });
    const work = new Map<string, HostContract[]>(accounts.map((a) => [a.userName, []]));
    let turn = 0;
    for (const { contract, accounts: who } of seenBy.values()) work.get(who[turn++ % who.length]!)!.push(contract);
    const lookups: Array<Promise<DiscoveredTenant[]>> = [];
    for (const account of accounts) {
      const mine = work.get(account.userName)!;
      const shares = Math.max(1, Math.min(this.sharesPerAccount(account.userName), mine.length));
      const size = Math.ceil(mine.length / shares);
      for (let i = 0; i < mine.length; i += size) {
        const share = mine.slice(i, i + size);
        lookups.push(this.request(account, { kind: 'customers', contracts: share }, `${i / size}`).then((result) => result.customers ?? []));
      }
    }
    await Promise.allSettled(lookups);
    const found = new Map<string, DiscoveredTenant>();
    for (const tenant of (await Promise.all(lookups)).flat()) found.set(tenant.tenantId.toLowerCase(), tenant);
    return accounts.map((account, index) => ({
      account: account.userName,
      tenants: contracts[index]!.flatMap((contract) => found.get(contract.tenantId.toLowerCase()) ?? []),
    }));
  }

  private async request(
    account: Account,
    what: { kind: 'contracts' } | { kind: 'customers'; contracts: HostContract[] },
    share = '',
  ): Promise<HostResult> {
    let result: HostResult;
    try {
      const host = await this.supervisor.get();
      result = await host.request({ type: 'run', id: `${what.kind}:${account.userName}${share ? `:${share}` : ''}`, account: account.userName, ...what });
    } catch (error) {
      throw new DapError('WORKER_START_FAILED', ExitCode.fatal, `listing the customers of ${account.userName} failed: ${message(error)}`, { cause: error });
    }
    if (result.status === 'succeeded' || result.status === 'noData') return result;
    if (result.category === 'AuthenticationFailed') {
      throw new DapError('AUTHENTICATION_FAILED', ExitCode.fatal, `sign-in failed for ${account.userName}: ${result.message ?? 'bad user name or password'}; stopped before any tenant was tried`);
    }
    throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, `listing the customers of ${account.userName} failed (${result.category ?? 'RemoteError'}): ${result.message ?? ''}`);
  }
}
