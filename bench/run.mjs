#!/usr/bin/env node
// The benchmark harness: `npm run bench` (full) or `npm run bench -- --quick`; `--only B1,B2`
// measures only those sections and keeps the others' text in bench/RESULTS.md. Every comparison
// of a section is measured side by side in one run.
// B1, B2 and the PowerShell row of B3 need PowerShell 7: the pwsh DAP_PWSH names, else the one
// `npm run setup` installed into .tools/pwsh, else pwsh on PATH.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPwsh } from '../dist/common/pwsh-path.js';
import { describeDifferences, fingerprintFiles } from './lib/compare-csv.mjs';
import { selfTimes } from './lib/profiles.mjs';
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
  const lines = [
    '## B3 merge',
    '',
    `${parts} tenant parts exactly as the pwsh workers write them (Export-Csv: every field quoted, LF), 10% of them with an extra or a missing column, ` +
      'about 1% of user names with commas, quotes, line breaks, non-ASCII text or a leading =; every tool reads the same files and writes one CSV. ' +
      'dap-report\'s row is everything a run pays for its rows: the check of each part as its tenant finishes (what the spool does instead of rewriting the part), then the merge, ' +
      'which makes the output durable (fsync) before renaming it into place; the other tools do not fsync, so the floor is given both ways. ' +
      `Median of ${runs} runs (min–max; Miller, csvkit and PowerShell once each, being many times slower); wall and CPU time (user + system) and peak RSS from GNU time. ` +
      'Outputs compared with dap-report\'s: same number of rows, same set of columns (dap-report\'s CustomerName aside, empty here), same rows (order-independent fingerprint; empty and missing cells compare equal).',
    '',
    '| rows | tool | wall s | CPU s | peak RSS MB | vs dap-report | output check |',
    '|---:|---|---:|---:|---:|---:|---|',
  ];
  const verdicts = [];
  const splits = [];
  const profileNote = [];
  for (const rows of sizes) {
    const dir = join(work, `merge-${rows}`);
    rmSync(dir, { recursive: true, force: true });
    log(`B3: writing ${parts} parts with ${rows} rows`);
    const raw = await makeParts(join(dir, 'raw'), { parts, rows, seed: 7 });
    writeFileSync(join(dir, 'raw.json'), JSON.stringify(raw));
    const files = raw.map((p) => `'${p.path}'`).join(' ');
    const tools = [
      { name: 'dap-report (check every part, then merge)', id: 'dap', out: join(dir, 'dap.csv'), cmd: (out) => `node '${join(root, 'bench/lib/dap-merge.mjs')}' '${out}' '${join(dir, 'raw.json')}'` },
      { name: 'DuckDB 1.5 (read_csv union_by_name, COPY)', id: 'duckdb', out: join(dir, 'duckdb.csv'), cmd: (out) => `node '${join(root, 'bench/lib/duckdb-merge.mjs')}' '${out}' '${join(dir, 'raw.json')}'` },
      { name: 'Miller (mlr unsparsify)', id: 'mlr', slow: true, out: join(dir, 'mlr.csv'), cmd: (out) => `mlr --icsv --ocsv unsparsify ${files} > '${out}'` },
      { name: 'csvkit (csvstack)', id: 'csvstack', slow: true, out: join(dir, 'csvstack.csv'), cmd: (out) => `csvstack ${files} > '${out}'` },
      { name: 'cat (the I/O floor; no header handling)', id: 'cat', floor: true, out: join(dir, 'cat.csv'), cmd: (out) => `cat ${files} > '${out}'` },
      { name: 'cat, then fsync of its output', id: 'cat-sync', floor: true, out: join(dir, 'cat-sync.csv'), cmd: (out) => `cat ${files} > '${out}' && sync '${out}'` },
    ];
    if (pwsh) {
      tools.push({
        name: 'PowerShell (Import-Csv | Export-Csv)',
        id: 'pwsh',
        slow: true,
        out: join(dir, 'pwsh.csv'),
        cmd: (out) => `'${pwsh}' -NoLogo -NoProfile -NonInteractive -Command "Get-ChildItem -LiteralPath '${join(dir, 'raw')}' -Filter *.csv | Sort-Object Name | ForEach-Object { Import-Csv -LiteralPath \\$_.FullName } | Export-Csv -LiteralPath '${out}' -NoTypeInformation"`,
      });
    }
    const measured = [];
    for (const tool of tools) {
      const samples = [];
      // the tools that take many times dap-report's time run once: their place in the table does not depend on a median
      const toolRuns = tool.slow ? 1 : runs;
      for (let i = 0; i < toolRuns; i += 1) {
        log(`B3 ${rows}: ${tool.name} run ${i + 1}/${toolRuns}`);
        rmSync(tool.out, { force: true });
        samples.push(measure(tool.cmd(tool.out)));
      }
      measured.push({ tool, samples });
    }
    // every merged output fingerprinted, two at a time
    const compared = measured.filter(({ tool, samples }) => !tool.floor && samples.every((s) => s.ok));
    const prints = new Map((await fingerprintFiles(compared.map(({ tool }) => tool.out))).map((print, i) => [compared[i].tool.id, print]));
    // dap-report's CustomerName column is empty here (the parts come with no contract) and no other tool has it
    const dapPrint = prints.get('dap');
    const reference = dapPrint && { ...dapPrint, columns: dapPrint.columns.filter((c) => c !== 'CustomerName') };
    const at = (id) => measured.find((m) => m.tool.id === id);
    const wall = (id) => median(at(id).samples.map((s) => s.seconds));
    const dapWall = wall('dap');
    for (const { tool, samples } of measured) {
      const failed = samples.find((s) => !s.ok);
      let check = 'reference';
      if (failed) check = `FAILED: ${failed.stderr.split('\n').filter(Boolean).at(-1) ?? `exit ${failed.status ?? 'by signal'}`}`;
      else if (tool.floor) check = 'not a merge (headers repeated)';
      else if (!reference) check = 'not compared: dap-report failed';
      else if (tool.id !== 'dap') {
        const diff = describeDifferences(tool.name, reference, prints.get(tool.id));
        check = diff.length ? diff.join('; ') : 'same rows and columns';
      }
      const cell = (text) => text.replaceAll('|', '\\|');
      lines.push(
        `| ${rows.toLocaleString('en-US')} | ${cell(tool.name)} | ${spread(samples.map((s) => s.seconds))} | ${spread(samples.map((s) => s.cpuSeconds))} | ${spread(samples.map((s) => s.peakMb), 0)} | ` +
          `${(median(samples.map((s) => s.seconds)) / dapWall).toFixed(2)}× | ${cell(check)} |`,
      );
      rmSync(tool.out, { force: true });
    }
    const dap = at('dap').samples;
    const split = dap.map((s) => { try { return JSON.parse(s.stdout.trim().split('\n').at(-1)); } catch { return undefined; } }).filter(Boolean);
    const label = rows.toLocaleString('en-US');
    if (split.length) {
      splits.push(`${label} rows: checking the parts ${median(split.map((s) => s.checkSeconds)).toFixed(2)} s, merging ${median(split.map((s) => s.mergeSeconds)).toFixed(2)} s (of which making the output durable is part); ` +
        `CPU per tenant of ${(rows / parts).toLocaleString('en-US')} rows: ${((median(dap.map((s) => s.cpuSeconds)) * 1000) / parts).toFixed(1)} ms (the run's whole CPU for its rows, divided by the tenants)`);
    }
    if (rows === sizes.at(-1)) profileNote.push(...profileMerge(dir, join(dir, 'raw.json'), label));
    const peak = Math.max(...dap.map((s) => s.peakMb));
    verdicts.push(
      [`${label} rows: faster than DuckDB`, dapWall < wall('duckdb'), `${dapWall.toFixed(2)} s vs ${wall('duckdb').toFixed(2)} s`],
      [`${label} rows: peak RSS ≤ 150 MB`, peak <= 150, `${peak.toFixed(0)} MB`],
      [`${label} rows: within 8 × cat`, dapWall <= 8 * wall('cat'), `${(dapWall / wall('cat')).toFixed(1)} × cat, ${(dapWall / wall('cat-sync')).toFixed(1)} × cat with fsync`],
    );
    rmSync(dir, { recursive: true, force: true });
  }
  const missed = verdicts.filter(([, ok]) => !ok);
  lines.push(
    '',
    'dap-report\'s time, split (from the same runs):',
    '',
    ...splits.map((s) => `- ${s}`),
    '',
    ...profileNote,
    '',
    'Targets: at both sizes, dap-report end to end faster than DuckDB, at most 150 MB peak RSS, and within 8 × cat of the same parts.',
    '',
    `Result: ${missed.length ? 'not met: ' : 'met: '}${verdicts.map(([what, ok, value]) => `${what} ${ok ? 'yes' : 'NO'} (${value})`).join('; ')}.`,
  );
  return lines.join('\n');
}

/** One more dap-report run under --cpu-prof: where its wall time goes, by function's own time, waiting included. */
function profileMerge(dir, list, label) {
  const profDir = join(dir, 'profile');
  mkdirSync(profDir, { recursive: true });
  log(`B3 ${label}: dap-report once more, profiled`);
  const run = measure(`node --cpu-prof --cpu-prof-dir='${profDir}' '${join(root, 'bench/lib/dap-merge.mjs')}' '${join(dir, 'profiled.csv')}' '${list}'`);
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!run.ok || !file) return [`(the profiled run failed: ${run.stderr.split('\n').filter(Boolean).at(-1) ?? 'no profile'})`];
  const top = selfTimes(JSON.parse(readFileSync(join(profDir, file), 'utf8')), 8);
  return [
    `Where dap-report's time goes at ${label} rows (one more run under \`--cpu-prof\`, ${run.seconds.toFixed(2)} s wall; each function's own time, (idle) being the wait for the disk, reads, writes and the fsync):`,
    '',
    '| ms | function |',
    '|---:|---|',
    ...top.map((t) => `| ${t.ms.toFixed(0)} | ${t.name.replaceAll('|', '\\|')} |`),
  ];
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
