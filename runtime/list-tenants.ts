import { stringify } from 'csv-stringify/sync';
import { DapError, ExitCode } from '../common/dap-error.js';
import type { RunningSimulator } from '../simulator/simulator-types.js';
import { collectPasswords, promptPassword } from './credentials.js';
import type { RuntimeDeps } from './runtime-deps.js';
import type { DiscoveredTenant } from './runner-types.js';
import { selectTenants, type TenantFilter } from './tenant-selection.js';

export interface TenantsPlan {
  users: string[];
  simulate?: { scenario?: string };
  filter: TenantFilter;
  pwshFlag?: string;
  passwordStdin: boolean;
  json: boolean;
}

/** `dap-report tenants`: signs each account in once and lists the customers the run would cover. */
export async function listTenants(plan: TenantsPlan, deps: RuntimeDeps): Promise<void> {
  const pwsh = deps.resolvePwsh(plan.pwshFlag);
  let simulator: RunningSimulator | undefined;
  try {
    if (plan.simulate) simulator = await deps.startSimulator(plan.simulate.scenario ? { scenario: plan.simulate.scenario } : {});
    const users = plan.users.length > 0 ? plan.users : simulator ? [simulator.userName] : [];
    if (users.length === 0) throw new DapError('MISSING_USER', ExitCode.usage, 'tenants needs --user <upn> (or --simulate)');
    const stdinIsTTY = (deps.stdin as { isTTY?: boolean }).isTTY === true;
    const prompt = deps.promptPassword ?? (stdinIsTTY ? (u: string) => promptPassword(u, deps.stdin, deps.stderr) : undefined);
    const accounts = await collectPasswords({
      users,
      env: deps.env,
      ...(plan.passwordStdin
        ? {
            readStdin: async () => {
              let text = '';
              for await (const chunk of deps.stdin) text += String(chunk);
              return text;
            },
          }
        : {}),
      ...(prompt ? { prompt } : {}),
      ...(simulator ? { simulator: { userName: simulator.userName, password: simulator.env.DAP_PASSWORD } } : {}),
    });
    const discovery = deps.createDiscovery({ pwshPath: pwsh.path, baseEnv: deps.env, ...(simulator ? { extraEnv: simulator.env } : {}) });
    const discovered: Array<{ account: string; tenants: DiscoveredTenant[] }> = [];
    try {
      for (const account of accounts) discovered.push({ account: account.userName, tenants: await discovery.discover(account) });
    } finally {
      await discovery.close();
    }
    const { tenants } = selectTenants(discovered, plan.filter);
    if (plan.json) {
      deps.stdout.write(`${JSON.stringify(tenants, null, 2)}\n`);
    } else {
      deps.stdout.write(
        stringify([
          ['TenantDomain', 'TenantId', 'Name', 'Account', 'ValidDomain'],
          ...tenants.map((t) => [t.domain, t.tenantId, t.name, t.account, t.validDomain ? 'yes' : 'no']),
        ]),
      );
    }
  } finally {
    if (simulator) await simulator.stop();
  }
}
