import { DapError, ExitCode } from '../../common/dap-error.js';
import { createRng, hashGuid, hashUnit } from './prng.js';
import type { DeclaredCmdletSpec } from './declared-cmdlets.js';
import { contractTypes, type ContractType, type FaultSpec, type Scenario, type TenantSpec } from './scenario-schema.js';

export interface DomainRecord {
  name: string;
  isInitial: boolean;
  isDefault: boolean;
  authentication: 'Managed' | 'Federated';
  capabilities: string;
  status: 'Verified' | 'Unverified';
  rootDomain: string | null;
}

export interface MailboxRecord {
  alias: string;
  displayName: string;
  userPrincipalName: string;
  exchangeGuid: string;
  /** Days without a logon, for stale mailboxes (0 for active ones). */
  staleDays: number;
  /** Mailbox size in MB at the epoch; grows slowly per day. */
  baseSizeMb: number;
  quotaMb: number;
  plan: string;
}

export interface TenantRecord {
  index: number;
  name: string;
  tenantId: string;
  contractType: ContractType;
  initialDomain: string;
  defaultDomain: string;
  domains: DomainRecord[];
  /** The redirect target pod, e.g. namprd04. */
  region: string;
  mailboxes: MailboxRecord[];
}

export interface ActiveFault {
  index: number;
  spec: FaultSpec;
}

export interface World {
  scenario: Scenario;
  seed: string;
  tenants: TenantRecord[];
  /** Lower-cased initial domain, name, default domain and tenant id → tenant. */
  lookup: Map<string, TenantRecord>;
  /** Faults per tenant initial domain (lower case), in scenario order. */
  tenantFaults: Map<string, ActiveFault[]>;
  /** Accounts whose sign-ins fail as with a wrong password (lower case). */
  lockedAccounts: Set<string>;
  /** The cmdlets the report catalogs declare beyond the built-in ones, by lower-case name (declared-cmdlets.ts). */
  declaredCmdlets: ReadonlyMap<string, DeclaredCmdletSpec>;
}

const companyFirst = [
  'Adatum', 'Alpine', 'Bellows', 'Coho', 'Fabrikam', 'Fourth Coffee', 'Humongous', 'Litware', 'Lucerne', 'Margie',
  'Northwind', 'Proseware', 'Southridge', 'Tailspin', 'Trey', 'Wide World', 'Wingtip', 'Woodgrove', 'Graphic Design',
  'Relecloud', 'Lamna', 'Munson', 'VanArsdel', 'Blue Yonder', 'City Power', 'Consolidated', 'First Up', 'Liberty',
  'Nod', 'Best For You', 'Datum', 'Trey Research', 'School of Fine Art', 'Lakeshore', 'Baldwin', 'Kestrel',
];
const companySecond = [
  'Insurance', 'Travel', 'Traders', 'Toys', 'Bank', 'Publishing', 'Winery', 'Studios', 'Healthcare', 'Logistics',
  'Consulting', 'Foods', 'Motors', 'Energy', 'Airlines', 'Outfitters', 'Hotels', 'Electronics', 'Pharmacy', 'Partners',
];
const firstNames = [
  'Adele', 'Alex', 'Allan', 'Ben', 'Chen', 'Christie', 'Debra', 'Diego', 'Emily', 'Enrico', 'Grady', 'Henrietta',
  'Irvin', 'Isaiah', 'Johanna', 'Joni', 'Lee', 'Lidia', 'Lynne', 'Megan', 'Miriam', 'Nestor', 'Patti', 'Pradeep',
  'Raul', 'Sara', 'Wei', 'Yuki', 'Zrinka', 'Ana', 'Omar', 'Fatima', 'Kofi', 'Ingrid', 'Mateo', 'Priya',
];
const lastNames = [
  'Vance', 'Wilber', 'Deyoung', 'Miller', 'Wu', 'Cline', 'Berg', 'Siciliani', 'Bowen', 'Archer', 'Gonzales', 'Muldowney',
  'Holt', 'Sanders', 'Vargas', 'Patel', 'Garcia', 'Tanaka', 'Novak', 'Okafor', 'Larsen', 'Haddad', 'Kim', 'Rossi',
];
const plans = ['ExchangeOnlineEnterprise', 'ExchangeOnline', 'ExchangeOnlineDeskless', 'ExchangeOnlineEssentials'];
const regions = ['namprd02', 'namprd03', 'namprd04', 'namprd05', 'eurprd01', 'eurprd04', 'apcprd02', 'gbrprd01'];

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function domainRecords(initial: string, custom: readonly string[], defaultDomain: string): DomainRecord[] {
  const all = [initial, ...custom];
  return all.map((name) => {
    const isInitial = name === initial;
    const parent = all.find((other) => other !== name && name.toLowerCase().endsWith(`.${other.toLowerCase()}`));
    return {
      name,
      isInitial,
      isDefault: name.toLowerCase() === defaultDomain.toLowerCase(),
      authentication: 'Managed',
      capabilities: isInitial ? 'Email, OfficeCommunicationsOnline' : 'Email',
      status: 'Verified',
      rootDomain: parent ?? null,
    };
  });
}

