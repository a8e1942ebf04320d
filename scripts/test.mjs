#!/usr/bin/env node
// Runs every test: type-check, lint, vitest, then Pester over test/pester/ with the project's pwsh.
// Prints one summary line per runner and a final "N passed, N failed, N skipped" line; exits
// non-zero when anything failed. Run through `npm test`, which runs scripts/setup.mjs first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vitestCounts } from './test-counts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, '.tools');
const results = join(tools, 'results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const status = JSON.parse(readFileSync(join(tools, 'status.json'), 'utf8'));

const run = (command, args, env = {}) =>
  spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

const summary = [];
let failed = 0;

// 1. type-check everything, tests included
const tsc = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
summary.push(`typecheck: ${tsc === 0 ? 'ok' : 'FAILED'}`);
if (tsc !== 0) failed += 1;

// 2. lint (biome.jsonc): TypeScript and JavaScript
const lint = run(process.execPath, [join(root, 'node_modules/@biomejs/biome/bin/biome'), 'lint', '--error-on-warnings']);
summary.push(`lint: ${lint === 0 ? 'ok' : 'FAILED'}`);
if (lint !== 0) failed += 1;

// 3. vitest
const vitestJson = join(results, 'vitest.json');
const vitestCode = run(process.execPath, [
  join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`,
]);
const totals = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(vitestJson)) {
  const v = vitestCounts(JSON.parse(readFileSync(vitestJson, 'utf8')));
  summary.push(`vitest: ${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped`);
  for (const key of Object.keys(totals)) totals[key] += v[key];
} else {
  summary.push('vitest: FAILED before writing results');
  totals.failed += 1;
}
if (vitestCode !== 0 && totals.failed === 0) totals.failed += 1;

// 4. Pester, with the project's pwsh (setup fails without it)
const pesterJson = join(results, 'pester.json');
const script = [
  '$ErrorActionPreference = "Stop"',
  'Import-Module Pester -MinimumVersion 5.0',
  '$c = New-PesterConfiguration',
  '$c.Run.Path = "test/pester"',
  '$c.Run.PassThru = $true',
  '$c.Output.Verbosity = "Detailed"',
  '$r = Invoke-Pester -Configuration $c',
  // blocks and containers that failed outside a test are counted like vitest's files above
  `@{ passed = $r.PassedCount; failed = $r.FailedCount + $r.FailedBlocksCount + $r.FailedContainersCount; skipped = $r.SkippedCount + $r.NotRunCount } | ConvertTo-Json | Set-Content -LiteralPath $env:DAP_PESTER_RESULT`,
  'if ($r.Result -ne "Passed") { exit 1 }',
].join('\n');
const pesterCode = run(status.pwsh.path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script], {
  PSModulePath: [status.pester.modulePath, process.env.PSModulePath].filter(Boolean).join(delimiter),
  DAP_PESTER_RESULT: pesterJson,
});
if (existsSync(pesterJson)) {
  const p = JSON.parse(readFileSync(pesterJson, 'utf8'));
  summary.push(`pester: ${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped`);
  for (const key of Object.keys(totals)) totals[key] += p[key];
  if (pesterCode !== 0 && p.failed === 0) totals.failed += 1;
} else {
  summary.push(`pester: FAILED (exit ${pesterCode}) before writing results`);
  totals.failed += 1;
}

process.stdout.write(`\n${summary.join('\n')}\n`);
if (failed) totals.failed += failed;
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(totals.failed > 0 ? 1 : 0);
