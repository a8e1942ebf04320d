#!/usr/bin/env node
// The benchmark harness: `npm run bench` (full) or `npm run bench -- --quick`; `--only B1,B2`
// measures only those sections and keeps the others' text in bench/RESULTS.md. Every comparison
// of a section is measured side by side in one run.
// B1, B2 and the PowerShell row of B3 need PowerShell 7: the pwsh DAP_PWSH names, else the one
// `npm run setup` installed into .tools/pwsh, else pwsh on PATH.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPwsh } from '../dist/common/pwsh-path.js';
import { describeDifferences, fingerprintCsv } from './lib/compare-csv.mjs';
import { benchSizes } from './lib/bench-scenarios.mjs';
import { cpuSnapshot, describeOtherLoad } from './lib/machine-load.mjs';
import { benchMakespan } from './lib/makespan.mjs';
import { makeParts } from './lib/make-parts.mjs';
import { benchOverhead } from './lib/overhead.mjs';
import { benchScale } from './lib/scale.mjs';
import { measure, median, spread } from './lib/measure.mjs';
import { composeResults, describeRun, sectionTitles, selectedSections, splitSections } from './lib/results-file.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = join(root, 'bench', 'RESULTS.md');
const log = (line) => process.stderr.write(`bench: ${line}\n`);
const argv = process.argv.slice(2);

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

const unknown = argv.filter((arg, i) => arg.startsWith('--') && arg !== '--quick' && arg !== '--only' && !arg.startsWith('--only=') && argv[i - 1] !== '--only');
if (unknown.length) fail(`unknown option ${unknown[0]}: expected --quick and --only B1,B2,B3,B4,B5`);
const quick = argv.includes('--quick');
let selected;
try {
  selected = selectedSections(argv);
} catch (error) {
  fail(error.message);
}
const only = argv.some((arg) => arg === '--only' || arg.startsWith('--only=')) ? selected : undefined;
// quick mode measures each contender once: a smoke run of every section in a few minutes
const runs = quick ? 1 : 3;
const work = join(root, 'bench', '.work');

/** The full pwsh and its version, or undefined when there is none; a DAP_PWSH that does not run is an error. */
function pwshToUse() {
  let found;
  try {
    found = findPwsh();
  } catch (error) {
    fail(error.message);
  }
  if (!found) return undefined;
  try {
    const version = execFileSync(found.path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], {
      encoding: 'utf8',
      timeout: 120_000,
    }).trim();
    if (!/^7\.\d+\.\d+/.test(version)) fail(`${found.source} names '${found.path}', which answers version '${version}', not PowerShell 7`);
    return { path: found.path, source: found.source, version };
  } catch (error) {
    if (found.source === 'DAP_PWSH') fail(`DAP_PWSH names '${found.path}', which does not run: ${error.message}`);
    log(`${found.path} (${found.source}) does not run, so nothing that needs pwsh runs: ${error.message}`);
    return undefined;
  }
}

const pwshFound = pwshToUse();
const pwsh = pwshFound?.path;

function versionOf(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0];
  } catch {
    return 'not available';
  }
}

