#!/usr/bin/env node
// Sets up everything the project needs, from nothing, and is quick when it is already done:
//   1. npm packages (npm ci when package-lock.json changed since the last install);
//   2. PowerShell (the NuGet `PowerShell` dotnet tool, pinned) into .tools/pwsh-tool/, run through
//      the launcher .tools/pwsh/pwsh; Pester 5 (NuGet `Pester`) into .tools/modules/Pester.
//      A pwsh named in DAP_PWSH is used instead of installing one (with a Pester 5 it can
//      already import, if there is one). Both are required: without them setup fails (exit 1);
//   3. Chromium, Debian's `chromium` package (apt-get), for the run page's browser test; a Chromium
//      named in DAP_CHROMIUM is used instead. Required: without it setup fails (exit 1);
//   4. the TypeScript build into dist/, and the standalone scripts into module/scripts/ (dap-gen --scripts).
// Writes .tools/status.json, which the test runner and the tools read.
// Only npm, NuGet (through dotnet), Debian's package mirrors (apt-get) and nothing else are contacted.
// Plain Node on purpose: it runs before any npm package is installed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, '.tools');
const statusFile = join(tools, 'status.json');

export const PWSH_VERSION = '7.6.9';
export const PESTER_VERSION = '5.7.1';

const started = Date.now();
const quiet = process.argv.includes('--quiet');
const force = process.argv.includes('--force');
const log = (line) => {
  if (!quiet) process.stderr.write(`setup: ${line}\n`);
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', ...options.env },
    stdio: options.inherit ? 'inherit' : 'pipe',
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return { ok: result.status === 0, status: result.status, output, command: [command, ...args].join(' ') };
}

function tail(text, lines = 6) {
  return text.split('\n').filter(Boolean).slice(-lines).join('\n');
}

/** The line of a tool's output that says why it failed. */
function reason(text = '') {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /\berror\b/i.test(l)) ?? lines.at(-1) ?? '';
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function hashFiles(...files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(existsSync(file) ? readFileSync(file) : '');
  return hash.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------- npm packages
function ensureNpmPackages() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.dap-setup-stamp');
  const want = hashFiles(lock, join(root, 'package.json'));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return 'up to date';
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = run(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { inherit: !quiet });
  if (!result.ok) throw new Error(`'${result.command}' failed with exit code ${result.status}`);
  writeFileSync(stamp, want);
  return 'installed';
}

// ---------------------------------------------------------------- PowerShell
function probePwsh(path) {
  const probe = run(path, [
    '-NoLogo', '-NoProfile', '-NonInteractive', '-Command',
    "Import-Module Microsoft.PowerShell.Utility; $v = $PSVersionTable.PSVersion.ToString(); " +
      "$p = (1..2 | ForEach-Object -Parallel { $_ }) -join ''; " +
      "$c = ([pscustomobject]@{ a = 1 } | ConvertTo-Csv -NoTypeInformation) -join ''; " +
      "Write-Output \"$v|$p|$c\"",
  ]);
  const match = /^(7\.\d+\.\d+)\|\S+\|"a""1"$/m.exec(probe.output);
  return match ? { ok: true, version: match[1] } : { ok: false, error: tail(probe.output) || `exit ${probe.status}` };
}

/** A pwsh the user names in DAP_PWSH is used as it is: nothing is installed, and it must work. */
function userPwsh(path) {
  const probe = probePwsh(path);
  if (!probe.ok) throw new Error(`DAP_PWSH names '${path}', which does not run as PowerShell 7: ${reason(probe.error)}`);
  return { ok: true, pinned: PWSH_VERSION, path, version: probe.version, via: 'DAP_PWSH', attemptedAt: new Date().toISOString() };
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = dir && join(dir, name);
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The dotnet tool's PowerShell files: pwsh.dll, its assemblies, $PSHOME's modules. */
function toolPayload(toolDir) {
  return join(toolDir, '.store', 'powershell', PWSH_VERSION, 'powershell', PWSH_VERSION, 'tools', 'net10.0', 'any', 'unix');
}

/** The newest installed Microsoft.NETCore.App 10: its version and folder (the assemblies crossgen2 compiles against). */
function runtimeFramework() {
  const listed = run('dotnet', ['--list-runtimes']);
  const found = [...listed.output.matchAll(/^Microsoft\.NETCore\.App (10\.\d+\.\d+) \[(.+)\]$/gm)].map((m) => ({ version: m[1], dir: join(m[2], m[1]) }));
  found.sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
  return found.at(-1);
}

/** The assemblies pwsh loads to start and to run the project's work (the rest stay as they are). */
const PRECOMPILED = /^(pwsh|System\.Management\.Automation|Microsoft\.PowerShell\..+|Microsoft\.Management\.Infrastructure|Microsoft\.ApplicationInsights|Newtonsoft\.Json)\.dll$/;

function runAsync(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (status) => resolve({ ok: status === 0, status, output, command: [command, ...args].join(' ') }));
    child.on('error', (error) => resolve({ ok: false, status: null, output: error.message, command }));
  });
}

