/**
 * --excel-safe: the one rule for every cell the tools write (merged CSV, its header, the errors
 * file). A cell starting with one of these characters (OWASP's CSV injection list) is one a
 * spreadsheet would run as a formula; a single quote before it makes it text.
 */
export const formulaStarts: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r']);

export function excelSafeCell(value: string): string {
  return formulaStarts.has(value.charAt(0)) ? `'${value}` : value;
}
