import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ExitCode } from '../../../common/dap-error.js';
import { errnoErrorOf } from '../../../common/machine-error.js';
import { writeFileAtomic } from '../../../common/output-path.js';
import { joinTerminal, terminalJson, tty, writeTerminal } from '../../../common/terminal-text.js';
import { writeErrorsFile } from '../errors-file.js';
import { compareTenants, type ManifestTenant } from '../manifest.js';
import { mergeParts } from '../merge.js';
import { redactCommand, secretsOf } from '../page/command-line.js';
import { writeRunPage } from '../page/write-page.js';
import type { AccountCounters } from '../scheduler.js';
import { stdoutOutput, summaryLine, totalsOf, type RunSummary, type TenantSummary } from '../summary.js';
import { type PreparedRun, stopSimulator } from './run-state.js';
import type { ScheduledRun } from './schedule.js';

export interface RunResult {
  exitCode: number;
  summary: RunSummary;
}

/** What the merge wrote: the output and the errors file, or nothing when the run is unfinished. */
interface Merged {
  output: string | null;
  errorsFile: string | null;
  columns?: RunSummary['columns'];
}

/**
 * The end of a run: unless tenants are left to resume, the merged output and the errors file; then
 * the summary, the run page, the run folder removed when nothing is left to resume, the last words.
 */
export async function finishRun(run: PreparedRun, scheduled: ScheduledRun): Promise<RunResult> {
  const { plan, deps, say } = run;
  const tenants = [...run.manifest.tenants].sort(compareTenants).map(toSummaryTenant);
  const failed = tenants.some((t) => t.status === 'failed');
  // an interrupt that came after the last tenant had finished leaves nothing to resume: the run is complete
  const unfinished = scheduled.interrupted && tenants.some((t) => t.status === 'pending');
  if (scheduled.interrupted && !unfinished) say(tty`dap-report: every tenant had finished when the run was interrupted; merging the output`);
  const merged: Merged = unfinished ? { output: null, errorsFile: null } : await mergeOutput(run, tenants);
  // the host's last stopped attempts close their sessions before the simulator goes
  await scheduled.closing;
  await stopSimulator(run);
  const exitCode = unfinished ? ExitCode.interrupted : failed ? ExitCode.partial : ExitCode.ok;
  // nothing left to --resume: the run folder goes, unless asked to stay (a run to stdout cannot be resumed: its folder always goes)
  const removeSpool = plan.stdout || (exitCode === ExitCode.ok && !plan.keepSpool);
  const summary = summaryOf(run, scheduled, { tenants, merged, exitCode, unfinished, removeSpool });
  await writeSummaryFiles(run, summary);
  if (removeSpool) {
    await run.lock.release();
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
}

/** The tenants' parts merged into the output, the errors file, the manifest marked merged; stdout gets the output under --out -. */
async function mergeOutput(run: PreparedRun, tenants: TenantSummary[]): Promise<Merged> {
  const { plan, deps, say, manifest } = run;
  const parts = manifest.tenants
    .filter((t) => t.state === 'succeeded' && t.part)
    .map((t) => ({ tenantId: t.tenantId, domain: t.domain, customerName: t.name, path: join(plan.spool.dir, t.part!), rows: t.rows }));
  const merged = await mergeParts(parts, plan.out, { bom: plan.bom, excelSafe: plan.excelSafe, columns: plan.report.columns.map((c) => c.name) });
  if (merged.renamed.length) {
    say(tty`dap-report: the tenants' rows have columns named like one the output fills itself, kept under another name: ${joinTerminal(merged.renamed.map((r) => tty`${r.column} as ${r.as}`), ', ')}`);
  }
  if (merged.undeclared.length) say(tty`dap-report: the tenants' rows have columns the report does not declare, added at the end: ${merged.undeclared.join(', ')}`);
  await writeErrorsFile(plan.errors, tenants, { excelSafe: plan.excelSafe });
  manifest.mergedAt = deps.now().toISOString();
  await run.writer.save();
  if (plan.stdout) await copyToStdout(plan.out, deps.stdout);
  return {
    output: plan.stdout ? stdoutOutput : plan.out,
    errorsFile: plan.errors,
    columns: { output: merged.columns, undeclared: merged.undeclared, renamed: merged.renamed },
  };
}

function summaryOf(
  run: PreparedRun,
  scheduled: ScheduledRun,
  end: { tenants: TenantSummary[]; merged: Merged; exitCode: number; unfinished: boolean; removeSpool: boolean },
): RunSummary {
  const { plan, deps, startedAt, backend } = run;
  const endedAt = deps.now();
  const summary: RunSummary = {
    report: plan.report.name,
    backend: plan.backend,
    parameters: plan.fingerprint.parameters,
    output: end.merged.output,
    errorsFile: end.merged.errorsFile,
    runDirectory: end.removeSpool ? null : plan.spool.dir,
    resumed: plan.resume,
    interrupted: end.unfinished,
    exitCode: end.exitCode,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: endedAt.getTime() - startedAt.getTime(),
    totals: totalsOf(end.tenants, run.reused),
    accounts: scheduled.outcome.accounts as Record<string, AccountCounters>,
    laneLabel: backend.laneLabel,
    // an attempt whose slot was still held when the run ended: its bar ends with the run
    attempts: scheduled.scheduler.attempts.map((a) => (a.endMs < 0 ? { ...a, endMs: endedAt.getTime() - startedAt.getTime() } : a)),
    tenants: end.tenants,
  };
  if (run.context.argv) summary.command = redactCommand(run.context.argv, secretsOf(deps.env, plan.users), backend.redact?.bind(backend));
  if (end.merged.columns) summary.columns = end.merged.columns;
  if (run.simulatorStats !== undefined) summary.simulator = run.simulatorStats;
  return summary;
}

/** The summary file, the run page (a view of it: failing to write it loses nothing and changes no exit code), --json. */
async function writeSummaryFiles(run: PreparedRun, summary: RunSummary): Promise<void> {
  const { plan, deps } = run;
  await writeFileAtomic(plan.summaryPath, `${JSON.stringify(summary, null, 2)}\n`, { option: 'the summary' });
  if (plan.pagePath) {
    const pagePath = plan.pagePath;
    await writeRunPage(pagePath, summary).catch((error: unknown) =>
      writeTerminal(deps.stderr, tty`dap-report: the run page ${pagePath} could not be written: ${(error as Error).message}`),
    );
  }
  if (plan.json) writeTerminal(deps.stdout, terminalJson(summary));
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