// ------------------------------------------------------------------ B3 merge
async function benchMerge() {
  const sizes = quick ? [200_000, 400_000] : [2_000_000, 4_000_000];
  const parts = 200;
  const normalizeNotes = [];
  const lines = [
    '## B3 merge',
    '',
    `${parts} tenant parts, 10% of them with an extra or a missing column, about 1% of user names with commas, quotes, newlines, non-ASCII text or a leading =. ` +
      `Median of ${runs} runs, (min–max). Peak RSS from GNU time. Outputs compared with dap-report's: same number of rows, same set of columns, same rows (order-independent fingerprint; empty and missing cells compare equal).`,
    '',
    '| rows | tool | wall s | peak RSS MB | rows/s | vs Miller | output check |',
    '|---:|---|---:|---:|---:|---:|---|',
  ];
  for (const rows of sizes) {
    const dir = join(work, `merge-${rows}`);
    rmSync(dir, { recursive: true, force: true });
    log(`B3: writing ${parts} parts with ${rows} rows`);
    const raw = await makeParts(join(dir, 'raw'), { parts, rows, seed: 7 });
    writeFileSync(join(dir, 'raw.json'), JSON.stringify(raw));
    // what the spool does as each tenant finishes (overlapped with other tenants' network time in a
    // real run): measured once, reported beside the merge, not inside it
    const normalize = measure(`node '${join(root, 'bench/lib/dap-normalize.mjs')}' '${join(dir, 'raw.json')}' '${join(dir, 'parts')}' '${join(dir, 'parts.json')}'`);
    if (!normalize.ok) throw new Error(`normalising parts failed: ${normalize.stderr}`);
    normalizeNotes.push(`${rows.toLocaleString('en-US')} rows: ${normalize.seconds.toFixed(2)} s in all (${((normalize.seconds * 1000) / parts).toFixed(1)} ms per tenant), peak RSS ${normalize.peakMb.toFixed(0)} MB`);
    const files = JSON.parse(readFileSync(join(dir, 'parts.json'), 'utf8')).map((p) => p.path);
    const list = files.map((f) => `'${f}'`).join(' ');
    const tools = [
      { name: 'dap-report merge', out: join(dir, 'dap.csv'), cmd: (out) => `node '${join(root, 'bench/lib/dap-merge.mjs')}' '${out}' '${join(dir, 'parts.json')}'` },
      { name: 'Miller (mlr unsparsify)', out: join(dir, 'mlr.csv'), cmd: (out) => `mlr --icsv --ocsv unsparsify ${list} > '${out}'` },
      { name: 'csvkit (csvstack)', out: join(dir, 'csvstack.csv'), cmd: (out) => `csvstack ${list} > '${out}'` },
    ];
    if (pwsh) {
      tools.push({
        name: 'PowerShell (Import-Csv | Export-Csv)',
        out: join(dir, 'pwsh.csv'),
        cmd: (out) => `'${pwsh}' -NoLogo -NoProfile -NonInteractive -Command "Get-ChildItem -LiteralPath '${join(dir, 'parts')}' -Filter *.csv | Sort-Object Name | ForEach-Object { Import-Csv -LiteralPath \\$_.FullName } | Export-Csv -LiteralPath '${out}' -NoTypeInformation"`,
      });
    }
    const measured = [];
    for (const tool of tools) {
      const samples = [];
      for (let i = 0; i < runs; i += 1) {
        log(`B3 ${rows}: ${tool.name} run ${i + 1}/${runs}`);
        samples.push(measure(tool.cmd(tool.out)));
      }
      measured.push({ tool, samples });
    }
    const reference = await fingerprintCsv(tools[0].out);
    const mlrSeconds = median(measured[1].samples.map((s) => s.seconds));
    for (const { tool, samples } of measured) {
      const failed = samples.find((s) => !s.ok);
      let check = 'reference';
      if (failed) check = `FAILED: ${failed.stderr.split('\n').filter(Boolean).at(-1) ?? `exit ${failed.status ?? 'by signal'}`}`;
      else if (tool !== tools[0]) {
        const diff = describeDifferences(tool.name, reference, await fingerprintCsv(tool.out));
        check = diff.length ? diff.join('; ') : 'same rows and columns';
      }
      const seconds = samples.map((s) => s.seconds);
      const cell = (text) => text.replaceAll('|', '\\|');
      lines.push(
        `| ${rows.toLocaleString('en-US')} | ${cell(tool.name)} | ${spread(seconds)} | ${spread(samples.map((s) => s.peakMb), 0)} | ` +
          `${Math.round(rows / median(seconds)).toLocaleString('en-US')} | ${(mlrSeconds / median(seconds)).toFixed(2)}× | ${cell(check)} |`,
      );
    }
    if (!pwsh) lines.push(`| ${rows.toLocaleString('en-US')} | PowerShell (Import-Csv \\| Export-Csv) | not run: no pwsh | | | | |`);
    rmSync(dir, { recursive: true, force: true });
  }
  lines.push(
    '',
    'All tools read the same part files: the parts as dap-report spools them. A worker writes its rows the way Export-Csv does (every field quoted, LF); ' +
      'when a tenant finishes, the spool checks that file and rewrites it in the output\'s own dialect (TenantId, TenantDomain first, CRLF, quotes only where needed), ' +
      'so the merge can copy each part\'s rows as bytes, widening them with empty fields when the part has fewer columns, and re-encodes only parts whose columns are in another order. ' +
      'That per-tenant step, measured on its own over all parts:',
    '',
    ...normalizeNotes.map((n) => `- ${n}`),
    '',
    'Targets: dap-report faster than Miller; peak RSS ≤ 150 MB at both sizes.',
  );
  return lines.join('\n');
}

// ------------------------------------------------------------------ B4 generator
async function benchGenerator() {
  const out = join(work, 'gen-out');
  const lines = ['## B4 generator', '', `Cold \`node bin/dap-gen.js\` (a new Node process each run), median of ${runs} runs (min–max).`, '', '| definitions | wall s | peak RSS MB |', '|---|---:|---:|'];
  const cases = [{ name: 'built-in catalog', args: '' }];
  const extra = join(work, 'gen-defs');
  const { writeDefinitions } = await import('./lib/make-definitions.mjs');
  writeDefinitions(extra, 100);
  cases.push({ name: 'built-in catalog + 100 generated definitions', args: `--reports '${extra}/*.ts'` });
  for (const c of cases) {
    const samples = [];
    for (let i = 0; i < runs; i += 1) {
      rmSync(out, { recursive: true, force: true });
      const m = measure(`node '${join(root, 'bin/dap-gen.js')}' --out '${out}' ${c.args}`);
      if (!m.ok) throw new Error(`dap-gen failed: ${m.stderr}`);
      samples.push(m);
    }
    lines.push(`| ${c.name} | ${spread(samples.map((s) => s.seconds))} | ${spread(samples.map((s) => s.peakMb), 0)} |`);
  }
  rmSync(out, { recursive: true, force: true });
  rmSync(extra, { recursive: true, force: true });
  return lines.join('\n');
}

