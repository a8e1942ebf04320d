import { cellText } from '../app/cells.js';
import type { ExoObject } from './exo-client.js';
import type { RowRule } from './exo-source.js';

const DAY_MS = 86_400_000;
const address = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** The e-mail addresses in a recipient value: '"Jane Doe" [SMTP:jane@fabrikam.com]', 'SMTP:jane@fabrikam.com', or a list of them. */
export function addressesIn(value: unknown): string[] {
  return [...cellText(value).matchAll(address)].map((m) => m[0].toLowerCase());
}

/** The addresses outside the accepted domains (a domain matches itself only, case-insensitively). */
export function externalAddresses(row: ExoObject, columns: readonly string[], acceptedDomains: ReadonlySet<string>): string[] {
  const outside = new Set<string>();
  for (const column of columns) {
    for (const found of addressesIn(row[column])) {
      const domain = found.slice(found.lastIndexOf('@') + 1);
      if (!acceptedDomains.has(domain)) outside.add(found);
    }
  }
  return [...outside];
}

/** Whole days from a date to now; undefined when the value is empty or not a date. */
export function daysSince(value: unknown, nowMs: number): number | undefined {
  const text = cellText(value);
  if (text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : Math.max(0, Math.floor((nowMs - ms) / DAY_MS));
}

/** What a row rule needs to know of the run: now, the rule's parameter, and the tenant's accepted domains. */
export interface RuleContext {
  nowMs: number;
  days?: number;
  acceptedDomains?: ReadonlySet<string>;
}

/**
 * Applies a definition's row rule: answers the derived cells to add (by column name), or undefined
 * when the row is left out.
 */
export function applyRowRule(rule: RowRule, row: ExoObject, context: RuleContext): Record<string, string> | undefined {
  if (rule.kind === 'inactiveFor') {
    const days = daysSince(row[rule.column], context.nowMs);
    if (days !== undefined && days < (context.days ?? 0)) return undefined;
    return { [rule.daysColumn]: days === undefined ? '' : String(days) };
  }
  const outside = externalAddresses(row, rule.columns, context.acceptedDomains ?? new Set());
  return outside.length === 0 ? undefined : { [rule.matchColumn]: outside.join('; ') };
}
