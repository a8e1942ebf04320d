import { promises as fs } from 'node:fs';
import type { Account, TenantJob, TenantOutcome, TenantRunner } from '../runner-types.js';
import { nodePowerShellWorker, parseWorkerAnswer, type WorkerProcess, type WorkerProcessFactory } from './worker-process.js';
import { bootstrapCommand, reportJobCommand, workerSpawnSpec, type WorkerContext } from './worker-spawn.js';

/** The job file a worker reads: only data, never code. */
export interface WorkerJobFile {
  function: string;
  tenantId: string;
  domain: string;
  parameters: TenantJob['parameters'];
  outPath: string;
}

function tail(text: string, lines = 5): string {
  return text.split(/\r?\n/).filter((l) => l.trim()).slice(-lines).join(' | ');
}

/**
 * A pool of persistent pwsh workers per partner account: each imports DapReporting once and then
 * serves tenant after tenant. The scheduler decides how many run at once; the pool starts a worker
 * when no idle one is left, and kills and forgets a worker that crashed or stopped answering. An
 * aborted attempt is interrupted first (its remote session closes), then the worker is replaced.
 */
export class PwshWorkerPool implements TenantRunner {
  private readonly idle = new Map<string, WorkerProcess[]>();
  private readonly all = new Set<WorkerProcess>();
  private readonly accounts: Map<string, Account>;

  constructor(
    private readonly context: WorkerContext,
    accounts: readonly Account[],
    private readonly jobFileFor: (job: TenantJob) => string,
    private readonly createProcess: WorkerProcessFactory = nodePowerShellWorker,
    /** How long an interrupted worker may take to stop its command before it is killed. */
    private readonly interruptGraceMs = 5_000,
  ) {
    this.accounts = new Map(accounts.map((a) => [a.userName, a]));
  }

  /** Process ids of the live workers (for tests and diagnostics). */
  get pids(): number[] {
    return [...this.all].flatMap((w) => (w.pid === undefined || w.exited ? [] : [w.pid]));
  }

  async run(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome> {
    let worker: WorkerProcess;
    try {
      worker = await this.acquire(job.account);
    } catch (error) {
      return { status: 'failed', rows: 0, category: 'WorkerCrashed', message: error instanceof Error ? error.message : String(error) };
    }
    const jobFile = this.jobFileFor(job);
    const data: WorkerJobFile = {
      function: job.report.function,
      tenantId: job.tenantId,
      domain: job.domain,
      parameters: job.parameters,
      outPath: job.outPath,
    };
    await fs.writeFile(jobFile, JSON.stringify(data));
    // An aborted attempt (timeout, Ctrl-C) is stopped the way a user would stop it, so the
    // remote session is closed rather than left holding one of the account's 3 slots for
    // 15 minutes; a worker that does not stop within the grace period is killed.
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      worker.interrupt();
      killTimer = setTimeout(() => void this.discard(worker), this.interruptGraceMs);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal.aborted) return { status: 'failed', rows: 0, category: 'Interrupted', message: 'aborted before start' };
      let output: { stdout: string; stderr: string };
      try {
        output = await worker.invoke(reportJobCommand(jobFile));
      } catch (error) {
        await this.discard(worker);
        return { status: 'failed', rows: 0, category: 'WorkerCrashed', message: `the pwsh worker died: ${error instanceof Error ? error.message : String(error)}` };
      }
      if (signal.aborted || worker.exited) {
        await this.discard(worker);
        return { status: 'failed', rows: 0, category: signal.aborted ? 'Interrupted' : 'WorkerCrashed', message: 'the pwsh worker stopped' };
      }
      const answer = parseWorkerAnswer(output.stdout);
      if (!answer || answer.status === 'ready') {
        await this.discard(worker);
        return {
          status: 'failed',
          rows: 0,
          category: 'WorkerCrashed',
          message: `the pwsh worker gave no answer; stderr: ${tail(output.stderr) || '(empty)'}`,
        };
      }
      this.release(job.account, worker);
      if (answer.status === 'succeeded') return { status: 'succeeded', rows: answer.rows, partPath: job.outPath };
      if (answer.status === 'noData') {
        await fs.rm(job.outPath, { force: true });
        return { status: 'noData', rows: 0 };
      }
      await fs.rm(job.outPath, { force: true });
      const outcome: TenantOutcome = { status: 'failed', rows: 0, category: answer.category ?? 'RemoteError' };
      if (answer.message) outcome.message = answer.message;
      return outcome;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      await fs.rm(jobFile, { force: true });
    }
  }

  async close(): Promise<void> {
    const workers = [...this.all];
    this.all.clear();
    this.idle.clear();
    await Promise.all(workers.map((w) => w.dispose().then(() => (w.exited ? undefined : w.kill()))));
  }

  private async acquire(userName: string): Promise<WorkerProcess> {
    const idle = this.idle.get(userName) ?? [];
    while (idle.length > 0) {
      const worker = idle.pop()!;
      if (!worker.exited) return worker;
      this.all.delete(worker);
    }
    const account = this.accounts.get(userName);
    if (!account) throw new Error(`no credential for account ${userName}`);
    const worker = this.createProcess(workerSpawnSpec(this.context, account));
    this.all.add(worker);
    let output: { stdout: string; stderr: string };
    try {
      output = await worker.invoke(bootstrapCommand(this.context));
    } catch (error) {
      await this.discard(worker);
      throw new Error(`a pwsh worker could not start (${this.context.pwshPath}): ${error instanceof Error ? error.message : String(error)}`);
    }
    const answer = parseWorkerAnswer(output.stdout);
    if (answer?.status !== 'ready') {
      await this.discard(worker);
      throw new Error(`a pwsh worker could not start: ${answer?.message ?? (tail(output.stderr) || 'no answer')}`);
    }
    return worker;
  }

  private release(userName: string, worker: WorkerProcess): void {
    if (worker.exited || !this.all.has(worker)) return;
    const idle = this.idle.get(userName) ?? [];
    idle.push(worker);
    this.idle.set(userName, idle);
  }

  private async discard(worker: WorkerProcess): Promise<void> {
    this.all.delete(worker);
    for (const list of this.idle.values()) {
      const index = list.indexOf(worker);
      if (index >= 0) list.splice(index, 1);
    }
    await worker.kill();
  }
}
