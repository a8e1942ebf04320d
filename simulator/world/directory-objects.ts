/**
 * A customer tenant's directory as Graph's JSON collections show it (reference §4c): subscribed
 * SKUs, the directory roles and their active assignments, Secure Scores. Drawn from the seed, over
 * the same users as the Exchange side (a mailbox's user is the user: the same object id).
 */
import { externalDirectoryObjectId } from './exchange-objects.js';
import { DAY_MS, graphDateTime } from './graph-world.js';
import { createRng, hashGuid } from './prng.js';
import type { TenantRecord } from './world.js';

type GraphObject = Record<string, unknown>;

/** SKUs a tenant may hold: id and part number as the service names them. */
const skuCatalog: ReadonlyArray<{ skuId: string; skuPartNumber: string }> = [
  { skuId: '05e9a617-0261-4cee-bb44-138d3ef5d965', skuPartNumber: 'SPE_E3' },
  { skuId: '06ebc4ee-1bb5-47dd-8120-11324bc54e06', skuPartNumber: 'SPE_E5' },
  { skuId: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3', skuPartNumber: 'O365_BUSINESS_PREMIUM' },
  { skuId: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46', skuPartNumber: 'SPB' },
  { skuId: '4b9405b0-7788-4568-add1-99614e613b69', skuPartNumber: 'EXCHANGESTANDARD' },
  { skuId: '078d2b04-f1bd-4111-bbd4-b4b1b354cef4', skuPartNumber: 'AAD_PREMIUM' },
  { skuId: 'f30db892-07e9-47e9-837c-80727f46fd3d', skuPartNumber: 'FLOW_FREE' },
];

/** Built-in directory roles (their template ids are the same in every tenant). */
const roleCatalog: ReadonlyArray<{ id: string; displayName: string }> = [
  { id: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator' },
  { id: '29232cdf-9323-42fd-ade2-1d097af3e4de', displayName: 'Exchange Administrator' },
  { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', displayName: 'User Administrator' },
  { id: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', displayName: 'Global Reader' },
  { id: '194ae4cb-b126-40b2-bd5b-6091b380977d', displayName: 'Security Administrator' },
  { id: '4a5d8f65-41da-4de4-8968-e035b65339cf', displayName: 'Reports Reader' },
];

/** GET /v1.0/subscribedSkus: one to four SKUs per tenant, units around the tenant's users. */
export function subscribedSkuObjects(seed: string, tenant: TenantRecord): GraphObject[] {
  const rng = createRng(seed, 'subscribed-skus', tenant.tenantId);
  const users = tenant.mailboxes.length;
  const count = rng.int(1, 4);
  const chosen = [...skuCatalog].sort((a, b) => createRng(seed, 'sku-order', tenant.tenantId, a.skuId).next() - createRng(seed, 'sku-order', tenant.tenantId, b.skuId).next()).slice(0, count);
  return chosen.map((sku) => {
    const enabled = rng.int(users, users + 10);
    const suspended = rng.chance(0.15) ? rng.int(1, 5) : 0;
    const warning = suspended === 0 && rng.chance(0.15) ? rng.int(1, 5) : 0;
    return {
      capabilityStatus: suspended > 0 ? 'Suspended' : warning > 0 ? 'Warning' : 'Enabled',
      consumedUnits: rng.int(0, enabled),
      id: `${tenant.tenantId}_${sku.skuId}`,
      skuId: sku.skuId,
      skuPartNumber: sku.skuPartNumber,
      appliesTo: 'User',
      prepaidUnits: { enabled, suspended, warning, lockedOut: 0 },
      servicePlans: [{ servicePlanId: hashGuid('plan', sku.skuId), servicePlanName: `${sku.skuPartNumber}_PLAN`, provisioningStatus: 'Success', appliesTo: 'User' }],
    };
  });
}

/** GET /v1.0/roleManagement/directory/roleDefinitions. */
export function roleDefinitionObjects(): GraphObject[] {
  return roleCatalog.map((r) => ({ id: r.id, displayName: r.displayName, isBuiltIn: true, isEnabled: true, templateId: r.id }));
}

/**
 * GET /v1.0/roleManagement/directory/roleAssignments: the tenant's first user is Global
 * Administrator; a few others hold roles from the seed; some tenants have a service principal
 * holding Global Reader. `principal` is what $expand=principal adds.
 */
export function roleAssignmentObjects(seed: string, tenant: TenantRecord): GraphObject[] {
  const rng = createRng(seed, 'role-assignments', tenant.tenantId);
  const assignments: GraphObject[] = [];
  const add = (roleId: string, principal: GraphObject) => {
    const id = hashGuid(seed, 'role-assignment', tenant.tenantId, roleId, String(principal.id));
    assignments.push({ id, principalId: principal.id, roleDefinitionId: roleId, directoryScopeId: '/', principal });
  };
  for (const [index, m] of tenant.mailboxes.entries()) {
    const user = { '@odata.type': '#microsoft.graph.user', id: externalDirectoryObjectId(seed, tenant, m), displayName: m.displayName, userPrincipalName: m.userPrincipalName };
    if (index === 0) add(roleCatalog[0]!.id, user);
    else if (rng.chance(0.1)) add(rng.pick(roleCatalog).id, user);
  }
  if (rng.chance(0.5)) {
    add(roleCatalog[3]!.id, { '@odata.type': '#microsoft.graph.servicePrincipal', id: hashGuid(seed, 'service-principal', tenant.tenantId), displayName: 'Contoso Backup', appId: hashGuid(seed, 'sp-app', tenant.tenantId) });
  }
  return assignments;
}

/** GET /v1.0/security/secureScores: one score a day for the last week, newest first. */
export function secureScoreObjects(seed: string, tenant: TenantRecord, today: number): GraphObject[] {
  const rng = createRng(seed, 'secure-score', tenant.tenantId);
  const maxScore = rng.int(150, 300);
  const users = tenant.mailboxes.length;
  return Array.from({ length: 7 }, (_, day) => ({
    id: `${tenant.tenantId}_${new Date(today - day * DAY_MS).toISOString().slice(0, 10)}`,
    azureTenantId: tenant.tenantId,
    createdDateTime: graphDateTime(today - day * DAY_MS),
    currentScore: Math.round(rng.next() * maxScore * 100) / 100,
    maxScore,
    activeUserCount: rng.int(0, users),
    licensedUserCount: users,
    enabledServices: ['HasExchange', 'HasSharePoint'],
    averageComparativeScores: [{ basis: 'AllTenants', averageScore: 41.5 }],
    controlScores: [],
  }));
}
