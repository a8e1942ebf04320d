/**
 * The ResultSize rule Exchange cmdlets share, on both paths (the remoting session and the admin
 * API): a positive integer or `Unlimited`, 1000 when absent; a set cut at it ends with a warning.
 */
/** The service's warnings when a set is cut at ResultSize: one given, or the default 1000. */
export const moreResultsWarning =
  'There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.';
export const defaultResultSizeWarning =
  'By default, only the first 1000 items are returned. Use the ResultSize parameter to specify the number of items returned. To return all items, specify "-ResultSize Unlimited". Be aware that, depending on the actual number of items, returning all items can take a long time and consume a large amount of memory. Also, we don\'t recommend storing the results in a variable. Instead, pipe the results to another task or script to perform batch changes.';

export const DEFAULT_RESULT_SIZE = 1000;

/**
 * The same rule as a .NET pattern, for a declared cmdlet's [ValidatePattern] in the session
 * (ExchangeCmdlets.ps1 writes it on the built-in cmdlets; a contract test holds the two equal).
 */
export const resultSizePsPattern = '^(?i:unlimited|[1-9][0-9]*)$';

export interface ResultSize {
  limit: number;
  /** Given by the caller (the warning when cut says to raise it) rather than the default. */
  explicit: boolean;
}

/** The ResultSize of a call; undefined when the value is neither a positive integer nor Unlimited. */
export function readResultSize(value: unknown): ResultSize | undefined {
  if (value === undefined || value === null || value === '') return { limit: DEFAULT_RESULT_SIZE, explicit: false };
  if (typeof value === 'string' && value.toLowerCase() === 'unlimited') return { limit: Number.POSITIVE_INFINITY, explicit: true };
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(n) && n >= 1 ? { limit: n, explicit: true } : undefined;
}

/**
 * The first `size.limit` items; when more exist, the warning: "increase ResultSize" for an explicit
 * size, else `defaultWarning` (the reports say the same; Get-Mailbox and its kin say "By default,
 * only the first 1000 items…").
 */
export function cutToResultSize<T>(items: T[], size: ResultSize, warnings: string[], defaultWarning: string = moreResultsWarning): T[] {
  if (items.length <= size.limit) return items;
  warnings.push(size.explicit ? moreResultsWarning : defaultWarning);
  return items.slice(0, size.limit);
}

