import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../../../common/project-paths.js';
import { encodeMessage, parseHostLine, PROTOCOL_VERSION, type HelloMessage, type HostMessage, type HostReady, type HostResult, type NodeMessage, type RunMessage } from './protocol.js';

export const hostScriptPath = join(projectRoot, 'runtime', 'backends', 'exchange', 'powershell', 'DapHost.ps1');
export const hostJobsModulePath = join(projectRoot, 'runtime', 'backends', 'exchange', 'powershell', 'DapHostJobs.psm1');

/** The host ended (it exited, crashed or was killed) before it answered. */
export class HostExitedError extends Error {}

export interface HostSpawnSpec {
  pwshPath: string;
  /** The whole environment of the host: secrets already removed (see hostEnvironment). */
  env: Record<string, string>;
  /** Everything in hello but its fixed fields. */
  hello: Omit<HelloMessage, 'type' | 'protocol' | 'jobsModule'>;
  /** How long the host may take to import its modules and open its pool. */
  startTimeoutMs?: number;
}

/** Names of variables that hold secrets: the host gets its passwords over stdin, and nothing else. */
export function isSecretVariable(name: string): boolean {
  return /^DAP_.*(PASSWORD|SECRET|TOKEN)/i.test(name);
}

/**
 * .NET runtime settings for the host, unless the caller's environment sets them: a long-lived
 * process whose attempts mostly wait on the network does better without tiered PGO's instrumented
 * code, without thread-pool workers spinning for work and without a background GC thread (on a
 * machine with few cores those take CPU from the Node process and, under --simulate, the
 * simulator), and with a small first GC generation and a GC that compacts to give memory back
 * (its runspaces each allocate at once, and the heap otherwise keeps the sum of their peaks).
 * Measured in bench/RESULTS.md (B2, B5).
 */
export const hostRuntimeSettings: Readonly<Record<string, string>> = {
  DOTNET_TieredPGO: '0',
  DOTNET_ThreadPool_UnfairSemaphoreSpinLimit: '0',
  DOTNET_gcConcurrent: '0',
  DOTNET_GCgen0size: '0x800000',
  DOTNET_GCConserveMemory: '5',
};

/** The host's environment: the caller's (and the simulator's) minus every secret, plus fixed pwsh settings. */
export function hostEnvironment(...sources: Array<NodeJS.ProcessEnv | Record<string, string> | undefined>): Record<string, string> {
  const env: Record<string, string> = { ...hostRuntimeSettings };
  for (const source of sources) {
    for (const [name, value] of Object.entries(source ?? {})) {
      if (value !== undefined && !isSecretVariable(name)) env[name] = value;
    }
  }
  env.POWERSHELL_TELEMETRY_OPTOUT = '1';
  env.POWERSHELL_UPDATECHECK = 'Off';
  env.NO_COLOR = '1';
  env.TERM = 'dumb';
  return env;
}

/** The argv of the host process: fixed switches and the script path, nothing else. */
export function hostArgs(): string[] {
  return ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', hostScriptPath];
}

const STDERR_KEPT = 4_000;

/**
 * One running pwsh host. It is started in its own process group, so a Ctrl-C at the terminal
 * reaches dap-report only (which then stops attempts one by one), and kill() ends the host and
 * anything it started. The host ends by itself when its stdin closes, so it never outlives
 * dap-report.
 */
