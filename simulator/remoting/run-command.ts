/**
 * Runs one Exchange cmdlet of the simulated remote session for one tenant: the common
 * parameter rules (date range, newest first, ResultSize), then the data-shaping faults.
 */
import {
  invalidDateError,
  objectNotFoundError,
  parameterNotFoundError,
  traceWindowError,
  unknownCmdletError,
  type SimError,
} from './texts.js';
import type { DeclaredCmdletSpec, DeclaredColumn } from '../world/declared-cmdlets.js';
import { answerDeclared, bindDeclared } from '../world/declared-rows.js';
import { findCmdlet, type CmdletSpec, type ColumnSpec } from './cmdlet-catalog.js';
import {
  connectionByClientTypeRows,
  DAY_MS,
  dayOf,
  isoLocal,
  mailboxActivityRow,
  mailboxRows,
  mailboxStatisticsRow,
  mailboxUsageDetailRows,
  mailboxUsageRow,
  messageTraceRows,
  periodDays,
  staleMailboxDetailRows,
  staleMailboxRow,
  type ReportType,
  type Row,
} from '../world/report-data.js';
import { acceptedDomainObjects, casMailboxObjects, findExoMailbox, inboxRuleObjects, type ExoObject } from '../world/exchange-objects.js';
import { cutToResultSize, defaultResultSizeWarning, readResultSize, type ResultSize } from '../world/result-size.js';
import { faultsOf, type TenantRecord, type World } from '../world/world.js';

export interface CommandResult {
  typeName: string;
  columns: ColumnSpec[];
  rows: Row[];
  warnings: string[];
  errors: SimError[];
}

export type CommandParameters = Record<string, unknown>;

const STALE_DETAIL_MAX = 50_000;
const TRACE_WINDOW_DAYS = 10;
const CLIENT_TYPE_LAG_DAYS = 7;

export class BadCommandRequest extends Error {}

/** A date parameter as the stand-ins send it (ISO 8601; no offset means UTC). */
export function parseDateParameter(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new BadCommandRequest(`${name}: expected an ISO 8601 date string, received ${typeof value}`);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) throw new BadCommandRequest(`${name}: expected an ISO 8601 date such as 2015-03-18T00:00:00, received '${value}'`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/[+:-]/g, '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return ms;
}

function parseResultSize(value: unknown): ResultSize {
  const size = readResultSize(value);
  if (!size) throw new BadCommandRequest(`ResultSize: expected 'Unlimited' or a positive integer, received '${String(value)}'`);
  return size;
}

function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v).toLowerCase());
}

export function todayMs(world: World): number {
  return world.scenario.now ? Date.parse(world.scenario.now) : Date.now();
}

interface Range {
  firstDay: number;
  lastDay: number;
}

/** The report days asked for, clipped to the retention window when the scenario sets `now`. */
function reportRange(world: World, spec: CmdletSpec, tenant: TenantRecord, p: CommandParameters, errors: SimError[]): Range | undefined {
  const now = todayMs(world);
  const endMs = parseDateParameter('EndDate', p.EndDate) ?? now;
  const startMs = parseDateParameter('StartDate', p.StartDate) ?? endMs - 30 * DAY_MS;
  if (startMs > endMs) {
    errors.push(invalidDateError(tenant.region, spec.taskClass));
    return undefined;
  }
  let firstDay = Math.ceil(startMs / DAY_MS);
  let lastDay = Math.floor(endMs / DAY_MS);
  if (world.scenario.now) {
    const today = dayOf(now);
    const lag = spec.name === 'Get-ConnectionByClientTypeReport' ? CLIENT_TYPE_LAG_DAYS : 0;
    lastDay = Math.min(lastDay, today - lag);
    firstDay = Math.max(firstDay, today - world.scenario.retentionDays);
  }
  return { firstDay, lastDay };
}

