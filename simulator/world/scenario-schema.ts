import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { MAX_SESSIONS_PER_ACCOUNT, SESSION_IDLE_EXPIRY_SECONDS } from '../../common/exchange-limits.js';
import { defaultAppCertificate } from './default-app-certificate.js';

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

/** delegatedAdminRelationship status values of Microsoft Graph. */
export const relationshipStatuses = [
  'active', 'approvalPending', 'approved', 'activating', 'created', 'expired', 'expiring', 'terminated', 'terminating', 'terminationRequested',
] as const;

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
  /** The status of the partner's GDAP relationship with this customer; seeded (mostly active) when absent. */
  relationshipStatus: z.enum(relationshipStatuses).optional(),
});

const tenantSelection = {
  /** Tenants by initial domain, name or tenant id. */
  tenants: z.array(z.string().min(1)).optional(),
  /** Besides the named tenants, each tenant is hit with this probability (decided from the seed). */
  rate: z.number().min(0).max(1).optional(),
};

export const faultTypes = [
  'throttle', 'accessDenied', 'noData', 'hang', 'slow', 'malformedRows', 'schemaDrift', 'wrongPassword',
  'notConsented', 'graphThrottle', 'expiredDownload', 'graphNoData', 'graphServerError',
  'exoThrottle', 'exoServerError', 'roleMissing', 'concealedNames',
] as const;

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
  /** Graph: the partner app is not consented in the tenant; its token requests fail (AADSTS65001). */
  z.strictObject({ type: z.literal('notConsented'), ...tenantSelection }),
  /** Graph: the first `failures` report requests for the tenant answer 429 with Retry-After `retryAfterSeconds`. */
  z.strictObject({
    type: z.literal('graphThrottle'),
    ...tenantSelection,
    failures: z.number().int().min(1).default(2),
    retryAfterSeconds: z.number().int().min(0).default(1),
  }),
  /** Graph: the first download URL handed out for the tenant is already expired. */
  z.strictObject({ type: z.literal('expiredDownload'), ...tenantSelection }),
  /** Graph: every report of the tenant is the header line only. */
  z.strictObject({ type: z.literal('graphNoData'), ...tenantSelection }),
  /** Graph: the first `failures` report requests for the tenant answer 503. */
  z.strictObject({ type: z.literal('graphServerError'), ...tenantSelection, failures: z.number().int().min(1).default(1) }),
  /** Exchange admin API: the first `failures` InvokeCommand calls for the tenant answer 429 with Retry-After `retryAfterSeconds`. */
  z.strictObject({
    type: z.literal('exoThrottle'),
    ...tenantSelection,
    failures: z.number().int().min(1).default(2),
    retryAfterSeconds: z.number().int().min(0).default(1),
  }),
  /** Exchange admin API: the first `failures` InvokeCommand calls for the tenant answer 500. */
  z.strictObject({ type: z.literal('exoServerError'), ...tenantSelection, failures: z.number().int().min(1).default(1) }),
  /** The GDAP relationship lacks Exchange Administrator and Global Reader; the Exchange admin API refuses every cmdlet. */
  z.strictObject({ type: z.literal('roleMissing'), ...tenantSelection }),
  /** The tenant's report settings conceal user names: Graph reports come back concealed, admin/reportSettings says so. */
  z.strictObject({ type: z.literal('concealedNames'), ...tenantSelection }),
]);

function isPemCertificate(text: string): boolean {
  try {
    return text.includes('-----BEGIN CERTIFICATE-----') && new X509Certificate(text).raw.length > 0;
  } catch {
    return false;
  }
}

const apiPermissionsSchema = z.strictObject({ graph: z.array(z.string().min(1)), exchange: z.array(z.string().min(1)) });
const defaultAppRoles = { graph: ['Reports.Read.All', 'DelegatedAdminRelationship.Read.All', 'Directory.Read.All'], exchange: ['Exchange.ManageAsApp'] };
const defaultAppScopes = { graph: ['Reports.Read.All', 'DelegatedAdminRelationship.Read.All', 'Directory.Read.All'], exchange: ['Exchange.Manage'] };

/** The partner's app registration (multi-tenant, app-only Reports.Read.All). */
export const graphAppSchema = z.strictObject({
  clientId: guid,
  clientSecret: z.string().min(1),
  displayName: z.string().min(1).default('DapReporting'),
  /** Refresh tokens the login host accepts for this app (grant_type=refresh_token), for any tenant that consented. */
  refreshTokens: z.array(z.string().min(1)).default([]),
  /** Certificates (PEM) uploaded to the app registration: client assertions signed with their keys are accepted. */
  certificates: z.array(z.string().refine(isPemCertificate, 'expected a PEM certificate (-----BEGIN CERTIFICATE----- …)')).default([]),
  /** Application permissions consented for the app, per API: the `roles` of its app-only tokens. */
  roles: apiPermissionsSchema.default(defaultAppRoles),
  /** Delegated permissions, per API: the `scp` of the tokens a signed-in partner admin gets. */
  scopes: apiPermissionsSchema.default(defaultAppScopes),
});

