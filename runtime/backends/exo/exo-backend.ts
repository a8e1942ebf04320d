import { DapError, ExitCode } from '../../../common/dap-error.js';
import { MAX_CONCURRENCY } from '../app/http/graph-limits.js';
import { graphTenantProblem } from '../app/partner-app/discovery.js';
import { type AppPlan, openPartnerApp } from '../app/partner-app/partner-app.js';
import type { BackendStarter, RunBackend } from '../contract/run-backend.js';
import type { BackendDeps } from '../contract/backend-deps.js';
import type { ExoPlan } from './exo-options.js';
import { EXO_SCOPE } from './exo-limits.js';
import { ExoProbe } from './exo-probe.js';
import { ExoTenantRunner } from './exo-runner.js';

/**
 * Exchange cmdlets over the Exchange Online admin REST API (what ExchangeOnlineManagement v3
 * calls): the partner app's discovery (GDAP relationships or contracts), a token per customer
 * tenant for https://outlook.office365.com/.default, InvokeCommand with paging; one lane (the app)
 * running --concurrency tenants at once, each with --tenant-concurrency requests at once.
 */
/** What the Exchange REST backend needs to know of a run: the app's part and its own options. */
export interface ExoBackendPlan extends AppPlan {
  exo?: ExoPlan;
}

export function exoBackend(plan: ExoBackendPlan, deps: BackendDeps): BackendStarter {
  const graph = plan.graph;
  const exo = plan.exo;
  if (!graph || !exo) throw new DapError('INTERNAL', ExitCode.fatal, 'the exo backend was planned without its options');
  return {
    async open(world) {
      const app = await openPartnerApp(plan, deps, world);
      const exchange = app.serviceClient('the Exchange admin API', world ? world.app.exchangeUrl : exo.exchangeUrl);
      const clientId = app.endpoints.credential.clientId;
      const backend: RunBackend = {
        kind: 'exo',
        lanes: [{ userName: clientId, maxSessions: graph.concurrency }],
        laneLabel: 'App',
        laneCap: MAX_CONCURRENCY,
        discover: async () => [{ account: clientId, tenants: await app.discover() }],
        tenantProblem(tenant) {
          const known = app.problemOf(tenant.tenantId);
          if (known) return known;
          // the TenantId goes into the token and InvokeCommand paths
          const message = graphTenantProblem(tenant.tenantId);
          return message ? { category: 'InvalidDomain', message } : undefined;
        },
        createRunner: () =>
          new ExoTenantRunner({
            http: exchange,
            tokens: app.customerTokens(EXO_SCOPE),
            redactor: app.redactor,
            tenantConcurrency: exo.tenantConcurrency,
            now: () => deps.now().getTime(),
          }),
        createProbe: () =>
          new ExoProbe({ http: exchange, tokens: app.customerTokens(EXO_SCOPE), redactor: app.redactor, now: () => deps.now().getTime() }),
        redact: (text) => app.redactor.clean(text),
        close: async () => undefined,
      };
      return backend;
    },
  };
}
