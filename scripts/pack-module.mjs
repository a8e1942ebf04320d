#!/usr/bin/env node
// npm run pack:module [-- --out <folder>]: the DapReporting module as a NuGet package
// (<folder>/DapReporting.<version>.nupkg, default folder artifacts/module/), made by PSResourceGet's
// Publish-PSResource to a local file repository, the way it would go to the PowerShell Gallery.
// The package holds the standalone scripts too (DapReporting/Scripts/<Report>.ps1), built by
// dap-gen --scripts: they are not committed. Refuses a module/ that is not what dap-gen generates.
// Needs the build (dist/) and pwsh.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePwsh } from '../dist/common/pwsh-path.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1] : join(root, 'artifacts', 'module'));
const fail = (message) => {
  process.stderr.write(`pack:module: ${message}\n`);
  process.exit(1);
};

const check = spawnSync(process.execPath, [join(root, 'bin', 'dap-gen.js'), '--check'], { cwd: root, encoding: 'utf8' });
if (check.status !== 0) fail(`module/ is not what dap-gen generates; run npx dap-gen first.\n${check.stdout}${check.stderr}`);

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
mkdirSync(out, { recursive: true });
const nupkg = join(out, `DapReporting.${version}.nupkg`);
rmSync(nupkg, { force: true });

// A HOME of its own: the repository registration stays out of the user's PSResourceGet settings.
// .NET finds no application data folder that does not exist (and PSResourceGet then writes its
// settings into the current folder), so they are made first.
const home = mkdtempSync(join(tmpdir(), 'dap-pack-home-'));
const dataHome = join(home, '.local', 'share');
const configHome = join(home, '.config');
for (const folder of [dataHome, configHome]) mkdirSync(folder, { recursive: true });
// What is published: the committed module, with the standalone scripts built into it.
const staged = join(home, 'stage', 'DapReporting');
try {
  cpSync(join(root, 'module', 'DapReporting'), staged, { recursive: true });
  const scripts = spawnSync(process.execPath, [join(root, 'bin', 'dap-gen.js'), '--scripts', join(staged, 'Scripts')], { cwd: root, encoding: 'utf8' });
  if (scripts.status !== 0) fail(`dap-gen --scripts failed (exit ${scripts.status}):\n${scripts.stdout}${scripts.stderr}`);
  const pwsh = resolvePwsh();
  const result = spawnSync(
    pwsh.path,
    ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', join(root, 'scripts', 'pack-module.ps1'), '-ModulePath', staged, '-Repository', out],
    { cwd: root, encoding: 'utf8', env: { ...process.env, HOME: home, XDG_DATA_HOME: dataHome, XDG_CONFIG_HOME: configHome, XDG_CACHE_HOME: join(home, '.cache') } },
  );
  if (result.status !== 0) fail(`Publish-PSResource failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  if (!existsSync(nupkg)) fail(`Publish-PSResource ended without writing ${nupkg}`);
  process.stdout.write(`${nupkg}\n`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
