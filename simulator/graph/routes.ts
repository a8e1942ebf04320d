/**
 * Microsoft Graph and the report download storage (simulator/README.md, "Graph endpoints"), each at
 * the root of its own listener as on graph.microsoft.com and the storage host: Graph v1.0 and the
 * downloads a report's Location names (the login host is login/routes.ts). Nothing here logs a
 * request, a secret or a token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ServiceBases, serviceUrl } from '../http/service-hosts.js';
import { graphPeriods, graphReportSpec } from './report-catalog.js';
import type { ReportRequest, ReportSelector } from './report-data.js';
import { graphReportCsv } from './report-data.js';
import type { AccessToken } from '../http/tokens.js';
import type { GraphState } from './graph-state.js';
import { expiredDownloadXml, graphErrors, unknownDownloadXml, type GraphFailure } from './texts.js';
import { DAY_MS } from '../world/graph-world.js';
import { faultsOf, type TenantRecord } from '../world/world.js';

/** The largest $top of delegatedAdminRelationships (and, here, of contracts); also the default page. */
export const GRAPH_MAX_TOP = 300;
/** How far back `(date=…)` may go. */
export const REPORT_DATE_WINDOW_DAYS = 30;

const graphJson = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

function sendJson(res: ServerResponse, status: number, body: unknown, contentType: string, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function sendGraph(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(res, status, body, graphJson, headers);
}

function sendGraphFailure(res: ServerResponse, failure: GraphFailure): void {
  sendGraph(res, failure.status, failure.body, { 'request-id': failure.body.error.innerError['request-id'], ...(failure.headers ?? {}) });
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
    query.push(['$skiptoken', encodeSkipToken({ o: offset + top, ...(filter !== undefined ? { f: filter } : {}) })]);
    body['@odata.nextLink'] = serviceUrl(bases, 'graph', url.pathname, query);
  }
  return { ok: true, body };
}

/** A valid bearer token, or the 401 the caller must send. */
function authorize(state: GraphState, req: IncomingMessage): { ok: true; token: AccessToken } | { ok: false; failure: GraphFailure } {
  const now = state.now();
  const result = state.bearer(req.headers.authorization);
  // an Exchange token on Graph: the real service's "Invalid audience" 401
  if (result.kind === 'ok' && result.token.audience !== 'graph') return { ok: false, failure: graphErrors.badToken(now) };
  if (result.kind === 'ok') return { ok: true, token: result.token };
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

/**
 * The download storage: `GET /<id>` answers the CSV a report request handed out (no token, as a
 * signed storage URL needs none). `path` is the pathname without a trailing slash.
 */
export function handleDownloadRequest(state: GraphState, req: IncomingMessage, res: ServerResponse, path: string): void {
  const now = state.now();
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
  const world = state.world;
  const now = state.now();
  let graphPath: string;
  try {
    graphPath = decodeURIComponent(path);
  } catch {
    sendGraphFailure(res, graphErrors.badRequest('The request URI is not valid.', now));
    return true;
  }
  if (method !== 'GET') {
    sendGraphFailure(res, graphErrors.methodNotAllowed(now));
    return true;
  }
  const gw = state.graphWorld;
  const reply = (failure: GraphFailure): true => {
    sendGraphFailure(res, failure);
    return true;
  };

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
    const auth = authorize(state, req);
    if (!auth.ok) return reply(auth.failure);
    if (auth.token.tenant) return reply(graphErrors.notPartnerToken(auth.token.tenantId, now));
    const result = page(state, url, bases, collection());
    if (!result.ok) return reply(result.failure);
    if (graphPath.toLowerCase().endsWith('delegatedadminrelationships')) state.counters.relationshipPages += 1;
    sendGraph(res, 200, result.body);
    return true;
  }

  const lookupMatch = /^\/v1\.0\/tenantRelationships\/findTenantInformationByTenantId(?:\((.*)\))?$/i.exec(graphPath);
  if (lookupMatch) {
    const auth = authorize(state, req);
    if (!auth.ok) return reply(auth.failure);
    if (auth.token.tenant) return reply(graphErrors.notPartnerToken(auth.token.tenantId, now));
    const argument = /^\s*tenantId\s*=\s*'([^']*)'\s*$/i.exec(lookupMatch[1] ?? '');
    if (!argument) {
      return reply(graphErrors.badRequest(`Invalid parameters for function 'findTenantInformationByTenantId': '${lookupMatch[1] ?? ''}'. Expected (tenantId='{id}').`, now));
    }
    state.counters.tenantLookups += 1;
    const id = (argument[1] as string).trim();
    const tenant = gw.tenantsById.get(id.toLowerCase());
    if (!tenant) return reply(graphErrors.tenantNotFound(id, now));
    sendGraph(res, 200, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.tenantInformation',
      tenantId: tenant.tenantId,
      displayName: tenant.name,
      defaultDomainName: tenant.defaultDomain,
      federationBrandName: null,
    });
    return true;
  }

  if (graphPath.toLowerCase() === '/v1.0/admin/reportsettings') {
    const auth = authorize(state, req);
    if (!auth.ok) return reply(auth.failure);
    if (!auth.token.tenant) return reply(graphErrors.notCustomerToken(auth.token.tenantId, now));
    sendGraph(res, 200, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#admin/reportSettings/$entity',
      displayConcealedNames: concealsNames(state, auth.token.tenant),
    });
    return true;
  }

  const reportMatch = /^\/v1\.0\/reports\/([A-Za-z0-9]+)(?:\((.*)\))?$/i.exec(graphPath);
  if (reportMatch) {
    const auth = authorize(state, req);
    if (!auth.ok) return reply(auth.failure);
    const { token } = auth;
    const tenant = token.tenant;
    if (!tenant) return reply(graphErrors.notCustomerToken(token.tenantId, now));
    const spec = graphReportSpec(reportMatch[1] as string);
    if (!spec) return reply(graphErrors.notFound(reportMatch[1] as string, now));
    if (reportMatch[2] === undefined) return reply(graphErrors.notFound(reportMatch[1] as string, now));
    const format = query(url, '$format');
    if (format !== undefined && format.toLowerCase() !== 'text/csv') {
      return reply(graphErrors.badRequest(`The $format '${format}' is not supported by v1.0 reports; use text/csv.`, now));
    }
    const selector = parseSelector(state, spec.name, spec.acceptsDate, reportMatch[2]);
    if (typeof selector === 'string') return reply(graphErrors.badRequest(selector, now));

    state.countRequest(tenant, spec.name);
    const serverError = faultsOf(world, tenant, 'graphServerError')[0];
    if (serverError && state.fire('graphServerError', tenant, serverError.failures)) {
      return reply(graphErrors.serviceUnavailable(now));
    }
    const throttle = faultsOf(world, tenant, 'graphThrottle')[0];
    if (throttle && state.fire('graphThrottle', tenant, throttle.failures)) {
      state.counters.throttled += 1;
      return reply(graphErrors.tooManyRequests(throttle.retryAfterSeconds, now));
    }
    const slot = state.takeSlot(token.app, tenant, spec.name);
    if (!slot.ok) {
      state.counters.throttled += 1;
      return reply(graphErrors.tooManyRequests(slot.retryAfterSeconds, now));
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
    res.writeHead(302, { location: serviceUrl(bases, 'download', `/${id}`), 'content-length': '0', 'cache-control': 'no-store' });
    res.end();
    return true;
  }

  const segment = graphPath.split('/').filter((s) => s !== '').at(-1) ?? graphPath;
  sendGraphFailure(res, graphErrors.notFound(segment, now));
  return true;
}
