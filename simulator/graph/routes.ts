/**
 * Microsoft Graph and the report download storage (simulator/README.md, "Graph endpoints"), each at
 * the root of its own listener as on graph.microsoft.com and the storage host: Graph v1.0 and the
 * downloads a report's Location names (the login host is login/routes.ts). Every Graph request,
 * direct or one of a JSON `$batch`, is answered by `answerGraph`, so a batched request meets the
 * same token checks, limits and faults, and is counted the same. Nothing here logs a request, a
 * secret or a token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ServiceBases, serviceUrl } from '../http/service-hosts.js';
import { readBodyText } from '../http/request-body.js';
import { graphPeriods, graphReportSpec } from './report-catalog.js';
import type { ReportRequest, ReportSelector } from './report-data.js';
import { graphReportCsv } from './report-data.js';
import type { AccessToken } from '../http/tokens.js';
import type { GraphState } from './graph-state.js';
import { expiredDownloadXml, graphErrors, unknownDownloadXml, type GraphFailure } from './texts.js';
import { DAY_MS } from '../world/graph-world.js';
import { directoryOf, type DirectoryDomain, type DirectoryOrganization } from '../world/directory.js';
import { faultsOf, type TenantRecord } from '../world/world.js';
import { roleAssignmentObjects, roleDefinitionObjects, secureScoreObjects, subscribedSkuObjects } from '../world/directory-objects.js';
import { graphRequestUnits, graphThrottleClassOf } from '../../common/graph-throttling.js';

/** The largest $top of delegatedAdminRelationships (and, here, of contracts); also the default page. */
export const GRAPH_MAX_TOP = 300;
/** How far back `(date=…)` may go. */
export const REPORT_DATE_WINDOW_DAYS = 30;

const graphJson = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** What Graph answers to one request: written to the socket for a direct call, or one entry of a $batch answer. */
export interface GraphAnswer {
  status: number;
  headers: Record<string, string>;
  /** The JSON body; none for a redirect. */
  body?: unknown;
}

/** One request to Graph, direct or from a $batch. */
interface GraphCall {
  method: string;
  url: URL;
  /** The path without a trailing slash, from the Graph host's root (/v1.0/…). */
  path: string;
  authorization: string | undefined;
  /** The hosts links are built on. */
  bases: ServiceBases;
}

function ok(body: unknown, headers: Record<string, string> = {}): GraphAnswer {
  return { status: 200, headers: { 'content-type': graphJson, ...headers }, body };
}

function failed(failure: GraphFailure): GraphAnswer {
  return { status: failure.status, headers: { 'content-type': graphJson, 'request-id': failure.body.error.innerError['request-id'], ...(failure.headers ?? {}) }, body: failure.body };
}

function write(res: ServerResponse, answer: GraphAnswer): void {
  const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store', ...answer.headers });
  res.end(text);
}

function sendXml(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(xml)) });
  res.end(xml);
}

/** One `prop eq 'value'` clause of a supported $filter. */
interface Clause {
  property: string;
  value: string;
}

/** Parses `a eq 'x' and b eq 'y'` over the allowed properties; undefined when the filter is not of that form. */
export function parseFilter(filter: string, allowed: readonly string[]): Clause[] | undefined {
  const parts = filter.trim().split(/\s+and\s+/i);
  const clauses: Clause[] = [];
  for (const part of parts) {
    const match = /^([A-Za-z/]+)\s+eq\s+'((?:[^']|'')*)'$/i.exec(part.trim());
    if (!match) return undefined;
    const property = allowed.find((p) => p.toLowerCase() === (match[1] as string).toLowerCase());
    if (!property) return undefined;
    clauses.push({ property, value: (match[2] as string).replace(/''/g, "'") });
  }
  return clauses;
}

interface PageToken {
  o: number;
  f?: string;
}

function encodeSkipToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeSkipToken(text: string): PageToken | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PageToken;
    if (!Number.isInteger(value.o) || value.o < 0 || (value.f !== undefined && typeof value.f !== 'string')) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

/** A case-insensitive query parameter ($top and $TOP both work, as in Graph). */
function query(url: URL, name: string): string | undefined {
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}

interface CollectionOptions<T> {
  items: readonly T[];
  filterable: Record<string, (item: T) => string>;
  context: string;
}

