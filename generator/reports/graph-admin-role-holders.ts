import type { ReportDefinition } from '../report-definition.js';

export const adminRoleHolderReport = {
  name: 'AdminRoleHolderReport',
  summary: 'Lists who holds each directory (admin) role in a customer tenant: users, groups and service principals (Microsoft Graph).',
  description:
    'Reads the active directory role assignments of a customer tenant (GET /v1.0/roleManagement/directory/roleAssignments?$expand=principal) ' +
    'and the role definitions for their names: one row per assignment, with the role, the scope and the principal (its kind, name and ' +
    'user principal name). Across customers, "who is Global Administrator where" is one CSV. Needs RoleManagement.Read.Directory; ' +
    'through GDAP, Global Reader covers it.',
  source: {
    kind: 'graphQuery',
    path: 'roleManagement/directory/roleAssignments',
    expand: 'principal',
    permission: 'RoleManagement.Read.Directory',
    lookups: [{ name: 'role', path: 'roleManagement/directory/roleDefinitions', select: ['id', 'displayName'], key: 'id' }],
  },
  columns: [
    { name: 'RoleName', type: 'string', from: 'roleDefinitionId', lookup: 'role.displayName' },
    { name: 'RoleDefinitionId', type: 'string', from: 'roleDefinitionId' },
    { name: 'DirectoryScopeId', type: 'string', from: 'directoryScopeId' },
    { name: 'PrincipalType', type: 'string', from: 'principal.@odata.type' },
    { name: 'PrincipalId', type: 'string', from: 'principalId' },
    { name: 'PrincipalDisplayName', type: 'string', from: 'principal.displayName' },
    { name: 'PrincipalUserPrincipalName', type: 'string', from: 'principal.userPrincipalName' },
  ],
  examples: [
    {
      code: 'Get-DapGraphToken -TenantId 6f1e2a4b-0c1d-4e5f-8a9b-0c1d2e3f4a5b -ClientId $appId -ClientSecret $secret | Get-DapAdminRoleHolderReport',
      description: 'Every admin role holder of one customer tenant.',
    },
  ],
  links: ['https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments'],
} satisfies ReportDefinition;
