import { describe, expect, it } from 'vitest';
import { approvedVerb, approvedVerbs } from '../../generator/approved-verbs.js';
import { runPwshScript } from '../helpers/powershell.js';

describe('approvedVerbs', () => {
  it.each([
    ['get', 'Get'],
    ['Measure', 'Measure'],
    ['Fetch', undefined],
    ['Retrieve', undefined],
  ])('approvedVerb(%s) is %s', (verb, expected) => {
    expect(approvedVerb(verb)).toBe(expected);
  });

  it("equals PowerShell's Verbs* classes, group by group", async () => {
    const result = await runPwshScript(
      [
        "foreach ($group in 'Common', 'Communications', 'Data', 'Diagnostic', 'Lifecycle', 'Security', 'Other') {",
        '  $verbs = ([type]"System.Management.Automation.Verbs$group").GetFields() | ForEach-Object { $_.GetValue($null) }',
        '  "$group=$($verbs -join \',\')"',
        '}',
      ].join('\n'),
    );
    expect(result.stderr).toBe('');
    const fromEngine = Object.fromEntries(
      result.stdout.split(/\r?\n/).filter(Boolean).map((line) => {
        const [group = '', verbs = ''] = line.split('=');
        return [group, verbs.split(',').sort()];
      }),
    );
    const embedded = Object.fromEntries(Object.entries(approvedVerbs).map(([group, verbs]) => [group, [...verbs].sort()]));
    expect(Object.keys(fromEngine)).toHaveLength(7);
    expect(embedded).toEqual(fromEngine);
  });
});