/** Rows newest first, generated lazily: stops once `want` rows exist. */
function collectByDay(days: number[], want: number, rowsOfDay: (day: number) => Row[]): Row[] {
  const rows: Row[] = [];
  for (const day of days) {
    for (const row of rowsOfDay(day)) {
      rows.push(row);
      if (rows.length >= want) return rows;
    }
  }
  return rows;
}

function findMailbox(tenant: TenantRecord, identity: string) {
  const key = identity.toLowerCase();
  return tenant.mailboxes.find((m) => [m.alias, m.userPrincipalName, m.displayName, m.exchangeGuid].some((v) => v.toLowerCase() === key));
}

function reportRows(world: World, spec: CmdletSpec, tenant: TenantRecord, p: CommandParameters, warnings: string[], errors: SimError[]): Row[] {
  const seed = world.seed;
  const name = spec.name;
  if (name === 'Get-Mailbox') {
    const size = parseResultSize(p.ResultSize);
    let rows = mailboxRows(tenant);
    if (typeof p.Identity === 'string' && p.Identity !== '') {
      const m = findMailbox(tenant, p.Identity);
      if (!m) {
        errors.push(objectNotFoundError(tenant.region, p.Identity, spec.taskClass));
        return [];
      }
      rows = rows.filter((r) => r.Identity === m.alias);
    }
    return cutToResultSize(rows, size, warnings, defaultResultSizeWarning);
  }
  if (name === 'Get-MailboxStatistics') {
    const identity = typeof p.Identity === 'string' ? p.Identity : '';
    const m = identity ? findMailbox(tenant, identity) : undefined;
    const row = m ? mailboxStatisticsRow(seed, tenant, m.alias, todayMs(world)) : undefined;
    if (!row) {
      errors.push(objectNotFoundError(tenant.region, identity, spec.taskClass));
      return [];
    }
    return [row];
  }
  if (name === 'Get-MessageTrace') return messageTrace(world, spec, tenant, p, errors);
  if (name === 'Get-InboxRule' || name === 'Get-CASMailbox' || name === 'Get-AcceptedDomain') return exchangeObjectRows(world, spec, tenant, p, warnings, errors);

  const size = parseResultSize(p.ResultSize);
  const range = reportRange(world, spec, tenant, p, errors);
  if (!range || range.firstDay > range.lastDay || tenant.mailboxes.length === 0) return [];
  const reportType = (typeof p.ReportType === 'string' ? p.ReportType : 'Daily') as ReportType;
  const days = periodDays(range.firstDay, range.lastDay, name === 'Get-MailboxActivityReport' || name === 'Get-ConnectionByClientTypeReport' ? reportType : 'Daily');
  const cap = name === 'Get-StaleMailboxDetailReport' ? Math.min(size.limit, STALE_DETAIL_MAX) : size.limit;
  const rowsOfDay: (day: number) => Row[] = {
    'Get-MailboxActivityReport': (day: number) => [mailboxActivityRow(seed, tenant, day)],
    'Get-MailboxUsageReport': (day: number) => [mailboxUsageRow(seed, tenant, day)],
    'Get-MailboxUsageDetailReport': (day: number) => mailboxUsageDetailRows(seed, tenant, day),
    'Get-StaleMailboxReport': (day: number) => [staleMailboxRow(seed, tenant, day)],
    'Get-StaleMailboxDetailReport': (day: number) => staleMailboxDetailRows(tenant, day),
    'Get-ConnectionByClientTypeReport': (day: number) => connectionByClientTypeRows(seed, tenant, day),
  }[name] ?? (() => []);
  const rows = collectByDay(days, cap === Number.POSITIVE_INFINITY ? cap : cap + 1, rowsOfDay);
  return cutToResultSize(rows, { ...size, limit: cap }, warnings);
}

