/**
 * The generated module judges a URL a service sends it to by the same rule as dap-report: its
 * private Get-DapUrlRefusal (generator/templates/Private/Get-DapUrlRefusal.ps1), run in pwsh
 * through the committed module, refuses exactly the URLs urlRefusal (runtime/platform/http/url-safety.ts)
 * refuses, each judged on its own, as sent by a public host and as sent by the loopback simulator.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { moduleDir } from '../../common/project-paths.js';
import { urlRefusal } from '../../runtime/platform/http/url-safety.js';
import { hostileUrlCases, LOOPBACK, PUBLIC } from '../fixtures/hostile-urls.js';
import { runPwshScript } from '../helpers/powershell.js';

const manifest = join(moduleDir, 'DapReporting', 'DapReporting.psd1');
const urls = hostileUrlCases.map(([url]) => url);
const origins = [undefined, PUBLIC, LOOPBACK] as const;

describe('the URL rule: the module agrees with the runtime', () => {
  /** The module's answer per origin (none, public, loopback), per URL: the refusal or null. */
  let module: Array<Array<string | null>> = [];
  beforeAll(async () => {
    // Data crosses as JSON in the environment; the script is the test's own text.
    const result = await runPwshScript(
      [
        '$ErrorActionPreference = "Stop"',
        '$module = Import-Module -Name $env:DAP_TEST_MANIFEST -PassThru',
        '$urls = @(ConvertFrom-Json -InputObject $env:DAP_TEST_URLS)',
        '$origins = @(ConvertFrom-Json -InputObject $env:DAP_TEST_ORIGINS)',
        '$answers = & $module {',
        '    param($Urls, $Origins)',
        '    foreach ($origin in $Origins) {',
        '        $from = if ($origin -eq "") { @{} } else { @{ From = $origin } }',
        '        , @(foreach ($url in $Urls) { $refusal = Get-DapUrlRefusal -Url $url @from; if ($null -eq $refusal) { $null } else { [string]$refusal } })',
        '    }',
        '} $urls $origins',
        'ConvertTo-Json -InputObject @($answers) -Depth 3 -Compress',
      ].join('\n'),
      { DAP_TEST_MANIFEST: manifest, DAP_TEST_URLS: JSON.stringify(urls), DAP_TEST_ORIGINS: JSON.stringify(origins.map((o) => o ?? '')) },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    module = JSON.parse(result.stdout) as Array<Array<string | null>>;
  });

  it('holds an answer for every URL from every origin', () => {
    expect(module.map((answers) => answers.length)).toEqual(origins.map(() => urls.length));
  });

  for (const [index, from] of origins.entries()) {
    it(`refuses and takes the same URLs ${from === undefined ? 'judged on their own' : from === PUBLIC ? 'sent by a public host' : 'sent by the loopback simulator'}`, () => {
      const verdict = (refusal: string | null | undefined) => (refusal == null ? 'taken' : 'refused');
      const runtime = urls.map((url) => `${JSON.stringify(url)}: ${verdict(urlRefusal(url, from))}`);
      expect(urls.map((url, i) => `${JSON.stringify(url)}: ${verdict(module[index]?.[i])}`)).toEqual(runtime);
    });
  }

  it('gives the same reasons', () => {
    const runtime = origins.map((from) => urls.map((url) => urlRefusal(url, from) ?? null));
    expect(module).toEqual(runtime);
  });
});
