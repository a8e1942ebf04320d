/**
 * The CSV bodies of the Graph reports, derived only from the seed, the tenant, the function, the
 * period or date and the service's "today": the same inputs always give the same bytes.
 */
import { createHash } from 'node:crypto';
import { createRng, type Rng } from '../world/prng.js';
import { graphProducts, type GraphReportSpec } from './report-catalog.js';
import { DAY_MS } from '../world/graph-world.js';
import type { MailboxRecord, TenantRecord } from '../world/world.js';

/** Either `(period='D7')` (days = 7) or `(date=2024-05-01)` (day = that UTC midnight in ms). */
export type ReportSelector = { kind: 'period'; days: number } | { kind: 'date'; day: number };

export interface ReportRequest {
  seed: string;
  tenant: TenantRecord;
  spec: GraphReportSpec;
  selector: ReportSelector;
  /** The service's today (UTC midnight, ms). */
  today: number;
  conceal: boolean;
  /** Header only. */
  noData: boolean;
}

/** Reports are refreshed with a lag: the data is as of two days before today. */
export const REFRESH_LAG_DAYS = 2;

type Cell = string | number | boolean | null;

function ymd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function csvCell(value: Cell): string {
  if (value === null) return '';
  const text = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The concealed form of a user name: 32 upper-case hex characters, stable per seed and tenant. */
export function concealed(seed: string, tenantId: string, value: string): string {
  return createHash('sha256').update(`${seed}\u001fconceal\u001f${tenantId}\u001f${value}`).digest('hex').slice(0, 32).toUpperCase();
}

const productSets: Record<string, { products: string; has: readonly boolean[] }> = {
  ExchangeOnlineEnterprise: { products: 'OFFICE 365 E3+MICROSOFT TEAMS', has: [true, true, true, false, true, true] },
  ExchangeOnline: { products: 'MICROSOFT 365 BUSINESS STANDARD', has: [true, true, true, false, false, true] },
  ExchangeOnlineDeskless: { products: 'OFFICE 365 F3', has: [true, true, true, false, false, true] },
  ExchangeOnlineEssentials: { products: 'EXCHANGE ONLINE ESSENTIALS', has: [true, false, false, false, false, false] },
};

interface UserContext {
  rng: Rng;
  mailbox: MailboxRecord;
  refresh: number;
  /** The last day the report covers and how many days it covers. */
  end: number;
  days: number;
  period: string;
}

function userHead(req: ReportRequest, ctx: UserContext): Cell[] {
  const { mailbox } = ctx;
  const deleted = ctx.rng.chance(0.03);
  const upn = req.conceal ? concealed(req.seed, req.tenant.tenantId, mailbox.userPrincipalName) : mailbox.userPrincipalName;
  const name = req.conceal ? concealed(req.seed, req.tenant.tenantId, mailbox.displayName) : mailbox.displayName;
  return [ymd(ctx.refresh), upn, name, deleted, deleted ? ymd(ctx.end - ctx.rng.int(0, ctx.days - 1) * DAY_MS) : null];
}

/** The last activity day, or null for a mailbox idle beyond what the service remembers. */
function lastActivity(ctx: UserContext): number | null {
  if (ctx.mailbox.staleDays === 0) return ctx.end - ctx.rng.int(0, Math.min(3, ctx.days - 1)) * DAY_MS;
  return ctx.mailbox.staleDays > 180 && ctx.rng.chance(0.5) ? null : ctx.end - ctx.mailbox.staleDays * DAY_MS;
}

function activeInWindow(ctx: UserContext): boolean {
  return ctx.mailbox.staleDays < ctx.days;
}

const rowMakers: Record<string, (req: ReportRequest, ctx: UserContext) => Cell[]> = {
  getMailboxUsageDetail: (req, ctx) => {
    const { rng, mailbox } = ctx;
    const mb = 1_048_576;
    const last = lastActivity(ctx);
    const used = Math.round(Math.min(mailbox.quotaMb * 0.99, mailbox.baseSizeMb + rng.int(0, 400)) * mb);
    return [
      ...userHead(req, ctx),
      ymd(ctx.refresh - rng.int(60, 2500) * DAY_MS),
      last === null ? null : ymd(last),
      rng.int(200, 90_000),
      used,
      Math.round(mailbox.quotaMb * 0.98 * mb),
      Math.round(mailbox.quotaMb * 0.99 * mb),
      mailbox.quotaMb * mb,
      rng.int(0, 4000),
      rng.int(0, 800) * 65_536,
      rng.chance(0.25),
      ctx.period,
    ];
  },
  getEmailActivityUserDetail: (req, ctx) => {
    const { rng, mailbox } = ctx;
    const last = lastActivity(ctx);
    const active = activeInWindow(ctx);
    const count = (perDay: number) => (active ? rng.int(0, perDay * ctx.days) : 0);
    return [
      ...userHead(req, ctx),
      last === null ? null : ymd(last),
      count(12),
      count(40),
      count(35),
      count(1),
      count(3),
      (productSets[mailbox.plan] ?? productSets.ExchangeOnline!).products,
      ctx.period,
    ];
  },
  getOffice365ActiveUserDetail: (req, ctx) => {
    const { rng, mailbox } = ctx;
    const set = productSets[mailbox.plan] ?? productSets.ExchangeOnline!;
    const assigned = ctx.refresh - rng.int(30, 1500) * DAY_MS;
    const last = graphProducts.map((_, i) => {
      if (!set.has[i]) return null;
      const day = lastActivity(ctx);
      return day === null || rng.chance(0.15) ? null : ymd(day - rng.int(0, 2) * DAY_MS);
    });
    return [
      ...userHead(req, ctx),
      ...set.has,
      ...last,
      ...set.has.map((has) => (has ? ymd(assigned) : null)),
      set.products,
    ];
  },
};

/** The report's CSV text: a UTF-8 BOM, the header line, the rows; CRLF line ends. */
export function graphReportCsv(req: ReportRequest): string {
  const refresh = req.today - REFRESH_LAG_DAYS * DAY_MS;
  const { selector } = req;
  const end = selector.kind === 'date' ? selector.day : refresh;
  const days = selector.kind === 'date' ? 1 : selector.days;
  const period = String(days);
  const selectorKey = selector.kind === 'date' ? `date=${ymd(selector.day)}` : `period=D${selector.days}`;
  const lines = [req.spec.columns.map(csvCell).join(',')];
  const mailboxes = req.noData ? [] : req.tenant.mailboxes;
  if (mailboxes.length > 0) {
    if (req.spec.name === 'getMailboxUsageMailboxCounts') {
      const rng = createRng(req.seed, 'graph-report', req.tenant.tenantId, req.spec.name, selectorKey, ymd(refresh));
      for (let i = 0; i < days; i += 1) {
        const day = end - i * DAY_MS;
        const total = mailboxes.length - (rng.chance(0.1) ? 1 : 0);
        const active = Math.max(0, mailboxes.filter((m) => m.staleDays === 0).length - rng.int(0, Math.ceil(total / 10)));
        lines.push([ymd(refresh), total, active, ymd(day), period].map(csvCell).join(','));
      }
    } else {
      const make = rowMakers[req.spec.name];
      if (!make) throw new Error(`no row maker for ${req.spec.name}`);
      for (const mailbox of mailboxes) {
        const rng = createRng(req.seed, 'graph-report', req.tenant.tenantId, req.spec.name, selectorKey, ymd(refresh), mailbox.alias);
        lines.push(make(req, { rng, mailbox, refresh, end, days, period }).map(csvCell).join(','));
      }
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