/** The cmdlets the admin REST API also serves: the same objects (world/exchange-objects.ts), cut to the session's columns. */
function exchangeObjectRows(world: World, spec: CmdletSpec, tenant: TenantRecord, p: CommandParameters, warnings: string[], errors: SimError[]): Row[] {
  const pick = (objects: ExoObject[]): Row[] => objects.map((o) => Object.fromEntries(spec.columns.map((c) => [c.name, o[c.name] ?? null])));
  const mailbox = (identity: string) => {
    const m = findExoMailbox(world.seed, tenant, identity);
    if (!m) errors.push(objectNotFoundError(tenant.region, identity, spec.taskClass));
    return m;
  };
  if (spec.name === 'Get-InboxRule') {
    const m = typeof p.Mailbox === 'string' && p.Mailbox !== '' ? mailbox(p.Mailbox) : undefined;
    if (!m) {
      if (!(typeof p.Mailbox === 'string' && p.Mailbox !== '')) throw new BadCommandRequest('Mailbox: required');
      return [];
    }
    return pick(inboxRuleObjects(world.seed, tenant, m));
  }
  if (spec.name === 'Get-CASMailbox') {
    const size = parseResultSize(p.ResultSize);
    let objects = casMailboxObjects(world.seed, tenant);
    if (typeof p.Identity === 'string' && p.Identity !== '') {
      const m = mailbox(p.Identity);
      if (!m) return [];
      objects = objects.filter((o) => o.Identity === m.alias);
    }
    return cutToResultSize(pick(objects), size, warnings, defaultResultSizeWarning);
  }
  return pick(acceptedDomainObjects(tenant).filter((d) => typeof p.Identity !== 'string' || p.Identity === '' || String(d.DomainName).toLowerCase() === p.Identity.toLowerCase()));
}

function messageTrace(world: World, spec: CmdletSpec, tenant: TenantRecord, p: CommandParameters, errors: SimError[]): Row[] {
  const now = todayMs(world);
  const endMs = parseDateParameter('EndDate', p.EndDate) ?? now;
  const startMs = parseDateParameter('StartDate', p.StartDate) ?? endMs - 2 * DAY_MS;
  if (startMs > endMs) {
    errors.push(invalidDateError(tenant.region, spec.taskClass));
    return [];
  }
  if (world.scenario.now && startMs < now - TRACE_WINDOW_DAYS * DAY_MS) {
    errors.push(traceWindowError(tenant.region, TRACE_WINDOW_DAYS));
    return [];
  }
  const page = p.Page === undefined ? 1 : Number(p.Page);
  const pageSize = p.PageSize === undefined ? 1000 : Number(p.PageSize);
  if (!Number.isInteger(page) || page < 1 || page > 1000) throw new BadCommandRequest(`Page: expected 1..1000, received '${String(p.Page)}'`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 5000) throw new BadCommandRequest(`PageSize: expected 1..5000, received '${String(p.PageSize)}'`);
  const senders = stringList(p.SenderAddress);
  const recipients = stringList(p.RecipientAddress);
  const wanted = stringList(p.Status);
  const messageId = typeof p.MessageId === 'string' ? p.MessageId.toLowerCase() : undefined;
  const traceId = typeof p.MessageTraceId === 'string' ? p.MessageTraceId.toLowerCase() : undefined;
  const keep = (row: Row) => {
    const at = Date.parse(`${String(row.Received)}Z`);
    return (
      at >= startMs &&
      at <= endMs &&
      (senders.length === 0 || senders.includes(String(row.SenderAddress).toLowerCase())) &&
      (recipients.length === 0 || recipients.includes(String(row.RecipientAddress).toLowerCase())) &&
      (wanted.length === 0 || wanted.includes(String(row.Status).toLowerCase())) &&
      (messageId === undefined || String(row.MessageId).toLowerCase() === messageId) &&
      (traceId === undefined || String(row.MessageTraceId).toLowerCase() === traceId)
    );
  };
  const days: number[] = [];
  for (let day = dayOf(endMs); day >= dayOf(startMs); day -= 1) days.push(day);
  const need = page * pageSize;
  const rows = collectByDay(days, need, (day) => messageTraceRows(world.seed, tenant, day).filter(keep));
  return rows.slice((page - 1) * pageSize, need);
}

