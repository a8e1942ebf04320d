#!/usr/bin/env node
// Runs every test: type-check, lint, vitest, and Pester over test/pester/ with the project's pwsh.
// The type-check, lint and Pester run alongside vitest (separate processes; much of the time of
// Pester and of the slow vitest files is spent waiting on pwsh and the simulator): their output is
// kept and printed after vitest's (the type-check's and lint's only when they fail).
// Prints one summary line per runner and a final "N passed, N failed, N skipped" line; exits
// non-zero when anything failed. Run through `npm test`, which runs scripts/setup.mjs first.
//
// --fast: the development loop (`npm run test:fast`): type-check, lint and vitest's fast lane
// (vitest.config.ts: no pwsh, no soak), no Pester, no setup.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vitestCounts, vitestFailures } from './test-counts.mjs';

const fast = process.argv.includes('--fast');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, '.tools');
const results = join(tools, fast ? 'results-fast' : 'results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const started = Date.now();

/** Runs a command to its end; `quiet` keeps its output (both streams, in order) instead of showing it. */
const run = (command, args, { env = {}, quiet = false } = {}) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...env } });
    let output = '';
    if (quiet) for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });

const summary = [];
/** What failed, by name: printed last, under the counts. */
const failures = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

// Pester, with the project's pwsh (setup fails without it); started first, waited for last
const pesterJson = join(results, 'pester.json');
const pester = fast ? undefined : startPester();

// 1. type-check everything, tests included, and 2. lint (biome.jsonc): alongside vitest, their
// output shown after its
// (incremental: a second run checks again only what changed since the first)
const tsc = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', join(tools, 'typecheck.tsbuildinfo')], { quiet: true });
const lint = run(process.execPath, [join(root, 'node_modules/@biomejs/biome/bin/biome'), 'lint', '--error-on-warnings'], { quiet: true });

// 3. vitest: both lanes, or the fast one
const vitestJson = join(results, 'vitest.json');
const vitest = await run(process.execPath, [
  join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...(fast ? ['--project', 'fast'] : []), '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`,
]);
const label = fast ? 'vitest (fast lane)' : 'vitest';
if (existsSync(vitestJson)) {
  const v = vitestCounts(JSON.parse(readFileSync(vitestJson, 'utf8')));
  summary.push(`${label}: ${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped`);
  for (const key of Object.keys(totals)) totals[key] += v[key];
  if (vitest.code !== 0 && v.failed === 0) totals.failed += 1;
  failures.push(...vitestFailures(JSON.parse(readFileSync(vitestJson, 'utf8')), root).map((line) => `vitest: ${line}`));
} else {
  summary.push(`${label}: FAILED before writing results`);
  totals.failed += 1;
}

for (const [index, [name, step]] of [['typecheck', tsc], ['lint', lint]].entries()) {
  const { code, output } = await step;
  if (code !== 0) process.stdout.write(`\n---- ${name} ----\n${output}`);
  summary.splice(index, 0, `${name}: ${code === 0 ? 'ok' : 'FAILED'}`);
  if (code !== 0) totals.failed += 1;
}

// 4. Pester's output and counts
if (pester) {
  const { code, output } = await pester;
  process.stdout.write(`\n---- Pester (test/pester, run alongside the above) ----\n${output}`);
  if (existsSync(pesterJson)) {
    const p = JSON.parse(readFileSync(pesterJson, 'utf8'));
    summary.push(`pester: ${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped`);
    for (const key of Object.keys(totals)) totals[key] += p[key];
    if (code !== 0 && p.failed === 0) totals.failed += 1;
    failures.push(...[p.names ?? []].flat().map((name) => `pester: ${name}`));
  } else {
    summary.push(`pester: FAILED (exit ${code}) before writing results`);
    totals.failed += 1;
  }
}

summary.push(`time: ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.stdout.write(`\n${summary.join('\n')}\n`);
for (const line of failures) process.stdout.write(`failed: ${line}\n`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(totals.failed > 0 ? 1 : 0);

function startPester() {
  const status = JSON.parse(readFileSync(join(tools, 'status.json'), 'utf8'));
  const script = [
    '$ErrorActionPreference = "Stop"',
    'Import-Module Pester -MinimumVersion 5.0',
    '$c = New-PesterConfiguration',
    '$c.Run.Path = "test/pester"',
    '$c.Run.PassThru = $true',
    '$c.Output.Verbosity = "Detailed"',
    '$r = Invoke-Pester -Configuration $c',
    // blocks and containers that failed outside a test are counted like vitest's files above
    `@{ passed = $r.PassedCount; failed = $r.FailedCount + $r.FailedBlocksCount + $r.FailedContainersCount; skipped = $r.SkippedCount + $r.NotRunCount; names = @($r.Failed | ForEach-Object { $_.ExpandedPath }) + @($r.FailedBlocks | ForEach-Object { $_.ExpandedPath }) + @($r.FailedContainers | ForEach-Object { [string]$_.Item }) } | ConvertTo-Json | Set-Content -LiteralPath $env:DAP_PESTER_RESULT`,
    'if ($r.Result -ne "Passed") { exit 1 }',
  ].join('\n');
  return run(status.pwsh.path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script], {
    quiet: true,
    env: {
      PSModulePath: [status.pester.modulePath, process.env.PSModulePath].filter(Boolean).join(delimiter),
      DAP_PESTER_RESULT: pesterJson,
      // its output is kept, not shown on a terminal: no colour escapes in it
      NO_COLOR: '1',
    },
  });
}