/** $top / $filter / $skiptoken paging of a collection, @odata.nextLink absolute on the same base. */
function page<T>(state: GraphState, url: URL, bases: ServiceBases, options: CollectionOptions<T>): { ok: true; body: unknown } | { ok: false; failure: GraphFailure } {
  const now = state.now();
  const topText = query(url, '$top');
  let top = GRAPH_MAX_TOP;
  if (topText !== undefined) {
    top = Number(topText);
    if (!/^\d+$/.test(topText) || top < 1) return { ok: false, failure: graphErrors.badRequest(`Invalid value '${topText}' for $top query option found. The $top query option requires a positive integer value.`, now) };
    if (top > GRAPH_MAX_TOP) return { ok: false, failure: graphErrors.topTooLarge(GRAPH_MAX_TOP, topText, now) };
  }
  const skipText = query(url, '$skiptoken');
  let offset = 0;
  let filter = query(url, '$filter');
  if (skipText !== undefined) {
    const token = decodeSkipToken(skipText);
    if (!token) return { ok: false, failure: graphErrors.badRequest('The $skiptoken is not valid.', now) };
    offset = token.o;
    filter = token.f;
  }
  let items = options.items;
  if (filter !== undefined && filter.trim() !== '') {
    const clauses = parseFilter(filter, Object.keys(options.filterable));
    if (!clauses) {
      return {
        ok: false,
        failure: graphErrors.badRequest(`Invalid filter clause: '${filter}'. Supported here: ${Object.keys(options.filterable).map((p) => `${p} eq '…'`).join(', ')}, joined by 'and'.`, now),
      };
    }
    items = items.filter((item) => clauses.every((c) => (options.filterable[c.property] as (item: T) => string)(item).toLowerCase() === c.value.toLowerCase()));
  }
  const value = items.slice(offset, offset + top);
  const body: Record<string, unknown> = { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#${options.context}`, value };
  if (offset + top < items.length) {
    const query: Array<[string, string]> = topText !== undefined ? [['$top', String(top)]] : [];
    // the next page keeps the shape the first one asked for
    for (const option of ['$select', '$expand', '$count']) {
      const value = queryOption(url, option);
      if (value !== undefined) query.push([option, value]);
    }
    query.push(['$skiptoken', encodeSkipToken({ o: offset + top, ...(filter !== undefined ? { f: filter } : {}) })]);
    body['@odata.nextLink'] = serviceUrl(bases, 'graph', url.pathname, query);
  }
  return { ok: true, body };
}

/** A valid bearer token, or the 401 the caller must send. */
async function authorize(state: GraphState, authorization: string | undefined): Promise<{ ok: true; token: AccessToken } | { ok: false; failure: GraphFailure }> {
  const result = await state.bearer(authorization);
  const now = state.now();
  if (result.kind === 'ok') return { ok: true, token: result.token };
  // an Exchange token on Graph (wrongAudience) is the real service's "Invalid audience" 401, worded as any bad token
  const failure = result.kind === 'missing' ? graphErrors.noToken(now) : result.kind === 'expired' ? graphErrors.expiredToken(now) : graphErrors.badToken(now);
  return { ok: false, failure };
}

function ymdDay(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? undefined : ms;
}

/** `period='D7'` or `date=2024-05-01` (quotes optional) for the function; a failure message otherwise. */
function parseSelector(state: GraphState, fn: string, acceptsDate: boolean, argument: string): ReportSelector | string {
  const match = /^\s*(period|date)\s*=\s*(?:'([^']*)'|([^')]*))\s*$/i.exec(argument);
  if (!match) return `Invalid parameters for function '${fn}': '${argument}'. Expected (period='D7|D30|D90|D180')${acceptsDate ? ' or (date=YYYY-MM-DD)' : ''}.`;
  const name = (match[1] as string).toLowerCase();
  const value = (match[2] ?? match[3] ?? '').trim();
  if (name === 'period') {
    const period = graphPeriods.find((p) => p === value.toUpperCase());
    if (!period) return `Invalid period value '${value}'. Supported values are ${graphPeriods.join(', ')}.`;
    return { kind: 'period', days: Number(period.slice(1)) };
  }
  if (!acceptsDate) return `Function '${fn}' does not take a date parameter; expected (period='D7|D30|D90|D180').`;
  const day = ymdDay(value);
  const today = state.graphWorld.today;
  if (day === undefined || day > today || day < today - REPORT_DATE_WINDOW_DAYS * DAY_MS) {
    const first = new Date(today - REPORT_DATE_WINDOW_DAYS * DAY_MS).toISOString().slice(0, 10);
    const last = new Date(today).toISOString().slice(0, 10);
    return `Invalid date value '${value}'. The date must be in the form YYYY-MM-DD and within the last ${REPORT_DATE_WINDOW_DAYS} days (${first} to ${last}).`;
  }
  return { kind: 'date', day };
}

