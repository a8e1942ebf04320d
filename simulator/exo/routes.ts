/**
 * The Exchange Online admin API, at the root of its own listener (playing https://outlook.office365.com):
 * POST /adminapi/beta/{tenantId}/InvokeCommand[?$select=a,b] with
 * {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}. Checks, in order: the bearer token (issued
 * by the login host for the Exchange scope, unexpired, for the tenant in the path), the
 * X-AnchorMailbox header, the body; then the call waits the scenario's command latency, meets
 * the tenant's faults (exoServerError, exoThrottle, roleMissing), runs the cmdlet, and answers
 * one page (Prefer: odata.maxpagesize, 1..1000) with an absolute @odata.nextLink to POST the same
 * body to. POST /adminapi/beta/{tenantId}/$batch carries up to 10 such calls (the shape CIPP
 * sends), each answered by the same `answerInvoke` as a direct call. Nothing here logs a request,
 * a token or a body.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { runExoCmdlet } from './cmdlets.js';
import type { ExoObject } from '../world/exchange-objects.js';
import type { ExoState } from './exo-state.js';
import { exoErrors, type ExoFailure } from './texts.js';
import type { BearerCheck, TokenStore } from '../http/tokens.js';
import { type ServiceBases, serviceUrl } from '../http/service-hosts.js';
import { readBodyText } from '../http/request-body.js';
import { emailDomainNames } from '../world/directory.js';
import { faultsOf, type TenantRecord, type World } from '../world/world.js';

export const EXO_MAX_PAGE_SIZE = 1000;
/** The anchor mailbox the admin API routes app calls by (ExchangeOnlineManagement v3 sends it). */
export const EXO_SYSTEM_MAILBOX = 'SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}';
/** The organization's system mailboxes public tools anchor by: the one above, and the one CIPP's bulk requests name. */
const SYSTEM_MAILBOXES = [EXO_SYSTEM_MAILBOX, 'SystemMailbox{8cc370d3-822a-4ab8-a926-bb94bd0641a9}'].map((m) => m.toLowerCase());
/** The most InvokeCommand calls one $batch may carry (CIPP sends batches of 10). */
export const EXO_BATCH_MAX = 10;
const MAX_BODY = 1_000_000;
const odataJson = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export interface ExoContext {
  world: World;
  exo: ExoState;
  /** The access tokens the login host issued. */
  tokens: TokenStore;
  /** A latency with the scenario's jitter added. */
  delay(baseMs: number): number;
}

/** What the admin API answers to one call: written to the socket, or one entry of a $batch answer. */
export interface ExoAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** One InvokeCommand call, direct or from a $batch. */
interface InvokeCall {
  method: string;
  /** The call's URL ($select, $skiptoken). */
  url: URL;
  /** The tenant segment of the path, as sent (percent-encoded). */
  rawSegment: string;
  authorization: string | undefined;
  anchor: string | undefined;
  prefer: string | undefined;
  /** The body; undefined when it is larger than the API takes. */
  readBody(): Promise<string | undefined>;
  /** The hosts links are built on. */
  bases: ServiceBases;
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): ExoAnswer {
  return { status, headers: { 'content-type': odataJson, 'request-id': randomUUID(), ...headers }, body };
}

function send(res: ServerResponse, reply: ExoAnswer): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store', ...reply.headers });
  res.end(text);
}

const readBody = (req: IncomingMessage) => readBodyText(req, MAX_BODY);

function queryValue(url: URL, name: string): string | undefined {
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}

/** `Prefer: odata.maxpagesize=N` (spaces allowed around '=', other preferences ignored); clamped to 1..1000. */
export function pageSizeOf(prefer: string | undefined): number {
  const match = /odata\.maxpagesize\s*=\s*"?(\d+)"?/i.exec(prefer ?? '');
  if (!match) return EXO_MAX_PAGE_SIZE;
  return Math.min(EXO_MAX_PAGE_SIZE, Math.max(1, Number(match[1])));
}

interface SkipToken {
  /** offset into the cmdlet's output */
  o: number;
  /** the service clock of the first call, so that every page reads the same output */
  n: number;
  /** hash of the body the pages belong to */
  h: string;
}

function decodeSkipToken(text: string): SkipToken | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as SkipToken;
    return Number.isInteger(value.o) && value.o >= 0 && Number.isFinite(value.n) && typeof value.h === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function bodyHash(cmdlet: string, parameters: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify([cmdlet.toLowerCase(), parameters])).digest('base64url').slice(0, 16);
}

/** The tenant named in the path: its id or one of its domains (not its display name). */
function pathTenant(world: World, segment: string): TenantRecord | undefined {
  const tenant = world.lookup.get(segment.toLowerCase());
  return tenant && segment.toLowerCase() !== tenant.name.toLowerCase() ? tenant : undefined;
}

