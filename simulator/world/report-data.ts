/**
 * Report rows, derived only from the seed, the tenant and the date: the same inputs always give
 * the same rows. Values stay plausible: counts follow the tenant's mailboxes, sizes stay under
 * quota, dates are real calendar days.
 */
import { createRng, hashGuid } from './prng.js';
import type { TenantRecord } from './world.js';

export type Row = Record<string, string | number | boolean | null | string[]>;

export const DAY_MS = 86_400_000;

export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** "2015-03-18T00:00:00" — no offset, like the deserialized DateTime of the real service. */
export function isoLocal(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export type ReportType = 'Daily' | 'Weekly' | 'Monthly' | 'Yearly';

/** The days in [first, last] on which a row of this report type falls. */
export function periodDays(first: number, last: number, reportType: ReportType): number[] {
  const days: number[] = [];
  for (let day = last; day >= first; day -= 1) {
    const date = new Date(day * DAY_MS);
    const keep =
      reportType === 'Daily' ||
      (reportType === 'Weekly' && date.getUTCDay() === 0) ||
      (reportType === 'Monthly' && date.getUTCDate() === 1) ||
      (reportType === 'Yearly' && date.getUTCDate() === 1 && date.getUTCMonth() === 0);
    if (keep) days.push(day);
  }
  return days;
}

function size(n: number, growth: number): number {
  return Math.max(0, Math.round(n + growth));
}

export function mailboxActivityRow(seed: string, tenant: TenantRecord, day: number): Row {
  const rng = createRng(seed, 'activity', tenant.tenantId, day);
  const n = tenant.mailboxes.length;
  return {
    TenantGuid: tenant.tenantId,
    TenantName: tenant.initialDomain,
    Date: isoLocal(day * DAY_MS),
    TotalNumberOfActiveMailboxes: Math.max(0, n - rng.int(0, Math.ceil(n / 8))),
    AccountCreated: rng.chance(0.25) ? rng.int(1, 3) : 0,
    AccountDeleted: rng.chance(0.1) ? 1 : 0,
  };
}

export function mailboxUsageRow(seed: string, tenant: TenantRecord, day: number): Row {
  const rng = createRng(seed, 'usage', tenant.tenantId, day);
  const n = tenant.mailboxes.length;
  const inactive = tenant.mailboxes.filter((m) => m.staleDays > 30).length;
  return {
    TenantGuid: tenant.tenantId,
    TenantName: tenant.initialDomain,
    Date: isoLocal(day * DAY_MS),
    TotalMailboxCount: n,
    TotalInactiveMailboxCount: inactive,
    MailboxesOverWarningSize: tenant.mailboxes.filter((m) => m.baseSizeMb > m.quotaMb * 0.9).length + (rng.chance(0.05) ? 1 : 0),
    MailboxesUsedLessthan25Percent: Math.min(n, tenant.mailboxes.filter((m) => m.baseSizeMb < m.quotaMb / 4).length + rng.int(0, 1)),
  };
}

export function mailboxUsageDetailRows(seed: string, tenant: TenantRecord, day: number): Row[] {
  return tenant.mailboxes.map((m) => {
    const rng = createRng(seed, 'usage-detail', tenant.tenantId, m.alias, day);
    const current = Math.min(m.quotaMb, size(m.baseSizeMb, (day % 365) * 0.8 + rng.int(-20, 20)));
    const warning = Math.round(m.quotaMb * 0.97);
    return {
      Date: isoLocal(day * DAY_MS),
      TenantGuid: tenant.tenantId,
      TenantName: tenant.initialDomain,
      WindowsLiveID: m.userPrincipalName,
      UserName: m.displayName,
      MailboxSize: m.quotaMb,
      CurrentMailboxSize: current,
      PercentUsed: Math.round((current / m.quotaMb) * 10_000) / 100,
      MailboxPlan: m.plan,
      IsInactive: m.staleDays > 30,
      IssueWarningQuota: warning,
      IsOverWarningQuota: current >= warning,
    };
  });
}

export function staleMailboxRow(seed: string, tenant: TenantRecord, day: number): Row {
  const rng = createRng(seed, 'stale', tenant.tenantId, day);
  const inRange = (min: number, max: number) => tenant.mailboxes.filter((m) => m.staleDays >= min && m.staleDays <= max).length;
  const drift = rng.chance(0.2) ? 1 : 0;
  const active = tenant.mailboxes.filter((m) => m.staleDays <= 30).length;
  return {
    TenantGuid: tenant.tenantId,
    TenantName: tenant.initialDomain,
    Date: isoLocal(day * DAY_MS),
    ActiveMailboxes: Math.max(0, active - drift),
    InactiveMailboxes31To60Days: inRange(31, 60) + drift,
    InactiveMailboxes61To90Days: inRange(61, 90),
    InactiveMailboxes91To1460Days: inRange(91, 1460),
  };
}

export function staleMailboxDetailRows(tenant: TenantRecord, day: number): Row[] {
  return tenant.mailboxes
    .filter((m) => m.staleDays > 30)
    .map((m) => ({
      Date: isoLocal(day * DAY_MS),
      TenantGuid: tenant.tenantId,
      TenantName: tenant.initialDomain,
      WindowsLiveID: m.userPrincipalName,
      UserName: m.displayName,
      LastLogin: isoLocal((day - m.staleDays) * DAY_MS + 9 * 3_600_000 + (m.staleDays % 60) * 60_000),
      DaysInactive: m.staleDays,
    }));
}

const clientTypes = ['EWS', 'IMAP4', 'MAPI', 'OWA', 'EAS', 'POP3'];

export function connectionByClientTypeRows(seed: string, tenant: TenantRecord, day: number): Row[] {
  const rng = createRng(seed, 'client-type', tenant.tenantId, day);
  const n = tenant.mailboxes.length;
  return clientTypes.map((clientType) => ({
    Date: isoLocal(day * DAY_MS),
    TenantGuid: tenant.tenantId,
    TenantName: tenant.initialDomain,
    ClientType: clientType,
    Count: clientType === 'POP3' || clientType === 'IMAP4' ? rng.int(0, Math.ceil(n / 10)) : rng.int(Math.floor(n / 2), n * 3),
  }));
}

export function mailboxRows(tenant: TenantRecord): Row[] {
  return tenant.mailboxes.map((m) => ({
    Identity: m.alias,
    DisplayName: m.displayName,
    UserPrincipalName: m.userPrincipalName,
    PrimarySmtpAddress: m.userPrincipalName,
    ExchangeGuid: m.exchangeGuid,
  }));
}

export function byteQuantified(bytes: number): string {
  const units: Array<[string, number]> = [['GB', 2 ** 30], ['MB', 2 ** 20], ['KB', 2 ** 10]];
  const [unit, scale] = units.find(([, s]) => bytes >= s) ?? ['B', 1];
  const amount = scale === 1 ? String(bytes) : (bytes / scale).toFixed(3).replace(/\.?0+$/, '');
  return `${amount} ${unit} (${bytes.toLocaleString('en-US')} bytes)`;
}

export function mailboxStatisticsRow(seed: string, tenant: TenantRecord, alias: string, todayMs: number): Row | undefined {
  const m = tenant.mailboxes.find((x) => x.alias === alias);
  if (!m) return undefined;
  const rng = createRng(seed, 'statistics', tenant.tenantId, m.alias);
  const bytes = Math.round(m.baseSizeMb * 1_048_576 + rng.int(0, 999_999));
  const lastLogon = todayMs - (m.staleDays > 0 ? m.staleDays * DAY_MS : rng.int(1, 72) * 3_600_000);
  return {
    DisplayName: m.displayName,
    MailboxGuid: m.exchangeGuid,
    ItemCount: Math.round(bytes / rng.int(60_000, 120_000)),
    TotalItemSize: byteQuantified(bytes),
    LastLogonTime: isoLocal(lastLogon),
    LastUserActionTime: isoLocal(lastLogon + rng.int(1, 3_000) * 1000),
  };
}

const subjects = ['Quarterly review', 'Invoice 4471', 'Re: Project timeline', 'Team lunch', 'Your order has shipped', 'Meeting notes', 'Fw: Contract draft', 'Weekly status'];
const externalSenders = ['news@contoso-mail.example', 'billing@fabrikam.example', 'noreply@tailspin.example', 'sales@litware.example'];
const statuses: ReadonlyArray<[string, number]> = [['Delivered', 0.86], ['FilteredAsSpam', 0.05], ['Failed', 0.03], ['Expanded', 0.02], ['Quarantined', 0.02], ['Pending', 0.01], ['GettingStatus', 0.01]];

/**
 * The messages a tenant handled on one day, newest first. `maxPerDay` bounds the day's volume (the
 * remoting session's trace: two per mailbox, at most 60; the admin API's V2 trace sees a fuller volume).
 */
export function messageTraceRows(seed: string, tenant: TenantRecord, day: number, maxPerDay = Math.min(60, tenant.mailboxes.length * 2)): Row[] {
  if (tenant.mailboxes.length === 0) return [];
  const rng = createRng(seed, 'trace', tenant.tenantId, day);
  const count = rng.int(0, maxPerDay);
  const rows: Row[] = [];
  for (let i = 0; i < count; i += 1) {
    const at = day * DAY_MS + rng.int(0, DAY_MS / 1000 - 1) * 1000 + rng.int(0, 999);
    const recipient = rng.pick(tenant.mailboxes).userPrincipalName;
    const inbound = rng.chance(0.6);
    const sender = inbound ? rng.pick(externalSenders) : rng.pick(tenant.mailboxes).userPrincipalName;
    let roll = rng.next();
    let status = 'Delivered';
    for (const [name, p] of statuses) {
      if (roll < p) {
        status = name;
        break;
      }
      roll -= p;
    }
    const traceId = hashGuid(seed, 'trace-id', tenant.tenantId, day, i);
    rows.push({
      Received: new Date(at).toISOString().slice(0, 23),
      SenderAddress: sender,
      RecipientAddress: recipient,
      Subject: rng.pick(subjects),
      Status: status,
      ToIP: inbound ? null : `40.107.${rng.int(0, 255)}.${rng.int(1, 254)}`,
      FromIP: inbound ? `52.100.${rng.int(0, 255)}.${rng.int(1, 254)}` : `10.0.${rng.int(0, 255)}.${rng.int(1, 254)}`,
      Size: rng.int(2_000, 4_000_000),
      MessageId: `<${traceId.replace(/-/g, '').slice(0, 20)}@${inbound ? 'mail.example' : tenant.defaultDomain}>`,
      MessageTraceId: traceId,
    });
  }
  return rows.sort((a, b) => String(b.Received).localeCompare(String(a.Received)));
}
