/**
 * Columns the runtime owns in every merged CSV, whatever the report: the tenant's keys first,
 * filled from the tenant where the rows have none, and the columns remoting adds to every object,
 * which never reach the output. A report definition may declare neither.
 */
export const tenantKeyColumns = ['TenantId', 'TenantDomain', 'CustomerName'] as const;

export const remotingColumnNames = ['PSComputerName', 'RunspaceId', 'PSShowComputerName'] as const;
