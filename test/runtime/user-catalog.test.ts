/**
 * --catalog <dir|file> and DAP_CATALOG: a catalog of the user's own reports (what
 * `dap-gen --reports my.ts --out <dir>` writes), read and checked, its module imported by the
 * Exchange backend's host and handed to the simulator under --simulate.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../common/catalog.js';
import { projectRoot } from '../../common/project-paths.js';
import { locateCatalog } from '../../runtime/cli/catalog-option.js';
import type { ExchangeHostSpec } from '../../runtime/backends/exchange/pwsh-host/exchange-host.js';
import { fixtureCatalog, harness, tempDir, USER } from './fakes.js';

/** The fixture catalog with one report renamed, as a user's definitions would add it. */
function userCatalog(): Catalog {
  const catalog = JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;
  catalog.reports[0] = { ...catalog.reports[0]!, name: 'MyOwnReport', function: 'Get-DapMyOwnReport' };
  return catalog;
}

/** A folder as dap-gen --out writes it: <dir>/DapReporting/ with the catalog and the module manifest (its content is not read here). */
function generatedFolder(options: { module?: boolean } = {}): { dir: string; catalogFile: string; manifest: string } {
  const dir = tempDir('dap-user-catalog-');
  mkdirSync(join(dir, 'DapReporting'));
  const catalogFile = join(dir, 'DapReporting', 'DapReporting.catalog.json');
  const manifest = join(dir, 'DapReporting', 'DapReporting.psd1');
  writeFileSync(catalogFile, JSON.stringify(userCatalog()));
  if (options.module !== false) writeFileSync(manifest, '@{}\n');
  return { dir, catalogFile, manifest };
}

const runMine = ['run', '--report', 'MyOwnReport', '--user', USER];

describe('where a catalog is', () => {
  it('the folder dap-gen wrote, its DapReporting folder or the file itself; the module manifest is the one beside the catalog', () => {
    const { dir, catalogFile, manifest } = generatedFolder();
    for (const given of [dir, join(dir, 'DapReporting'), catalogFile]) {
      expect(locateCatalog(given, {}, '/')).toEqual({ path: catalogFile, given: `--catalog ${given}`, moduleManifest: manifest });
    }
    expect(locateCatalog(undefined, { DAP_CATALOG: dir }, '/')).toMatchObject({ path: catalogFile, given: `DAP_CATALOG=${dir}` });
    // the flag wins over the environment; neither: the built-in catalog
    expect(locateCatalog(catalogFile, { DAP_CATALOG: '/nonexistent' }, '/')?.path).toBe(catalogFile);
    expect(locateCatalog(undefined, { DAP_CATALOG: '' }, '/')).toBeUndefined();
  });
});

