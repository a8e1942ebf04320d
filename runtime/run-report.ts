import { createReadStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { DapError, ExitCode } from '../common/dap-error.js';
import { prepareBackend } from './backends/backends.js';
import type { RunBackend } from './backends/contract/run-backend.js';
import { writeErrorsFile } from './errors-file.js';
import { ManifestWriter, compareTenants, manifestReserveBytes, type Manifest, type ManifestTenant } from './manifest.js';
import { errnoErrorOf, isMachineError } from '../common/machine-error.js';
import { joinTerminal, type TerminalText, terminalJson, tty, writeTerminal } from '../common/terminal-text.js';
import { asMachineStop, diskFullInOutcome } from './machine-stop.js';
import { mergeParts } from './merge.js';
import { createProgress } from './progress.js';
import { defaultRetryPolicy } from './platform/retry-policy.js';
import { backendPlanOf, jobOf, type RunPlan } from './run-options.js';
import type { DiscoveredTenant, TenantOutcome } from './backends/contract/runner-types.js';
import type { RuntimeDeps } from './backends/runtime-deps.js';
import type { SimulatedWorld } from './backends/contract/simulated-world.js';
import { Scheduler, type AccountCounters, type SchedulerOutcome, type AccountLimit, type ScheduledTenant, type TenantResult } from './scheduler.js';
import { stdoutOutput, summaryLine, totalsOf, type RunSummary, type TenantSummary } from './summary.js';
import { RunLock } from './run-lock.js';
import { checkSavedRun } from './saved-run.js';
import { noTenantSelected, selectTenants } from './tenant-selection.js';
import { removeTempFilesOf, writeFileAtomic } from '../common/output-path.js';
import { redactCommand, secretsOf } from './page/command-line.js';
import { writeRunPage } from './page/write-page.js';

/** What a run knows of how it was started, beyond its plan. */
export interface RunContext {
  /** The arguments after the program name, as given (they never hold secrets; the page redacts them anyway). */
  argv?: readonly string[];
}

export interface RunResult {
  exitCode: number;
  summary: RunSummary;
}

function newManifest(plan: RunPlan, discovered: Array<{ account: string; tenants: DiscoveredTenant[] }>, now: Date): { manifest: Manifest; unmatched: string[] } {
  const selection = selectTenants(discovered, plan.filter);
  if (selection.tenants.length === 0) throw noTenantSelected(discovered, plan.filter);
  const tenants: ManifestTenant[] = selection.tenants.map((t) => ({
    tenantId: t.tenantId,
    domain: t.domain,
    ...(t.initialDomain && t.initialDomain !== t.domain ? { initialDomain: t.initialDomain } : {}),
    name: t.name,
    account: t.account,
    state: 'pending',
    rows: 0,
    attempts: 0,
  }));
  const stamp = now.toISOString();
  return { manifest: { format: 1, fingerprint: plan.fingerprint, createdAt: stamp, updatedAt: stamp, tenants }, unmatched: selection.unmatched };
}

/** On --resume: keep the tenants whose part still parses; give tenants of accounts no longer used to the current ones. */
async function prepareResume(plan: RunPlan, manifest: Manifest, lanes: readonly AccountLimit[]): Promise<number> {
  let reused = 0;
  const users = lanes.map((a) => a.userName);
  let next = 0;
  for (const tenant of manifest.tenants) {
    if (tenant.state === 'succeeded' && (await plan.spool.verifyPart(tenant))) reused += 1;
    else if (tenant.state === 'noData') reused += 1;
    else {
      tenant.state = 'pending';
      tenant.rows = 0;
      delete tenant.part;
      delete tenant.category;
      delete tenant.message;
      delete tenant.warning;
    }
    if (!users.includes(tenant.account)) tenant.account = users[next++ % users.length]!;
  }
  return reused;
}

function toSummaryTenant(t: ManifestTenant): TenantSummary {
  const s: TenantSummary = {
    domain: t.domain,
    tenantId: t.tenantId,
    name: t.name,
    account: t.account,
    status: t.state,
    attempts: t.attempts,
    durationMs: t.durationMs ?? 0,
    rows: t.rows,
  };
  if (t.category) s.category = t.category;
  if (t.message) s.message = t.message;
  if (t.warning && t.state === 'succeeded') s.warning = t.warning;
  return s;
}

/**
 * One `dap-report run`: simulator (if asked), the backend (its sign-in, discovery and tenant runner),
 * spool and manifest, capped scheduling over the runner, streaming merge, errors file, summary.
 * Throws a DapError for usage (2) and fatal (3) problems; answers the exit code otherwise.
 */
export async function runReport(plan: RunPlan, deps: RuntimeDeps, context: RunContext = {}): Promise<RunResult> {
  const startedAt = deps.now();
  const say = (line: TerminalText) => {
    if (!plan.quiet) writeTerminal(deps.stderr, line);
  };
  // input problems of the backend (e.g. no pwsh) come before anything starts
  const starter = prepareBackend(backendPlanOf(plan, { stateDir: plan.spool.dir }), deps);
  // one run of an output at a time: the lock comes before anything in the run folder is read or changed
  const lock = await RunLock.acquire(plan.spool.dir, { output: plan.stdout ? stdoutOutput : plan.out, now: startedAt });
  let simulator: SimulatedWorld | undefined;
  let simulatorStats: unknown;
  let backend: RunBackend | undefined;
  const stopSimulator = async () => {
    if (simulator && simulatorStats === undefined) simulatorStats = await simulator.stop();
  };
  try {
    const resumeManifest = checkSavedRun(plan);
    // what a run killed while writing its files (the merge above all) left beside them
    for (const path of [plan.out, plan.errors, plan.summaryPath, plan.spool.manifestPath]) await removeTempFilesOf(path);
    if (plan.simulate) {
      simulator = await deps.startSimulator(plan.simulate);
      say(tty`dap-report: simulator at ${simulator.url}`);
    }
    backend = await starter.open(simulator);
    const lanes = backend.lanes;

    // discovery first: a refused credential stops the run here, before any tenant
    const discovered = await backend.discover();

    let manifest: Manifest;
    let reused = 0;
    if (resumeManifest) {
      manifest = resumeManifest;
      delete manifest.mergedAt;
      reused = await prepareResume(plan, manifest, lanes);
      say(tty`dap-report: resuming ${plan.spool.dir}: ${reused} tenant(s) kept, ${manifest.tenants.length - reused} to run`);
    } else {
      const fresh = newManifest(plan, discovered, startedAt);
      manifest = fresh.manifest;
      for (const name of fresh.unmatched) say(tty`dap-report: --tenant ${name} matched no customer of ${lanes.map((a) => a.userName).join(', ')}`);
    }
    plan.spool.create(!resumeManifest);
    await plan.spool.cleanTemporary();
    const writer = new ManifestWriter(plan.spool.manifestPath, manifest, deps.now);

    // tenants the backend cannot address (a domain that is not a DNS name, an id that is not a GUID) fail without a request
    for (const tenant of manifest.tenants) {
      const problem = tenant.state === 'pending' ? backend.tenantProblem(tenant) : undefined;
      if (problem) {
        tenant.state = 'failed';
        tenant.category = problem.category;
        tenant.message = problem.message;
      }
    }
    await writer.save();
    // room kept for the manifest's last save, should the disk fill during the run
    await plan.spool.reserve(manifestReserveBytes(manifest.tenants.length));

    const toRun: ScheduledTenant[] = manifest.tenants
      .filter((t) => t.state === 'pending')
      .map((t) => ({ tenantId: t.tenantId, domain: t.domain, ...(t.initialDomain ? { initialDomain: t.initialDomain } : {}), account: t.account }));
    const counts = { done: manifest.tenants.filter((t) => t.state === 'succeeded' || t.state === 'noData').length, failed: manifest.tenants.filter((t) => t.state === 'failed').length };
    let scheduler: Scheduler | undefined;
    const progress = createProgress({
      stream: deps.stderr,
      quiet: plan.quiet || plan.json,
      running: () => scheduler?.running() ?? [],
      ...(deps.progressIntervalMs !== undefined ? { intervalMs: deps.progressIntervalMs } : {}),
    });
    const update = () => progress.update({ done: counts.done, failed: counts.failed, remaining: manifest.tenants.length - counts.done - counts.failed });

    // a machine error (disk full …) or a manifest that cannot be saved stops the run: nothing new
    // starts, running attempts are aborted (their tenants stay pending), and once every tenant has
    // settled the run ends with that error
    let stopError: unknown;
    const stopFor = (error: unknown): TenantOutcome => {
      stopError ??= error;
      scheduler?.abort();
      return { status: 'failed', rows: 0, category: 'Interrupted', message: `the run stopped: ${(error as Error).message}` };
    };

    const runner = backend.createRunner();
    scheduler = new Scheduler({
      runner,
      accounts: lanes,
      laneCap: backend.laneCap,
      policy: { ...defaultRetryPolicy, ...deps.retryPolicy, retries: plan.retries },
      timeoutMs: plan.timeoutMs,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      // attempt times count from the run's start (on the scheduler's clock, whatever deps.now says)
      epochMs: Date.now() - (deps.now().getTime() - startedAt.getTime()),
      makeJob: (tenant, attempt) => jobOf(plan, tenant, attempt, plan.spool.partTempPath(tenant.tenantId, attempt)),
      finalize: async (tenant, job, outcome): Promise<TenantOutcome> => {
        if (outcome.status !== 'succeeded') {
          await fs.rm(job.outPath, { force: true }).catch(() => undefined);
          const diskFull = diskFullInOutcome(outcome, plan.spool.partsDir);
          return diskFull ? stopFor(diskFull) : outcome;
        }
        try {
          const committed = await plan.spool.commitPart(tenant, outcome.partPath ?? job.outPath, outcome.rows);
          return { ...outcome, rows: committed.rows, partPath: committed.part };
        } catch (error) {
          await fs.rm(outcome.partPath ?? job.outPath, { force: true }).catch(() => undefined);
          // the disk, not the tenant's rows: the tenant stays pending
          if (isMachineError(error)) return stopFor(error);
          return { status: 'failed', rows: 0, category: 'InvalidData', message: `the tenant's rows could not be used: ${(error as Error).message}` };
        }
      },
      onAttempt: (tenant) => {
        writer.tenant(tenant.tenantId).attempts += 1;
      },
      onResult: async (result: TenantResult) => {
        const entry = writer.tenant(result.tenantId);
        entry.state = result.status === 'interrupted' ? 'pending' : result.status;
        entry.rows = result.rows;
        entry.durationMs = result.durationMs;
        if (result.category) entry.category = result.category;
        else delete entry.category;
        if (result.message) entry.message = result.message;
        else delete entry.message;
        if (result.warning) entry.warning = result.warning;
        else delete entry.warning;
        if (result.status === 'succeeded' && result.partPath) entry.part = result.partPath;
        if (result.status === 'failed') counts.failed += 1;
        else counts.done += 1;
        writer.saveSoon(stopFor);
        update();
      },
    });

    // SIGINT/SIGTERM: stop scheduling, give in-flight tenants a grace period; a second SIGINT forces
    // (the pwsh host is in its own process group: a Ctrl-C at the terminal reaches this process only)
    let interrupted = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const running = scheduler;
    const onSignal = () => {
      if (interrupted) {
        progress.log(tty`dap-report: stopping now; the running tenants are stopped and will run again with --resume`);
        running.abort();
        return;
      }
      interrupted = true;
      running.stop();
      const inFlight = running.inFlight;
      if (inFlight === 0) {
        progress.log(tty`dap-report: stopping; no tenant is running, none is started`);
        return;
      }
      progress.log(
        tty`dap-report: stopping; no tenant is started any more, the ${inFlight} running may finish within ${Math.round(deps.graceMs / 1000)} s (Ctrl-C again to stop them at once)`,
      );
      graceTimer = setTimeout(() => running.abort(), deps.graceMs);
    };
    deps.signals.on('SIGINT', onSignal);
    deps.signals.on('SIGTERM', onSignal);

    progress.start(manifest.tenants.length);
    update();
    let outcome: SchedulerOutcome;
    try {
      outcome = await running.run(toRun);
    } finally {
      if (graceTimer) clearTimeout(graceTimer);
      deps.signals.off('SIGINT', onSignal);
      deps.signals.off('SIGTERM', onSignal);
      progress.stop();
      await runner.close();
    }
    // no attempt starts any more: the backend (the pwsh host) ends while the output is merged
    const closing = backend.close().catch(() => undefined);
    for (const result of outcome.results) {
      if (result.status === 'interrupted') writer.tenant(result.tenantId).state = 'pending';
    }
    // after a stop, the reserve makes room for the last save; a save that fails still leaves the last complete manifest on disk
    if (stopError !== undefined) await plan.spool.releaseReserve();
    await (stopError === undefined ? writer.save() : writer.save().catch(() => undefined));
    await plan.spool.releaseReserve();

    if (outcome.fatal) {
      await stopSimulator();
      throw new DapError(
        'AUTHENTICATION_FAILED',
        ExitCode.fatal,
        `sign-in failed for ${outcome.fatal.account} at ${outcome.fatal.domain}: ${outcome.fatal.message ?? 'bad user name or password'}; the run stopped at once (no output written)`,
      );
    }
    if (stopError !== undefined) throw stopError;

    const tenants = [...manifest.tenants].sort(compareTenants).map(toSummaryTenant);
    const failed = tenants.some((t) => t.status === 'failed');
    // an interrupt that came after the last tenant had finished leaves nothing to resume: the run is complete
    const unfinished = interrupted && tenants.some((t) => t.status === 'pending');
    if (interrupted && !unfinished) say(tty`dap-report: every tenant had finished when the run was interrupted; merging the output`);
    let output: string | null = null;
    let errorsFile: string | null = null;
    let columns: RunSummary['columns'];
    if (!unfinished) {
      const parts = manifest.tenants
        .filter((t) => t.state === 'succeeded' && t.part)
        .map((t) => ({ tenantId: t.tenantId, domain: t.domain, customerName: t.name, path: join(plan.spool.dir, t.part!), rows: t.rows }));
      const merged = await mergeParts(parts, plan.out, { bom: plan.bom, excelSafe: plan.excelSafe, columns: plan.report.columns.map((c) => c.name) });
      columns = { output: merged.columns, undeclared: merged.undeclared, renamed: merged.renamed };
      if (merged.renamed.length) {
        say(tty`dap-report: the tenants' rows have columns named like one the output fills itself, kept under another name: ${joinTerminal(merged.renamed.map((r) => tty`${r.column} as ${r.as}`), ', ')}`);
      }
      if (merged.undeclared.length) say(tty`dap-report: the tenants' rows have columns the report does not declare, added at the end: ${merged.undeclared.join(', ')}`);
      await writeErrorsFile(plan.errors, tenants, { excelSafe: plan.excelSafe });
      manifest.mergedAt = deps.now().toISOString();
      await writer.save();
      errorsFile = plan.errors;
      output = plan.stdout ? stdoutOutput : plan.out;
      if (plan.stdout) await copyToStdout(plan.out, deps.stdout);
    }
    // the host's last stopped attempts close their sessions before the simulator goes
    await closing;
    await stopSimulator();
    const exitCode = unfinished ? ExitCode.interrupted : failed ? ExitCode.partial : ExitCode.ok;
    // nothing left to --resume: the run folder goes, unless asked to stay (a run to stdout cannot be resumed: its folder always goes)
    const removeSpool = plan.stdout || (exitCode === ExitCode.ok && !plan.keepSpool);
    const endedAt = deps.now();
    const summary: RunSummary = {
      report: plan.report.name,
      backend: plan.backend,
      parameters: plan.fingerprint.parameters,
      output,
      errorsFile,
      runDirectory: removeSpool ? null : plan.spool.dir,
      resumed: plan.resume,
      interrupted: unfinished,
      exitCode,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      durationMs: endedAt.getTime() - startedAt.getTime(),
      totals: totalsOf(tenants, reused),
      accounts: outcome.accounts as Record<string, AccountCounters>,
      laneLabel: backend.laneLabel,
      // an attempt whose slot was still held when the run ended: its bar ends with the run
      attempts: running.attempts.map((a) => (a.endMs < 0 ? { ...a, endMs: endedAt.getTime() - startedAt.getTime() } : a)),
      tenants,
    };
    if (context.argv) summary.command = redactCommand(context.argv, secretsOf(deps.env, plan.users), backend.redact?.bind(backend));
    if (columns) summary.columns = columns;
    if (simulatorStats !== undefined) summary.simulator = simulatorStats;
    await writeFileAtomic(plan.summaryPath, `${JSON.stringify(summary, null, 2)}\n`, { option: 'the summary' });
    if (plan.pagePath) {
      const pagePath = plan.pagePath;
      // the page is a view of the summary: failing to write it loses nothing and changes no exit code
      await writeRunPage(pagePath, summary).catch((error: unknown) =>
        writeTerminal(deps.stderr, tty`dap-report: the run page ${pagePath} could not be written: ${(error as Error).message}`),
      );
    }
    if (plan.json) writeTerminal(deps.stdout, terminalJson(summary));
    if (removeSpool) {
      await lock.release();
      await fs.rm(plan.spool.dir, { recursive: true, force: true }).catch((error: Error) => say(tty`dap-report: could not remove ${plan.spool.dir}: ${error.message}`));
    }
    say(summaryLine(summary));
    if (unfinished) {
      const next = plan.stdout
        ? tty`Nothing was written to stdout, and a run to stdout cannot be resumed: run the same command again.`
        : tty`The run is saved in ${plan.spool.dir}: run the same command with --resume to finish it.`;
      writeTerminal(deps.stderr, tty`dap-report: interrupted; ${summary.totals.pending} tenant(s) not run. ${next}`);
    }
    return { exitCode, summary };
  } catch (error) {
    throw asMachineStop(error, plan.spool.dir, !plan.stdout && plan.spool.exists());
  } finally {
    await backend?.close().catch(() => undefined);
    await stopSimulator().catch(() => undefined);
    await lock.release().catch(() => undefined);
    // a run to stdout keeps nothing to resume, whatever happened
    if (plan.stdout) await fs.rm(plan.spool.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Copies the merged file to stdout (--out -) once it is complete, so stdout gets the whole CSV or
 * nothing of it. A reader that stops early (`| head`) is not an error of the run.
 */
async function copyToStdout(path: string, stdout: NodeJS.WritableStream): Promise<void> {
  try {
    await pipeline(createReadStream(path), stdout, { end: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
    // a write to stdout names no path: the message names stdout, not the temporary run folder that is removed next
    const errno = errnoErrorOf(error);
    if (errno && !errno.path) errno.path = 'stdout (--out -)';
    throw error;
  }
}
