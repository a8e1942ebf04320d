import { callFailureOutcome, GraphCallError } from '../app/http/graph-error.js';
import type { Redactor } from '../../platform/redact.js';
import type { TenantTokens } from '../app/auth/app-tokens.js';
import type { FetchLike } from '../../platform/http/fetch-like.js';
import type { TenantJob, TenantOutcome, TenantRunner } from '../contract/runner-types.js';
import { concealedNamesWarning } from './graph-runner.js';

/**
 * The pre-flight check of one tenant on the Graph backend (dap-report check), without asking for
 * any report: a token for the tenant (the app consented there), then the tenant's report settings
 * (GET /v1.0/admin/reportSettings): concealed user names are a warning. Settings the app may not
 * read (no ReportSettings.Read.All) are not a failure: the report itself needs no such permission.
 */
export class GraphProbe implements TenantRunner {
  constructor(private readonly options: { graphBase: string; tokens: TenantTokens; fetch: FetchLike; redactor: Redactor }) {}

  async run(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    try {
      const token = await this.options.tokens.get(job.tenantId, signal);
      const response = await this.options.fetch(`${this.options.graphBase}/v1.0/admin/reportSettings`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        redirect: 'manual',
        signal,
      });
      if (!response.ok) {
        await response.body?.cancel();
        return { status: 'succeeded', rows: 0 };
      }
      const settings = (await response.json()) as { displayConcealedNames?: unknown };
      return settings.displayConcealedNames === true ? { status: 'succeeded', rows: 0, warning: concealedNamesWarning } : { status: 'succeeded', rows: 0 };
    } catch (error) {
      if (signal.aborted) return { status: 'failed', rows: 0, category: 'Interrupted', message: 'the check was stopped' };
      if (error instanceof GraphCallError) return callFailureOutcome(error, (text) => this.options.redactor.clean(text));
      return { status: 'failed', rows: 0, category: 'RemoteError', retryable: true, message: this.options.redactor.clean(`Graph could not be reached: ${(error as Error).message}`) };
    }
  }

  async close(): Promise<void> {}
}