describe('run, check, tenants and reports take a catalog', () => {
  it('run: the report comes from that catalog, and the pwsh host imports the module beside it', async () => {
    const { dir, manifest } = generatedFolder();
    const h = harness();
    expect(await h.run([...runMine, '--catalog', dir, '--out', join(h.deps.cwd, 'out.csv')])).toBe(0);
    const spec = h.openExchangeHost.mock.calls[0]![0] as ExchangeHostSpec;
    expect(spec.moduleManifest).toBe(manifest);
    expect(h.runner.attempts.every((job) => job.report.name === 'MyOwnReport')).toBe(true);
  });

  it('DAP_CATALOG names it when --catalog is absent', async () => {
    const { dir, manifest } = generatedFolder();
    const h = harness({ env: { DAP_PASSWORD: 'x', DAP_CATALOG: dir } });
    expect(await h.run([...runMine, '--out', join(h.deps.cwd, 'out.csv')])).toBe(0);
    expect((h.openExchangeHost.mock.calls[0]![0] as ExchangeHostSpec).moduleManifest).toBe(manifest);
  });

  it('without a catalog the host imports the built-in module (no moduleManifest in the spec)', async () => {
    const h = harness();
    expect(await h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--out', join(h.deps.cwd, 'out.csv')])).toBe(0);
    expect((h.openExchangeHost.mock.calls[0]![0] as ExchangeHostSpec).moduleManifest).toBeUndefined();
  });

  it('under --simulate the simulator gets the catalog (run, check and tenants)', async () => {
    const { dir, manifest } = generatedFolder();
    for (const args of [['run', '--simulate', '--report', 'MyOwnReport'], ['check', '--simulate', '--report', 'MyOwnReport', '--no-page'], ['tenants', '--simulate']]) {
      const h = harness({ env: {} });
      expect(await h.run([...args, '--catalog', dir]), args.join(' ')).toBe(args[0] === 'tenants' ? undefined : 0);
      expect(h.startSimulator).toHaveBeenCalledWith({ catalogs: [userCatalog()] });
      expect((h.openExchangeHost.mock.calls[0]![0] as ExchangeHostSpec).moduleManifest).toBe(manifest);
    }
  });

  it('reports lists that catalog', async () => {
    const { catalogFile } = generatedFolder();
    const h = harness();
    await h.run(['reports', '--catalog', catalogFile, '--json']);
    expect((JSON.parse(h.stdout.text) as Array<{ name: string }>).map((r) => r.name)).toContain('MyOwnReport');
  });

  it('a catalog with no module beside it: the Exchange backend refuses it (exit 2) before anything starts', async () => {
    const { dir, manifest } = generatedFolder({ module: false });
    const h = harness();
    await expect(h.run([...runMine, '--catalog', dir, '--simulate'])).rejects.toMatchObject({
      code: 'MODULE_NOT_FOUND',
      exitCode: 2,
      message: expect.stringContaining(`expected ${manifest}`),
    });
    expect(h.startSimulator).not.toHaveBeenCalled();
    expect(h.openExchangeHost).not.toHaveBeenCalled();
  });
});

describe('a bad catalog is a usage error (exit 2) naming how it was given, the file and the problem; nothing starts', () => {
  const bad = (): Array<[string, string[], NodeJS.ProcessEnv, string, RegExp]> => {
    const dir = tempDir('dap-bad-catalog-');
    writeFileSync(join(dir, 'not-json.catalog.json'), '{ "module": "DapReporting",');
    writeFileSync(join(dir, 'shape.catalog.json'), JSON.stringify({ module: 'DapReporting', version: '1', reports: [{ name: 'X' }] }));
    mkdirSync(join(dir, 'empty'));
    return [
      ['a missing file', ['--catalog', join(dir, 'nope.json')], {}, 'CATALOG_NOT_FOUND', /^--catalog .*nope\.json: no such file or folder/],
      ['a file that is not JSON', ['--catalog', join(dir, 'not-json.catalog.json')], {}, 'CATALOG_MALFORMED', /^--catalog .*: the catalog .*not-json\.catalog\.json is not JSON/],
      ['a file of the wrong shape', ['--catalog', join(dir, 'shape.catalog.json')], {}, 'CATALOG_MALFORMED', /is not a DapReporting catalog.*\n {2}reports\.0\.function: /s],
      ['a folder without a catalog', ['--catalog', join(dir, 'empty')], {}, 'CATALOG_NOT_FOUND', /the folder holds no catalog: expected .*empty\/DapReporting\/DapReporting\.catalog\.json/],
      ['DAP_CATALOG naming a missing file', [], { DAP_CATALOG: join(dir, 'nope.json') }, 'CATALOG_NOT_FOUND', /^DAP_CATALOG=.*nope\.json: no such file or folder/],
    ];
  };
  const commands = [['run', '--simulate'], ['check', '--simulate'], ['tenants', '--simulate'], ['reports']];

  it.each(bad().flatMap(([what, args, env, code, message]) => commands.map((command) => [`${command[0]}: ${what}`, [...command, ...args], env, code, message] as const)))(
    '%s',
    async (_what, args, env, code, message) => {
      const h = harness({ env });
      await expect(h.run([...args])).rejects.toMatchObject({ code, exitCode: 2, message: expect.stringMatching(message) });
      expect(h.startSimulator).not.toHaveBeenCalled();
      expect(h.stdout.text).toBe('');
    },
  );

  it('through the built bin: the message on stderr, exit 2', async () => {
    const result = await execa(process.execPath, [join(projectRoot, 'bin', 'dap-report.js'), 'reports', '--catalog', 'missing-folder'], { reject: false, cwd: tempDir() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^dap-report: --catalog missing-folder: no such file or folder/);
    expect(result.stdout).toBe('');
  });
});