/** The tenant's report setting: concealed by the scenario-wide switch or by the tenant's concealedNames fault. */
function concealsNames(state: GraphState, tenant: TenantRecord): boolean {
  return state.world.scenario.graph.concealUserNames || faultsOf(state.world, tenant, 'concealedNames').length > 0;
}

/** A Graph domain object (v1.0 `domain`). */
function domainObject(d: DirectoryDomain): Record<string, unknown> {
  return {
    authenticationType: d.authenticationType,
    availabilityStatus: null,
    id: d.name,
    isAdminManaged: true,
    isDefault: d.isDefault,
    isInitial: d.isInitial,
    isRoot: d.isRoot,
    isVerified: true,
    manufacturer: null,
    model: null,
    passwordNotificationWindowInDays: null,
    passwordValidityPeriodInDays: null,
    supportedServices: d.supportedServices,
    state: null,
  };
}

/** A Graph organization object; verifiedDomains carry the capabilities as one string, as Graph sends them. */
function organizationObject(org: DirectoryOrganization): Record<string, unknown> {
  return {
    id: org.id,
    deletedDateTime: null,
    businessPhones: [],
    city: null,
    country: null,
    countryLetterCode: org.countryLetterCode,
    createdDateTime: org.createdDateTime,
    defaultUsageLocation: null,
    displayName: org.displayName,
    isMultipleDataLocationsForServicesEnabled: null,
    marketingNotificationEmails: [],
    onPremisesLastSyncDateTime: null,
    onPremisesSyncEnabled: null,
    postalCode: null,
    preferredLanguage: 'en',
    securityComplianceNotificationMails: [],
    securityComplianceNotificationPhones: [],
    state: null,
    street: null,
    technicalNotificationMails: [],
    tenantType: 'AAD',
    directorySizeQuota: { used: 0, total: 300_000 },
    privacyProfile: null,
    assignedPlans: [],
    onPremisesSyncStatus: [],
    provisionedPlans: [],
    verifiedDomains: org.domains.map((d) => ({
      capabilities: d.supportedServices.length > 0 ? d.supportedServices.join(', ') : 'None',
      isDefault: d.isDefault,
      isInitial: d.isInitial,
      name: d.name,
      type: d.authenticationType,
    })),
  };
}

/**
 * Answers one Graph request (anything on the Graph host but `$batch`).
 * Direct calls and the requests of a `$batch` come here alike.
 */
