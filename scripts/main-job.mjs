#!/usr/bin/env node
// The README's main job: MailboxActivityReport over every tenant of the embedded simulator through
// real pwsh, then a look at what it wrote. Extra arguments go to `dap-report run`.
// Where no pwsh could be installed, it says so and runs the Graph report MailboxUsageDetail
// instead, which needs only Node; pass your own --report/--backend to choose.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPwsh } from '../dist/common/pwsh-path.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve('ReportOutput.csv');
const args = process.argv.slice(2);
const chosen = args.some((a) => a === '--report' || a.startsWith('--report=') || a === '--backend' || a.startsWith('--backend='));
if (!chosen && !findPwsh()) {
  process.stderr.write(
    'main job: no pwsh is installed (see the setup lines above), so the Exchange report cannot run here;\n' +
      'main job: running the Graph report MailboxUsageDetail on the simulator instead (Node only).\n',
  );
  args.push('--backend', 'graph', '--report', 'MailboxUsageDetail');
}
const run = spawnSync(process.execPath, [join(root, 'bin', 'dap-report.js'), 'run', '--simulate', '--out', out, ...args], { stdio: 'inherit' });
const code = run.status ?? 1;
if (existsSync(out) && (code === 0 || code === 1)) {
  const lines = readFileSync(out, 'utf8').split(/\r?\n/).filter(Boolean);
  process.stdout.write(`\nFirst rows of ${out}:\n${lines.slice(0, 6).join('\n')}\n`);
  const errors = join(dirname(out), 'Errors.txt');
  if (existsSync(errors)) process.stdout.write(`\n${errors}:\n${readFileSync(errors, 'utf8')}`);
}
process.exit(code);
