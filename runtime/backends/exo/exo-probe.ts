import { callFailureOutcome, GraphCallError } from '../app/http/graph-error.js';
import type { TenantJob, TenantOutcome, TenantRunner } from '../contract/runner-types.js';
import { type ExoServiceOptions, tenantClient } from './exo-client.js';

/**
 * The pre-flight check of one tenant on the Exchange REST backend (dap-report check): a token for
 * the tenant's Exchange Online (the app consented there), then one cheap read-only call,
 * Get-AcceptedDomain, which the service refuses when the relationship (or the app) lacks the roles
 * the reports need.
 */
export class ExoProbe implements TenantRunner {
  constructor(private readonly options: ExoServiceOptions) {}

  async run(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    try {
      const client = tenantClient(this.options, job.tenantId, signal);
      await client.all('Get-AcceptedDomain', {}, ['DomainName']);
      return { status: 'succeeded', rows: 0 };
    } catch (error) {
      if (signal.aborted) return { status: 'failed', rows: 0, category: 'Interrupted', message: 'the check was stopped' };
      if (error instanceof GraphCallError) return callFailureOutcome(error, (text) => this.options.redactor.clean(text));
      return { status: 'failed', rows: 0, category: 'RemoteError', retryable: true, message: this.options.redactor.clean(`the Exchange admin API could not be reached: ${(error as Error).message}`) };
    }
  }

  async close(): Promise<void> {}
}
