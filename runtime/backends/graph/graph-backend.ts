import { join } from 'node:path';
import { DapError, ExitCode } from '../../../common/dap-error.js';
import { graphTenantProblem } from '../app/partner-app/discovery.js';
import { type AppPlan, openPartnerApp } from '../app/partner-app/partner-app.js';
import type { BackendStarter, RunBackend } from '../contract/run-backend.js';
import type { BackendDeps } from '../contract/backend-deps.js';
import { GRAPH_SCOPE } from '../app/auth/scopes.js';
import { MAX_CONCURRENCY } from '../app/http/graph-limits.js';
import { GraphProbe } from './graph-probe.js';
import { GraphTenantRunner } from './graph-runner.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import { RequestLogFile } from './request-log.js';

/** The request log's name in the run directory. */
export const requestLogName = 'graph-requests.json';

/**
 * Microsoft Graph over HTTP: one lane (the app) running --concurrency tenants at once; discovery
 * through GDAP relationships or contracts with a partner token; a token per customer tenant; the
 * report limit kept client-side (persisted in the run directory for --resume).
 */
export function graphBackend(plan: AppPlan, deps: BackendDeps): BackendStarter {
  const graph = plan.graph;
  if (!graph) throw new DapError('INTERNAL', ExitCode.fatal, 'the graph backend was planned without its options');
  return {
    async open(world) {
      const app = await openPartnerApp(plan, deps, world);
      const now = () => deps.now().getTime();
      let log: RequestLogFile | undefined;
      const backend: RunBackend = {
        kind: 'graph',
        lanes: [{ userName: app.endpoints.credential.clientId, maxSessions: graph.concurrency }],
        laneLabel: 'App',
        laneCap: MAX_CONCURRENCY,
        discover: async () => [{ account: app.endpoints.credential.clientId, tenants: await app.discover() }],
        tenantProblem(tenant) {
          const known = app.problemOf(tenant.tenantId);
          if (known) return known;
          const message = graphTenantProblem(tenant.tenantId);
          return message ? { category: 'InvalidDomain', message } : undefined;
        },
        createRunner() {
          log = plan.stateDir ? new RequestLogFile(join(plan.stateDir, requestLogName)) : undefined;
          const limiter = new SlidingWindowLimiter({
            now,
            ...(log ? { initial: log.read(), onChange: (requests) => void log!.save(requests).catch(() => undefined) } : {}),
          });
          return new GraphTenantRunner({ http: app.graph, tokens: app.customerTokens(GRAPH_SCOPE), limiter, redactor: app.redactor, now });
        },
        async close() {
          await log?.flush();
        },
        createProbe: () => new GraphProbe({ http: app.graph, tokens: app.customerTokens(GRAPH_SCOPE), redactor: app.redactor }),
        redact: (text) => app.redactor.clean(text),
      };
      return backend;
    },
  };
}
