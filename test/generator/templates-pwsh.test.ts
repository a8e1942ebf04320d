// The templates of the shared functions are PowerShell files in their own right: each parses with
// zero errors in the installed pwsh, and each dap-gen marker is a whole string literal or stands
// in a comment, where the generator replaces it (render-template.ts).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { block } from '../../generator/ps-writer.js';
import { fillMarkers, privateTemplates, publicTemplates, type TemplateFact, templatesDir } from '../../generator/render-template.js';
import { runPwshFile } from '../helpers/powershell.js';

describe('the templates in pwsh', () => {
  let lines: string[] = [];
  beforeAll(async () => {
    const result = await runPwshFile(join(projectRoot, 'test', 'generator', 'pwsh-scripts', 'inspect-templates.ps1'), [templatesDir]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    lines = result.stdout.split(/\r?\n/).filter(Boolean);
    expect(lines.at(-1)).toBe('DONE');
  });

  it('are exactly the shared functions, and each parses on its own with zero errors', () => {
    const files = [...readdirSync(templatesDir).filter((f) => f.endsWith('.ps1')), ...readdirSync(join(templatesDir, 'Private')).map((f) => `Private/${f}`)];
    expect(files.sort()).toEqual([...publicTemplates.map((n) => `${n}.ps1`), ...privateTemplates.map((n) => `Private/${n}.ps1`)].sort());
    expect(lines.filter((l) => l.startsWith('PARSE-ERROR'))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('PARSED ')).map((l) => l.slice(7)).sort()).toEqual(files.sort());
  });

  it('hold markers only as whole string literals or in comments', () => {
    expect(lines.filter((l) => l.startsWith('MISPLACED'))).toEqual([]);
    const markers = lines.filter((l) => l.startsWith('MARKER '));
    expect(markers).toContain('MARKER Invoke-DapTenantReport.ps1:65 code TenantIdPattern');
    expect(markers.some((l) => / text MaxRetryAfterSeconds$/.test(l))).toBe(true);
  });
});

describe('fillMarkers', () => {
  const template = [
    'function Get-X {',
    '    <#',
    '    .DESCRIPTION',
    '    At most dap-gen:Limit tries, in dap-gen:Names.',
    '    #>',
    "    param([ValidateSet('dap-gen:Names')] [string] $Name, [string] $Pattern = 'dap-gen:Pattern')",
    "    $table = 'dap-gen:Table'",
    "    [Math]::Min($Name.Length, 'dap-gen:Limit')",
    '}',
  ].join('\n');
  const facts = { Limit: 600, Names: ['a', "it's"], Pattern: "^x'\\z", Table: { code: block('@{', ['A = 1']) } };

  it('puts facts in code as PowerShell and in comments as text, code at the marker line indentation', () => {
    expect(fillMarkers(template, facts, 'X.ps1')).toBe(
      [
        'function Get-X {',
        '    <#',
        '    .DESCRIPTION',
        "    At most 600 tries, in a, it's.",
        '    #>',
        "    param([ValidateSet('a', 'it''s')] [string] $Name, [string] $Pattern = '^x''\\z')",
        '    $table = @{',
        '        A = 1',
        '    }',
        '    [Math]::Min($Name.Length, 600)',
        '}',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['an unknown marker', { ...facts, Table: undefined }, /X\.ps1:7: the generator has no fact for the marker dap-gen:Table/],
    ['a fact no marker uses', { ...facts, Extra: 'x' }, /X\.ps1 has no marker for dap-gen:Extra/],
    ['code in a comment', { ...facts, Limit: { code: '1' } }, /X\.ps1:4: dap-gen:Limit: code cannot stand in a comment/],
    ['a comment fact that would end the help block', { ...facts, Names: ['#>'] }, /X\.ps1:4: dap-gen:Names: .* is not one line of plain comment text/],
  ])('refuses %s', (_what, given, message) => {
    expect(() => fillMarkers(template, given as unknown as Record<string, TemplateFact>, 'X.ps1')).toThrow(message);
  });

  it('refuses a marker without quotes in code', () => {
    expect(() => fillMarkers('$x = dap-gen:Limit', { Limit: 1 }, 'Y.ps1')).toThrow(/Y\.ps1:1: dap-gen:Limit outside a comment must be a string literal/);
  });
});
