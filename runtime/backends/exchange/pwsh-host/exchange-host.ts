import { join } from 'node:path';
import { moduleDir } from '../../../../common/project-paths.js';
import type { Account, Discovery, TenantRunner } from '../../contract/runner-types.js';
import { HostDiscovery, HostTenantRunner } from './host-runner.js';
import { HostSupervisor } from './host-supervisor.js';
import { hostEnvironment } from './pwsh-host.js';

export const defaultModuleManifest = join(moduleDir, 'DapReporting', 'DapReporting.psd1');

/** What the Exchange backend needs to run its one pwsh host. */
export interface ExchangeHostSpec {
  pwshPath: string;
  /** The caller's environment; the host gets it without any secret. */
  env: NodeJS.ProcessEnv;
  /** Under --simulate: the simulator's environment (DAP_SIM_URL …) and its stand-in modules. */
  simulator?: { env: Record<string, string>; standInModules: string[] };
  /** Each account's password reaches the host once, over stdin. */
  accounts: readonly Account[];
  /** Each account's session cap; the pool has their sum of runspaces. */
  sessionsPerAccount: number;
  moduleManifest?: string;
}

/** The run's pwsh host, seen as discovery and as the tenant runner; close() ends it. */
export interface ExchangeHost {
  discovery: Discovery;
  runner: TenantRunner;
  /** Checks tenants (dap-report check) in the same pool: a session opened, one cheap call. */
  probe: TenantRunner;
  /** Process ids of the hosts started so far (one, unless one crashed and was replaced). */
  pids(): number[];
  close(): Promise<void>;
}

export function openExchangeHost(spec: ExchangeHostSpec): ExchangeHost {
  const supervisor = new HostSupervisor({
    pwshPath: spec.pwshPath,
    env: hostEnvironment(spec.env, spec.simulator?.env),
    hello: {
      poolSize: spec.sessionsPerAccount * spec.accounts.length,
      accounts: spec.accounts.map(({ userName, password }) => ({ userName, password })),
      standInModules: spec.simulator?.standInModules ?? [],
      moduleManifest: spec.moduleManifest ?? defaultModuleManifest,
    },
  });
  return {
    discovery: new HostDiscovery(supervisor, () => spec.sessionsPerAccount),
    runner: new HostTenantRunner(supervisor),
    probe: new HostTenantRunner(supervisor, 'probe'),
    pids: () => supervisor.started.flatMap((host) => (host.pid === undefined ? [] : [host.pid])),
    close: () => supervisor.close(),
  };
}
