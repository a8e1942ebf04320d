/**
 * A report parameter's pattern is a .NET regular expression: the generated function's
 * [ValidatePattern] runs it in PowerShell, and dap-report checks --param values with the same
 * pattern in JavaScript (common/dotnet-pattern.ts) so that a bad value stops the run before any
 * tenant. Both engines must agree on every pattern of the catalog; and dap-gen refuses a default
 * its own pattern would refuse.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../common/catalog.js';
import { dnsNamePattern, isDnsName } from '../../common/dns-name.js';
import { dotnetPattern } from '../../common/dotnet-pattern.js';
import { loadDefinitions } from '../../generator/load-definitions.js';
import { runPwshFile } from '../helpers/powershell.js';

const samples = ['Unlimited', 'unlimited', '1', '0', '5000', '9999999999', '12345678901', 'abc', '', ' 1', '1 ', 'Unlimited\n', '1\n', '-1', '1.5', 'Unlimitedz'];

describe('parameter patterns', () => {
  it('JavaScript and .NET give the same answer for every pattern of the catalog', async () => {
    const patterns = [...new Set(readCatalog().reports.flatMap((r) => r.parameters.flatMap((p) => (p.pattern === undefined ? [] : [p.pattern]))))];
    expect(patterns.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'dap-patterns-'));
    const input = join(dir, 'input.json');
    writeFileSync(input, JSON.stringify({ patterns, samples }));
    const script = join(dir, 'match.ps1');
    writeFileSync(
      script,
      [
        'param([string] $InputFile)',
        '$data = Get-Content -LiteralPath $InputFile -Raw | ConvertFrom-Json',
        // [ValidatePattern] matches case-insensitively, as -match does
        '# one line of answers per pattern',
        'foreach ($p in $data.patterns) { ConvertTo-Json -InputObject @(foreach ($s in $data.samples) { [regex]::IsMatch($s, $p, "IgnoreCase") }) -Compress }',
      ].join('\n'),
    );
    const result = await runPwshFile(script, ['-InputFile', input]);
    expect(result.stderr).toBe('');
    const dotnet = result.stdout.split(/\r?\n/).filter(Boolean).map((line) => JSON.parse(line) as boolean[]);
    const js = patterns.map((p) => samples.map((s) => dotnetPattern(p).test(s)));
    expect(js).toEqual(dotnet);
  });

  it('the DNS-name rule reads the same in JavaScript (the runtime) and .NET (the generated -InitialDomain checks)', async () => {
    const names = [
      'contoso.onmicrosoft.com', 'UPPER.Example.COM', 'a.b', 'xn--bcher-kva.example', '1.2.3.4', '10.0.0.1', 'host.123', 'host.12a',
      '-bad.com', 'bad-.com', 'x', '', 'a..b', 'contoso.com\n', 'contoso.com.', `${'a'.repeat(63)}.com`, `${'a'.repeat(64)}.com`,
      `${'a.'.repeat(125)}com`, `${'a.'.repeat(126)}com`, 'bad_domain!.example', 'spa ce.com',
    ];
    const dir = mkdtempSync(join(tmpdir(), 'dap-dns-'));
    const input = join(dir, 'input.json');
    writeFileSync(input, JSON.stringify({ pattern: dnsNamePattern, names }));
    const script = join(dir, 'dns.ps1');
    writeFileSync(
      script,
      ['param([string] $InputFile)', '$data = Get-Content -LiteralPath $InputFile -Raw | ConvertFrom-Json', 'ConvertTo-Json -InputObject @(foreach ($n in $data.names) { $n -match $data.pattern }) -Compress'].join('\n'),
    );
    const result = await runPwshFile(script, ['-InputFile', input]);
    expect(result.stderr).toBe('');
    const dotnet = JSON.parse(result.stdout) as boolean[];
    expect(names.map((n) => isDnsName(n))).toEqual(dotnet);
    expect(isDnsName('1.2.3.4')).toBe(false);
    expect(isDnsName('contoso.onmicrosoft.com')).toBe(true);
  });

  it('dap-gen refuses a default that does not match its own pattern', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dap-pattern-default-'));
    const file = join(dir, 'report.ts');
    writeFileSync(
      file,
      `export const r = {
  name: 'Sized',
  summary: 's',
  description: 'd',
  source: { kind: 'exchange', cmdlet: 'Get-Mailbox' },
  parameters: [{ name: 'ResultSize', type: 'string', default: 'abc', pattern: '^(?:Unlimited|[1-9][0-9]{0,9})\\\\z', help: 'h' }],
  columns: [{ name: 'DisplayName', type: 'string' }],
  examples: [{ code: 'c', description: 'd' }],
} satisfies ReportDefinition;`,
    );
    const loaded = loadDefinitions([file]);
    expect(loaded.problems.map((p) => p.message)).toEqual([expect.stringMatching(/the default 'abc' of 'ResultSize' does not match its own pattern/)]);
  });
});
