import { callFailureOutcome, GraphCallError } from '../graph/graph-error.js';
import type { Redactor } from '../graph/redact.js';
import type { TenantTokens } from '../auth/token-cache.js';
import type { FetchLike } from '../auth/token-client.js';
import type { TenantJob, TenantOutcome, TenantRunner } from '../runner-types.js';
import { ExoClient } from './exo-client.js';

/**
 * The pre-flight check of one tenant on the Exchange REST backend (dap-report check): a token for
 * the tenant's Exchange Online (the app consented there), then one cheap read-only call,
 * Get-AcceptedDomain, which the service refuses when the relationship (or the app) lacks the roles
 * the reports need.
 */
export class ExoProbe implements TenantRunner {
  constructor(private readonly options: { exchangeBase: string; tokens: TenantTokens; fetch: FetchLike; redactor: Redactor; now?: () => number }) {}

  async run(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    const { tokens } = this.options;
    let last: string | undefined;
    try {
      const client = new ExoClient({
        exchangeBase: this.options.exchangeBase,
        tenantId: job.tenantId,
        token: async (refresh) => {
          if (refresh && last) tokens.invalidate(job.tenantId, last);
          last = await tokens.get(job.tenantId, signal);
          return last;
        },
        fetch: this.options.fetch,
        redactor: this.options.redactor,
        signal,
        ...(this.options.now ? { now: this.options.now } : {}),
      });
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
