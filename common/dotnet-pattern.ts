/**
 * A definition's `pattern` is a .NET regular expression (PowerShell's [ValidatePattern] runs it).
 * The runtime and the generator check values against the same pattern in JavaScript: the anchors
 * .NET has and JavaScript lacks are translated (\A start, \z end, \Z end or before a final line
 * break); everything else the two engines read alike for the patterns definitions use. A contract
 * test runs both engines on the catalog's patterns.
 */
export function dotnetPattern(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[i + 1]!;
      out += next === 'A' ? '^' : next === 'z' ? '$' : next === 'Z' ? '(?=\\n?$)' : `\\${next}`;
      i += 1;
    } else out += c;
  }
  // [ValidatePattern] matches ignoring case, unless told otherwise
  return new RegExp(out, 'i');
}
