// npm run pack:module makes a .nupkg with PSResourceGet; installed from that local repository into a
// temporary user scope, the module imports by name in a fresh pwsh, has help for every command
// and runs a report against the simulator.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { moduleDir, projectRoot } from '../../common/project-paths.js';
import { buildWorld, loadScenario } from '../../simulator/index.js';
import { pwsh } from '../helpers/powershell.js';
import { tempDir } from '../runtime/fakes.js';

const user = 'admin@contoso.onmicrosoft.com';
const fixtures = join(projectRoot, 'test', 'fixtures', 'pwsh');
const pwshArgs = ['-NoLogo', '-NoProfile', '-NonInteractive', '-File'];

/** An empty home for pwsh: user modules and PSResourceGet settings go there, nowhere else. */
function temporaryHome(dir: string): { HOME: string; XDG_DATA_HOME: string; XDG_CONFIG_HOME: string; XDG_CACHE_HOME: string } {
  const home = join(dir, 'home');
  const env = { HOME: home, XDG_DATA_HOME: join(home, '.local', 'share'), XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') };
  for (const folder of [env.XDG_DATA_HOME, env.XDG_CONFIG_HOME]) mkdirSync(folder, { recursive: true });
  return env;
}

describe('npm run pack:module', () => {
  it('packs a .nupkg that installs with Install-PSResource and imports by name in a fresh pwsh', async () => {
    const dir = tempDir('dap-pack-');
    const repository = join(dir, 'repository');
    const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };

    const pack = await execa(process.execPath, [join(projectRoot, 'scripts', 'pack-module.mjs'), '--out', repository], { reject: false, cwd: dir });
    expect(pack.stderr).toBe('');
    expect(pack.exitCode).toBe(0);
    expect(readdirSync(repository)).toEqual([`DapReporting.${version}.nupkg`]);
    expect(readdirSync(dir).sort()).toEqual(['repository']);

    const env = temporaryHome(dir);
    const install = await execa(pwsh.path, [...pwshArgs, join(fixtures, 'install-module.ps1'), '-Repository', repository], { reject: false, env, cwd: dir });
    expect(install.stderr).toBe('');
    expect(install.exitCode).toBe(0);
    const catalog = JSON.parse(readFileSync(join(moduleDir, 'DapReporting', 'DapReporting.catalog.json'), 'utf8')) as { reports: Array<{ script?: string }> };
    const scripts = catalog.reports.flatMap((r) => (r.script ? [r.script.replace(/^scripts\//, '')] : [])).sort();
    expect(scripts.length).toBeGreaterThan(5);
    expect(install.stdout.split(/\r?\n/)).toEqual([`INSTALLED ${version} ${join(env.XDG_DATA_HOME, 'powershell', 'Modules')}`, `SCRIPTS ${scripts.join(',')}`, 'DONE']);

    const run = await execa(
      process.execPath,
      [join(projectRoot, 'bin', 'dap-sim.js'), 'run', '--', pwsh.path, ...pwshArgs, join(fixtures, 'installed-module-report.ps1'), '-UserName', user],
      { reject: false, env, cwd: dir },
    );
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.split(/\r?\n/).filter(Boolean);
    expect(lines.at(-1)).toBe('DONE');
    expect(lines[0]).toBe(`MODULE ${version} ${join(env.XDG_DATA_HOME, 'powershell', 'Modules', 'DapReporting', version)}`);

    const exported = readdirSync(join(moduleDir, 'DapReporting', 'Public')).map((f) => f.replace(/\.ps1$/, '')).sort();
    const help = lines.filter((l) => l.startsWith('HELP '));
    expect(help.map((l) => l.split(' ')[1])).toEqual(exported);
    for (const line of help) expect(line).toMatch(/^HELP \S+ synopsis=True examples=[1-9]\d* inputs=True outputs=True$/);

    const withData = buildWorld(loadScenario()).tenants.filter((t) => t.mailboxes.length > 0).length;
    expect(lines.find((l) => l.startsWith('ROWS '))).toBe(`ROWS ${withData} ${withData}`);
  });
});
