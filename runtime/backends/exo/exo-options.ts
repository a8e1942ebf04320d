import { DapError, ExitCode } from '../../../common/dap-error.js';
import { checkBaseUrl } from '../app/http/graph-urls.js';
import { DEFAULT_EXCHANGE_URL, DEFAULT_TENANT_CONCURRENCY, MAX_TENANT_CONCURRENCY } from './exo-limits.js';

/** The Exchange REST options as commander hands them over. */
export interface ExoCliOptions {
  exchangeUrl?: string;
  tenantConcurrency?: string;
}

/** The checked Exchange REST options (the app's own are the Graph plan's: sign-in, discovery, --concurrency). */
export interface ExoPlan {
  exchangeUrl: string;
  tenantConcurrency: number;
}

export const exoOnlyOptions: ReadonlyArray<[keyof ExoCliOptions, string]> = [
  ['exchangeUrl', '--exchange-url'],
  ['tenantConcurrency', '--tenant-concurrency'],
];

/** Exchange REST options given to a run on another backend: a usage error naming them. */
export function rejectExoOptions(options: ExoCliOptions, why: string): void {
  const given = exoOnlyOptions.filter(([key]) => options[key] !== undefined).map(([, flag]) => flag);
  if (given.length > 0) throw new DapError('OPTION_CONFLICT', ExitCode.usage, `${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} only to --backend exo; ${why}`);
}

export function planExo(options: ExoCliOptions): ExoPlan {
  const checked = checkBaseUrl(options.exchangeUrl ?? DEFAULT_EXCHANGE_URL);
  if ('problem' in checked) throw new DapError('BAD_EXCHANGE_URL', ExitCode.usage, `--exchange-url: ${checked.problem}`);
  let tenantConcurrency = DEFAULT_TENANT_CONCURRENCY;
  if (options.tenantConcurrency !== undefined) {
    const raw = options.tenantConcurrency;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > MAX_TENANT_CONCURRENCY) {
      throw new DapError('BAD_TENANT_CONCURRENCY', ExitCode.usage, `--tenant-concurrency expects a whole number from 1 to ${MAX_TENANT_CONCURRENCY}, received '${raw}'`);
    }
    tenantConcurrency = Number(raw);
  }
  return { exchangeUrl: checked.base, tenantConcurrency };
}