/**
 * The anchor is a routing hint: none at all, a system mailbox of this tenant
 * (`APP:SystemMailbox{…}@<tenant id or accepted domain>`, `UPN:SystemMailbox{…}@<…>`), or one of the
 * tenant's mailboxes by address (`UPN:<address>` or the bare address, as CIPP anchors by Identity).
 * Anything else (another tenant's mailbox, an unknown system mailbox, a malformed value) is refused.
 */
/** The admin API's refusal of a bearer token that did not pass the check (http/tokens.ts); undefined when it passed. */
function tokenRefusal(bearer: BearerCheck, requestUrl: string, segment: string): ExoFailure | undefined {
  switch (bearer.kind) {
    case 'ok':
      return undefined;
    case 'missing':
      return exoErrors.noToken();
    case 'expired':
      return exoErrors.expiredToken();
    case 'wrongAudience':
      return exoErrors.wrongAudience(bearer.audience, requestUrl);
    case 'wrongTenant':
      return exoErrors.wrongTenant(bearer.tenantId, segment);
    default:
      return exoErrors.badToken();
  }
}

function anchorOk(header: string | undefined, tenant: TenantRecord): boolean {
  if (header === undefined) return true;
  const match = /^(?:(APP|UPN):)?([^@\s]+)@([^@\s]+)$/i.exec(header.trim());
  if (!match) return false;
  const kind = (match[1] ?? '').toUpperCase();
  const local = (match[2] as string).toLowerCase();
  const org = (match[3] as string).toLowerCase();
  const acceptedDomain = emailDomainNames(tenant).some((d) => d.toLowerCase() === org) || tenant.domains.some((d) => d.name.toLowerCase() === org);
  if (SYSTEM_MAILBOXES.includes(local)) return kind !== '' && (acceptedDomain || org === tenant.tenantId.toLowerCase());
  if (kind === 'APP' || !acceptedDomain) return false;
  const address = `${local}@${org}`;
  return tenant.mailboxes.some((m) => m.userPrincipalName.toLowerCase() === address || `${m.alias}@${tenant.initialDomain}`.toLowerCase() === address);
}

function select(values: ExoObject[], selectText: string | undefined): ExoObject[] {
  if (selectText === undefined || selectText.trim() === '') return values;
  const wanted = selectText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return values.map((value) => {
    const keys = Object.keys(value);
    const picked: ExoObject = {};
    for (const name of wanted) {
      const key = keys.find((k) => k.toLowerCase() === name.toLowerCase());
      if (key !== undefined) picked[key] = value[key] ?? null;
    }
    return picked;
  });
}

/**
 * Answers one InvokeCommand call: counted, in flight from arrival to answer, and checked in the
 * documented order (simulator/README.md, "Exchange admin API").
 */