export async function answerGraph(state: GraphState, call: GraphCall): Promise<GraphAnswer> {
  const { method, url, bases } = call;
  const world = state.world;
  const now = state.now();
  let graphPath: string;
  try {
    graphPath = decodeURIComponent(call.path);
  } catch {
    return failed(graphErrors.badRequest('The request URI is not valid.', now));
  }
  if (method.toUpperCase() !== 'GET') return failed(graphErrors.methodNotAllowed(now));
  const gw = state.graphWorld;

  const collections: Record<string, () => CollectionOptions<unknown>> = {
    '/v1.0/tenantrelationships/delegatedadminrelationships': () => ({
      items: gw.relationships,
      context: 'tenantRelationships/delegatedAdminRelationships',
      filterable: {
        status: (r) => (r as (typeof gw.relationships)[number]).status,
        'customer/tenantId': (r) => (r as (typeof gw.relationships)[number]).customer.tenantId,
        displayName: (r) => (r as (typeof gw.relationships)[number]).displayName,
      },
    }),
    '/v1.0/contracts': () => ({
      items: gw.contracts,
      context: 'contracts',
      filterable: {
        customerId: (c) => (c as (typeof gw.contracts)[number]).customerId,
        defaultDomainName: (c) => (c as (typeof gw.contracts)[number]).defaultDomainName,
        displayName: (c) => (c as (typeof gw.contracts)[number]).displayName,
      },
    }),
  };
  const collection = collections[graphPath.toLowerCase()];
  if (collection) {
    const auth = await authorize(state, call.authorization);
    if (!auth.ok) return failed(auth.failure);
    if (auth.token.tenant) return failed(graphErrors.notPartnerToken(auth.token.tenantId, now));
    const result = page(state, url, bases, collection());
    if (!result.ok) return failed(result.failure);
    if (graphPath.toLowerCase().endsWith('delegatedadminrelationships')) state.counters.relationshipPages += 1;
    return ok(result.body);
  }

  const lookupMatch = /^\/v1\.0\/tenantRelationships\/findTenantInformationByTenantId(?:\((.*)\))?$/i.exec(graphPath);
  if (lookupMatch) {
    const auth = await authorize(state, call.authorization);
    if (!auth.ok) return failed(auth.failure);
    if (auth.token.tenant) return failed(graphErrors.notPartnerToken(auth.token.tenantId, now));
    const argument = /^\s*tenantId\s*=\s*'([^']*)'\s*$/i.exec(lookupMatch[1] ?? '');
    if (!argument) {
      return failed(graphErrors.badRequest(`Invalid parameters for function 'findTenantInformationByTenantId': '${lookupMatch[1] ?? ''}'. Expected (tenantId='{id}').`, now));
    }
    state.counters.tenantLookups += 1;
    const id = (argument[1] as string).trim();
    const tenant = gw.tenantsById.get(id.toLowerCase());
    if (!tenant) return failed(graphErrors.tenantNotFound(id, now));
    return ok({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.tenantInformation',
      tenantId: tenant.tenantId,
      displayName: tenant.name,
      defaultDomainName: tenant.defaultDomain,
      federationBrandName: null,
    });
  }

  // the directory of the token's own tenant: a customer's, or the partner's for a partner token
  const directoryMatch = /^\/(v1\.0|beta)\/(domains|organization)(?:\/([^/]+))?$/i.exec(graphPath);
  if (directoryMatch) {
    const auth = await authorize(state, call.authorization);
    if (!auth.ok) return failed(auth.failure);
    state.counters.directoryReads += 1;
    const version = (directoryMatch[1] as string).toLowerCase();
    const kind = (directoryMatch[2] as string).toLowerCase() === 'domains' ? 'domains' : 'organization';
    const key = directoryMatch[3];
    const org = directoryOf(world, gw, auth.token.tenant);
    const objects = kind === 'domains' ? org.domains.map(domainObject) : [organizationObject(org)];
    const context = `https://graph.microsoft.com/${version}/$metadata#${kind}`;
    if (key === undefined) return ok({ '@odata.context': context, value: objects });
    const found = objects.find((o) => String(o.id).toLowerCase() === key.toLowerCase());
    if (!found) return failed(graphErrors.tenantNotFound(key, now));
    return ok({ '@odata.context': `${context}/$entity`, ...found });
  }

  if (graphPath.toLowerCase() === '/v1.0/admin/reportsettings') {
    const auth = await authorize(state, call.authorization);
    if (!auth.ok) return failed(auth.failure);
    if (!auth.token.tenant) return failed(graphErrors.notCustomerToken(auth.token.tenantId, now));
    return ok({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#admin/reportSettings/$entity',
      displayConcealedNames: concealsNames(state, auth.token.tenant),
    });
  }

  const reportMatch = /^\/v1\.0\/reports\/([A-Za-z0-9]+)(?:\((.*)\))?$/i.exec(graphPath);
  if (reportMatch) {
    const auth = await authorize(state, call.authorization);
    if (!auth.ok) return failed(auth.failure);
    const { token } = auth;
    const tenant = token.tenant;
    if (!tenant) return failed(graphErrors.notCustomerToken(token.tenantId, now));
    const spec = graphReportSpec(reportMatch[1] as string);
    if (!spec) return failed(graphErrors.notFound(reportMatch[1] as string, now));
    if (reportMatch[2] === undefined) return failed(graphErrors.notFound(reportMatch[1] as string, now));
    const format = query(url, '$format');
    if (format !== undefined && format.toLowerCase() !== 'text/csv') {
      return failed(graphErrors.badRequest(`The $format '${format}' is not supported by v1.0 reports; use text/csv.`, now));
    }
    const selector = parseSelector(state, spec.name, spec.acceptsDate, reportMatch[2]);
    if (typeof selector === 'string') return failed(graphErrors.badRequest(selector, now));

    state.countRequest(tenant, spec.name);
    const serverError = faultsOf(world, tenant, 'graphServerError')[0];
    if (serverError && state.fire('graphServerError', tenant, serverError.failures)) {
      return failed(graphErrors.serviceUnavailable(now));
    }
    const throttle = faultsOf(world, tenant, 'graphThrottle')[0];
    if (throttle && state.fire('graphThrottle', tenant, throttle.failures)) {
      state.counters.throttled += 1;
      return failed(graphErrors.tooManyRequests(throttle.retryAfterSeconds, now));
    }
    const slot = state.takeSlot(token.app, tenant, spec.name);
    if (!slot.ok) {
      state.counters.throttled += 1;
      return failed(graphErrors.tooManyRequests(slot.retryAfterSeconds, now));
    }
    const request: ReportRequest = {
      seed: world.seed,
      tenant,
      spec,
      selector,
      today: gw.today,
      conceal: concealsNames(state, tenant),
      noData: faultsOf(world, tenant, 'graphNoData').length > 0,
    };
    const expired = faultsOf(world, tenant, 'expiredDownload').length > 0 && state.fire('expiredDownload', tenant, 1);
    const id = state.addDownload(request, expired);
    return { status: 302, headers: { location: serviceUrl(bases, 'download', `/${id}`) } };
  }

  const served = tenantQueries[graphPath.toLowerCase()];
  if (served) {
    const auth = await authorize(state, call.authorization);
    if (!auth.ok) return failed(auth.failure);
    const tenant = auth.token.tenant;
    if (!tenant) return failed(graphErrors.notCustomerToken(auth.token.tenantId, now));
    if (!holdsPermission(auth.token, served.permissions)) return failed(graphErrors.insufficientPrivileges(now));
    const select = queryOption(url, '$select');
    const expand = queryOption(url, '$expand');
    const topText = queryOption(url, '$top');
    const units = graphRequestUnits(graphPath, { select: select !== undefined, expand: expand !== undefined, ...(topText !== undefined ? { top: Number(topText) } : {}) });
    const slot = state.takeClassBudget(auth.token.app, tenant, graphThrottleClassOf(graphPath), units);
    if (!slot.ok) {
      state.counters.throttled += 1;
      return failed(slot.retryAfterSeconds === undefined ? graphErrors.tooManyRequestsNoWait(now) : graphErrors.tooManyRequests(slot.retryAfterSeconds, now));
    }
    const objects = served.objects(state, tenant).map((o) => shaped(o, select, expand, served.expandable));
    const result = page(state, url, bases, { items: objects, filterable: {}, context: served.context });
    if (!result.ok) return failed(result.failure);
    return ok(result.body);
  }

  const segment = graphPath.split('/').filter((s) => s !== '').at(-1) ?? graphPath;
  return failed(graphErrors.notFound(segment, now));
}

