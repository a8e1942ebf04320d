#!/usr/bin/env node
// The README's main job: MailboxActivityReport over every tenant of the embedded simulator through
// real pwsh, then a look at what it wrote. Extra arguments go to `dap-report run`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultErrorsFileFor } from '../dist/common/errors-file-format.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve('ReportOutput.csv');
const args = process.argv.slice(2);
const run = spawnSync(process.execPath, [join(root, 'bin', 'dap-report.js'), 'run', '--simulate', '--out', out, ...args], { stdio: 'inherit' });
const code = run.status ?? 1;
if (existsSync(out) && (code === 0 || code === 1)) {
  const lines = readFileSync(out, 'utf8').split(/\r?\n/).filter(Boolean);
  process.stdout.write(`\nFirst rows of ${out}:\n${lines.slice(0, 6).join('\n')}\n`);
  const errors = defaultErrorsFileFor(out);
  if (existsSync(errors)) process.stdout.write(`\n${errors}:\n${readFileSync(errors, 'utf8')}`);
}
process.exit(code);