const malformedValues = [
  '=HYPERLINK("http://example.invalid/x","open")',
  'Smith, "Bob"\nJr.',
  '+SUM(1+1)',
  '-2+3',
  '@import',
  'Zoë Ångström 名前 🚀',
  'quote " comma , semicolon ;',
  'line one\r\nline two',
];

function malformed(rows: Row[], columns: ColumnSpec[]): Row[] {
  const targets = columns.filter((c) => c.type === 'string').map((c) => c.name);
  let n = 0;
  return rows.map((row) => {
    const copy = { ...row };
    for (const name of targets) {
      copy[name] = malformedValues[n % malformedValues.length] ?? '';
      n += 1;
    }
    return copy;
  });
}

const remotingColumnType: Record<DeclaredColumn['type'], ColumnSpec['type']> = { string: 'string', integer: 'long', number: 'double', boolean: 'bool', datetime: 'datetime' };

/** A declared cmdlet (a report catalog's, declared-cmdlets.ts) in the remoting session. */
function declaredCommand(world: World, tenant: TenantRecord, spec: DeclaredCmdletSpec, p: CommandParameters, noData: boolean): CommandResult {
  const result: CommandResult = {
    typeName: `DapSim.Declared.${spec.name.split('-')[1]}`,
    columns: spec.columns.map((c) => ({ name: c.name, type: remotingColumnType[c.type] })),
    rows: [],
    warnings: [],
    errors: [],
  };
  const bound = bindDeclared(spec, p);
  if (!bound.ok && 'unknown' in bound) return { ...result, errors: bound.unknown.map((name) => parameterNotFoundError(spec.name, name)) };
  if (!bound.ok) throw new BadCommandRequest(`${bound.parameter}: ${bound.why} Received '${bound.value}'.`);
  if (noData) return result;
  const answer = answerDeclared(world, tenant, spec, bound.values, todayMs(world), (ms) => isoLocal(Math.floor(ms / 1000) * 1000));
  return { ...result, rows: answer.rows, warnings: answer.warnings };
}

/** Runs a cmdlet for a tenant. Unknown parameters values throw BadCommandRequest (HTTP 400). */
export function runCommand(world: World, tenant: TenantRecord, cmdlet: string, parameters: CommandParameters): CommandResult {
  const spec = findCmdlet(cmdlet);
  const declared = spec ? undefined : world.declaredCmdlets.get(cmdlet.toLowerCase());
  const noData = faultsOf(world, tenant, 'noData').length > 0;
  let result: CommandResult;
  if (spec) {
    const warnings: string[] = [];
    const errors: SimError[] = [];
    const rows = noData ? [] : reportRows(world, spec, tenant, parameters, warnings, errors);
    result = { typeName: spec.typeName, columns: spec.columns, rows, warnings, errors };
  } else if (declared) {
    result = declaredCommand(world, tenant, declared, parameters, noData);
  } else {
    return { typeName: 'System.Object', columns: [], rows: [], warnings: [], errors: [unknownCmdletError(cmdlet)] };
  }
  const { typeName, warnings, errors } = result;
  let { columns, rows } = result;
  if (faultsOf(world, tenant, 'malformedRows').length > 0) rows = malformed(rows, columns);
  for (const drift of faultsOf(world, tenant, 'schemaDrift')) {
    if (drift.mode === 'extra') {
      const column = drift.column ?? 'ExtraColumn';
      columns = [...columns, { name: column, type: 'string' }];
      rows = rows.map((row, i) => ({ ...row, [column]: `extra-${i + 1}` }));
    } else {
      const column = drift.column ?? columns.at(-1)?.name ?? '';
      columns = columns.filter((c) => c.name !== column);
      rows = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => key !== column)));
    }
  }
  return { typeName, columns, rows, warnings, errors };
}
