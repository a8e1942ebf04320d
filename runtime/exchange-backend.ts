import type { RunningSimulator } from '../simulator/simulator-types.js';
import { collectPasswords, promptPassword } from './credentials.js';
import type { BackendPlan, BackendStarter, RunBackend } from './run-backend.js';
import type { Account } from './runner-types.js';
import type { RuntimeDeps } from './runtime-deps.js';
import { MAX_SESSIONS_PER_ACCOUNT } from './scheduler.js';
import { isDnsName } from './tenant-names.js';
import type { WorkerContext } from './pwsh/worker-spawn.js';

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return text;
}

/** Accounts with their passwords, from the environment, stdin, the simulator or a prompt. */
async function accountsFor(plan: BackendPlan, deps: RuntimeDeps, simulator: RunningSimulator | undefined): Promise<Account[]> {
  const users = plan.users.length > 0 ? plan.users : simulator ? [simulator.userName] : [];
  const stdinIsTTY = (deps.stdin as { isTTY?: boolean }).isTTY === true;
  const prompt = deps.promptPassword ?? (stdinIsTTY ? (user: string) => promptPassword(user, deps.stdin, deps.stderr) : undefined);
  return collectPasswords({
    users,
    env: deps.env,
    ...(plan.passwordStdin ? { readStdin: () => readAll(deps.stdin) } : {}),
    ...(prompt ? { prompt } : {}),
    ...(simulator ? { simulator: { userName: simulator.userName, password: simulator.env.DAP_PASSWORD } } : {}),
  });
}

/**
 * Exchange Online through pwsh: pwsh is located at once (a missing pwsh is fatal before the
 * simulator starts); on open, one password per account, discovery by one sign-in per account,
 * workers from the pool, at most 3 sessions per account.
 */
export function exchangeBackend(plan: BackendPlan, deps: RuntimeDeps): BackendStarter {
  const pwsh = deps.resolvePwsh(plan.pwshFlag);
  return {
    async open(simulator) {
      const accounts = await accountsFor(plan, deps, simulator);
      const context: WorkerContext = { pwshPath: pwsh.path, baseEnv: deps.env, ...(simulator ? { extraEnv: simulator.env } : {}) };
      const backend: RunBackend = {
        kind: 'exchange',
        lanes: accounts.map((a) => ({ userName: a.userName, maxSessions: plan.maxSessions })),
        laneCap: MAX_SESSIONS_PER_ACCOUNT,
        async discover() {
          // one sign-in per account, all accounts at once: a wrong password stops the run here,
          // before any tenant (each account is its own user, so one bad password cannot lock another)
          const discovery = deps.createDiscovery(context);
          try {
            const signIns = accounts.map(async (account) => ({ account: account.userName, tenants: await discovery.discover(account) }));
            // every sign-in ends before the discovery folder goes, then the first failure (in account order) is the answer
            await Promise.allSettled(signIns);
            return await Promise.all(signIns);
          } finally {
            await discovery.close();
          }
        },
        tenantProblem(tenant) {
          // the domain goes into the connection URI (DelegatedOrg=…): only a DNS name may
          if (isDnsName(tenant.domain)) return undefined;
          return {
            category: 'InvalidDomain',
            message: `the customer's initial domain '${tenant.domain}' is not a valid DNS name; no connection was attempted`,
          };
        },
        createRunner: (jobFileFor) => deps.createRunner(context, accounts, jobFileFor),
        async close() {},
      };
      return backend;
    },
  };
}