function makeMailboxes(seed: string, tenantId: string, domain: string, count: number): MailboxRecord[] {
  const rng = createRng(seed, 'mailboxes', tenantId);
  const used = new Set<string>();
  const result: MailboxRecord[] = [];
  for (let i = 0; i < count; i += 1) {
    const first = rng.pick(firstNames);
    const last = rng.pick(lastNames);
    let alias = `${first}${last[0]}`.toLowerCase();
    for (let n = 2; used.has(alias); n += 1) alias = `${first}${last[0]}${n}`.toLowerCase();
    used.add(alias);
    const quotaMb = rng.pick([51_200, 51_200, 102_400, 2_048]);
    result.push({
      alias,
      displayName: `${first} ${last}`,
      userPrincipalName: `${alias}@${domain}`,
      exchangeGuid: hashGuid(seed, 'mailbox', tenantId, alias),
      staleDays: rng.chance(0.22) ? rng.int(31, 400) : 0,
      baseSizeMb: Math.min(quotaMb * 0.97, rng.int(50, Math.floor(quotaMb * 0.8))),
      quotaMb,
      plan: quotaMb === 2_048 ? 'ExchangeOnlineDeskless' : rng.pick(plans),
    });
  }
  return result;
}

function fromSpec(seed: string, spec: TenantSpec, index: number): TenantRecord {
  const rng = createRng(seed, 'tenant-spec', spec.name);
  const initialDomain = spec.initialDomain ?? `${slug(spec.name) || `tenant${index}`}.onmicrosoft.com`;
  const tenantId = (spec.tenantId ?? hashGuid(seed, 'tenant', initialDomain)).toLowerCase();
  const custom = spec.customDomains ?? [];
  const defaultDomain = spec.defaultDomain ?? custom[0] ?? initialDomain;
  return {
    index,
    name: spec.name,
    tenantId,
    contractType: spec.contractType ?? rng.pick(contractTypes),
    initialDomain,
    defaultDomain,
    domains: domainRecords(initialDomain, custom, defaultDomain),
    region: rng.pick(regions),
    mailboxes: makeMailboxes(seed, tenantId, defaultDomain, spec.mailboxes ?? rng.int(5, 40)),
  };
}

function generated(seed: string, index: number, ordinal: number, taken: Set<string>, emptyRate: number): TenantRecord {
  const rng = createRng(seed, 'generated-tenant', ordinal);
  let name = `${rng.pick(companyFirst)} ${rng.pick(companySecond)}`;
  for (let n = 2; taken.has(`${slug(name)}.onmicrosoft.com`) || taken.has(name.toLowerCase()); n += 1) {
    name = `${name.replace(/ \d+$/, '')} ${n}`;
  }
  const base = slug(name);
  const initialDomain = `${base}.onmicrosoft.com`;
  const customCount = rng.int(0, 2);
  const custom = [`${base}.com`, `${base}.net`].slice(0, customCount);
  const defaultDomain = custom.length > 0 && rng.chance(0.8) ? (custom[0] as string) : initialDomain;
  const tenantId = hashGuid(seed, 'tenant', initialDomain);
  const empty = rng.next() < emptyRate;
  return {
    index,
    name,
    tenantId,
    contractType: rng.chance(0.6) ? 'SupportPartnerContract' : 'ResellerPartnerContract',
    initialDomain,
    defaultDomain,
    domains: domainRecords(initialDomain, custom, defaultDomain),
    region: rng.pick(regions),
    mailboxes: empty ? [] : makeMailboxes(seed, tenantId, defaultDomain, rng.int(3, 60)),
  };
}

