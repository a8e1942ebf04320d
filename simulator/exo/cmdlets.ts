/**
 * The cmdlets of the simulated Exchange Online admin API and their parameter rules: names are
 * matched case-insensitively, unknown parameters and missing mandatory ones are refused with the
 * service's errors, and each cmdlet answers with the objects of world/exchange-objects.ts.
 */
import type { DeclaredCmdletSpec } from '../world/declared-cmdlets.js';
import { answerDeclared, bindDeclared } from '../world/declared-rows.js';
import { exoErrors, traceMoreResultsWarning, type ExoFailure } from './texts.js';
import {
  acceptedDomainObjects,
  casMailboxObjects,
  compareTrace,
  exoDate,
  findExoMailbox,
  inboxRuleObjects,
  mailboxObjects,
  mailboxStatisticsObject,
  messageTraceV2Objects,
  parseServiceDate,
  type ExoObject,
} from '../world/exchange-objects.js';
import { cutToResultSize, defaultResultSizeWarning, readResultSize, type ResultSize } from '../world/result-size.js';
import { DAY_MS } from '../world/report-data.js';
import type { TenantRecord, World } from '../world/world.js';

export type CmdletOutcome = { ok: true; values: ExoObject[]; warnings: string[] } | { ok: false; failure: ExoFailure };

export const TRACE_MAX_DAYS_BACK = 90;
export const TRACE_MAX_SPAN_DAYS = 10;
export const TRACE_DEFAULT_RESULT_SIZE = 1000;
export const TRACE_MAX_RESULT_SIZE = 5000;
/** Why a date parameter was refused (.NET's text). */
export const notADate = 'String was not recognized as a valid DateTime.';
/** Why a ResultSize was refused (the admin API's ParameterTransformationException). */
export const resultSizeWhy = 'The value must be a positive integer or Unlimited.';

interface CmdletDef {
  name: string;
  parameters: readonly string[];
  mandatory?: string;
  run(ctx: Context, p: Record<string, unknown>): CmdletOutcome;
}

interface Context {
  world: World;
  tenant: TenantRecord;
  /** The service's clock for this call (ms). */
  now: number;
}

class Refusal extends Error {
  constructor(readonly failure: ExoFailure) {
    super(failure.body.error.message);
  }
}

const ok = (values: ExoObject[], warnings: string[] = []): CmdletOutcome => ({ ok: true, values, warnings });

function text(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

function list(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v).toLowerCase());
}

/** ResultSize: a positive integer or Unlimited; absent → the default with its warning when cut. */
function resultSize(value: unknown): ResultSize {
  const size = readResultSize(text(value));
  if (!size) throw new Refusal(exoErrors.badValue('ResultSize', String(value), resultSizeWhy));
  return size;
}

function cut(values: ExoObject[], size: ResultSize, warnings: string[]): ExoObject[] {
  return cutToResultSize(values, size, warnings, defaultResultSizeWarning);
}

function date(parameter: string, value: unknown): number | undefined {
  const given = text(value);
  if (given === undefined) return undefined;
  const ms = parseServiceDate(given);
  if (ms === undefined) throw new Refusal(exoErrors.badValue(parameter, given, notADate));
  return ms;
}

function mailboxOf(ctx: Context, identity: string) {
  const m = findExoMailbox(ctx.world.seed, ctx.tenant, identity);
  if (!m) throw new Refusal(exoErrors.notFound(identity, ctx.tenant.region));
  return m;
}

