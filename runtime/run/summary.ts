import type { FailureCategory } from '../../common/failure-category.js';
import type { JobParameter, TenantWarning } from '../backends/contract/runner-types.js';
import type { AccountCounters, AttemptEvent } from './scheduler.js';
import { joinTerminal, tty, type TerminalText } from '../../common/terminal-text.js';

export type TenantSummaryStatus = 'succeeded' | 'noData' | 'failed' | 'pending';

export interface TenantSummary {
  domain: string;
  tenantId: string;
  name: string;
  account: string;
  status: TenantSummaryStatus;
  attempts: number;
  durationMs: number;
  rows: number;
  category?: FailureCategory;
  message?: string;
  /** Rows came, but they need attention (e.g. concealed user names), and what to change. */
  warning?: TenantWarning;
}

export interface RunSummary {
  report: string;
  /** exchange or graph. */
  backend?: string;
  parameters: Array<Pick<JobParameter, 'name' | 'value'>>;
  /** The merged CSV's path, '-' when it went to stdout (--out -), null when none was written. */
  output: string | null;
  errorsFile: string | null;
  /** The run folder, or null when the finished run removed it (see --keep-spool). */
  runDirectory: string | null;
  /**
   * The output's columns, those of them the report does not declare (found in the tenants' rows),
   * and the tenants' columns named like one the output fills itself, with the names they are kept under.
   */
  columns?: { output: string[]; undeclared: string[]; renamed: Array<{ column: string; as: string }> };
  resumed: boolean;
  interrupted: boolean;
  exitCode: number;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  totals: {
    tenants: number;
    succeeded: number;
    noData: number;
    failed: number;
    pending: number;
    rows: number;
    /** Tenants kept from an earlier run by --resume. */
    reused: number;
    byCategory: Record<string, number>;
    /** Succeeded tenants whose rows need attention, by warning code. */
    warnings: Record<string, number>;
  };
  /** Counted by the scheduler: the most sessions this run had open at once, per account. */
  accounts: Record<string, AccountCounters>;
  /**
   * Every attempt of this run (not of the run a --resume continued), from the scheduler's events:
   * lane (account or app), slot, times in ms since the run started, outcome, wait before a retry.
   * The run page's timeline is drawn from these.
   */
  attempts?: AttemptEvent[];
  /** What a lane is: a partner account or the partner app. */
  laneLabel?: 'Account' | 'App';
  /** A sentence the page shows under its title (dap-report check: the readiness and the run's estimate). */
  note?: string;
  /** The command line that produced the run (after the program name), secrets replaced by [redacted]. */
  command?: string[];
  /** Under --simulate: the simulator's own counters. */
  simulator?: unknown;
  tenants: TenantSummary[];
}

/** `--out -`, and RunSummary.output of such a run: the CSV goes to stdout. */
export const stdoutOutput = '-';

export function totalsOf(tenants: readonly TenantSummary[], reused: number): RunSummary['totals'] {
  const totals: RunSummary['totals'] = { tenants: tenants.length, succeeded: 0, noData: 0, failed: 0, pending: 0, rows: 0, reused, byCategory: {}, warnings: {} };
  for (const t of tenants) {
    totals[t.status] += 1;
    totals.rows += t.rows;
    const category = t.status === 'noData' ? 'NoData' : t.status === 'failed' ? (t.category ?? 'RemoteError') : undefined;
    if (category) totals.byCategory[category] = (totals.byCategory[category] ?? 0) + 1;
    if (t.warning) totals.warnings[t.warning.code] = (totals.warnings[t.warning.code] ?? 0) + 1;
  }
  return totals;
}

/** The one-line human summary printed on stderr. */
export function summaryLine(summary: RunSummary): TerminalText {
  const t = summary.totals;
  const parts = [
    tty`${summary.report}: ${t.tenants} tenant${t.tenants === 1 ? '' : 's'}`,
    tty`${t.succeeded + t.noData} succeeded${t.noData ? ` (${t.noData} with no data)` : ''}`,
    tty`${t.failed} failed${t.failed ? ` (${Object.entries(t.byCategory).filter(([c]) => c !== 'NoData').map(([c, n]) => `${c} ${n}`).join(', ')})` : ''}`,
  ];
  if (t.pending) parts.push(tty`${t.pending} not run`);
  const warned = Object.entries(t.warnings ?? {});
  if (warned.length) parts.push(tty`warnings: ${warned.map(([code, n]) => `${code} ${n}`).join(', ')}`);
  parts.push(tty`${t.rows} rows`);
  const where = summary.output ? tty` -> ${summary.output === stdoutOutput ? 'stdout' : summary.output}` : '';
  const errors = summary.errorsFile ? tty` (errors: ${summary.errorsFile})` : '';
  return tty`${joinTerminal(parts, ', ')}${where}${errors} in ${(summary.durationMs / 1000).toFixed(1)} s`;
}