function invalid(message: string): DapError {
  return new DapError('SCENARIO_INVALID', ExitCode.usage, message);
}

/**
 * Builds the tenants, their domains and mailboxes, and decides which faults hit which tenant;
 * `declared` are the cmdlets of the report catalogs (server/built-in-cmdlets.ts) the world also serves.
 */
export function buildWorld(scenario: Scenario, declared: readonly DeclaredCmdletSpec[] = []): World {
  const seed = String(scenario.seed);
  const tenants: TenantRecord[] = scenario.tenants.map((spec, i) => fromSpec(seed, spec, i));
  const taken = new Set<string>();
  for (const t of tenants) {
    taken.add(t.initialDomain.toLowerCase());
    taken.add(t.name.toLowerCase());
  }
  for (let ordinal = 0; ordinal < scenario.tenantCount; ordinal += 1) {
    const tenant = generated(seed, tenants.length, ordinal, taken, scenario.emptyTenantRate);
    taken.add(tenant.initialDomain.toLowerCase());
    taken.add(tenant.name.toLowerCase());
    tenants.push(tenant);
  }
  const lookup = new Map<string, TenantRecord>();
  for (const t of tenants) {
    for (const key of [t.tenantId, t.name, ...t.domains.map((d) => d.name)]) {
      if (!lookup.has(key.toLowerCase())) lookup.set(key.toLowerCase(), t);
    }
  }

  const tenantFaults = new Map<string, ActiveFault[]>();
  const lockedAccounts = new Set<string>();
  const problems: string[] = [];
  scenario.faults.forEach((spec, index) => {
    if (spec.type === 'wrongPassword') {
      const accounts = spec.accounts ?? scenario.accounts.map((a) => a.userName);
      accounts.forEach((name, i) => {
        if (!scenario.accounts.some((a) => a.userName.toLowerCase() === name.toLowerCase())) {
          problems.push(`faults.${index}.accounts.${i}: unknown account '${name}'`);
        }
        lockedAccounts.add(name.toLowerCase());
      });
      return;
    }
    const hit = new Set<TenantRecord>();
    (spec.tenants ?? []).forEach((name, i) => {
      const tenant = lookup.get(name.toLowerCase());
      if (tenant) hit.add(tenant);
      else problems.push(`faults.${index}.tenants.${i}: unknown tenant '${name}'`);
    });
    if (spec.tenants === undefined && spec.rate === undefined) {
      problems.push(`faults.${index}: give 'tenants', 'rate' or both to say which tenants the ${spec.type} fault hits`);
    }
    if (spec.rate !== undefined) {
      for (const t of tenants) if (hashUnit(seed, 'fault', index, t.initialDomain) < spec.rate) hit.add(t);
    }
    for (const t of hit) {
      const key = t.initialDomain.toLowerCase();
      tenantFaults.set(key, [...(tenantFaults.get(key) ?? []), { index, spec }]);
    }
  });
  if (problems.length > 0) throw invalid(`the scenario's faults are not valid:\n  ${problems.join('\n  ')}`);
  const declaredCmdlets = new Map(declared.map((spec) => [spec.name.toLowerCase(), spec]));
  return { scenario, seed, tenants, lookup, tenantFaults, lockedAccounts, declaredCmdlets };
}

/** The faults of one type that hit a tenant. */
export function faultsOf<T extends FaultSpec['type']>(world: World, tenant: TenantRecord, type: T): Array<Extract<FaultSpec, { type: T }>> {
  return (world.tenantFaults.get(tenant.initialDomain.toLowerCase()) ?? [])
    .map((f) => f.spec)
    .filter((spec): spec is Extract<FaultSpec, { type: T }> => spec.type === type);
}
