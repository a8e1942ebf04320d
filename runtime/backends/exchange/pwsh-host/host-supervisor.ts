import { HostExitedError, PwshHost, type HostSpawnSpec } from './pwsh-host.js';

export interface SupervisorOptions {
  /** How often a live host is asked whether it still answers. */
  pingEveryMs?: number;
  /** A host that does not answer within this long is killed (its attempts fail as WorkerCrashed) and replaced. */
  pingTimeoutMs?: number;
  /** Tests replace the process. */
  start?: (spec: HostSpawnSpec) => Promise<PwshHost>;
}

/**
 * Keeps one pwsh host for the run: starts it on first use, checks that it still answers, and
 * starts a new one when it crashed or was killed as unresponsive (the attempts it held fail as
 * WorkerCrashed and the scheduler retries them; parts already committed are untouched).
 */
export class HostSupervisor {
  private current: Promise<PwshHost> | undefined;
  private readonly health: NodeJS.Timeout;
  private closed = false;
  /** Every host this supervisor started (for diagnostics and tests). */
  readonly started: PwshHost[] = [];

  constructor(
    private readonly spec: HostSpawnSpec,
    private readonly options: SupervisorOptions = {},
  ) {
    this.health = setInterval(() => void this.check(), options.pingEveryMs ?? 15_000);
    this.health.unref();
  }

  /** The live host, started (again) when needed. Rejects with HostExitedError when it cannot start. */
  async get(): Promise<PwshHost> {
    if (this.closed) throw new HostExitedError('the run is ending: no new attempt is started');
    if (this.current) {
      const host = await this.current.catch(() => undefined);
      if (host?.alive) return host;
    }
    // concurrent callers share one start
    const starting = (this.options.start ?? PwshHost.start)(this.spec).then((host) => {
      this.started.push(host);
      return host;
    });
    this.current = starting;
    return starting;
  }

  /** Ends the host: running attempts are stopped (their sessions close); killed after graceMs. */
  async close(graceMs?: number): Promise<void> {
    this.closed = true;
    clearInterval(this.health);
    const host = await this.current?.catch(() => undefined);
    await host?.close(graceMs);
  }

  private async check(): Promise<void> {
    const host = await this.current?.catch(() => undefined);
    if (!host?.alive) return;
    try {
      await host.ping(this.options.pingTimeoutMs ?? 30_000);
    } catch {
      if (host.alive) await host.kill();
    }
  }
}