function messageTrace(ctx: Context, p: Record<string, unknown>): CmdletOutcome {
  const today = Math.floor(ctx.now / DAY_MS) * DAY_MS;
  const end = date('EndDate', p.EndDate) ?? ctx.now;
  const start = date('StartDate', p.StartDate) ?? end - 2 * DAY_MS;
  const validation = 'Microsoft.Exchange.Management.FfoReporting.InvalidExpressionException';
  if (start > end) throw new Refusal(exoErrors.validation(validation, 'The StartDate parameter value must be earlier than the EndDate parameter value.'));
  if (start < today - TRACE_MAX_DAYS_BACK * DAY_MS) {
    throw new Refusal(exoErrors.validation(validation, `Invalid StartDate value. The StartDate can't be older than ${TRACE_MAX_DAYS_BACK} days from today.`));
  }
  if (end - start > TRACE_MAX_SPAN_DAYS * DAY_MS) {
    throw new Refusal(exoErrors.validation(validation, `Invalid date range. The date range between StartDate and EndDate can't be greater than ${TRACE_MAX_SPAN_DAYS} days.`));
  }
  const sizeText = text(p.ResultSize);
  const size = sizeText === undefined ? TRACE_DEFAULT_RESULT_SIZE : Number(sizeText);
  if (!Number.isInteger(size) || size < 1 || size > TRACE_MAX_RESULT_SIZE) {
    throw new Refusal(exoErrors.validation(validation, `Invalid ResultSize value. The ResultSize must be between 1 and ${TRACE_MAX_RESULT_SIZE}.`));
  }
  const startText = exoDate(start);
  const endText = exoDate(end);
  const from = text(p.StartingRecipientAddress)?.toLowerCase();
  const senders = list(p.SenderAddress);
  const recipients = list(p.RecipientAddress);
  const statuses = list(p.Status);
  const messageIds = list(p.MessageId);
  const traceIds = list(p.MessageTraceId);
  const keep = (row: ExoObject) => {
    const received = String(row.Received);
    const recipient = String(row.RecipientAddress).toLowerCase();
    if (received < startText || received > endText) return false;
    // the next set after a cut: older rows, or rows of the same second after the last recipient
    if (from !== undefined && received === endText && recipient <= from) return false;
    return (
      (senders.length === 0 || senders.includes(String(row.SenderAddress).toLowerCase())) &&
      (recipients.length === 0 || recipients.includes(recipient)) &&
      (statuses.length === 0 || statuses.includes(String(row.Status).toLowerCase())) &&
      (messageIds.length === 0 || messageIds.includes(String(row.MessageId).toLowerCase())) &&
      (traceIds.length === 0 || traceIds.includes(String(row.MessageTraceId).toLowerCase()))
    );
  };
  const rows: ExoObject[] = [];
  for (let day = Math.floor(end / DAY_MS); day >= Math.floor(start / DAY_MS) && rows.length <= size + 50; day -= 1) {
    rows.push(...messageTraceV2Objects(ctx.world.seed, ctx.tenant, day).filter(keep));
  }
  rows.sort(compareTrace);
  if (rows.length <= size) return ok(rows);
  // never cut between two rows of the same second and recipient: the next set could not tell them apart
  const sameKey = (a: ExoObject, b: ExoObject) => a.Received === b.Received && String(a.RecipientAddress).toLowerCase() === String(b.RecipientAddress).toLowerCase();
  let at = size;
  while (at > 0 && sameKey(rows[at - 1] as ExoObject, rows[at] as ExoObject)) at -= 1;
  if (at === 0) {
    at = size;
    while (at < rows.length && sameKey(rows[at - 1] as ExoObject, rows[at] as ExoObject)) at += 1;
  }
  const set = rows.slice(0, at);
  if (at >= rows.length) return ok(set);
  const last = set[set.length - 1] as ExoObject;
  return ok(set, [traceMoreResultsWarning(startText, String(last.Received), String(last.RecipientAddress), size)]);
}

