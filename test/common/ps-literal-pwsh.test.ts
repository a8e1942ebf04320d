import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { psLiteral, psStringArray } from '../../common/ps-literal.js';
import { runPwshFile } from '../helpers/powershell.js';

const nasty = [
  '',
  'plain',
  "it's",
  "''",
  '"double" quotes',
  'back`tick',
  '$(Remove-Item -Recurse /)',
  '${env:HOME}',
  "'; Write-Error 'pwned'; '",
  '#> <# comment',
  'line1\nline2\r\nline3',
  'typographic \u2018single\u2019 \u201Alow\u201B quotes',
  'unicode: Zoë — 日本語 🚀',
  '@(1,2) | % { $_ }',
];

describe('psLiteral', () => {
  it.each([
    ['abc', "'abc'"],
    ["a'b", "'a''b'"],
    ['a\u2019b', "'a\u2019\u2019b'"],
    ['$x', "'$x'"],
  ])('%j -> %s', (input, want) => {
    expect(psLiteral(input)).toBe(want);
  });

  it('every string reads back unchanged through the real PowerShell parser, as one constant', async () => {
    // The script receives the expected values as a file of base64 lines (data, not code) and the
    // literals as the code under test; it checks the parser sees one string constant per literal.
    const dir = mkdtempSync(join(tmpdir(), 'dap-literal-'));
    const expected = join(dir, 'expected.txt');
    writeFileSync(expected, nasty.map((s) => Buffer.from(s, 'utf8').toString('base64')).join('\n'));
    const script = join(dir, 'check.ps1');
    writeFileSync(
      script,
      [
        'param([string]$ExpectedFile)',
        '$want = [System.IO.File]::ReadAllLines($ExpectedFile) | ForEach-Object { [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($_)) }',
        `$code = ${psLiteral(psStringArray(nasty))}`,
        '$tokens = $null; $errors = $null',
        '$ast = [System.Management.Automation.Language.Parser]::ParseInput($code, [ref]$tokens, [ref]$errors)',
        'if ($errors.Count) { "PARSE-ERROR $($errors[0].Message)"; exit 1 }',
        '$commands = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -or $n -is [System.Management.Automation.Language.SubExpressionAst] }, $true)',
        'if ($commands.Count) { "UNEXPECTED-CODE $($commands[0].Extent.Text)"; exit 1 }',
        '$got = @(& ([scriptblock]::Create($code)))',
        'if ($got.Count -ne $want.Count) { "COUNT $($got.Count) $($want.Count)"; exit 1 }',
        'for ($i = 0; $i -lt $want.Count; $i++) { if (-not [string]::Equals($got[$i], $want[$i], [System.StringComparison]::Ordinal)) { "DIFF $i"; exit 1 } }',
        '"OK $($got.Count)"',
      ].join('\n'),
    );
    const result = await runPwshFile(script, [expected]);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(`OK ${nasty.length}`);
    expect(result.exitCode).toBe(0);
  });
});
