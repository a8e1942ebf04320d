import { z } from 'zod';

/**
 * The scenario a simulator world is built from. Every field has a default, so `{}` is a valid
 * scenario (one account, no tenants); simulator/scenarios/default.json is the shipped default.
 * Objects are strict: an unknown key is an error that names it.
 */
const nonNegativeMs = z.number().finite().min(0);
const domainName = z
  .string()
  .min(3)
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'expected a DNS name such as contoso.onmicrosoft.com');
const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a GUID');
const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO 8601 date such as 2015-03-31');

export const accountSchema = z.strictObject({
  userName: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'expected a user principal name such as admin@contoso.onmicrosoft.com'),
  password: z.string().min(1),
});

export const contractTypes = ['SupportPartnerContract', 'ResellerPartnerContract'] as const;

export const tenantSpecSchema = z.strictObject({
  /** The company name (Name of the partner contract). */
  name: z.string().min(1),
  /** The initial domain; derived from the name when absent. */
  initialDomain: domainName.optional(),
  tenantId: guid.optional(),
  contractType: z.enum(contractTypes).optional(),
  /** Custom (vanity) domains besides the initial one. */
  customDomains: z.array(domainName).optional(),
  /** Which domain is the default; the first custom domain, else the initial one, when absent. */
  defaultDomain: domainName.optional(),
  /** How many mailboxes the tenant has (0 gives a tenant without report rows). */
  mailboxes: z.number().int().min(0).max(100_000).optional(),
});

const tenantSelection = {
  /** Tenants by initial domain, name or tenant id. */
  tenants: z.array(z.string().min(1)).optional(),
  /** Besides the named tenants, each tenant is hit with this probability (decided from the seed). */
  rate: z.number().min(0).max(1).optional(),
};

export const faultTypes = ['throttle', 'accessDenied', 'noData', 'hang', 'slow', 'malformedRows', 'schemaDrift', 'wrongPassword'] as const;

export const faultSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('throttle'),
    ...tenantSelection,
    /** delay: every command warns "Micro delay applied" and is delayed; fail: the first `failures` session opens fail. */
    mode: z.enum(['delay', 'fail']).default('delay'),
    delayMs: nonNegativeMs.default(250),
    failures: z.number().int().min(1).default(2),
  }),
  z.strictObject({ type: z.literal('accessDenied'), ...tenantSelection }),
  z.strictObject({ type: z.literal('noData'), ...tenantSelection }),
  z.strictObject({ type: z.literal('hang'), ...tenantSelection }),
  z.strictObject({ type: z.literal('slow'), ...tenantSelection, delayMs: nonNegativeMs.default(2000) }),
  z.strictObject({ type: z.literal('malformedRows'), ...tenantSelection }),
  z.strictObject({
    type: z.literal('schemaDrift'),
    ...tenantSelection,
    mode: z.enum(['extra', 'missing']).default('extra'),
    /** The added column (extra) or the removed one (missing; the last column when absent). */
    column: z.string().min(1).optional(),
  }),
  z.strictObject({
    type: z.literal('wrongPassword'),
    /** Accounts whose password the service no longer accepts (all accounts when absent). */
    accounts: z.array(z.string().min(1)).optional(),
  }),
]);

export const scenarioSchema = z.strictObject({
  seed: z.union([z.string(), z.number()]).default('dap-sim'),
  accounts: z.array(accountSchema).min(1).default([{ userName: 'admin@contoso.onmicrosoft.com', password: 'Simulated-Pa55word!' }]),
  /** Tenants generated from the seed, after the listed ones. */
  tenantCount: z.number().int().min(0).max(100_000).default(0),
  tenants: z.array(tenantSpecSchema).default([]),
  /** Share of generated tenants that have no mailboxes and so no report rows. */
  emptyTenantRate: z.number().min(0).max(1).default(0.12),
  /** The service's "today"; without it any date range gets rows. */
  now: isoDate.optional(),
  /** With `now`: days of daily report data kept before now. */
  retentionDays: z.number().int().min(1).default(90),
  limits: z
    .strictObject({
      maxSessionsPerAccount: z.number().int().min(1).default(3),
      /** An abandoned session (no call, not removed) closes after this long. */
      sessionExpirySeconds: z.number().positive().default(900),
      /** At most `max` new sessions per `windowSeconds` per account; off when absent. */
      newSessionRate: z.strictObject({ max: z.number().int().min(1), windowSeconds: z.number().positive().default(60) }).optional(),
      /** Contracts returned by Get-MsolPartnerContract without -All or -MaxResults. */
      contractPageSize: z.number().int().min(1).default(500),
    })
    .default({ maxSessionsPerAccount: 3, sessionExpirySeconds: 900, contractPageSize: 500 }),
  latency: z
    .strictObject({
      signInMs: nonNegativeMs.default(0),
      sessionOpenMs: nonNegativeMs.default(0),
      commandMs: nonNegativeMs.default(0),
      /** Up to this much is added to each delay, drawn from the seed. */
      jitterMs: nonNegativeMs.default(0),
    })
    .default({ signInMs: 0, sessionOpenMs: 0, commandMs: 0, jitterMs: 0 }),
  faults: z.array(faultSchema).default([]),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type FaultSpec = z.output<typeof faultSchema>;
export type FaultType = (typeof faultTypes)[number];
export type TenantSpec = z.output<typeof tenantSpecSchema>;
export type ContractType = (typeof contractTypes)[number];
