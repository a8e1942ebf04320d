import { callFailureOutcome, GraphCallError } from '../app/http/graph-error.js';
import { tenantBearer } from '../app/auth/app-tokens.js';
import type { ServiceClient } from '../../platform/http/http-client.js';
import type { Redactor } from '../../platform/redact.js';
import type { TenantTokens } from '../app/auth/app-tokens.js';
import type { TenantJob, TenantOutcome, TenantRunner } from '../contract/runner-types.js';
import { concealedNamesWarning } from './graph-runner.js';
import { graphQuerySourceOf, queryFailure } from './graph-query-runner.js';
import { graphQueryHeaders, graphQueryUrl } from './graph-query.js';

/**
 * The pre-flight check of one tenant on the Graph backend (dap-report check), without asking for
 * any report: a token for the tenant (the app consented there), then the tenant's report settings
 * (GET /v1.0/admin/reportSettings): concealed user names are a warning. Settings the app may not
 * read (no ReportSettings.Read.All) are not a failure: the report itself needs no such permission.
 * A Graph query report reads its query's first object instead: a refusal there (the permission the
 * source names) is the tenant's failure, as it would be in the run.
 */
export class GraphProbe implements TenantRunner {
  constructor(private readonly options: { http: ServiceClient; tokens: TenantTokens; redactor: Redactor }) {}

  async run(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    const { http } = this.options;
    const query = graphQuerySourceOf(job);
    try {
      if (query) {
        const call = { ...query, first: 1 };
        delete (call as { top?: number }).top;
        await http
          .request(graphQueryUrl(http.base, call), { headers: graphQueryHeaders(call), bearer: tenantBearer(this.options.tokens, job.tenantId, signal), signal, retry: { retries: 0 } })
          .then(({ response }) => response.body?.cancel())
          .catch((error: unknown) => {
            throw queryFailure(http, error, query, call);
          });
        return { status: 'succeeded', rows: 0 };
      }
      const { response } = await http.request(`${http.base}/v1.0/admin/reportSettings`, {
        headers: { accept: 'application/json' },
        bearer: tenantBearer(this.options.tokens, job.tenantId, signal),
        signal,
        // a check asks once: the run's attempts are where waiting belongs
        retry: { retries: 0 },
        accept: () => true,
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
