import type { RunningSimulator } from '../../simulator/simulator-types.js';
import { collectPasswords, promptPassword } from '../credentials.js';
import type { BackendPlan, BackendStarter, RunBackend } from '../run-backend.js';
import { readAll } from '../read-all.js';
import type { Account } from '../runner-types.js';
import type { RuntimeDeps } from '../runtime-deps.js';
import { MAX_SESSIONS_PER_ACCOUNT } from '../../common/exchange-limits.js';
import { isDnsName } from '../../common/dns-name.js';
import { Redactor } from '../graph/redact.js';

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
 * Exchange Online through pwsh: pwsh is located at once (a missing pwsh is an error before the
 * simulator starts); on open, one password per account and one pwsh host for the whole run
 * (discovery, then every tenant attempt in its runspace pool), at most
 * 3 sessions per account.
 */
export function exchangeBackend(plan: BackendPlan, deps: RuntimeDeps): BackendStarter {
  const pwsh = deps.resolvePwsh(plan.pwshFlag);
  return {
    async open(simulator) {
      const accounts = await accountsFor(plan, deps, simulator);
      const sessionsPerAccount = Math.min(plan.maxSessions, MAX_SESSIONS_PER_ACCOUNT);
      const lanes = accounts.map((a) => ({ userName: a.userName, maxSessions: sessionsPerAccount }));
      const host = deps.openExchangeHost({
        pwshPath: pwsh.path,
        env: deps.env,
        ...(simulator ? { simulator: { env: simulator.env, standInModules: simulator.standInModules } } : {}),
        accounts,
        sessionsPerAccount,
      });
      // the passwords, wherever they came from (a prompt, stdin): kept out of what the run shows of itself
      const passwords = new Redactor();
      for (const account of accounts) passwords.add(account.password);
      const backend: RunBackend = {
        kind: 'exchange',
        lanes,
        laneLabel: 'Account',
        laneCap: MAX_SESSIONS_PER_ACCOUNT,
        // every account signs in at once: a wrong password stops the run here, before any tenant
        // (each account is its own user, so one bad password cannot lock another)
        discover: () => host.discovery.discover(accounts),
        tenantProblem(tenant) {
          // the initial domain goes into the connection URI (DelegatedOrg=…): only a DNS name may
          const target = tenant.initialDomain || tenant.domain;
          if (isDnsName(target)) return undefined;
          return {
            category: 'InvalidDomain',
            message: `the customer's initial domain '${target}' is not a valid DNS name; no connection was attempted`,
          };
        },
        createRunner: () => host.runner,
        createProbe: () => host.probe,
        close: () => host.close(),
        redact: (text) => passwords.clean(text),
      };
      return backend;
    },
  };
}