const cmdlets: readonly CmdletDef[] = [
  {
    name: 'Get-Mailbox',
    parameters: ['Identity', 'ResultSize', 'RecipientTypeDetails'],
    run: (ctx, p) => {
      const warnings: string[] = [];
      const size = resultSize(p.ResultSize);
      let values = mailboxObjects(ctx.world.seed, ctx.tenant, ctx.now);
      const identity = text(p.Identity);
      if (identity !== undefined) {
        const m = mailboxOf(ctx, identity);
        values = values.filter((v) => v.Alias === m.alias);
      }
      const types = list(p.RecipientTypeDetails);
      if (types.length > 0) values = values.filter((v) => types.includes(String(v.RecipientTypeDetails).toLowerCase()));
      return ok(cut(values, size, warnings), warnings);
    },
  },
  {
    name: 'Get-MailboxStatistics',
    parameters: ['Identity'],
    mandatory: 'Identity',
    run: (ctx, p) => ok([mailboxStatisticsObject(ctx.world.seed, ctx.tenant, mailboxOf(ctx, String(p.Identity)), ctx.now)]),
  },
  {
    name: 'Get-InboxRule',
    parameters: ['Mailbox', 'Identity', 'IncludeHidden'],
    mandatory: 'Mailbox',
    run: (ctx, p) => {
      const m = mailboxOf(ctx, String(p.Mailbox));
      let rules = inboxRuleObjects(ctx.world.seed, ctx.tenant, m);
      const identity = text(p.Identity)?.toLowerCase();
      if (identity !== undefined) {
        rules = rules.filter((r) => [r.Name, r.RuleIdentity, r.Identity].some((v) => String(v).toLowerCase() === identity));
        if (rules.length === 0) throw new Refusal(exoErrors.notFound(String(p.Identity), ctx.tenant.region));
      }
      return ok(rules);
    },
  },
  {
    name: 'Get-CASMailbox',
    parameters: ['Identity', 'ResultSize'],
    run: (ctx, p) => {
      const warnings: string[] = [];
      const size = resultSize(p.ResultSize);
      let values = casMailboxObjects(ctx.world.seed, ctx.tenant);
      const identity = text(p.Identity);
      if (identity !== undefined) {
        const m = mailboxOf(ctx, identity);
        values = values.filter((v) => v.Identity === m.alias);
      }
      return ok(cut(values, size, warnings), warnings);
    },
  },
  {
    name: 'Get-AcceptedDomain',
    parameters: ['Identity'],
    run: (ctx, p) => {
      const identity = text(p.Identity)?.toLowerCase();
      const values = acceptedDomainObjects(ctx.tenant).filter((d) => identity === undefined || String(d.DomainName).toLowerCase() === identity);
      if (identity !== undefined && values.length === 0) throw new Refusal(exoErrors.notFound(String(p.Identity), ctx.tenant.region));
      return ok(values);
    },
  },
  {
    name: 'Get-MessageTraceV2',
    parameters: ['StartDate', 'EndDate', 'ResultSize', 'StartingRecipientAddress', 'SenderAddress', 'RecipientAddress', 'Status', 'MessageId', 'MessageTraceId', 'Subject', 'SubjectFilterType'],
    run: messageTrace,
  },
];

export const exoCmdletNames = cmdlets.map((c) => c.name);

/** A declared cmdlet (a report catalog's, declared-cmdlets.ts) over the admin API. */
function runDeclared(world: World, tenant: TenantRecord, spec: DeclaredCmdletSpec, parameters: Record<string, unknown>, now: number): CmdletOutcome {
  const bound = bindDeclared(spec, parameters);
  if (!bound.ok) {
    return { ok: false, failure: 'unknown' in bound ? exoErrors.unknownParameter(bound.unknown) : exoErrors.badValue(bound.parameter, bound.value, bound.why) };
  }
  const answer = answerDeclared(world, tenant, spec, bound.values, now, exoDate);
  return ok(answer.rows, answer.warnings);
}

/** Runs one InvokeCommand cmdlet for a tenant. */
export function runExoCmdlet(world: World, tenant: TenantRecord, cmdletName: string, parameters: Record<string, unknown>, now: number): CmdletOutcome {
  const def = cmdlets.find((c) => c.name.toLowerCase() === cmdletName.toLowerCase());
  if (!def) {
    const declared = world.declaredCmdlets.get(cmdletName.toLowerCase());
    return declared ? runDeclared(world, tenant, declared, parameters, now) : { ok: false, failure: exoErrors.unknownCmdlet(cmdletName) };
  }
  const p: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(parameters)) {
    const name = def.parameters.find((n) => n.toLowerCase() === key.toLowerCase());
    if (name) p[name] = value;
    else unknown.push(key);
  }
  if (unknown.length > 0) return { ok: false, failure: exoErrors.unknownParameter(unknown) };
  if (def.mandatory && text(p[def.mandatory]) === undefined) return { ok: false, failure: exoErrors.missingParameter(def.mandatory) };
  try {
    return def.run({ world, tenant, now }, p);
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, failure: error.failure };
    throw error;
  }
}
