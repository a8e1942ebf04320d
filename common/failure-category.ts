/**
 * Why a tenant produced no rows. The PowerShell module raises terminating errors whose
 * FullyQualifiedErrorId starts with `Dap.<Category>`; the runtime records the same names in the
 * errors file and the summary. dap-gen writes this list into the module's Get-DapFailureCategory,
 * the one PowerShell rule from an error record to its category (used by Export-DapAggregateReport,
 * the standalone scripts and dap-report's pwsh host).
 */
export const failureCategories = [
  'AuthenticationFailed',
  'AccessDenied',
  'ConsentMissing',
  'RelationshipExpired',
  'RelationshipPending',
  'RelationshipTerminated',
  'SessionLimit',
  'Throttled',
  'Timeout',
  'NoData',
  'InvalidParameter',
  'InvalidDomain',
  'InvalidData',
  'RemoteError',
  'WorkerCrashed',
  'Interrupted',
] as const;
export type FailureCategory = (typeof failureCategories)[number];

/** Categories worth another attempt: the cause may be gone a little later. */
export const transientCategories: ReadonlySet<FailureCategory> = new Set([
  'SessionLimit',
  'Throttled',
  'Timeout',
  'WorkerCrashed',
]);