/**
 * The NuGet tool ships PowerShell as plain IL, so every pwsh start JIT-compiles its engine first
 * (about twice the start time of a ReadyToRun build such as the official packages). crossgen2, the
 * runtime's own ReadyToRun compiler, compiles the assemblies pwsh loads; when it cannot, pwsh runs
 * as shipped, only slower to start, and setup says so.
 */
async function precompile(lib) {
  const framework = runtimeFramework();
  if (!framework) return { ok: false, error: 'no Microsoft.NETCore.App 10 runtime is listed by dotnet --list-runtimes' };
  const packages = join(tools, 'nuget');
  const restore = run('dotnet', ['restore', 'tools/pwsh-r2r/pwsh-r2r.csproj', '--packages', packages, `-p:Crossgen2Version=${framework.version}`]);
  const crossgen = join(packages, 'microsoft.netcore.app.crossgen2.linux-x64', framework.version, 'tools', 'crossgen2');
  if (!restore.ok || !existsSync(crossgen)) return { ok: false, command: restore.command, error: tail(restore.output) || `no ${crossgen}` };
  const assemblies = readdirSync(lib).filter((name) => PRECOMPILED.test(name));
  const compiled = [];
  const failed = [];
  const compileOne = async (name) => {
    const source = join(lib, name);
    const target = `${source}.r2r`;
    const result = await runAsync(crossgen, [source, '-o', target, '-r', join(framework.dir, '*.dll'), '-r', join(lib, '*.dll'), '--targetos:linux', '--targetarch:x64', '-O']);
    if (result.ok) compiled.push(name);
    else failed.push(`${name}: ${reason(result.output)}`);
  };
  // two at a time (this machine kind has two cores); each replaces its assembly only at the end
  const queue = [...assemblies];
  await Promise.all([0, 1].map(async () => {
    for (let name = queue.shift(); name; name = queue.shift()) await compileOne(name);
  }));
  for (const name of compiled) renameSync(join(lib, `${name}.r2r`), join(lib, name));
  return { ok: failed.length === 0, runtime: framework.version, compiled: compiled.sort(), ...(failed.length ? { error: failed.join('; ') } : {}) };
}

const shQuote = (text) => `'${text.replaceAll("'", "'\\''")}'`;

/**
 * The dotnet tool's `pwsh` is a launcher that starts the real PowerShell (pwsh.dll) as a child
 * process: a signal sent to the launcher never reaches it, so a stopped command would keep
 * running with its remote session open. The project runs pwsh.dll itself instead, through a
 * launcher script that execs dotnet: the process a caller starts is PowerShell.
 */
