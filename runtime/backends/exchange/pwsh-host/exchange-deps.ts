import { resolvePwsh, type ResolvedPwsh } from '../../../../common/pwsh-path.js';
import { openExchangeHost, type ExchangeHost, type ExchangeHostSpec } from './exchange-host.js';

/** What the Exchange backend alone takes from outside: pwsh, its one host, a password prompt. Tests replace them. */
export interface ExchangeDeps {
  /** Finds pwsh: --pwsh, DAP_PWSH, .tools/pwsh/pwsh, pwsh on PATH. */
  resolvePwsh(flag: string | undefined): ResolvedPwsh;
  /** Starts the run's pwsh host (discovery and tenant attempts). */
  openExchangeHost(spec: ExchangeHostSpec): ExchangeHost;
  /** Asks for an account's password; by default a prompt on a terminal stdin, none otherwise. */
  promptPassword?(userName: string): Promise<string>;
}

export function defaultExchangeDeps(): ExchangeDeps {
  return { resolvePwsh: (flag) => resolvePwsh({ flag }), openExchangeHost };
}
