/**
 * What a declared cmdlet (declared-cmdlets.ts) answers, on both paths: its parameters bound by
 * name and checked against their declared types, then rows of its columns derived only from the
 * seed, the tenant, the cmdlet, the object asked for and the dates given, so the same call always
 * answers the same rows and another tenant other rows. A tenant without mailboxes (the world's
 * empty tenants) has no rows. Values are plausible for their type and, where cheap, their column
 * name: addresses, names and ids of the tenant's mailboxes, sizes, counts, dates inside the
 * StartDate/EndDate the call gives (else the 30 days up to today).
 */
import type { DeclaredCmdletSpec, DeclaredColumn, DeclaredParameter } from './declared-cmdlets.js';
import { externalDirectoryObjectId, findExoMailbox, parseServiceDate } from './exchange-objects.js';
import { createRng, hashSeed, hashGuid, type Rng } from './prng.js';
import { byteQuantified, DAY_MS, type Row } from './report-data.js';
import { cutToResultSize, defaultResultSizeWarning, readResultSize } from './result-size.js';
import type { MailboxRecord, TenantRecord, World } from './world.js';

export type DeclaredBinding =
  | { ok: true; values: Record<string, unknown> }
  /** Parameters the cmdlet does not have, as the caller spelled them. */
  | { ok: false; unknown: string[] }
  /** A value that is not of the parameter's type. */
  | { ok: false; parameter: string; value: string; why: string };

const why: Record<DeclaredParameter['type'], string> = {
  string: 'The value must be a string.',
  integer: 'The value must be a whole number.',
  number: 'The value must be a number.',
  boolean: "The value must be 'true' or 'false'.",
  datetime: 'String was not recognized as a valid DateTime.',
};

function fits(parameter: DeclaredParameter, value: unknown): boolean {
  if (parameter.name.toLowerCase() === 'resultsize') return readResultSize(value) !== undefined;
  if (value === null || value === undefined) return true;
  const text = String(value).trim();
  switch (parameter.type) {
    case 'integer':
      return typeof value === 'number' ? Number.isInteger(value) : typeof value === 'string' && /^[+-]?\d+$/.test(text);
    case 'number':
      return typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' && text !== '' && Number.isFinite(Number(text));
    case 'boolean':
      return typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(text));
    case 'datetime':
      return typeof value === 'string' && parseServiceDate(text) !== undefined;
    default:
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  }
}

/** Binds a call's parameters to the cmdlet's by name (case-insensitive) and checks each value's type. */
export function bindDeclared(spec: DeclaredCmdletSpec, parameters: Record<string, unknown>): DeclaredBinding {
  const values: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(parameters)) {
    const parameter = spec.parameters.find((p) => p.name.toLowerCase() === key.toLowerCase());
    if (!parameter) {
      unknown.push(key);
      continue;
    }
    const items = parameter.array && Array.isArray(value) ? value : [value];
    const bad = items.find((item) => !fits(parameter, item));
    if (bad !== undefined || (Array.isArray(value) && !parameter.array)) {
      return { ok: false, parameter: parameter.name, value: Array.isArray(value) ? value.join(', ') : String(bad), why: why[parameter.type] };
    }
    values[parameter.name] = value;
  }
  return unknown.length > 0 ? { ok: false, unknown } : { ok: true, values };
}

function givenValue(values: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(values).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : values[key];
  return value === null || value === '' ? undefined : value;
}

/**
 * The dates rows fall on: inside StartDate/EndDate when given, else the 30 days up to today (the
 * UTC day of now, so that the rows stay the same all day when the scenario sets no `now`).
 */
function dateWindow(values: Record<string, unknown>, now: number): { start: number; end: number } {
  const read = (name: string) => {
    const value = givenValue(values, name);
    return value === undefined ? undefined : parseServiceDate(String(value));
  };
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const start = read('StartDate');
  const end = read('EndDate') ?? Math.max(today, start ?? today);
  return { start: start ?? end - 30 * DAY_MS, end };
}

const externalDomains = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me'];

interface CellContext {
  rng: Rng;
  seed: string;
  tenant: TenantRecord;
  mailbox: MailboxRecord;
  cmdlet: string;
  row: string;
  window: { start: number; end: number };
  date: (ms: number) => string;
}

