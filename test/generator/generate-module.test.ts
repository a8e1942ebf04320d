import { describe, expect, it } from 'vitest';
import { generateModule } from '../../generator/generate-module.js';
import { generatedMarker } from '../../generator/generated-header.js';
import { sharedTemplates } from '../../generator/render-template.js';
import { fixturePackage, generateFor, nastyDefinitions, restDefinitions, sampleDefinitions, scriptOwnPartsFor } from './generator-fixtures.js';

/**
 * What the golden files hold: the module files the definitions make (report functions, manifest,
 * root module, catalog) and each script's own part. The shared functions are their templates with
 * facts filled in: the committed module/ holds them once (checked by dap-gen --check), and the
 * tests below assert the facts the fixture definitions give them.
 */
function goldenFiles(files: Map<string, string>, ownParts: Map<string, string>): Map<string, string> {
  const shared = new Set<string>(sharedTemplates);
  const isShared = (relative: string) => shared.has(relative.replace(/^DapReporting\/(Public|Private)\/(.+)\.ps1$/, '$2'));
  return new Map([...[...files].filter(([relative]) => !relative.startsWith('scripts/') && !isShared(relative)), ...ownParts]);
}

describe('generateModule', () => {
  const files = generateFor([sampleDefinitions]);

  it('emits the module, one file per function, the catalog and one script per Exchange report', () => {
    expect([...files.keys()]).toEqual([
      'DapReporting/DapReporting.catalog.json',
      'DapReporting/DapReporting.psd1',
      'DapReporting/DapReporting.psm1',
      'DapReporting/Private/ConvertTo-DapCellText.ps1',
      'DapReporting/Private/ConvertTo-DapExoValue.ps1',
      'DapReporting/Private/Get-DapUrlRefusal.ps1',
      'DapReporting/Private/Invoke-DapExoReport.ps1',
      'DapReporting/Private/Invoke-DapExoRequest.ps1',
      'DapReporting/Private/Invoke-DapGraphQuery.ps1',
      'DapReporting/Private/Invoke-DapRedirectedRequest.ps1',
      'DapReporting/Private/Invoke-DapTokenRequest.ps1',
      'DapReporting/Private/Invoke-DapWebRequest.ps1',
      'DapReporting/Private/New-DapClientAssertion.ps1',
      'DapReporting/Private/New-DapErrorRecord.ps1',
      'DapReporting/Private/Resolve-DapCertificate.ps1',
      'DapReporting/Public/Connect-DapPartner.ps1',
      'DapReporting/Public/Export-DapAggregateReport.ps1',
      'DapReporting/Public/Get-DapCustomer.ps1',
      'DapReporting/Public/Get-DapExoToken.ps1',
      'DapReporting/Public/Get-DapFailureCategory.ps1',
      'DapReporting/Public/Get-DapGraphCustomer.ps1',
      'DapReporting/Public/Get-DapGraphSample.ps1',
      'DapReporting/Public/Get-DapGraphToken.ps1',
      'DapReporting/Public/Get-DapTypedSample.ps1',
      'DapReporting/Public/Invoke-DapExoCommand.ps1',
      'DapReporting/Public/Invoke-DapGraphReport.ps1',
      'DapReporting/Public/Invoke-DapTenantReport.ps1',
      'DapReporting/Public/Measure-DapPipedSample.ps1',
      'scripts/PipedSample.ps1',
      'scripts/TypedSample.ps1',
    ]);
  });

  const golden = goldenFiles(files, scriptOwnPartsFor([sampleDefinitions]));

  it('keeps goldens of what the definitions shape and of each script\'s own part only', () => {
    expect([...golden.keys()].sort()).toEqual([
      'DapReporting/DapReporting.catalog.json',
      'DapReporting/DapReporting.psd1',
      'DapReporting/DapReporting.psm1',
      'DapReporting/Public/Get-DapGraphSample.ps1',
      'DapReporting/Public/Get-DapTypedSample.ps1',
      'DapReporting/Public/Measure-DapPipedSample.ps1',
      'scripts/PipedSample.ps1',
      'scripts/TypedSample.ps1',
    ]);
  });

  it.each([...golden.keys()])('%s matches its golden file', async (relative) => {
    await expect(golden.get(relative)).toMatchFileSnapshot(`./__golden__/${relative}`);
  });

  it('builds each script as its own part with the functions it names copied in, in that order, and nothing else', () => {
    for (const [relative, own] of scriptOwnPartsFor([sampleDefinitions])) {
      const named = [...own.matchAll(/^# (\S+): the module's function, copied in by dap-gen$/gm)].map((m) => m[1]!);
      expect(named).toContain('Get-DapFailureCategory');
      const full = files.get(relative)!;
      const defined = [...full.matchAll(/^function (\S+) \{$/gm)].map((m) => m[1]!);
      expect(defined).toEqual(named);
      // the module's own text of each, header aside
      for (const name of named) {
        const moduleFile = [...files].find(([path]) => path.endsWith(`/${name}.ps1`) && path.startsWith('DapReporting/'))![1];
        expect(full).toContain(moduleFile.split('# </auto-generated>\n\n')[1]);
      }
      expect(full.replace(/^function (\S+) \{\n[\s\S]*?^\}\n/gm, (_m, name: string) => `# ${name}: the module's function, copied in by dap-gen\n`)).toBe(own);
    }
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
      const header = content.split('# </auto-generated>')[0]!;
      expect(header.split('\n').length).toBeLessThan(40);
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
    expect(Object.keys(typed!)).toEqual(['name', 'function', 'script', 'summary', 'definitionFile', 'sources', 'parameters', 'columns']);
    expect(typed).toMatchObject({
      name: 'TypedSample',
      function: 'Get-DapTypedSample',
      script: 'scripts/TypedSample.ps1',
      definitionFile: 'test/fixtures/definitions/sample-reports.ts',
      sources: [{ kind: 'exchange', cmdlet: 'Get-TypedSample' }],
    });
    expect((typed!.parameters as unknown[]).slice(0, 2)).toEqual([
      { name: 'Label', type: 'string', array: false, required: true, help: 'A required string.' },
      { name: 'Count', type: 'integer', array: false, required: false, default: 10, help: 'An integer with a default.' },
    ]);
  });

  it('writes a Graph report into the catalog with its graph source, its parameters and no script', () => {
    const catalog = JSON.parse(files.get('DapReporting/DapReporting.catalog.json')!) as { reports: Array<Record<string, unknown>> };
    const graph = catalog.reports.find((r) => r.name === 'GraphSample');
    expect(graph).toEqual({
      name: 'GraphSample',
      function: 'Get-DapGraphSample',
      summary: 'A Microsoft Graph report with both URL forms and CSV headers that are not identifiers.',
      definitionFile: 'test/fixtures/definitions/sample-reports.ts',
      sources: [{ kind: 'graph', function: 'getGraphSample' }],
      parameters: [
        { name: 'Period', type: 'string', array: false, required: false, default: 'D30', values: ['D7', 'D30', 'D90', 'D180'], help: 'The days covered.' },
        { name: 'Date', type: 'datetime', array: false, required: false, help: 'One day.' },
      ],
      columns: [
        { name: 'Report Refresh Date', type: 'datetime' },
        { name: 'Prohibit Send/Receive Quota (Byte)', type: 'number' },
        { name: 'Has Archive', type: 'boolean' },
      ],
    });
    expect(catalog.reports.filter((r) => r.script !== undefined).map((r) => r.name)).toEqual(['TypedSample', 'PipedSample']);
  });

  it('fills the shared functions with the facts of the definitions: report functions, cmdlets, Graph shapes', () => {
    expect(files.get('DapReporting/Public/Export-DapAggregateReport.ps1')).toContain(
      "    $reportFunctions = [ordered]@{\n        'TypedSample' = 'Get-DapTypedSample'\n        'PipedSample' = 'Measure-DapPipedSample'\n    }\n",
    );
    const tenant = files.get('DapReporting/Public/Invoke-DapTenantReport.ps1')!;
    expect(tenant.split("[ValidateSet('Get-PipedSample', 'Get-Recipient', 'Get-TypedSample')]").length).toBe(3);
    expect(files.get('DapReporting/Public/Invoke-DapGraphReport.ps1')).toContain(
      [
        "            'getGraphSample' = @{",
        "                TypeName = 'DapReporting.GraphSample'",
        '                Columns  = @(',
        "                    @{ Header = 'Report Refresh Date'; Property = 'ReportRefreshDate'; Type = 'datetime' }",
        "                    @{ Header = 'Prohibit Send/Receive Quota (Byte)'; Property = 'ProhibitSendReceiveQuotaByte'; Type = 'number' }",
        "                    @{ Header = 'Has Archive'; Property = 'HasArchive'; Type = 'boolean' }",
        '                )',
        '            }',
      ].join('\n'),
    );
    // each shared function names the definition files its facts came from
    expect(tenant.split('# </auto-generated>')[0]).toContain('#   test/fixtures/definitions/sample-reports.ts');
  });

  it('keeps Graph reports out of the Exchange-only shared functions, and Exchange cmdlets out of the Graph ones', () => {
    const aggregate = files.get('DapReporting/Public/Export-DapAggregateReport.ps1')!;
    expect(aggregate).toContain("[ValidateSet('TypedSample', 'PipedSample')]");
    expect(aggregate).not.toContain('GraphSample');
    expect(files.get('DapReporting/Public/Invoke-DapTenantReport.ps1')).not.toContain('getGraphSample');
    const graph = files.get('DapReporting/Public/Invoke-DapGraphReport.ps1')!;
    expect(graph).toContain("[ValidateSet('getGraphSample')]");
    expect(graph).toContain("[ValidateSet('D7', 'D30', 'D90', 'D180')]");
    expect(graph.split('\n').slice(0, 6).join('\n')).toContain('#   test/fixtures/definitions/sample-reports.ts');
    const fn = files.get('DapReporting/Public/Get-DapGraphSample.ps1')!;
    expect(fn).toContain("[CmdletBinding(DefaultParameterSetName = 'Period', PositionalBinding = $false)]");
    expect(fn).toContain("[Parameter(Mandatory, ParameterSetName = 'Date')]");
    expect(fn).toContain("Function     = 'getGraphSample'");
    expect(fn).toContain("[OutputType('DapReporting.GraphSample')]");
    // the typed columns, with the property names PowerShell gets
    expect(graph).toContain("@{ Header = 'Prohibit Send/Receive Quota (Byte)'; Property = 'ProhibitSendReceiveQuotaByte'; Type = 'number' }");
    expect(graph).toContain("TypeName = 'DapReporting.GraphSample'");
  });

  it('renders the Graph shared functions with placeholder sets when there is no Graph report', () => {
    const none = generateModule({ reports: [], package: fixturePackage() });
    expect(none.get('DapReporting/Public/Invoke-DapGraphReport.ps1')).toContain("[ValidateSet('getNoReport')]");
    expect(none.get('DapReporting/Public/Invoke-DapTenantReport.ps1')).toContain("[ValidateSet('Get-DapNoReport')]");
  });

  it('lists the functions explicitly in the manifest and the root module, never *', () => {
    const manifest = files.get('DapReporting/DapReporting.psd1')!;
    expect(manifest).toContain(
      "FunctionsToExport    = @('Connect-DapPartner', 'Export-DapAggregateReport', 'Get-DapCustomer', 'Get-DapExoToken', 'Get-DapFailureCategory', 'Get-DapGraphCustomer', " +
        "'Get-DapGraphSample', 'Get-DapGraphToken', 'Get-DapTypedSample', 'Invoke-DapExoCommand', 'Invoke-DapGraphReport', 'Invoke-DapTenantReport', 'Measure-DapPipedSample')",
    );
    expect(manifest).not.toContain("'*'");
    expect(manifest.split('\n').find((line) => line.includes('FunctionsToExport'))).not.toContain('Invoke-DapExoReport');
    expect(files.get('DapReporting/DapReporting.psm1')).toContain(". ([System.IO.Path]::Combine($PSScriptRoot, 'Private', 'Invoke-DapExoReport.ps1'))");
    expect(manifest).not.toContain('RequiredModules');
    expect(files.get('DapReporting/DapReporting.psm1')).toContain("Export-ModuleMember -Function @('Connect-DapPartner', 'Export-DapAggregateReport'");
  });

  it('fills every Gallery field of the manifest from the package facts, Core edition and PowerShell 7 only', () => {
    const manifest = files.get('DapReporting/DapReporting.psd1')!;
    expect(manifest).toContain("    PowerShellVersion    = '7.0'\n    CompatiblePSEditions = @('Core')\n");
    expect(manifest).toContain("            ProjectUri   = 'https://example.com/dap'\n");
    expect(manifest).toContain("            LicenseUri   = 'https://example.com/dap/blob/main/LICENSE'\n");
    expect(manifest).toContain("            ReleaseNotes = 'Fixture release notes.\nSecond line.'\n");
    expect(manifest).toMatch(/Tags {9}= @\('Partner', .*'PSEdition_Core'/);
    expect(manifest).toMatch(/Description {10}= '.*need the MSOnline module; it is not a required module, so that the Microsoft Graph commands load without it\.'/);
    expect(manifest.split('\n').slice(0, 40).join('\n')).toMatch(/# {3}package\.json\n# {3}CHANGELOG\.md\n/);
  });

  it('writes a prerelease version as ModuleVersion plus Prerelease', () => {
    const manifest = generateModule({ reports: [], package: fixturePackage('2.0.0-beta1') }).get('DapReporting/DapReporting.psd1')!;
    expect(manifest).toContain("    ModuleVersion        = '2.0.0'\n");
    expect(manifest).toContain("            Prerelease   = 'beta1'\n");
  });
});

describe('generateModule with exchangeRest reports', () => {
  const files = generateFor([restDefinitions]);
  const ownParts = scriptOwnPartsFor([restDefinitions]);
  const own = ['DapReporting/DapReporting.catalog.json', 'DapReporting/Public/Get-DapRestAndRemotingSample.ps1', 'DapReporting/Public/Get-DapRestWindowSample.ps1',
    'scripts/RestAndRemotingSample.ps1', 'scripts/RestWindowSample.ps1'];

  it.each(own)('%s matches its golden file', async (relative) => {
    await expect(ownParts.get(relative) ?? files.get(relative)).toMatchFileSnapshot(`./__golden__/rest/${relative}`);
  });

  it('writes every source into the catalog, the first one the default, and a script after the first', () => {
    const catalog = JSON.parse(files.get('DapReporting/DapReporting.catalog.json')!) as { reports: Array<Record<string, unknown>> };
    const [both, window] = catalog.reports;
    expect(both).toMatchObject({ name: 'RestAndRemotingSample', script: 'scripts/RestAndRemotingSample.ps1' });
    expect((both!.sources as Array<{ kind: string }>).map((s) => s.kind)).toEqual(['exchangeRest', 'exchange']);
    expect(window!.sources).toEqual([{
      kind: 'exchangeRest',
      cmdlet: 'Get-MessageTraceV2',
      parameters: { SubjectFilterType: 'Contains' },
      dateWindow: { start: 'StartDate', end: 'EndDate', days: 10 },
      continueWith: { sizeParameter: 'ResultSize', size: 5000, from: { StartingRecipientAddress: 'RecipientAddress', EndDate: 'Received' } },
      rows: { kind: 'externalRecipients', columns: ['RecipientAddress'], matchColumn: 'Outside' },
    }]);
  });

  it('gives a report with both Exchange sources one function with two parameter sets, the first source the default', () => {
    const fn = files.get('DapReporting/Public/Get-DapRestAndRemotingSample.ps1')!;
    expect(fn).toContain("[CmdletBinding(DefaultParameterSetName = 'Rest', PositionalBinding = $false)]");
    expect(fn).toContain("[Parameter(Mandatory, ParameterSetName = 'Remoting')]\n        [pscredential] $Credential");
    expect(fn).toContain("[Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'Rest')]\n        [securestring] $AccessToken");
    expect(fn).toContain("Consumed     = @('InactiveDays')");
    expect(fn).toContain('Invoke-DapTenantReport @invoke');
    // the remoting form is still in Export-DapAggregateReport; the admin API script is the report's own
    expect(files.get('DapReporting/Public/Export-DapAggregateReport.ps1')).toContain("'RestAndRemotingSample' = 'Get-DapRestAndRemotingSample'");
    expect(files.get('scripts/RestAndRemotingSample.ps1')).toContain('Get-DapExoToken -TenantId $customer.TenantId');
  });
});
