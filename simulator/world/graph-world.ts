/**
 * The Graph view of the partner world: the partner tenant, one GDAP relationship per customer
 * (statuses seeded, mostly active) and the partner contracts, all derived from the World.
 */
import { DapError, ExitCode } from '../../common/dap-error.js';
import { createRng, hashGuid } from './prng.js';
import type { RelationshipStatus } from './scenario-schema.js';
import { faultsOf, type TenantRecord, type World } from './world.js';

export const DAY_MS = 86_400_000;

/** Entra ID built-in role ids a partner typically asks for in a GDAP relationship. */
export const gdapRoles = {
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  reportsReader: '4a5d8f65-41da-4de4-8968-e035b65339cf',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
} as const;

export interface DelegatedAdminRelationship {
  id: string;
  displayName: string;
  duration: string;
  customer: { tenantId: string; displayName: string };
  accessDetails: { unifiedRoles: Array<{ roleDefinitionId: string }> };
  status: RelationshipStatus;
  autoExtendDuration: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  activatedDateTime: string | null;
  endDateTime: string | null;
}

export interface GraphContract {
  contractType: string;
  customerId: string;
  defaultDomainName: string;
  displayName: string;
  id: string;
}

export interface GraphWorld {
  partnerTenantId: string;
  /** The partner's initial domain (the first account's domain), accepted in the token path. */
  partnerDomain: string;
  relationships: DelegatedAdminRelationship[];
  /** Customer tenant id (lower case) → its relationship. */
  relationshipsByTenant: Map<string, DelegatedAdminRelationship>;
  contracts: GraphContract[];
  /** Customer tenant id (lower case) → tenant. */
  tenantsById: Map<string, TenantRecord>;
  /** The service's "today" at UTC midnight: the scenario's now, else the clock at start. */
  today: number;
}

const inactiveStatuses: RelationshipStatus[] = ['expired', 'expired', 'terminated', 'terminated', 'approvalPending'];

/** "2024-05-01T09:30:12Z" — Graph's DateTimeOffset in UTC. */
export function graphDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

function relationship(world: World, tenant: TenantRecord, today: number): DelegatedAdminRelationship {
  const seed = world.seed;
  const rng = createRng(seed, 'gdap-relationship', tenant.tenantId);
  const spec = tenant.index < world.scenario.tenants.length ? world.scenario.tenants[tenant.index] : undefined;
  const inactive = rng.next() < world.scenario.graph.inactiveRelationshipRate;
  const seededStatus = inactive ? rng.pick(inactiveStatuses) : 'active';
  const status: RelationshipStatus = spec?.relationshipStatus ?? seededStatus;
  const durationDays = 730;
  const time = (daysAgo: number) => today - daysAgo * DAY_MS + rng.int(8 * 3600, 18 * 3600) * 1000;
  let created: number;
  let activated: number | null;
  let end: number | null;
  let modified: number;
  switch (status) {
    case 'expired':
      created = time(rng.int(durationDays + 5, durationDays + 400));
      activated = created + rng.int(1, 5) * DAY_MS;
      end = activated + durationDays * DAY_MS;
      modified = end;
      break;
    case 'terminated':
    case 'terminating':
    case 'terminationRequested':
      created = time(rng.int(60, durationDays - 10));
      activated = created + rng.int(1, 5) * DAY_MS;
      end = time(rng.int(1, Math.max(2, Math.floor((today - activated) / DAY_MS) - 1)));
      modified = end;
      break;
    case 'approvalPending':
    case 'created':
    case 'approved':
    case 'activating':
      created = time(rng.int(1, 30));
      activated = null;
      end = null;
      modified = created;
      break;
    case 'expiring':
      // within the last 30 days of its duration (Graph reports expiring then)
      end = time(-rng.int(1, 29));
      activated = end - durationDays * DAY_MS;
      created = activated - rng.int(0, 3) * DAY_MS;
      modified = Math.min(today, activated + rng.int(0, 60) * DAY_MS);
      break;
    default:
      created = time(rng.int(10, durationDays - 10));
      activated = created + rng.int(0, 3) * DAY_MS;
      end = activated + durationDays * DAY_MS;
      modified = Math.min(today, activated + rng.int(0, 60) * DAY_MS);
  }
  const seededRoles = [gdapRoles.reportsReader, gdapRoles.globalReader, ...(rng.chance(0.6) ? [gdapRoles.exchangeAdministrator] : []), ...(rng.chance(0.3) ? [gdapRoles.userAdministrator] : [])];
  // roleMissing: the relationship has neither role Exchange needs (Exchange Administrator, Global Reader)
  const exchangeRoles: string[] = [gdapRoles.exchangeAdministrator, gdapRoles.globalReader];
  const roles = faultsOf(world, tenant, 'roleMissing').length > 0 ? seededRoles.filter((r) => !exchangeRoles.includes(r)) : seededRoles;
  return {
    id: `${hashGuid(seed, 'gdap-id', tenant.tenantId)}-${hashGuid(seed, 'gdap-id2', tenant.tenantId)}`,
    displayName: `${tenant.name} GDAP`.slice(0, 50),
    duration: `P${durationDays}D`,
    customer: { tenantId: tenant.tenantId, displayName: tenant.name },
    accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
    status,
    autoExtendDuration: rng.chance(0.7) ? 'P180D' : 'PT0S',
    createdDateTime: graphDateTime(created),
    lastModifiedDateTime: graphDateTime(modified),
    activatedDateTime: activated === null ? null : graphDateTime(activated),
    endDateTime: end === null ? null : graphDateTime(end),
  };
}

/** Builds the Graph view; `clockNow` is used for "today" only when the scenario has no `now`. */
export function buildGraphWorld(world: World, clockNow: number): GraphWorld {
  const graph = world.scenario.graph;
  const partnerTenantId = (graph.partnerTenantId ?? hashGuid(world.seed, 'partner-tenant')).toLowerCase();
  const tenantsById = new Map<string, TenantRecord>();
  for (const t of world.tenants) tenantsById.set(t.tenantId.toLowerCase(), t);
  if (tenantsById.has(partnerTenantId)) {
    throw new DapError('SCENARIO_INVALID', ExitCode.usage, `graph.partnerTenantId: '${partnerTenantId}' is also a customer tenant's id; the partner tenant must be its own`);
  }
  const nowMs = world.scenario.now !== undefined ? Date.parse(world.scenario.now) : clockNow;
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const firstAccount = world.scenario.accounts[0]?.userName ?? 'admin@contoso.onmicrosoft.com';
  const relationships = world.tenants.map((t) => relationship(world, t, today));
  return {
    partnerTenantId,
    partnerDomain: (firstAccount.split('@')[1] ?? 'contoso.onmicrosoft.com').toLowerCase(),
    relationships,
    relationshipsByTenant: new Map(relationships.map((r) => [r.customer.tenantId.toLowerCase(), r])),
    contracts: world.tenants.map((t) => ({
      contractType: t.contractType,
      customerId: t.tenantId,
      defaultDomainName: t.defaultDomain,
      displayName: t.name,
      id: hashGuid(world.seed, 'contract', t.tenantId),
    })),
    tenantsById,
    today,
  };
}
