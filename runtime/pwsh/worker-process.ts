import type { ChildProcess } from 'node:child_process';
import { PowerShell } from 'node-powershell';
import { failureCategories, type FailureCategory } from '../../common/failure-category.js';
import type { WorkerSpawnSpec } from './worker-spawn.js';

/** A persistent pwsh process that runs one command at a time. */
export interface WorkerProcess {
  readonly pid: number | undefined;
  readonly exited: boolean;
  /** Runs a command; resolves with its stdout; rejects when the process dies. */
  invoke(command: string): Promise<{ stdout: string; stderr: string }>;
  /**
   * Stops the running command as Ctrl+C would (SIGINT): pwsh stops the pipeline, runs its
   * finally blocks (so Invoke-Command closes its remote session) and stays alive.
   */
  interrupt(): void;
  /** Kills the process (SIGKILL) and waits for it to exit. */
  kill(): Promise<void>;
  /** Asks the process to exit. */
  dispose(): Promise<void>;
}

export type WorkerProcessFactory = (spec: WorkerSpawnSpec) => WorkerProcess;

/** The worker process through node-powershell. */
export const nodePowerShellWorker: WorkerProcessFactory = (spec) => {
  const shell = new PowerShell({
    executable: spec.executable,
    executableOptions: spec.executableOptions,
    spawnOptions: { env: spec.env },
    throwOnInvocationError: false,
  });
  const child = (shell as unknown as { process: ChildProcess }).process;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // a spawn failure surfaces through invoke(); keep the event from becoming an uncaught error
  child.once('error', () => {
    exited = true;
  });
  return {
    get pid() {
      return child.pid;
    },
    get exited() {
      return exited;
    },
    async invoke(command) {
      const result = await shell.invoke(command);
      return { stdout: result.stdout?.toString('utf8') ?? '', stderr: result.stderr?.toString('utf8') ?? '' };
    },
    interrupt() {
      if (!exited) child.kill('SIGINT');
    },
    async kill() {
      if (exited) return;
      await shell.dispose('SIGKILL').catch(() => undefined);
    },
    async dispose() {
      if (exited) return;
      await shell.dispose('SIGTERM').catch(() => undefined);
    },
  };
};

export interface WorkerAnswer {
  status: 'ready' | 'succeeded' | 'noData' | 'failed';
  rows: number;
  category?: FailureCategory;
  message?: string;
}

/** The answer line a worker command ends with; undefined when there is none (a broken worker). */
export function parseWorkerAnswer(stdout: string): WorkerAnswer | undefined {
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.startsWith('{') && l.endsWith('}'));
  for (const line of lines.reverse()) {
    try {
      const value = JSON.parse(line) as Record<string, unknown>;
      if (!['ready', 'succeeded', 'noData', 'failed'].includes(String(value.status))) continue;
      const answer: WorkerAnswer = { status: value.status as WorkerAnswer['status'], rows: Number(value.rows ?? 0) || 0 };
      if (typeof value.category === 'string') {
        answer.category = (failureCategories as readonly string[]).includes(value.category)
          ? (value.category as FailureCategory)
          : 'RemoteError';
      }
      if (typeof value.message === 'string') answer.message = value.message;
      return answer;
    } catch {
      // not the answer line
    }
  }
  return undefined;
}
