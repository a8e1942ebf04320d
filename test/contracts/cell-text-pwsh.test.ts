/**
 * The cell-text rule has two twins: runtime/backends/app/cells.ts (dap-report --backend exo and graph queries) and the
 * module's private ConvertTo-DapCellText (the generated report functions). Both read the same JSON
 * answers of the Exchange admin API; here each twin turns the same values into cells, and they must
 * be equal, dates of Date columns included.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { cellText, isoDateText } from '../../runtime/backends/app/cells.js';
import { runPwshFile } from '../helpers/powershell.js';
import { tempDir } from '../runtime/fakes.js';

/** Property values as the service sends them, in JSON. */
const values = [
  'null',
  '"plain"',
  '"a;b \\"c\\", d"',
  '""',
  '0',
  '1.5',
  '35903716480',
  '-2',
  'true',
  'false',
  '["SMTP:a@contoso.com","smtp:b@contoso.com"]',
  '[]',
  '[null,"a",""]',
  '["\\"Jane Doe\\" [SMTP:jane@fabrikam.com]"]',
  '{"a":1,"b":"x"}',
  '{"nested":{"list":[1,2],"flag":true}}',
  '[{"a":1},"z"]',
  '"33.438 GB (35,903,716,480 bytes)"',
  '"日本語 é 🙂"',
];
const dates = ['"2015-03-18T00:00:00Z"', '"2026-11-25T13:05:09Z"', '"2026-11-25T13:05:09.1234567Z"', 'null'];

describe('the cell-text rule: runtime and module give the same cells', () => {
  it('for every kind of value the service sends, and for dates', async () => {
    const dir = tempDir('dap-cells-');
    const input = join(dir, 'values.json');
    writeFileSync(input, JSON.stringify({ values, dates }));
    const script = join(dir, 'cells.ps1');
    writeFileSync(
      script,
      [
        'param([string] $InputFile, [string] $Manifest)',
        '$ErrorActionPreference = "Stop"',
        'Import-Module $Manifest',
        '$data = Get-Content -LiteralPath $InputFile -Raw | ConvertFrom-Json',
        '# run inside the module, where its private functions are',
        '$out = & (Get-Module DapReporting) {',
        '    param($Data)',
        '    # each value parsed as the module parses an answer (Invoke-DapExoRequest: dates stay text)',
        '    $parse = { param($Text) ConvertFrom-Json -InputObject ("{""v"":" + $Text + "}") -DateKind String }',
        '    # a Date column: the text read as a UTC date, as Invoke-DapExoReport reads it',
        '    $styles = [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal',
        '    @{',
        '        values = @($Data.values | ForEach-Object { ConvertTo-DapCellText (& $parse $_).v })',
        '        dates = @($Data.dates | ForEach-Object { $v = (& $parse $_).v; if ($null -ne $v) { $v = [datetime]::Parse([string]$v, [cultureinfo]::InvariantCulture, $styles) }; ConvertTo-DapCellText $v })',
        '    }',
        '} $data',
        '$out | ConvertTo-Json -Compress',
      ].join('\n'),
    );
    const manifest = join(projectRoot, 'module', 'DapReporting', 'DapReporting.psd1');
    const result = await runPwshFile(script, ['-InputFile', input, '-Manifest', manifest]);
    expect(result.stderr).toBe('');
    const cells = JSON.parse(result.stdout) as { values: string[]; dates: string[] };
    expect(cells.values).toEqual(values.map((v) => cellText(JSON.parse(v))));
    expect(cells.dates).toEqual(dates.map((v) => isoDateText(JSON.parse(v))));
  });
});
