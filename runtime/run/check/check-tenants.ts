import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DapError, ExitCode } from '../../../common/dap-error.js';
import { type TerminalText, terminalJson, terminalMessage, terminalTable, tty, writeTerminal, writeText } from '../../../common/terminal-text.js';
import { prepareBackend } from '../../backends/backends.js';
import { redactCommand, secretsOf } from '../page/command-line.js';
import { writeRunPage } from '../page/write-page.js';
import { defaultRetryPolicy } from '../../platform/retry-policy.js';
import type { RunBackend } from '../../backends/contract/run-backend.js';
import { backendPlanOf, jobOf, type RunPlan } from '../run-plan.js';
import type { RuntimeDeps } from '../../backends/runtime-deps.js';
import type { SimulatedWorld } from '../../backends/contract/simulated-world.js';
import { Scheduler, type AccountCounters, type TenantResult } from '../scheduler.js';
import { totalsOf, type RunSummary, type TenantSummary } from '../summary.js';
import { compareTenants } from '../manifest.js';
import { noTenantSelected, selectTenants } from '../tenant-selection.js';

/** What a check found for the run as a whole: how many tenants could run, and how long the run would take at least. */
export interface CheckEstimate {
  ready: number;
  /** Tenants at once: the lanes' caps added up. */
  atOnce: number;
  /** The median time one tenant's check took. */
  medianCheckMs: number;
  /** ceil(ready / atOnce) x the median check: a run takes at least this long (a report takes longer than its check). */
  atLeastMs: number;
}

export interface CheckOutcome {
  exitCode: number;
  summary: RunSummary;
  estimate: CheckEstimate;
}

export interface CheckContext {
  argv?: readonly string[];
  /** Where the check's page goes; null: no page (--no-page). */
  pagePath: string | null;
}

const median = (values: number[]) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

function seconds(ms: number): string {
  if (ms < 60_000) return `${ms === 0 ? 0 : Math.max(1, Math.round(ms / 1000))} s`;
  const minutes = Math.floor(ms / 60_000);
  return minutes < 120 ? `${minutes} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.round(minutes / 60)} h`;
}

/**
 * `dap-report check`: the pre-flight of a run, with the run's own selection, backend and sign-in,
 * without running the report. Signs in (a refused credential is a problem of every tenant), finds
 * the customers, marks those the backend cannot reach at all (relationship not active, a domain
 * that is no DNS name), then checks every other tenant through the backend's probe (Exchange: a
 * session and one mailbox read; Graph: a token and the report settings; Exchange REST: a token and
 * Get-AcceptedDomain) with the run's caps and retries. One line per problem, a table, the same page
 * a run writes, and an estimate of the run's time. Exit 1 when any tenant would fail.
 */
