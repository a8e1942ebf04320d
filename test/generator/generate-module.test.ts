import { describe, expect, it } from 'vitest';
import { generatedMarker } from '../../generator/generated-header.js';
import { generateFor, nastyDefinitions, sampleDefinitions } from './generator-fixtures.js';

describe('generateModule', () => {
  const files = generateFor([sampleDefinitions]);

  it('emits the module, one file per function, the catalog and one script per report', () => {
    expect([...files.keys()]).toEqual([
      'DapReporting/DapReporting.catalog.json',
      'DapReporting/DapReporting.psd1',
      'DapReporting/DapReporting.psm1',
      'DapReporting/Public/Connect-DapPartner.ps1',
      'DapReporting/Public/Export-DapAggregateReport.ps1',
      'DapReporting/Public/Get-DapCustomer.ps1',
      'DapReporting/Public/Get-DapTypedSample.ps1',
      'DapReporting/Public/Invoke-DapTenantReport.ps1',
      'DapReporting/Public/Measure-DapPipedSample.ps1',
      'scripts/PipedSample.ps1',
      'scripts/TypedSample.ps1',
    ]);
  });

  it.each([...files.keys()])('%s matches its golden file', async (relative) => {
    await expect(files.get(relative)).toMatchFileSnapshot(`./__golden__/${relative}`);
  });

  it('is byte-identical on every run', () => {
    for (const definitions of [[sampleDefinitions], [nastyDefinitions]]) {
      const first = generateFor(definitions);
      const second = generateFor(definitions);
      expect([...second.entries()]).toEqual([...first.entries()]);
    }
  });

  it('starts every PowerShell file with the generated header naming its source, uses LF only, has no timestamp', () => {
    for (const [relative, content] of files) {
      expect(content).not.toMatch(/\r/);
      expect(content).not.toMatch(/\b20\d\d-\d\d-\d\dT\d\d:/);
      if (relative.endsWith('.json')) continue;
      const header = content.split('\n').slice(0, 12).join('\n');
      expect(header).toContain(generatedMarker);
      expect(header).toContain('npx dap-gen');
      expect(header).toMatch(/Do not edit/);
    }
    expect(files.get('DapReporting/Public/Get-DapTypedSample.ps1')).toContain('#   test/fixtures/definitions/sample-reports.ts');
  });

  it('writes the catalog as exactly the Catalog type', () => {
    const catalog = JSON.parse(files.get('DapReporting/DapReporting.catalog.json')!) as Record<string, unknown>;
    expect(Object.keys(catalog)).toEqual(['module', 'version', 'reports']);
    expect(catalog).toMatchObject({ module: 'DapReporting', version: '1.2.3' });
    const [typed] = catalog.reports as Array<Record<string, unknown>>;
    expect(Object.keys(typed!)).toEqual(['name', 'function', 'script', 'summary', 'definitionFile', 'source', 'parameters', 'columns']);
    expect(typed).toMatchObject({
      name: 'TypedSample',
      function: 'Get-DapTypedSample',
      script: 'scripts/TypedSample.ps1',
      definitionFile: 'test/fixtures/definitions/sample-reports.ts',
      source: { kind: 'exchange', cmdlet: 'Get-TypedSample' },
    });
    expect((typed!.parameters as unknown[]).slice(0, 2)).toEqual([
      { name: 'Label', type: 'string', array: false, required: true, help: 'A required string.' },
      { name: 'Count', type: 'integer', array: false, required: false, default: 10, help: 'An integer with a default.' },
    ]);
  });

  it('lists the functions explicitly in the manifest and the root module, never *', () => {
    const manifest = files.get('DapReporting/DapReporting.psd1')!;
    expect(manifest).toContain("FunctionsToExport    = @('Connect-DapPartner', 'Export-DapAggregateReport', 'Get-DapCustomer', 'Get-DapTypedSample', 'Invoke-DapTenantReport', 'Measure-DapPipedSample')");
    expect(manifest).not.toContain("'*'");
    expect(manifest).not.toContain('RequiredModules');
    expect(files.get('DapReporting/DapReporting.psm1')).toContain("Export-ModuleMember -Function @('Connect-DapPartner', 'Export-DapAggregateReport'");
  });
});
