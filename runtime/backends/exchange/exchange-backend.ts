import { existsSync } from 'node:fs';
import { DapError, ExitCode } from '../../../common/dap-error.js';
import { collectPasswords, promptPassword } from './credentials.js';
import type { BackendKind, BackendStarter, CatalogLocation, RunBackend } from '../contract/run-backend.js';
import type { BackendDeps } from '../contract/backend-deps.js';
import { readSecretStdin } from '../../platform/files/read-all.js';
import type { Account } from '../contract/runner-types.js';
import type { SimulatedWorld } from '../contract/simulated-world.js';
import { MAX_SESSIONS_PER_ACCOUNT } from '../../../common/exchange-limits.js';
import { isDnsName } from '../../../common/dns-name.js';
import { Redactor } from '../../platform/redact.js';
import type { ExchangeDeps } from './pwsh-host/exchange-deps.js';

/** Accounts with their passwords, from the environment, stdin, the simulator or a prompt. */
/** What the Exchange backend needs to know of a run. */
export interface ExchangePlan {
  backend: BackendKind;
  /** The partner accounts (--user). */
  users: string[];
  passwordStdin: boolean;
  pwshFlag?: string;
  /** Sessions per account. */
  maxSessions: number;
  /** A catalog given with --catalog or DAP_CATALOG: the pwsh host runs the module beside it. */
  catalog?: CatalogLocation;
}

async function accountsFor(plan: ExchangePlan, deps: BackendDeps, own: ExchangeDeps, world: SimulatedWorld | undefined): Promise<Account[]> {
  const users = plan.users.length > 0 ? plan.users : world ? [world.exchange.userName] : [];
  const stdinIsTTY = (deps.stdin as { isTTY?: boolean }).isTTY === true;
  const prompt = own.promptPassword ?? (stdinIsTTY ? (user: string) => promptPassword(user, deps.stdin, deps.stderr) : undefined);
  return collectPasswords({
    users,
    env: deps.env,
    ...(plan.passwordStdin ? { readStdin: () => readSecretStdin(deps.stdin, '--password-stdin') } : {}),
    ...(prompt ? { prompt } : {}),
    ...(world ? { simulator: { userName: world.exchange.userName, password: world.exchange.password } } : {}),
  });
}

/**
 * Exchange Online through pwsh: pwsh is located at once (a missing pwsh is an error before the
 * simulator starts), and so is the module of a --catalog; on open, one password per account and
 * one pwsh host for the whole run (discovery, then every tenant attempt in its runspace pool), at
 * most 3 sessions per account.
 */
export function exchangeBackend(plan: ExchangePlan, deps: BackendDeps, own: ExchangeDeps): BackendStarter {
  const pwsh = own.resolvePwsh(plan.pwshFlag);
  const catalog = plan.catalog;
  if (catalog && !existsSync(catalog.moduleManifest)) {
    throw new DapError(
      'MODULE_NOT_FOUND',
      ExitCode.usage,
      `${catalog.given}: the Exchange backend runs the DapReporting module that dap-gen writes beside the catalog, and there is none: expected ${catalog.moduleManifest}`,
    );
  }
  return {
    async open(world) {
      const accounts = await accountsFor(plan, deps, own, world);
      const sessionsPerAccount = Math.min(plan.maxSessions, MAX_SESSIONS_PER_ACCOUNT);
      const lanes = accounts.map((a) => ({ userName: a.userName, maxSessions: sessionsPerAccount }));
      const host = own.openExchangeHost({
        pwshPath: pwsh.path,
        env: deps.env,
        ...(world ? { simulator: { env: world.exchange.env, standInModules: world.exchange.standInModules } } : {}),
        accounts,
        sessionsPerAccount,
        ...(catalog ? { moduleManifest: catalog.moduleManifest } : {}),
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