async function answerInvoke(ctx: ExoContext, call: InvokeCall): Promise<ExoAnswer> {
  const { exo, tokens, world } = ctx;
  let segment: string;
  try {
    segment = decodeURIComponent(call.rawSegment);
  } catch {
    segment = call.rawSegment;
  }
  exo.counters.requests += 1;
  const end = exo.begin(pathTenant(world, segment)?.tenantId ?? segment);
  const fail = (failure: ExoFailure): ExoAnswer => {
    if (failure.status === 401 || failure.status === 403) exo.counters.refused += 1;
    if (failure.status === 429) exo.counters.throttled += 1;
    if (failure.status >= 500) exo.counters.serverErrors += 1;
    return answer(failure.status, failure.body, failure.headers);
  };
  try {
    const method = call.method.toUpperCase();
    if (method !== 'POST') return fail(exoErrors.methodNotAllowed(method));

    const tenant = pathTenant(world, segment);
    const bearer = await tokens.check(call.authorization, 'exchange', tenant?.tenantId ?? null);
    const refusal = tokenRefusal(bearer, `https://outlook.office365.com/adminapi/beta/${segment}/InvokeCommand`, segment);
    if (refusal || !tenant) return fail(refusal ?? exoErrors.badToken());
    if (!anchorOk(call.anchor, tenant)) return fail(exoErrors.badAnchor(tenant.tenantId));

    const raw = await call.readBody();
    if (raw === undefined) return fail(exoErrors.badBody('the body is larger than 1 MB.'));
    let input: { CmdletName?: unknown; Parameters?: unknown } | undefined;
    try {
      input = (JSON.parse(raw) as { CmdletInput?: typeof input }).CmdletInput;
    } catch {
      return fail(exoErrors.badBody('it is not JSON.'));
    }
    if (!input || typeof input.CmdletName !== 'string' || input.CmdletName.trim() === '') return fail(exoErrors.badBody("expected {\"CmdletInput\":{\"CmdletName\":\"…\",\"Parameters\":{…}}}."));
    const parameters = input.Parameters === undefined || input.Parameters === null ? {} : input.Parameters;
    if (typeof parameters !== 'object' || Array.isArray(parameters)) return fail(exoErrors.badBody('CmdletInput.Parameters must be an object.'));
    const cmdlet = input.CmdletName.trim();
    const hash = bodyHash(cmdlet, parameters as Record<string, unknown>);

    const skipText = queryValue(call.url, '$skiptoken');
    const skip = skipText === undefined ? undefined : decodeSkipToken(skipText);
    if (skipText !== undefined && (!skip || skip.h !== hash)) return fail(exoErrors.badBody('the $skiptoken is not valid for this request (POST the same body to the @odata.nextLink).'));

    const latency = world.scenario.latency;
    if (latency.commandMs > 0 || latency.jitterMs > 0) await sleep(ctx.delay(latency.commandMs));

    const serverError = faultsOf(world, tenant, 'exoServerError')[0];
    if (serverError && exo.fire('exoServerError', tenant, serverError.failures)) return fail(exoErrors.serverError());
    const throttle = faultsOf(world, tenant, 'exoThrottle')[0];
    if (throttle && exo.fire('exoThrottle', tenant, throttle.failures)) return fail(exoErrors.throttled(throttle.retryAfterSeconds));
    if (faultsOf(world, tenant, 'roleMissing').length > 0) return fail(exoErrors.notAllowed(cmdlet));

    const now = skip?.n ?? (world.scenario.now ? Date.parse(world.scenario.now) : tokens.now());
    const outcome = runExoCmdlet(world, tenant, cmdlet, parameters as Record<string, unknown>, now);
    if (!outcome.ok) return fail(outcome.failure);

    const size = Math.min(pageSizeOf(call.prefer), world.scenario.limits.exoPageSize);
    const offset = skip?.o ?? 0;
    const selectText = queryValue(call.url, '$select');
    const body: Record<string, unknown> = {
      '@odata.context': `https://outlook.office365.com/adminapi/beta/${segment}/$metadata#Collection(Exchange.GenericHashTable)`,
      'adminapi.warnings@odata.type': '#Collection(String)',
      '@adminapi.warnings': outcome.warnings,
      value: select(outcome.values.slice(offset, offset + size), selectText),
    };
    if (offset + size < outcome.values.length) {
      const query: Array<[string, string]> = selectText !== undefined ? [['$select', selectText]] : [];
      query.push(['$skiptoken', Buffer.from(JSON.stringify({ o: offset + size, n: now, h: hash } satisfies SkipToken)).toString('base64url')]);
      body['@odata.nextLink'] = serviceUrl(call.bases, 'exo', `/adminapi/beta/${encodeURIComponent(segment)}/InvokeCommand`, query);
    }
    exo.counters.pages += 1;
    return answer(200, body, call.prefer ? { 'preference-applied': `odata.maxpagesize=${size}` } : {});
  } finally {
    end();
  }
}

/** A header of a batched request, by any case of its name; undefined when absent or not a string. */
function headerOf(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value : undefined;
}

/** Header names of a batch answer in the usual case (Content-Type, Retry-After). */
function batchHeaderName(name: string): string {
  if (name.endsWith('request-id')) return name;
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);
}

/**
 * POST /adminapi/beta/{tenant}/$batch: `{"requests":[{"id","method":"POST","url":".../InvokeCommand[?$select=…]","body":{"CmdletInput":…},"headers":{…}}]}`,
 * at most 10. The batch itself needs a valid Exchange token for the tenant in its path; each call
 * then goes through answerInvoke with its own headers (Authorization, X-AnchorMailbox and Prefer
 * default to the batch's), one after the other, and is answered with its own status, headers and body.
 */