function stringCell(column: DeclaredColumn, c: CellContext): string {
  const name = column.name.toLowerCase();
  const m = c.mailbox;
  if (column.bytes) return byteQuantified(c.rng.int(1_000_000, 50_000_000_000));
  if (name === 'externaldirectoryobjectid') return externalDirectoryObjectId(c.seed, c.tenant, m);
  if (/(?:Guid|GUID|Id|ID)$/.test(column.name)) return hashGuid(c.seed, 'declared-id', c.cmdlet, c.tenant.tenantId, c.row, name);
  if (name === 'tenantname') return c.tenant.initialDomain;
  if (name.includes('domain')) return c.tenant.defaultDomain;
  if (/smtp|mail|address|upn|userprincipalname|windowsliveid|recipient|sender|forward|owner|member|user$/.test(name)) {
    if (/recipient|sender|forward|external/.test(name) && c.rng.chance(0.2)) {
      const [first = 'user', last = 'name'] = m.displayName.toLowerCase().split(' ');
      return `${first}.${last}@${c.rng.pick(externalDomains)}`;
    }
    return m.userPrincipalName;
  }
  if (/name$/.test(name)) return m.displayName;
  if (/alias|identity/.test(name)) return m.alias;
  if (/status|state/.test(name)) return c.rng.pick(['Active', 'Active', 'Active', 'Inactive', 'Pending']);
  return `${column.name} ${c.rng.int(1, 999)}`;
}

function cell(column: DeclaredColumn, c: CellContext): string | number | boolean {
  const name = column.name.toLowerCase();
  switch (column.type) {
    case 'boolean':
      return c.rng.chance(/enabled|active|allowed/.test(name) ? 0.8 : /disabled|deleted|blocked|locked/.test(name) ? 0.15 : 0.5);
    case 'integer':
      if (/bytes|size/.test(name)) return c.rng.int(10_000, 5_000_000_000);
      if (/days/.test(name)) return c.rng.int(0, 365);
      return /count|items|number|total/.test(name) ? c.rng.int(0, 500) : c.rng.int(0, 100);
    case 'number':
      return Math.round(c.rng.next() * (/percent/.test(name) ? 100 : 1000) * 100) / 100;
    case 'datetime': {
      const seconds = Math.floor((c.window.end - c.window.start) / 1000);
      return c.date(c.window.start + c.rng.int(0, Math.max(0, seconds)) * 1000);
    }
    default:
      return stringCell(column, c);
  }
}

export interface DeclaredAnswer {
  rows: Row[];
  warnings: string[];
}

/**
 * The rows of one call with bound `values`: for a whole tenant, a row per some of its mailboxes
 * (at least a quarter); for one object (an object parameter given, e.g. Identity), 0 to 3 rows.
 * Newest first by the first date column; cut at ResultSize. `date` writes a date the path's way.
 */
export function answerDeclared(world: World, tenant: TenantRecord, spec: DeclaredCmdletSpec, values: Record<string, unknown>, now: number, date: (ms: number) => string): DeclaredAnswer {
  const warnings: string[] = [];
  const n = tenant.mailboxes.length;
  const window = dateWindow(values, now);
  if (n === 0 || window.start > window.end) return { rows: [], warnings };
  const object = spec.objectParameters.map((p) => givenValue(values, p)).find((v) => v !== undefined);
  const identity = object === undefined ? '' : String(object).toLowerCase();
  const cmdlet = spec.name.toLowerCase();
  const rng = createRng(world.seed, 'declared', cmdlet, tenant.tenantId, identity);
  const count = identity ? rng.int(0, 3) : rng.int(Math.ceil(n / 4), n);
  const owner = identity ? findExoMailbox(world.seed, tenant, identity) : undefined;
  const first = hashSeed(world.seed, 'declared-first', cmdlet, tenant.tenantId, identity) % n;
  const rows: Row[] = [];
  for (let i = 0; i < count; i += 1) {
    const row = `${identity}\u001f${i}`;
    const context: CellContext = {
      rng: createRng(world.seed, 'declared-row', cmdlet, tenant.tenantId, row),
      seed: world.seed,
      tenant,
      mailbox: owner ?? (tenant.mailboxes[(first + i) % n] as MailboxRecord),
      cmdlet,
      row,
      window,
      date,
    };
    rows.push(Object.fromEntries(spec.columns.map((column) => [column.name, cell(column, context)])));
  }
  const dated = spec.columns.find((c) => c.type === 'datetime')?.name;
  if (dated) rows.sort((a, b) => String(b[dated]).localeCompare(String(a[dated])));
  const size = readResultSize(givenValue(values, 'ResultSize')) ?? readResultSize(undefined)!;
  return { rows: cutToResultSize(rows, size, warnings, defaultResultSizeWarning), warnings };
}