/** A query option as the service reads it (names case-insensitive). */
function queryOption(url: URL, name: string): string | undefined {
  return query(url, name);
}

interface TenantQuery {
  objects(state: GraphState, tenant: TenantRecord): Record<string, unknown>[];
  /** Application permissions any one of which allows the read (reference §4c). */
  permissions: readonly string[];
  context: string;
  /** Navigation properties $expand may name; left out of an object unless expanded. */
  expandable: readonly string[];
}

/** The customer tenant's directory collections the simulator serves (reference §4c). */
const tenantQueries: Record<string, TenantQuery> = {
  '/v1.0/subscribedskus': {
    objects: (state, tenant) => subscribedSkuObjects(state.world.seed, tenant),
    permissions: ['LicenseAssignment.Read.All', 'Organization.Read.All', 'Directory.Read.All'],
    context: 'subscribedSkus',
    expandable: [],
  },
  '/v1.0/rolemanagement/directory/roledefinitions': {
    objects: () => roleDefinitionObjects(),
    permissions: ['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'Directory.Read.All'],
    context: 'roleManagement/directory/roleDefinitions',
    expandable: [],
  },
  '/v1.0/rolemanagement/directory/roleassignments': {
    objects: (state, tenant) => roleAssignmentObjects(state.world.seed, tenant),
    permissions: ['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'Directory.Read.All'],
    context: 'roleManagement/directory/roleAssignments',
    expandable: ['principal'],
  },
  '/v1.0/security/securescores': {
    objects: (state, tenant) => secureScoreObjects(state.world.seed, tenant, state.graphWorld.today),
    permissions: ['SecurityEvents.Read.All', 'SecurityEvents.ReadWrite.All'],
    context: 'security/secureScores',
    expandable: [],
  },
};

/** True when the token's application roles (or delegated scopes) hold one of the permissions. */
function holdsPermission(token: AccessToken, permissions: readonly string[]): boolean {
  const granted = [token.claims.roles, typeof token.claims.scp === 'string' ? token.claims.scp.split(' ') : undefined].flatMap((v) => (Array.isArray(v) ? v : []));
  return permissions.some((p) => granted.includes(p));
}

/** An object as $select and $expand shape it: the selected properties (and its OData annotations), navigation properties only when expanded. */
function shaped(object: Record<string, unknown>, select: string | undefined, expand: string | undefined, expandable: readonly string[]): Record<string, unknown> {
  const expanded = new Set((expand ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean));
  const selected = select === undefined ? undefined : new Set(select.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean));
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    const lower = key.toLowerCase();
    if (expandable.some((e) => e.toLowerCase() === lower)) {
      if (expanded.has(lower)) result[key] = value;
      continue;
    }
    if (!selected || selected.has(lower) || key.startsWith('@odata.')) result[key] = value;
  }
  return result;
}