async function answerExoBatch(ctx: ExoContext, req: IncomingMessage, rawSegment: string, bases: ServiceBases): Promise<ExoAnswer> {
  const { exo, tokens, world } = ctx;
  const refuse = (failure: ExoFailure): ExoAnswer => {
    if (failure.status === 401) exo.counters.refused += 1;
    return answer(failure.status, failure.body, failure.headers);
  };
  if ((req.method ?? 'GET').toUpperCase() !== 'POST') return refuse(exoErrors.methodNotAllowed(req.method ?? 'GET', '$batch'));
  let segment: string;
  try {
    segment = decodeURIComponent(rawSegment);
  } catch {
    segment = rawSegment;
  }
  const tenant = pathTenant(world, segment);
  const bearer = await tokens.check(req.headers.authorization, 'exchange', tenant?.tenantId ?? null);
  const refusal = tokenRefusal(bearer, `https://outlook.office365.com/adminapi/beta/${segment}/$batch`, segment);
  if (refusal || !tenant) return refuse(refusal ?? exoErrors.badToken());

  const raw = await readBody(req);
  if (raw === undefined) return refuse(exoErrors.badBody('the body is larger than 1 MB.'));
  let requests: unknown;
  try {
    requests = (JSON.parse(raw) as { requests?: unknown } | null)?.requests;
  } catch {
    return refuse(exoErrors.badBody('it is not JSON.'));
  }
  if (!Array.isArray(requests) || requests.length === 0) return refuse(exoErrors.badBatch('expected {"requests":[{"id","method","url","body","headers"}]} with at least one request.'));
  if (requests.length > EXO_BATCH_MAX) return refuse(exoErrors.batchTooLarge(EXO_BATCH_MAX, requests.length));
  const items: Array<{ id: string; method: string; url: string; body: unknown; headers: Record<string, unknown> | undefined }> = [];
  for (const entry of requests as unknown[]) {
    const r = entry as Record<string, unknown> | null;
    if (!r || typeof r !== 'object' || typeof r.id !== 'string' || r.id === '' || typeof r.method !== 'string' || typeof r.url !== 'string') {
      return refuse(exoErrors.badBatch('each request needs a string id, method and url.'));
    }
    if (items.some((i) => i.id.toLowerCase() === (r.id as string).toLowerCase())) return refuse(exoErrors.badBatch(`the request id '${r.id}' is used twice.`));
    const headers = r.headers !== null && typeof r.headers === 'object' && !Array.isArray(r.headers) ? (r.headers as Record<string, unknown>) : undefined;
    items.push({ id: r.id, method: r.method, url: r.url, body: r.body, headers });
  }
  exo.counters.batches += 1;

  const outerAnchor = typeof req.headers['x-anchormailbox'] === 'string' ? req.headers['x-anchormailbox'] : undefined;
  const outerPrefer = typeof req.headers.prefer === 'string' ? req.headers.prefer : undefined;
  const responses: Array<{ id: string; status: number; headers: Record<string, string>; body: unknown }> = [];
  for (const item of items) {
    let url: URL;
    try {
      url = new URL(item.url, `${bases.exo}/`);
    } catch {
      url = new URL('invalid:');
    }
    // the admin API's own path, whichever host the URL names (CIPP sends https://outlook.office365.com/…)
    const target = /\/adminapi\/beta\/([^/]+)\/InvokeCommand\/?$/i.exec(url.pathname);
    let reply: ExoAnswer;
    if (!target) {
      reply = answer(404, exoErrors.notInvokeCommand(item.url).body);
    } else {
      const text = typeof item.body === 'string' ? item.body : JSON.stringify(item.body ?? null);
      reply = await answerInvoke(ctx, {
        method: item.method,
        url,
        rawSegment: target[1] as string,
        authorization: headerOf(item.headers, 'authorization') ?? req.headers.authorization,
        anchor: headerOf(item.headers, 'x-anchormailbox') ?? outerAnchor,
        prefer: headerOf(item.headers, 'prefer') ?? outerPrefer,
        readBody: async () => (Buffer.byteLength(text) > MAX_BODY ? undefined : text),
        bases,
      });
    }
    const headers = Object.fromEntries(Object.entries(reply.headers).map(([name, value]) => [batchHeaderName(name), value]));
    responses.push({ id: item.id, status: reply.status, headers, body: reply.body });
  }
  return answer(200, { responses });
}

/** Answers a request on the Exchange host (always true: every path is its business). */
export async function handleExoRequest(ctx: ExoContext, bases: ServiceBases, req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<boolean> {
  const batch = /^\/adminapi\/beta\/([^/]+)\/(?:\$|%24)batch$/i.exec(path);
  if (batch) {
    send(res, await answerExoBatch(ctx, req, batch[1] as string, bases));
    return true;
  }
  const match = /^\/adminapi\/beta\/([^/]+)\/InvokeCommand$/i.exec(path);
  if (!match) {
    send(res, answer(404, exoErrors.notInvokeCommand(path).body));
    return true;
  }
  send(
    res,
    await answerInvoke(ctx, {
      method: req.method ?? 'GET',
      url,
      rawSegment: match[1] as string,
      authorization: req.headers.authorization,
      anchor: typeof req.headers['x-anchormailbox'] === 'string' ? req.headers['x-anchormailbox'] : undefined,
      prefer: typeof req.headers.prefer === 'string' ? req.headers.prefer : undefined,
      readBody: () => readBody(req),
      bases,
    }),
  );
  return true;
}
