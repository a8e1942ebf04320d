/**
 * Cell text of a value the Exchange admin API returns (one rule, the module's generated functions
 * apply the same): null or absent → empty; strings and numbers as they are; booleans True/False (as
 * Export-Csv writes them); an array → its items' texts joined by '; '; an object → compact JSON.
 * Never '[object Object]' or 'System.Object[]'.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return value.map(cellText).filter((text) => text !== '').join('; ');
  return JSON.stringify(value);
}

/**
 * A date as the remoting path writes it (DapHostJobs.psm1 ConvertTo-DapIsoDate): '2015-03-18' at
 * midnight UTC, else '2026-11-25T13:05:09Z' (whole seconds, UTC). Text that is not a date stays.
 */
export function isoDateText(value: unknown): string {
  const text = cellText(value);
  if (text === '') return '';
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return text;
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 19)}Z`;
}

/** The byte count of a size's text, '33.438 GB (35,903,716,480 bytes)' → '35903716480'; empty when none. */
export function bytesText(value: unknown): string {
  const match = /\(([0-9][0-9,.\s\u00a0\u202f]*) bytes\)/.exec(cellText(value));
  return match ? match[1]!.replace(/[^\d]/g, '') : '';
}
