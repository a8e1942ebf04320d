import { DapError, ExitCode } from '../../common/dap-error.js';
import { failureCategories, type FailureCategory } from '../../common/failure-category.js';
import type { Account, DiscoveredTenant, Discovery, TenantJob, TenantOutcome, TenantRunner } from '../runner-types.js';
import type { HostSupervisor } from './host-supervisor.js';
import type { HostResult } from './protocol.js';

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
  constructor(private readonly supervisor: HostSupervisor) {}

  async run(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    if (signal.aborted) return { status: 'failed', rows: 0, category: 'Interrupted', message: 'aborted before start' };
    let host;
    try {
      host = await this.supervisor.get();
    } catch (error) {
      return { status: 'failed', rows: 0, category: 'WorkerCrashed', message: `the pwsh host could not start: ${message(error)}` };
    }
    const id = `${job.tenantId}#${job.attempt}`;
    const answer = host.request({
      type: 'run',
      id,
      kind: 'tenant',
      account: job.account,
      job: { function: job.report.function, tenantId: job.tenantId, domain: job.domain, parameters: job.parameters, outPath: job.outPath },
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

/** Discovery in the same host: the account signs in once (Connect-DapPartner) and lists its customers. */
export class HostDiscovery implements Discovery {
  constructor(private readonly supervisor: HostSupervisor) {}

  async discover(account: Account): Promise<DiscoveredTenant[]> {
    let result: HostResult;
    try {
      const host = await this.supervisor.get();
      result = await host.request({ type: 'run', id: `discover:${account.userName}`, kind: 'discover', account: account.userName });
    } catch (error) {
      throw new DapError('WORKER_START_FAILED', ExitCode.fatal, `listing the customers of ${account.userName} failed: ${message(error)}`, { cause: error });
    }
    if (result.status === 'succeeded' || result.status === 'noData') return result.customers ?? [];
    if (result.category === 'AuthenticationFailed') {
      throw new DapError('AUTHENTICATION_FAILED', ExitCode.fatal, `sign-in failed for ${account.userName}: ${result.message ?? 'bad user name or password'}; stopped before any tenant was tried`);
    }
    throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, `listing the customers of ${account.userName} failed (${result.category ?? 'RemoteError'}): ${result.message ?? ''}`);
  }

  async close(): Promise<void> {}
}
