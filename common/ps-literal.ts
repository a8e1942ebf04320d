/**
 * The one escaping path into PowerShell text. Turns any string into a single-quoted PowerShell
 * literal: inside single quotes nothing is expanded, and the only special characters are the
 * quote marks themselves, which PowerShell accepts in five forms (' and the typographic
 * U+2018, U+2019, U+201A, U+201B); each is doubled.
 */
export function psLiteral(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (quote) => quote + quote)}'`;
}

/** A PowerShell array literal of string literals: @('a', 'b'). */
export function psStringArray(values: readonly string[]): string {
  return `@(${values.map(psLiteral).join(', ')})`;
}