export async function checkTenants(plan: RunPlan, deps: RuntimeDeps, context: CheckContext): Promise<CheckOutcome> {
  const startedAt = deps.now();
  const say = (line: TerminalText) => {
    if (!plan.quiet) writeTerminal(deps.stderr, line);
  };
  const starter = prepareBackend(backendPlanOf(plan), deps);
  let simulator: SimulatedWorld | undefined;
  let backend: RunBackend | undefined;
  try {
    if (plan.simulate) simulator = await deps.startSimulator(plan.simulate);
    backend = await starter.open(simulator);
    let discovered: Awaited<ReturnType<RunBackend['discover']>>;
    try {
      discovered = await backend.discover();
    } catch (error) {
      // a refused password or secret: every tenant of the run would fail, which is what a check is for
      if (error instanceof DapError && error.code === 'AUTHENTICATION_FAILED') {
        writeTerminal(deps.stderr, tty`dap-report check: ${terminalMessage(error.message)}; every tenant would fail`);
        throw new DapError('CHECK_SIGN_IN_FAILED', ExitCode.partial, `the check found that sign-in fails: ${error.message}`, { cause: error });
      }
      throw error;
    }
    const selection = selectTenants(discovered, plan.filter);
    if (selection.tenants.length === 0) throw noTenantSelected(discovered, plan.filter);
    for (const name of selection.unmatched) say(tty`dap-report check: --tenant ${name} matched no customer`);

    const results = new Map<string, TenantSummary>();
    const toProbe = [];
    for (const t of selection.tenants) {
      const base: TenantSummary = { domain: t.domain, tenantId: t.tenantId, name: t.name, account: t.account, status: 'pending', attempts: 0, durationMs: 0, rows: 0 };
      const problem = backend.tenantProblem({ tenantId: t.tenantId, domain: t.domain, ...(t.initialDomain ? { initialDomain: t.initialDomain } : {}) });
      if (problem) results.set(t.tenantId, { ...base, status: 'failed', category: problem.category, message: problem.message });
      else {
        results.set(t.tenantId, base);
        toProbe.push({ tenantId: t.tenantId, domain: t.domain, ...(t.initialDomain ? { initialDomain: t.initialDomain } : {}), account: t.account });
      }
    }
    const scheduler = new Scheduler({
      runner: backend.createProbe(),
      accounts: backend.lanes,
      laneCap: backend.laneCap,
      policy: { ...defaultRetryPolicy, ...deps.retryPolicy, retries: plan.retries },
      timeoutMs: plan.timeoutMs,
      epochMs: startedAt.getTime(),
      now: () => deps.now().getTime(),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      // a probe writes nothing; the path is never created
      makeJob: (tenant, attempt) => jobOf(plan, tenant, attempt, join(tmpdir(), `dap-check-${process.pid}-${tenant.tenantId}-${attempt}.csv`)),
      onResult: (result: TenantResult) => {
        const entry = results.get(result.tenantId)!;
        entry.status = result.status === 'interrupted' ? 'pending' : result.status === 'noData' ? 'succeeded' : result.status;
        entry.attempts = result.attempts;
        entry.durationMs = result.durationMs;
        if (result.category) entry.category = result.category;
        if (result.message) entry.message = result.message;
        if (result.warning) entry.warning = result.warning;
      },
    });
    const outcome = await scheduler.run(toProbe);
    await backend.close();
    const closedSimulator = simulator ? await simulator.stop() : undefined;
    simulator = undefined;
    if (outcome.fatal) {
      throw new DapError('CHECK_SIGN_IN_FAILED', ExitCode.partial, `the check found that sign-in fails for ${outcome.fatal.account}: ${outcome.fatal.message ?? 'bad user name or password'}`);
    }

    const tenants = [...results.values()].sort(compareTenants);
    const ready = tenants.filter((t) => t.status === 'succeeded');
    const atOnce = backend.lanes.reduce((n, lane) => n + Math.min(backend!.laneCap, lane.maxSessions), 0);
    const medianCheckMs = median(ready.map((t) => t.durationMs));
    const estimate: CheckEstimate = { ready: ready.length, atOnce, medianCheckMs, atLeastMs: Math.ceil(ready.length / Math.max(1, atOnce)) * medianCheckMs };
    const failing = tenants.filter((t) => t.status !== 'succeeded');
    const exitCode = failing.length > 0 ? ExitCode.partial : ExitCode.ok;
    const endedAt = deps.now();
    const note =
      `Check of ${plan.report.name} on --backend ${plan.backend}: ${ready.length} of ${tenants.length} tenants ready. ` +
      `A run takes at least ${seconds(estimate.atLeastMs)}: ${ready.length} tenants, ${atOnce} at once, a median check of ${seconds(medianCheckMs)} each (a report takes longer).`;
    const summary: RunSummary = {
      report: `check: ${plan.report.name}`,
      backend: plan.backend,
      parameters: plan.fingerprint.parameters,
      output: null,
      errorsFile: null,
      runDirectory: null,
      resumed: false,
      interrupted: false,
      exitCode,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      durationMs: endedAt.getTime() - startedAt.getTime(),
      totals: totalsOf(tenants, 0),
      accounts: outcome.accounts as Record<string, AccountCounters>,
      laneLabel: backend.laneLabel,
      attempts: scheduler.attempts,
      tenants,
      note,
    };
    if (context.argv) summary.command = redactCommand(context.argv, secretsOf(deps.env, plan.users), backend.redact?.bind(backend));
    if (closedSimulator !== undefined) summary.simulator = closedSimulator;

    if (plan.json) writeTerminal(deps.stdout, terminalJson({ exitCode, estimate, tenants }));
    else {
      for (const t of failing) writeTerminal(deps.stderr, tty`dap-report check: ${t.domain} (${t.tenantId}): ${t.category ?? 'NotChecked'}: ${t.message ?? 'not checked'}`);
      for (const t of tenants.filter((x) => x.warning)) writeTerminal(deps.stderr, tty`dap-report check: ${t.domain} (${t.tenantId}): ${t.warning!.code}: ${t.warning!.message}`);
      writeText(
        deps.stdout,
        terminalTable([
          ['TenantDomain', 'TenantId', 'Name', backend.laneLabel, 'Ready', 'Category', 'Message'],
          ...tenants.map((t) => [t.domain, t.tenantId, t.name, t.account, t.status === 'succeeded' ? (t.warning ? 'warning' : 'yes') : 'no', t.category ?? t.warning?.code ?? '', t.message ?? t.warning?.message ?? '']),
        ]),
      );
    }
    if (context.pagePath) {
      await writeRunPage(context.pagePath, summary).catch((error: unknown) =>
        writeTerminal(deps.stderr, tty`dap-report check: the page ${context.pagePath} could not be written: ${(error as Error).message}`),
      );
    }
    say(tty`dap-report check: ${note}${context.pagePath ? tty` Page: ${context.pagePath}` : ''}`);
    return { exitCode, summary, estimate };
  } finally {
    await backend?.close().catch(() => undefined);
    if (simulator) await simulator.stop().catch(() => undefined);
  }
}
