/**
 * The Exchange Online admin API, at the root of its own listener (playing https://outlook.office365.com):
 * POST /adminapi/beta/{tenantId}/InvokeCommand[?$select=a,b] with
 * {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}. Checks, in order: the bearer token (issued
 * by the login host for the Exchange scope, unexpired, for the tenant in the path), the
 * X-AnchorMailbox header, the body; then the call waits the scenario's command latency, meets
 * the tenant's faults (exoServerError, exoThrottle, roleMissing), runs the cmdlet, and answers
 * one page (Prefer: odata.maxpagesize, 1..1000) with an absolute @odata.nextLink to POST the same
 * body to. Nothing here logs a request, a token or a body.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { runExoCmdlet } from './cmdlets.js';
import type { ExoObject } from '../world/exchange-objects.js';
import type { ExoState } from './exo-state.js';
import { exoErrors, type ExoFailure } from './texts.js';
import type { TokenStore } from '../http/tokens.js';
import { audienceResource } from '../http/token-audience.js';
import { type ServiceBases, serviceUrl } from '../http/service-hosts.js';
import { faultsOf, type TenantRecord, type World } from '../world/world.js';

export const EXO_MAX_PAGE_SIZE = 1000;
/** The anchor mailbox the admin API routes app calls by (ExchangeOnlineManagement v3 sends it). */
export const EXO_SYSTEM_MAILBOX = 'SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}';
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

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': odataJson, 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store', 'request-id': randomUUID(), ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
}

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

/** The anchor must be the system mailbox of this tenant (by id or one of its domains). */
function anchorOk(header: string | undefined, tenant: TenantRecord): boolean {
  const match = /^APP:(SystemMailbox\{[0-9a-f-]+\})@(.+)$/i.exec((header ?? '').trim());
  if (!match || (match[1] as string).toLowerCase() !== EXO_SYSTEM_MAILBOX.toLowerCase()) return false;
  const org = (match[2] as string).toLowerCase();
  return org === tenant.tenantId.toLowerCase() || tenant.domains.some((d) => d.name.toLowerCase() === org);
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

/** Answers a request on the Exchange host (always true: every path is its business). */
export async function handleExoRequest(ctx: ExoContext, bases: ServiceBases, req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<boolean> {
  const { exo, tokens, world } = ctx;
  const match = /^\/adminapi\/beta\/([^/]+)\/InvokeCommand$/i.exec(path);
  if (!match) {
    send(res, 404, { error: { code: 'NotFound', message: `No resource at '${path}'. The admin API answers POST /adminapi/beta/{tenantId}/InvokeCommand.` } });
    return true;
  }
  let segment: string;
  try {
    segment = decodeURIComponent(match[1] as string);
  } catch {
    segment = match[1] as string;
  }
  exo.counters.requests += 1;
  const end = exo.begin(pathTenant(world, segment)?.tenantId ?? segment);
  const fail = (failure: ExoFailure): true => {
    if (failure.status === 401 || failure.status === 403) exo.counters.refused += 1;
    if (failure.status === 429) exo.counters.throttled += 1;
    if (failure.status >= 500) exo.counters.serverErrors += 1;
    send(res, failure.status, failure.body, failure.headers);
    return true;
  };
  try {
    const method = req.method ?? 'GET';
    if (method !== 'POST') return fail(exoErrors.methodNotAllowed(method));

    const bearer = tokens.bearer(req.headers.authorization);
    if (bearer.kind === 'missing') return fail(exoErrors.noToken());
    if (bearer.kind === 'unknown') return fail(exoErrors.badToken());
    if (bearer.kind === 'expired') return fail(exoErrors.expiredToken());
    if (bearer.kind !== 'ok') return fail(exoErrors.badToken());
    const token = bearer.token;
    const requestUrl = `https://outlook.office365.com/adminapi/beta/${segment}/InvokeCommand`;
    if (token.audience !== 'exchange') return fail(exoErrors.wrongAudience(audienceResource[token.audience], requestUrl));
    const tenant = pathTenant(world, segment);
    if (!tenant || token.tenant !== tenant) return fail(exoErrors.wrongTenant(token.tenantId, segment));
    if (!anchorOk(req.headers['x-anchormailbox'] as string | undefined, tenant)) return fail(exoErrors.badAnchor(tenant.tenantId));

    const raw = await readBody(req);
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

    const skipText = queryValue(url, '$skiptoken');
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

    const prefer = typeof req.headers.prefer === 'string' ? req.headers.prefer : undefined;
    const size = Math.min(pageSizeOf(prefer), world.scenario.limits.exoPageSize);
    const offset = skip?.o ?? 0;
    const selectText = queryValue(url, '$select');
    const body: Record<string, unknown> = {
      '@odata.context': `https://outlook.office365.com/adminapi/beta/${segment}/$metadata#Collection(Exchange.GenericHashTable)`,
      'adminapi.warnings@odata.type': '#Collection(String)',
      '@adminapi.warnings': outcome.warnings,
      value: select(outcome.values.slice(offset, offset + size), selectText),
    };
    if (offset + size < outcome.values.length) {
      const query: Array<[string, string]> = selectText !== undefined ? [['$select', selectText]] : [];
      query.push(['$skiptoken', Buffer.from(JSON.stringify({ o: offset + size, n: now, h: hash } satisfies SkipToken)).toString('base64url')]);
      body['@odata.nextLink'] = serviceUrl(bases, 'exo', `/adminapi/beta/${encodeURIComponent(segment)}/InvokeCommand`, query);
    }
    exo.counters.pages += 1;
    send(res, 200, body, prefer ? { 'preference-applied': `odata.maxpagesize=${size}` } : {});
    return true;
  } finally {
    end();
  }
}
