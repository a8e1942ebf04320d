import type { CatalogParameterType, CatalogReport } from '../../../common/catalog.js';
import type { FailureCategory } from '../../../common/failure-category.js';

/** A partner account and its password; the password only ever travels in a child's environment. */
export interface Account {
  userName: string;
  password: string;
}

/** A customer as Get-DapCustomer returns it. */
export interface DiscoveredTenant {
  tenantId: string;
  name: string;
  defaultDomainName: string;
  initialDomain: string;
  contractType: string;
  /** Why the partner cannot reach this customer at all (e.g. its GDAP relationship is not active): it fails without a request. */
  problem?: { category: FailureCategory; message: string };
}

/**
 * Finds the customers each account can see. A refused sign-in is a DapError (exit 3); every
 * account's sign-in ends before the first failure (in account order) is answered.
 */
export interface Discovery {
  discover(accounts: readonly Account[]): Promise<Array<{ account: string; tenants: DiscoveredTenant[] }>>;
}

/** A report parameter value ready to hand to pwsh (datetime values are ISO strings). */
export interface JobParameter {
  name: string;
  type: CatalogParameterType;
  array: boolean;
  value: string | number | boolean | Array<string | number | boolean>;
}

/** One attempt at one tenant. */
export interface TenantJob {
  tenantId: string;
  /** TenantDomain: the customer's default domain (what its rows are labelled with). */
  domain: string;
  /** The initial domain the Exchange backend connects to (DelegatedOrg), already validated as a DNS name; absent: domain. */
  initialDomain?: string;
  account: string;
  report: CatalogReport;
  parameters: JobParameter[];
  /** Where the runner writes the tenant's rows (CSV with a header); the spool renames it when complete. */
  outPath: string;
  attempt: number;
}

export type OutcomeStatus = 'succeeded' | 'noData' | 'failed';

export interface TenantOutcome {
  status: OutcomeStatus;
  rows: number;
  category?: FailureCategory;
  message?: string;
  /** The file holding the rows when status is succeeded (normally job.outPath). */
  partPath?: string;
  /** A failure worth another attempt even though its category is not transient (e.g. an HTTP 5xx answer). */
  retryable?: boolean;
  /** The service said when to try again (Retry-After): the retry waits this long instead of the backoff. */
  retryAfterMs?: number;
  /** Rows came, but something about them needs the partner's attention (e.g. concealed user names). */
  warning?: TenantWarning;
  /** The error a failure came from, with its own causes; kept for a debugger and tests, never shown (the message is). */
  cause?: unknown;
}

/** What a succeeded tenant's rows need attention for: a code (the errors file's Category) and what to change. */
export interface TenantWarning {
  code: 'ConcealedNames';
  message: string;
}

/**
 * Runs one tenant. Implementations must stop promptly when the signal aborts (a timeout or an
 * interrupted run) and resolve rather than reject for failures of the tenant itself.
 */
export interface TenantRunner {
  run(job: TenantJob, signal: AbortSignal): Promise<TenantOutcome>;
  close(): Promise<void>;
}
