import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { WorkerProcess, WorkerProcessFactory } from '../../runtime/pwsh/worker-process.js';
import type { WorkerJobFile } from '../../runtime/pwsh/worker-pool.js';
import type { WorkerSpawnSpec } from '../../runtime/pwsh/worker-spawn.js';
import type { DiscoveredTenant } from '../../runtime/runner-types.js';
import { rowsFor } from './fakes.js';

/** Reads back the single-quoted literal that names the job file (the only data in a command). */
function literalArgument(command: string): string {
  const match = /-JobFile '((?:[^']|'')*)'$/.exec(command);
  if (!match) throw new Error(`unexpected worker command: ${command}`);
  return match[1]!.replace(/''/g, "'");
}

export interface FakeProcessBehaviour {
  /**
   * For a report job: 'crash' rejects like a dying process; 'garbage' answers no JSON; 'hang' never
   * answers until interrupted (then, like pwsh after Ctrl+C, the command ends without an answer);
   * 'stuck' ignores the interrupt too and only a kill ends it.
   */
  job?: (job: WorkerJobFile, processIndex: number) => 'ok' | 'crash' | 'garbage' | 'hang' | 'stuck' | { category: string; message: string };
  customers?: DiscoveredTenant[];
  signInFails?: boolean;
}

/** Emulates DapWorker.psm1 in a pwsh process, recording how processes are started and what they are sent. */
export class FakeProcesses {
  specs: WorkerSpawnSpec[] = [];
  commands: string[] = [];
  jobTexts: string[] = [];
  killed = 0;
  interrupted = 0;
  live = 0;

  constructor(private readonly behaviour: FakeProcessBehaviour = {}) {}

  factory: WorkerProcessFactory = (spec) => {
    this.specs.push(spec);
    const index = this.specs.length - 1;
    this.live += 1;
    let exited = false;
    let pendingReject: ((e: Error) => void) | undefined;
    let pendingStop: (() => void) | undefined;
    const exit = () => {
      if (exited) return;
      exited = true;
      this.live -= 1;
      pendingReject?.(new Error('pwsh exited (signal SIGKILL)'));
    };
    const answer = (value: Record<string, unknown>) => ({ stdout: `WARNING: noise before the answer\n${JSON.stringify(value)}\n`, stderr: '' });
    const proc: WorkerProcess = {
      pid: 10_000 + index,
      get exited() {
        return exited;
      },
      invoke: async (command) => {
        this.commands.push(command);
        if (exited) throw new Error('invoke called after process exited');
        if (command.includes('Initialize-DapWorker')) return answer({ status: 'ready', rows: 0, category: null, message: null });
        const text = readFileSync(literalArgument(command), 'utf8');
        this.jobTexts.push(text);
        const job = JSON.parse(text) as WorkerJobFile & { outPath: string };
        if (command.startsWith('Invoke-DapDiscoveryJob')) {
          if (this.behaviour.signInFails) return answer({ status: 'failed', rows: 0, category: 'AuthenticationFailed', message: 'Authentication Error: Bad username or password.' });
          writeFileSync(job.outPath, JSON.stringify(this.behaviour.customers ?? []));
          return answer({ status: 'succeeded', rows: this.behaviour.customers?.length ?? 0, category: null, message: null });
        }
        const what = this.behaviour.job?.(job, index) ?? 'ok';
        if (what === 'crash') {
          exit();
          throw new Error('pwsh exited with code 139');
        }
        if (what === 'garbage') return { stdout: 'Segmentation fault?\n', stderr: 'boom' };
        if (what === 'hang' || what === 'stuck') {
          return new Promise((resolve, reject) => {
            pendingReject = reject;
            if (what === 'hang') pendingStop = () => resolve({ stdout: '', stderr: '' });
          });
        }
        if (typeof what === 'object') return answer({ status: 'failed', rows: 0, ...what });
        const rows = rowsFor(job);
        writeFileSync(job.outPath, stringify(rows));
        return answer({ status: 'succeeded', rows: rows.length - 1, category: null, message: null });
      },
      interrupt: () => {
        this.interrupted += 1;
        const stop = pendingStop;
        pendingStop = undefined;
        stop?.();
      },
      kill: async () => {
        this.killed += 1;
        exit();
      },
      dispose: async () => exit(),
    };
    return proc;
  };
}