// ------------------------------------------------------------------ B1, B2
/** A pwsh section (B1 makespan, B2 overhead) at this mode's size, in its own scratch folder. */
const pwshSection = (bench, size) => async () =>
  (await bench({ tenants: benchSizes[quick ? 'quick' : 'full'][size], runs, dir: join(work, size), pwsh, log })).section;

/** dotnet-trace, which bench/setup.sh installs for B5's profile of the pwsh host. */
const dotnetTrace = join(root, '.tools', 'bench', 'dotnet-trace');

const needsPwsh = {
  B5: '2,000 tenants, 3 accounts, zero latency: wall time, tenants per second, peak memory of the whole process tree, pwsh processes, and a CPU profile of Node and of the pwsh host.',
  B1: '120 tenants, session open 300 ms + report 200 ms (±20% jitter): the sequential baseline, the generated script, Export-DapAggregateReport, dap-report with one and with three accounts, against the ideal ceil(N / (3 × accounts)) × 0.5 s.',
  B2: 'Zero simulated latency, 500 tenants: tenants per second and milliseconds of overhead per tenant.',
};

const benches = {
  B1: pwshSection(benchMakespan, 'makespan'),
  B2: pwshSection(benchOverhead, 'overhead'),
  B3: benchMerge,
  B4: benchGenerator,
  B5: async () =>
    (await benchScale({ tenants: benchSizes[quick ? 'quick' : 'full'].scale, runs, dir: join(work, 'scale'), pwsh, log, ...(existsSync(dotnetTrace) ? { dotnetTrace } : {}) })).section,
};

function notRunText(id) {
  return (
    `## ${sectionTitles[id]}\n\n${needsPwsh[id]}\n\nNot run: these need PowerShell 7 (pwsh), and there was none: ` +
    'name one in DAP_PWSH, or let `npm run setup` install it (.tools/status.json lists its attempts).'
  );
}

async function main() {
  const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
  const kept = splitSections(previous);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const started = new Date();
  const where = { DAP_PWSH: 'named in DAP_PWSH', '.tools/pwsh': 'installed by npm run setup', PATH: 'on PATH' };
  const run = describeRun({ quick, only, started, pwsh: pwshFound ? `${pwshFound.version} (${where[pwshFound.source] ?? pwshFound.source})` : 'not available' });
  const intro = [
    `Machine of the latest run: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; ` +
      `${pwshFound ? `PowerShell ${pwshFound.version}` : 'no pwsh'}; ${versionOf('mlr', ['--version'])}; csvkit ${versionOf('csvstack', ['--version'])}.`,
    '',
    'Reproduce: `npm run bench` runs every section (or `npm run bench -- --quick`, smaller sizes, one run of each contender, under 5 minutes; ' +
      '`npm run bench -- --only B1,B2` runs only those sections). B1, B2 and the PowerShell row of B3 need PowerShell 7: ' +
      'the pwsh named in DAP_PWSH, else the one `npm run setup` installs, else pwsh on PATH. ' +
      'The bench installs its comparison tools (Debian packages miller, csvkit, time) in its own setup step, bench/setup.sh. ' +
      '"Other load" is the CPU time the rest of the machine used while a section ran (from /proc/stat, less the bench and its children): ' +
      'a section that overlapped other work ran slower than it would on an idle machine, the contenders that start the most processes most of all.',
  ];
  const measured = new Map();
  const write = () => writeFileSync(resultsFile, composeResults({ intro, measured, run, previous }));
  for (const id of selected) {
    if (needsPwsh[id] && !pwsh) {
      if (kept.has(id)) log(`${id}: no pwsh, so the section keeps its text from the earlier run`);
      else measured.set(id, { text: notRunText(id) });
      continue;
    }
    log(`${sectionTitles[id]}: starting`);
    const before = cpuSnapshot();
    const t0 = Date.now();
    const text = await benches[id]();
    const load = describeOtherLoad(before, cpuSnapshot());
    const minutes = (Date.now() - t0) / 60_000;
    measured.set(id, { text, note: `${minutes.toFixed(1)} min${load ? `; ${load}` : ''}` });
    // written after every section, so an interrupted run keeps what it measured
    write();
  }
  write();
  rmSync(work, { recursive: true, force: true });
  log('wrote bench/RESULTS.md');
}

await main();
