#!/usr/bin/env node
// Sets up everything the project needs, from nothing, and is quick when it is already done:
//   1. npm packages (npm ci when package-lock.json changed since the last install);
//   2. PowerShell 7.6 (the NuGet `PowerShell` dotnet tool, pinned) into .tools/pwsh/, with the
//      fallbacks the toolchain allows; Pester 5 (NuGet `Pester`) into .tools/modules/Pester;
//      the PowerShell engine host (System.Management.Automation) into .tools/ps-engine/.
//      A pwsh named in DAP_PWSH is used instead of installing one (with a Pester 5 it can
//      already import, if there is one);
//   3. the TypeScript build into dist/.
// Writes .tools/status.json, which the test runner and the tools read.
// Only npm, NuGet (through dotnet) and nothing else are contacted.
// Plain Node on purpose: it runs before any npm package is installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, '.tools');
const statusFile = join(tools, 'status.json');

export const PWSH_VERSION = '7.6.9';
/** Tried in order after the pinned version: other 7.6 builds, then 7.5/7.4 rolled forward to .NET 10. */
const PWSH_FALLBACK_VERSIONS = ['7.6.8', '7.6.5', '7.6.0'];
const PWSH_ROLL_FORWARD_VERSIONS = ['7.5.4', '7.4.13'];
export const PESTER_VERSION = '5.7.1';
/** A failed download is tried again after this long, so warm runs stay fast. */
const RETRY_FAILED_AFTER_MS = 60 * 60 * 1000;

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
  return { ok: true, pinned: PWSH_VERSION, path, version: probe.version, via: 'DAP_PWSH', attemptedAt: new Date().toISOString(), attempts: [] };
}

function installPwsh(previous) {
  if (process.env.DAP_PWSH) return userPwsh(process.env.DAP_PWSH);
  const dir = join(tools, 'pwsh');
  const exe = join(dir, 'pwsh');
  if (!force && previous?.ok && existsSync(exe) && previous.pinned === PWSH_VERSION) return previous;
  if (!force && previous && !previous.ok && previous.pinned === PWSH_VERSION &&
      Date.now() - Date.parse(previous.attemptedAt) < RETRY_FAILED_AFTER_MS) {
    return previous;
  }
  const attempts = [];
  const attempt = (via, version, fn) => {
    rmSync(dir, { recursive: true, force: true });
    const result = fn();
    const entry = { via, version, command: result.command, ok: result.ok, error: result.ok ? undefined : tail(result.output) };
    if (result.ok) {
      const probe = probePwsh(exe);
      entry.ok = probe.ok;
      entry.error = probe.error;
      if (probe.ok) entry.reportedVersion = probe.version;
    }
    attempts.push(entry);
    return entry.ok;
  };
  const toolInstall = (version, env) => () =>
    run('dotnet', ['tool', 'install', 'PowerShell', '--version', version, '--tool-path', dir], { env });
  const sdkHost = () =>
    run('dotnet', [
      'publish', 'tools/pwsh-host/pwsh-host.csproj', '-c', 'Release', '-o', dir,
      `-p:PwshVersion=${PWSH_VERSION}`, '--nologo',
    ]);

  const ok =
    attempt('dotnet tool (pinned)', PWSH_VERSION, toolInstall(PWSH_VERSION)) ||
    PWSH_FALLBACK_VERSIONS.some((v) => attempt('dotnet tool (other 7.6.x)', v, toolInstall(v))) ||
    PWSH_ROLL_FORWARD_VERSIONS.some((v) =>
      attempt('dotnet tool (DOTNET_ROLL_FORWARD=Major)', v, toolInstall(v, { DOTNET_ROLL_FORWARD: 'Major' })),
    ) ||
    attempt('Microsoft.PowerShell.SDK host', PWSH_VERSION, sdkHost);
  const good = attempts.find((a) => a.ok);
  if (!good) rmSync(dir, { recursive: true, force: true });
  return {
    ok,
    pinned: PWSH_VERSION,
    path: ok ? exe : undefined,
    version: good?.reportedVersion,
    via: good?.via,
    rollForward: good?.via.includes('ROLL_FORWARD') || undefined,
    attemptedAt: new Date().toISOString(),
    attempts,
  };
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
  if (!force && previous && !previous.ok && previous.version === PESTER_VERSION &&
      Date.now() - Date.parse(previous.attemptedAt) < RETRY_FAILED_AFTER_MS) {
    return previous;
  }
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

// ---------------------------------------------------------------- engine host
function installEngine(previous) {
  const dir = join(tools, 'ps-engine');
  const exe = join(dir, 'ps-engine');
  const inputs = hashFiles(join(root, 'tools/ps-engine/Program.cs'), join(root, 'tools/ps-engine/ps-engine.csproj'));
  if (!force && previous?.ok && previous.inputs === inputs && existsSync(exe)) return previous;
  const result = run('dotnet', ['publish', 'tools/ps-engine/ps-engine.csproj', '-c', 'Release', '-o', dir, '--nologo']);
  const probe = result.ok ? run(exe, ['-Command', '$PSVersionTable.PSVersion.ToString()']) : result;
  const ok = probe.ok && /^7\.\d+\.\d+$/m.test(probe.output);
  return {
    ok,
    inputs,
    path: ok ? exe : undefined,
    version: ok ? probe.output.trim() : undefined,
    command: result.command,
    error: ok ? undefined : tail(probe.output),
  };
}

// ---------------------------------------------------------------- TypeScript build
function buildTypeScript() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = run(process.execPath, [tsc, '-p', 'tsconfig.build.json']);
  if (!result.ok) throw new Error(`TypeScript build failed:\n${result.output}`);
}

function main() {
  mkdirSync(tools, { recursive: true });
  const previous = readJson(statusFile) ?? {};
  const npm = ensureNpmPackages();
  log(`npm packages ${npm}`);

  const pwsh = installPwsh(previous.pwsh);
  const status = { pwsh, pester: installPester(previous.pester, pwsh), engine: installEngine(previous.engine) };
  writeFileSync(statusFile, `${JSON.stringify(status, null, 2)}\n`);
  if (status.pwsh.ok) log(`pwsh ${status.pwsh.version} (${status.pwsh.via}) at ${status.pwsh.path}`);
  else {
    log(`pwsh UNAVAILABLE: no PowerShell ${PWSH_VERSION.replace(/\.\d+$/, '.x')} could be installed from the NuGet feed:`);
    for (const a of status.pwsh.attempts ?? []) log(`  ${a.via} ${a.version}: ${reason(a.error)}`);
  }
  log(status.pester.ok ? `Pester ${status.pester.version} in ${status.pester.modulePath}` : `Pester UNAVAILABLE: ${reason(status.pester.error)}`);
  log(status.engine.ok ? `PowerShell engine host ${status.engine.version} at ${status.engine.path}` : `engine host UNAVAILABLE: ${status.engine.error}`);

  buildTypeScript();
  log(`TypeScript built; done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (process.env.DAP_REQUIRE_PWSH === '1' && !(status.pwsh.ok && status.pester.ok)) {
    log('DAP_REQUIRE_PWSH=1 and pwsh or Pester is missing: failing');
    process.exit(1);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`setup: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