/** The most requests one JSON batch may hold. */
export const GRAPH_BATCH_MAX = 20;
/** The largest batch body Graph takes (4 MB). */
const GRAPH_BATCH_MAX_BYTES = 4 * 1024 * 1024;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  dependsOn: string[];
}

/** Header names in a batch answer as Graph writes them (Retry-After, Content-Type, Location); its own ids stay lower case. */
function batchHeaderName(name: string): string {
  if (name.startsWith('x-') || name.endsWith('request-id')) return name;
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);
}

/** The requests of a batch body, in order; the failure to answer when it is not a batch Graph would take. */
function parseBatch(raw: string, now: number): BatchItem[] | GraphFailure {
  const invalid = graphErrors.badBatch(now);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return invalid;
  }
  const requests = (parsed as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) return invalid;
  if (requests.length > GRAPH_BATCH_MAX) return graphErrors.batchTooLarge(GRAPH_BATCH_MAX, requests.length, now);
  const items: BatchItem[] = [];
  for (const entry of requests as unknown[]) {
    const r = entry as Record<string, unknown> | null;
    if (!r || typeof r !== 'object' || typeof r.id !== 'string' || r.id === '' || typeof r.method !== 'string' || typeof r.url !== 'string') return invalid;
    const dependsOn = r.dependsOn === undefined || r.dependsOn === null ? [] : r.dependsOn;
    if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === 'string')) return invalid;
    if (items.some((i) => i.id.toLowerCase() === (r.id as string).toLowerCase())) return graphErrors.duplicateBatchId(r.id, now);
    items.push({ id: r.id, method: r.method, url: r.url, dependsOn: dependsOn as string[] });
  }
  // every dependency must be a request of this batch, and they may not go round in a circle
  const ids = new Set(items.map((i) => i.id.toLowerCase()));
  if (items.some((i) => i.dependsOn.some((d) => !ids.has(d.toLowerCase()) || d.toLowerCase() === i.id.toLowerCase()))) return invalid;
  return items;
}

/** The order to run a batch in: each request after the ones it depends on, otherwise as sent; undefined for a circle. */
function runOrder(items: readonly BatchItem[]): BatchItem[] | undefined {
  const done = new Set<string>();
  const order: BatchItem[] = [];
  while (order.length < items.length) {
    const next = items.find((i) => !done.has(i.id.toLowerCase()) && i.dependsOn.every((d) => done.has(d.toLowerCase())));
    if (!next) return undefined;
    done.add(next.id.toLowerCase());
    order.push(next);
  }
  return order;
}

