import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DapError, ExitCode } from '../../common/dap-error.js';
import type { Account, DiscoveredTenant, Discovery } from '../runner-types.js';
import { nodePowerShellWorker, parseWorkerAnswer, type WorkerProcessFactory } from './worker-process.js';
import { bootstrapCommand, discoveryJobCommand, workerSpawnSpec, type WorkerContext } from './worker-spawn.js';

/** Discovery through the module: one pwsh process per account, Connect-DapPartner once, Get-DapCustomer. */
export class PwshDiscovery implements Discovery {
  private readonly dir = mkdtempSync(join(tmpdir(), 'dap-discovery-'));

  constructor(
    private readonly context: WorkerContext,
    private readonly createProcess: WorkerProcessFactory = nodePowerShellWorker,
  ) {}

  async discover(account: Account): Promise<DiscoveredTenant[]> {
    const worker = this.createProcess(workerSpawnSpec(this.context, account));
    const jobFile = join(this.dir, `${Date.now()}-${Math.random().toString(36).slice(2)}.job.json`);
    const outPath = `${jobFile}.customers.json`;
    try {
      const ready = parseWorkerAnswer((await worker.invoke(bootstrapCommand(this.context))).stdout);
      if (ready?.status !== 'ready') {
        throw new DapError('WORKER_START_FAILED', ExitCode.fatal, `pwsh (${this.context.pwshPath}) could not load the DapReporting module: ${ready?.message ?? 'no answer'}`);
      }
      await fs.writeFile(jobFile, JSON.stringify({ outPath }));
      const output = await worker.invoke(discoveryJobCommand(jobFile));
      const answer = parseWorkerAnswer(output.stdout);
      if (!answer) {
        throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, `listing the customers of ${account.userName} gave no answer; stderr: ${output.stderr.trim().slice(-500) || '(empty)'}`);
      }
      if (answer.status === 'failed') {
        if (answer.category === 'AuthenticationFailed') {
          throw new DapError('AUTHENTICATION_FAILED', ExitCode.fatal, `sign-in failed for ${account.userName}: ${answer.message ?? 'bad user name or password'}; stopped before any tenant was tried`);
        }
        throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, `listing the customers of ${account.userName} failed (${answer.category ?? 'RemoteError'}): ${answer.message ?? ''}`);
      }
      const parsed = JSON.parse(await fs.readFile(outPath, 'utf8')) as DiscoveredTenant[];
      return Array.isArray(parsed) ? parsed : [];
    } catch (error) {
      if (error instanceof DapError) throw error;
      throw new DapError('DISCOVERY_FAILED', ExitCode.fatal, `listing the customers of ${account.userName} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      await worker.dispose();
      if (!worker.exited) await worker.kill();
      await fs.rm(jobFile, { force: true });
      await fs.rm(outPath, { force: true });
    }
  }

  async close(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