export class PwshHost {
  private readonly pending = new Map<string, { resolve(result: HostResult): void; reject(error: Error): void }>();
  private readonly pongs = new Map<string, () => void>();
  private stderrTail = '';
  private exitReason: string | undefined;
  private readonly exited: Promise<void>;
  private nextPing = 1;
  ready: HostReady | undefined;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.fail(`the pwsh host (pid ${child.pid}) ended with ${signal ? `signal ${signal}` : `exit code ${code}`}${this.stderrTail.trim() ? `; stderr: ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
        resolve();
      });
      child.once('error', (error) => {
        this.fail(`the pwsh host could not run: ${error.message}`);
        resolve();
      });
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_KEPT);
    });
    // a write after the host died must not become an uncaught error
    child.stdin?.on('error', () => undefined);
    createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => this.receive(parseHostLine(line)));
  }

  /** Starts the host and waits until it has imported its modules and opened its pool. */
  static async start(spec: HostSpawnSpec): Promise<PwshHost> {
    const child = spawn(spec.pwshPath, hostArgs(), { env: spec.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const host = new PwshHost(child);
    const hello: HelloMessage = { type: 'hello', protocol: PROTOCOL_VERSION, jobsModule: hostJobsModulePath, ...spec.hello };
    const ready = new Promise<HostReady>((resolve, reject) => {
      host.onReady = resolve;
      host.onFatal = (message) => reject(new HostExitedError(message));
    });
    host.send(hello);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HostExitedError(`the pwsh host did not become ready within ${Math.round((spec.startTimeoutMs ?? 60_000) / 1000)} s`)), spec.startTimeoutMs ?? 60_000);
    });
    try {
      host.ready = await Promise.race([ready, timeout, host.exited.then(() => Promise.reject(new HostExitedError(host.exitReason ?? 'the pwsh host ended')))]);
      return host;
    } catch (error) {
      await host.kill();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private onReady: (ready: HostReady) => void = () => undefined;
  private onFatal: (message: string) => void = () => undefined;

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitReason === undefined;
  }

  /** Attempts sent and not answered yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Runs one attempt; resolves with its result (status stopped after cancel), rejects with HostExitedError. */
  request(message: RunMessage): Promise<HostResult> {
    if (this.exitReason !== undefined) return Promise.reject(new HostExitedError(this.exitReason));
    if (this.pending.has(message.id)) return Promise.reject(new Error(`attempt ${message.id} is already running`));
    const answer = new Promise<HostResult>((resolve, reject) => this.pending.set(message.id, { resolve, reject }));
    this.send(message);
    return answer;
  }

  /** Asks the host to stop one attempt; its result (status stopped) follows. */
  cancel(id: string): void {
    if (this.pending.has(id)) this.send({ type: 'cancel', id });
  }

  /** Resolves when the host answers a ping within timeoutMs; rejects otherwise. */
  ping(timeoutMs: number): Promise<void> {
    const id = `ping-${this.nextPing++}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pongs.delete(id);
        reject(new Error(`the pwsh host (pid ${this.pid}) did not answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.pongs.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
      this.send({ type: 'ping', id });
    });
  }

  /**
   * Ends the host: it stops what still runs (each remote session closes), says bye and exits; after
   * graceMs the process group is killed. A host with nothing running holds no session: it is
   * killed at once instead of waiting for the runtime to shut down.
   */
  async close(graceMs = 15_000): Promise<void> {
    if (this.exitReason === undefined && this.pending.size === 0) {
      await this.kill();
      return;
    }
    if (this.exitReason === undefined) {
      this.send({ type: 'shutdown' });
      this.child.stdin?.end();
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    const outcome = await Promise.race([this.exited.then(() => 'exited' as const), late]);
    clearTimeout(timer);
    if (outcome === 'late') await this.kill();
  }

  /** Kills the host's whole process group at once. */
  async kill(): Promise<void> {
    if (this.child.pid !== undefined && this.exitReason === undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        this.child.kill('SIGKILL');
      }
    }
    await this.exited;
  }

  private send(message: NodeMessage): void {
    if (this.exitReason !== undefined || !this.child.stdin?.writable) return;
    this.child.stdin.write(encodeMessage(message));
  }

  private receive(message: HostMessage | undefined): void {
    if (!message) return;
    switch (message.type) {
      case 'ready':
        this.onReady(message);
        break;
      case 'fatal':
        this.onFatal(message.message);
        break;
      case 'result': {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        waiting?.resolve(message);
        break;
      }
      case 'pong':
        this.pongs.get(message.id)?.();
        this.pongs.delete(message.id);
        break;
      case 'error': {
        // a message the host refused: the attempt it names cannot go on
        const waiting = message.id ? this.pending.get(message.id) : undefined;
        if (message.id) this.pending.delete(message.id);
        waiting?.reject(new Error(`the pwsh host refused a message: ${message.message}`));
        break;
      }
      case 'bye':
        break;
    }
  }

  private fail(reason: string): void {
    if (this.exitReason !== undefined) return;
    this.exitReason = reason;
    this.onFatal(reason);
    for (const waiting of this.pending.values()) waiting.reject(new HostExitedError(reason));
    this.pending.clear();
  }
}