/**
 * The device code sign-in of the login host: the simulated user approves (or declines, or lets the
 * code expire) after `approveAfterPolls` polls of the token endpoint; before that each poll answers
 * authorization_pending, the first `slowDownPolls` of them slow_down instead.
 */
export const deviceCodeSchema = z.strictObject({
  approveAfterPolls: z.number().int().min(0).default(1),
  outcome: z.enum(['approve', 'decline', 'expire']).default('approve'),
  slowDownPolls: z.number().int().min(0).default(0),
  /** The `interval` handed out (Entra ID: 5); 0 lets tests poll at once. */
  intervalSeconds: z.number().int().min(0).max(60).default(5),
  /** How long a code is valid (Entra ID: 900). */
  expiresInSeconds: z.number().int().min(1).max(3600).default(900),
  /** Who signs in (shown in nothing but the refresh token's record). */
  user: z.string().min(1).default('admin@contoso.onmicrosoft.com'),
});
const deviceCodeDefault = { approveAfterPolls: 1, outcome: 'approve' as const, slowDownPolls: 0, intervalSeconds: 5, expiresInSeconds: 900, user: 'admin@contoso.onmicrosoft.com' };

export const defaultGraphApp = {
  clientId: '6f0c4b8e-2d1a-4c57-9e3b-5a7d8c9f0b12',
  clientSecret: 'Simulated-Graph-Secret~0',
  displayName: 'DapReporting',
  refreshTokens: [] as string[],
  certificates: [defaultAppCertificate],
  roles: defaultAppRoles,
  scopes: defaultAppScopes,
};

const rateLimitDefault = { requests: 14, windowSeconds: 600 };

/** The Microsoft Graph / GDAP side of the world (reference §4). */
export const graphSchema = z.strictObject({
  /** The partner's own tenant; derived from the seed when absent (the same id as MSOnline's PartnerContext). */
  partnerTenantId: guid.optional(),
  /** The partner's app registrations; the first is the one dap-sim run hands to the command. */
  apps: z.array(graphAppSchema).min(1).default([defaultGraphApp]),
  tokenLifetimeSeconds: z.number().int().min(1).max(86_400).default(3600),
  /** How long a report's pre-authenticated download URL stays valid. */
  downloadLifetimeSeconds: z.number().positive().max(86_400).default(300),
  /** CSV reports: at most `requests` per `windowSeconds`, per app, per tenant, per report function. */
  rateLimit: z
    .strictObject({ requests: z.number().int().min(1).default(14), windowSeconds: z.number().positive().default(600) })
    .default(rateLimitDefault),
  /** Share of customers whose relationship is not active (expired, terminated or approvalPending), from the seed. */
  inactiveRelationshipRate: z.number().min(0).max(1).default(0.1),
  /** Report user names and display names come back concealed (32 hex characters), as with the tenant setting. */
  concealUserNames: z.boolean().default(false),
  deviceCode: deviceCodeSchema.default(deviceCodeDefault),
  /**
   * How long a refresh token still works after it was first redeemed (each redeem answers a new
   * one); past that it is refused with AADSTS700082.
   */
  refreshTokenReuseSeconds: z.number().int().min(0).max(86_400 * 90).default(3600),
});

export const graphDefault = {
  apps: [defaultGraphApp],
  tokenLifetimeSeconds: 3600,
  downloadLifetimeSeconds: 300,
  rateLimit: rateLimitDefault,
  inactiveRelationshipRate: 0.1,
  concealUserNames: false,
  deviceCode: deviceCodeDefault,
  refreshTokenReuseSeconds: 3600,
};

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
      maxSessionsPerAccount: z.number().int().min(1).default(MAX_SESSIONS_PER_ACCOUNT),
      /** An abandoned session (no call, not removed) closes after this long. */
      sessionExpirySeconds: z.number().positive().default(SESSION_IDLE_EXPIRY_SECONDS),
      /** At most `max` new sessions per `windowSeconds` per account; off when absent. */
      newSessionRate: z.strictObject({ max: z.number().int().min(1), windowSeconds: z.number().positive().default(60) }).optional(),
      /** Contracts returned by Get-MsolPartnerContract without -All or -MaxResults. */
      contractPageSize: z.number().int().min(1).default(500),
      /** The Exchange admin API's own page size: at most this many objects a page, whatever the client prefers (the service may answer fewer). */
      exoPageSize: z.number().int().min(1).max(1000).default(1000),
    })
    .default({ maxSessionsPerAccount: MAX_SESSIONS_PER_ACCOUNT, sessionExpirySeconds: SESSION_IDLE_EXPIRY_SECONDS, contractPageSize: 500, exoPageSize: 1000 }),
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
  graph: graphSchema.default(graphDefault),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type FaultSpec = z.output<typeof faultSchema>;
export type FaultType = (typeof faultTypes)[number];
export type TenantSpec = z.output<typeof tenantSpecSchema>;
export type ContractType = (typeof contractTypes)[number];
export type GraphScenario = z.output<typeof graphSchema>;
export type GraphAppSpec = z.output<typeof graphAppSchema>;
export type RelationshipStatus = (typeof relationshipStatuses)[number];
