import { closest, distance } from 'fastest-levenshtein';

/**
 * ` (did you mean 'X'?)` for a name that is close to one of the known names (case-insensitive,
 * at most a third of its letters off), else ''. Appended to "unknown report/parameter" messages.
 */
export function didYouMean(name: string, known: readonly string[]): string {
  if (known.length === 0 || name.trim() === '') return '';
  const lower = known.map((k) => k.toLowerCase());
  const best = closest(name.toLowerCase(), lower);
  const off = distance(name.toLowerCase(), best);
  return off > 0 && off <= Math.max(1, Math.floor(best.length / 3)) ? ` (did you mean '${known[lower.indexOf(best)]}'?)` : '';
}