/**
 * POST /v1.0/$batch (or /beta/$batch): up to 20 requests, each answered by answerGraph as if sent
 * alone (its own token check, limits, faults and counters) and returned with its own status,
 * headers and body. A request whose dependency did not succeed is not run (424).
 */
async function answerBatch(state: GraphState, req: IncomingMessage, call: GraphCall): Promise<GraphAnswer> {
  const now = state.now();
  const auth = await authorize(state, call.authorization);
  if (!auth.ok) return failed(auth.failure);
  const raw = await readBodyText(req, GRAPH_BATCH_MAX_BYTES);
  if (raw === undefined) return failed(graphErrors.badBatch(now));
  const items = parseBatch(raw, now);
  if (!Array.isArray(items)) return failed(items);
  const order = runOrder(items);
  if (!order) return failed(graphErrors.badBatch(now));
  state.counters.batches += 1;

  // inner URLs are relative to the version the batch was posted to: "/users?$top=1" or "users"
  const root = call.url.pathname.replace(/\/(\$|%24)batch\/?$/i, '');
  const answers = new Map<string, GraphAnswer>();
  for (const item of order) {
    const failedDependency = item.dependsOn.find((d) => {
      const status = answers.get(d.toLowerCase())?.status ?? 0;
      return status < 200 || status >= 400;
    });
    if (failedDependency !== undefined) {
      answers.set(item.id.toLowerCase(), failed(graphErrors.failedDependency(failedDependency, now)));
      continue;
    }
    state.counters.batchedRequests += 1;
    if (/^[a-z][a-z0-9+.-]*:/i.test(item.url)) {
      answers.set(item.id.toLowerCase(), failed(graphErrors.absoluteBatchUrl(item.url, now)));
      continue;
    }
    const url = new URL(`${root}/${item.url.replace(/^\/+/, '')}`, call.bases.graph);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    answers.set(item.id.toLowerCase(), await answerGraph(state, { method: item.method, url, path, authorization: call.authorization, bases: call.bases }));
  }
  const responses = items.map((item) => {
    const answer = answers.get(item.id.toLowerCase()) as GraphAnswer;
    const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [batchHeaderName(name), value]));
    return { id: item.id, status: answer.status, headers, ...(answer.body === undefined ? {} : { body: answer.body }) };
  });
  return ok({ responses });
}

/**
 * The download storage: `GET /<id>` answers the CSV a report request handed out (no token, as a
 * signed storage URL needs none). `path` is the pathname without a trailing slash.
 */
export function handleDownloadRequest(state: GraphState, req: IncomingMessage, res: ServerResponse, path: string): void {
  const now = state.now();
  // answered all the same (the URL is the credential), but counted: a token must not reach this host
  if (req.headers.authorization !== undefined) state.counters.downloadsWithAuthorization += 1;
  const downloadMatch = /^\/([A-Za-z0-9_-]+)$/.exec(path);
  const download = downloadMatch && (req.method ?? 'GET') === 'GET' ? state.download(downloadMatch[1] as string) : undefined;
  if (!download) {
    sendXml(res, 404, unknownDownloadXml(now));
    return;
  }
  if (now >= download.expiresAt) {
    state.counters.expiredDownloads += 1;
    sendXml(res, 403, expiredDownloadXml(download.expiresAt, now));
    return;
  }
  const csv = graphReportCsv(download.request);
  state.counters.downloads += 1;
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-length': String(Buffer.byteLength(csv)),
    'content-disposition': `attachment; filename="${download.request.spec.name.replace(/^get/, '')}.csv"`,
  });
  res.end(csv);
}

/** Answers a request on the Graph host (always true: every path is its business). `path` is the pathname without a trailing slash. */
export async function handleGraphRequest(state: GraphState, bases: ServiceBases, req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<boolean> {
  const method = req.method ?? 'GET';
  const call: GraphCall = { method, url, path, authorization: req.headers.authorization, bases };
  if (/^\/(v1\.0|beta)\/(\$|%24)batch$/i.test(path)) {
    write(res, method === 'POST' ? await answerBatch(state, req, call) : failed(graphErrors.methodNotAllowed(state.now())));
    return true;
  }
  write(res, await answerGraph(state, call));
  return true;
}