function writeDirectLauncher(lib, exe) {
  const dll = join(lib, 'pwsh.dll');
  const dotnet = onPath('dotnet');
  if (!dotnet) throw new Error('dotnet is not on PATH');
  writeFileSync(
    exe,
    [
      '#!/bin/sh',
      `# Written by scripts/setup.mjs: PowerShell ${PWSH_VERSION} (the NuGet PowerShell dotnet tool, its assemblies`,
      '# compiled ReadyToRun) run as this very process, so that signals sent to it reach PowerShell itself.',
      `exec ${shQuote(realpathSync(dotnet))} ${shQuote(dll)} "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(exe, 0o755);
}

async function installPwsh(previous) {
  if (process.env.DAP_PWSH) return userPwsh(process.env.DAP_PWSH);
  const toolDir = join(tools, 'pwsh-tool');
  const home = join(tools, 'pwsh');
  const exe = join(home, 'pwsh');
  if (!force && previous?.ok && previous.via === 'dotnet tool' && existsSync(exe) && previous.version === PWSH_VERSION) return previous;
  rmSync(toolDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  const result = run('dotnet', ['tool', 'install', 'PowerShell', '--version', PWSH_VERSION, '--tool-path', toolDir]);
  const status = { ok: false, version: PWSH_VERSION, via: 'dotnet tool', command: result.command, attemptedAt: new Date().toISOString() };
  if (!result.ok) return { ...status, error: tail(result.output) };
  const payload = toolPayload(toolDir);
  if (!existsSync(join(payload, 'pwsh.dll'))) return { ...status, error: `the PowerShell tool package has no ${join(payload, 'pwsh.dll')}` };
  // $PSHOME: a copy of the tool's files, so that compiling them leaves the tool as installed
  const lib = join(home, 'lib');
  cpSync(payload, lib, { recursive: true });
  log('compiling PowerShell ReadyToRun (once)…');
  const readyToRun = await precompile(lib);
  if (!readyToRun.ok) log(`PowerShell runs as shipped (slower to start): ReadyToRun compilation failed: ${readyToRun.error}`);
  try {
    writeDirectLauncher(lib, exe);
  } catch (error) {
    return { ...status, error: error.message };
  }
  const probe = probePwsh(exe);
  if (!probe.ok) return { ...status, readyToRun, error: probe.error };
  return { ...status, ok: true, path: exe, version: probe.version, readyToRun };
}

// ---------------------------------------------------------------- Pester
/** Pester 5 already importable by that pwsh (from its PSModulePath): the folder that holds it. */
function existingPester(pwshPath) {
  const probe = run(pwshPath, [
    '-NoLogo', '-NoProfile', '-NonInteractive', '-Command',
    "$m = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version.Major -eq 5 } | Sort-Object Version -Descending | Select-Object -First 1; " +
      "if ($m) { Write-Output ('{0}|{1}' -f $m.Version, $m.ModuleBase) }",
  ]);
  const match = /^(5\.\d+\.\d+)\|(.+)$/m.exec(probe.output);
  if (!match) return undefined;
  // ModuleBase is <dir>/Pester or <dir>/Pester/<version>
  let base = match[2].trim();
  if (basename(base) !== 'Pester') base = dirname(base);
  return { ok: true, version: match[1], modulePath: dirname(base), via: 'already installed', attemptedAt: new Date().toISOString() };
}

function installPester(previous, pwsh) {
  if (pwsh.via === 'DAP_PWSH') {
    const found = existingPester(pwsh.path);
    if (found) return found;
  }
  const target = join(tools, 'modules', 'Pester');
  const manifest = join(target, 'Pester.psd1');
  if (!force && previous?.ok && existsSync(manifest) && previous.version === PESTER_VERSION) return previous;
  const packages = join(tools, 'nuget');
  const result = run('dotnet', [
    'restore', 'tools/pester/pester.csproj', '--packages', packages, `-p:PesterVersion=${PESTER_VERSION}`,
  ]);
  const source = join(packages, 'pester', PESTER_VERSION, 'tools');
  const ok = result.ok && existsSync(join(source, 'Pester.psd1'));
  if (ok) {
    rmSync(target, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true });
    cpSync(source, target, { recursive: true });
  }
  return {
    ok,
    version: PESTER_VERSION,
    modulePath: ok ? join(tools, 'modules') : undefined,
    command: result.command,
    error: ok ? undefined : tail(result.output) || 'the package has no tools/Pester.psd1',
    attemptedAt: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------- Chromium
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

function probeChromium(path) {
  const probe = run(path, ['--version']);
  const match = /Chromium\s+([\d.]+)/.exec(probe.output);
  return match ? { ok: true, version: match[1] } : { ok: false, error: tail(probe.output) || `exit ${probe.status}` };
}

/** apt-get as root, or through sudo without a password prompt; undefined when neither is possible. */
function aptGet() {
  if (process.platform !== 'linux' || !onPath('apt-get')) return undefined;
  if (process.getuid?.() === 0) return ['apt-get'];
  return onPath('sudo') ? ['sudo', '-n', 'apt-get'] : undefined;
}

/**
 * The browser the run page's test drives (through playwright-core). Once installed, a second setup
 * starts no process for it: the status and the file are enough.
 */
function ensureChromium(previous) {
  const named = process.env.DAP_CHROMIUM;
  if (named) {
    const probe = probeChromium(named);
    if (!probe.ok) throw new Error(`DAP_CHROMIUM names '${named}', which does not run as Chromium (its --version said: ${probe.error.split('\n')[0]})`);
    return { ok: true, path: named, version: probe.version, via: 'DAP_CHROMIUM', attemptedAt: new Date().toISOString() };
  }
  if (!force && previous?.ok && previous.via !== 'DAP_CHROMIUM' && existsSync(previous.path)) return previous;
  const status = { ok: false, path: DEBIAN_CHROMIUM, via: 'apt-get', attemptedAt: new Date().toISOString() };
  if (!existsSync(DEBIAN_CHROMIUM)) {
    const apt = aptGet();
    if (!apt) return { ...status, error: 'apt-get is not available as root (nor through sudo -n): install Chromium yourself and name it in DAP_CHROMIUM' };
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    const install = () => run(apt[0], [...apt.slice(1), 'install', '-y', '--no-install-recommends', 'chromium'], { env });
    log('installing chromium (apt-get, once)…');
    let result = install();
    // a fresh machine's package lists may be missing or stale
    if (!result.ok) {
      const update = run(apt[0], [...apt.slice(1), 'update'], { env });
      if (update.ok) result = install();
    }
    if (!result.ok || !existsSync(DEBIAN_CHROMIUM)) return { ...status, command: result.command, error: reason(result.output) || `no ${DEBIAN_CHROMIUM} after the install` };
  }
  const probe = probeChromium(DEBIAN_CHROMIUM);
  if (!probe.ok) return { ...status, error: probe.error };
  return { ...status, ok: true, version: probe.version };
}

// ---------------------------------------------------------------- TypeScript build
function buildTypeScript() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = run(process.execPath, [tsc, '-p', 'tsconfig.build.json']);
  if (!result.ok) throw new Error(`TypeScript build failed:\n${result.output}`);
}

/** The standalone scripts, built from the definitions into module/scripts/ (build output, not committed). */
function buildScripts() {
  const result = run(process.execPath, [join(root, 'bin', 'dap-gen.js'), '--scripts', join(root, 'module', 'scripts')]);
  if (!result.ok) throw new Error(`building the standalone scripts failed:\n${result.output}`);
}

async function main() {
  mkdirSync(tools, { recursive: true });
  const previous = readJson(statusFile) ?? {};
  const npm = ensureNpmPackages();
  log(`npm packages ${npm}`);

  const pwsh = await installPwsh(previous.pwsh);
  const status = { pwsh, pester: pwsh.ok ? installPester(previous.pester, pwsh) : { ok: false, error: 'no pwsh to run it' }, chromium: ensureChromium(previous.chromium) };
  writeFileSync(statusFile, `${JSON.stringify(status, null, 2)}\n`);
  if (!pwsh.ok) {
    throw new Error(
      `PowerShell ${PWSH_VERSION} could not be installed from the NuGet feed ('${pwsh.command}'):\n${pwsh.error}\n` +
        'The project needs it. Fix the feed, or name a PowerShell 7 you already have: DAP_PWSH=/path/to/pwsh npm test',
    );
  }
  log(`pwsh ${pwsh.version} (${pwsh.via}) at ${pwsh.path}`);
  if (!status.pester.ok) {
    throw new Error(
      `Pester ${PESTER_VERSION} could not be installed from the NuGet feed ('${status.pester.command}'):\n${status.pester.error}\n` +
        'The tests need it. Fix the feed, or give DAP_PWSH a PowerShell 7 that can already import Pester 5.',
    );
  }
  log(`Pester ${status.pester.version} in ${status.pester.modulePath}`);
  if (!status.chromium.ok) {
    throw new Error(
      `Chromium could not be installed${status.chromium.command ? ` ('${status.chromium.command}')` : ''}:\n${status.chromium.error}\n` +
        "The run page's browser test needs it. Install Debian's chromium package, or name a Chromium in DAP_CHROMIUM.",
    );
  }
  log(`Chromium ${status.chromium.version} (${status.chromium.via}) at ${status.chromium.path}`);

  buildTypeScript();
  buildScripts();
  log(`TypeScript and the standalone scripts built; done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`setup: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
