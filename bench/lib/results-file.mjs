// bench/RESULTS.md as sections B1–B5, each with the run it came from. A run with `--only` measures
// some sections and keeps the others' text from the file as it was, with their runs in the header.

/** The sections of RESULTS.md, in file order. */
export const sectionIds = ['B1', 'B2', 'B3', 'B4', 'B5'];

export const sectionTitles = {
  B1: 'B1 makespan',
  B2: 'B2 overhead',
  B3: 'B3 merge',
  B4: 'B4 generator',
  B5: 'B5 scale',
};

/**
 * The sections a run measures, from its arguments: every section, or those of `--only B1,B2`
 * (also `--only=B1,B2`; case-insensitive; repeatable).
 * @param {string[]} argv the arguments after the script
 * @returns {string[]} section ids in file order
 */
export function selectedSections(argv) {
  const lists = [];
  argv.forEach((arg, i) => {
    if (arg === '--only') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new RangeError(`--only needs a list of sections, e.g. --only B1,B2 (one of ${sectionIds.join(', ')})`);
      lists.push(value);
    } else if (arg.startsWith('--only=')) lists.push(arg.slice('--only='.length));
  });
  if (!lists.length) return [...sectionIds];
  const wanted = new Set();
  for (const name of lists.flatMap((l) => l.split(',')).map((n) => n.trim()).filter(Boolean)) {
    const id = name.toUpperCase();
    if (!sectionIds.includes(id)) throw new RangeError(`unknown section '${name}' in --only: expected ${sectionIds.join(', ')}`);
    wanted.add(id);
  }
  if (!wanted.size) throw new RangeError(`--only needs at least one section: ${sectionIds.join(', ')}`);
  return sectionIds.filter((id) => wanted.has(id));
}

/** The text of each section (from its `## Bn` heading to the next `## ` heading), by id. */
export function splitSections(text) {
  const found = new Map();
  const parts = text.split(/^(?=## )/m);
  for (const part of parts) {
    const match = /^## (B\d)\b/.exec(part);
    if (match && sectionIds.includes(match[1])) found.set(match[1], part.trimEnd());
  }
  return found;
}

/**
 * The run each section of a previous RESULTS.md came from, by id: the header's `- Bn …: <run>`
 * lines, or, in a file written before sections had runs of their own, its one `Mode: …; run … UTC.`
 * line (with the pwsh of its Machine line) for every section.
 */
export function previousRuns(text) {
  const header = text.split(/^## /m)[0] ?? '';
  const runs = new Map();
  for (const line of header.split('\n')) {
    const match = /^- (B\d)\b[^:]*: (.+)$/.exec(line.trim());
    if (match && sectionIds.includes(match[1])) runs.set(match[1], match[2]);
  }
  if (runs.size) return runs;
  const legacy = /^Mode: (quick|full) \((`[^`]+`)\); run (.+?) UTC\./m.exec(header);
  if (legacy) {
    const pwsh = /; pwsh ([^;]+);/.exec(header)?.[1];
    const run = `${legacy[1]} (${legacy[2]}), ${legacy[3]} UTC${pwsh ? `; pwsh ${pwsh}` : ''}`;
    // such a file had the first four sections only
    for (const id of sectionIds.slice(0, 4)) runs.set(id, run);
  }
  return runs;
}

/**
 * Describes this run for the header: mode, command, start and pwsh.
 * @param {{ quick: boolean, only: string[] | undefined, started: Date, pwsh: string }} run
 */
export function describeRun({ quick, only, started, pwsh }) {
  const args = [quick ? '--quick' : '', only ? `--only ${only.join(',')}` : ''].filter(Boolean).join(' ');
  const command = `npm run bench${args ? ` -- ${args}` : ''}`;
  const when = started.toISOString().slice(0, 16).replace('T', ' ');
  return `${quick ? 'quick' : 'full'} (\`${command}\`), ${when} UTC; pwsh ${pwsh}`;
}

/**
 * The whole file: the header (with the run of every section) and the sections in order. Sections
 * of this run come from `measured` (its text, and a note on how that section's stretch of the run
 * went); the others keep their text and run from `previous` (the file as it was), or say they
 * were never run.
 * @param {{ intro: string[], measured: Map<string, { text: string, note?: string }>, run: string, previous: string }} input
 */
export function composeResults({ intro, measured, run, previous }) {
  const oldSections = splitSections(previous);
  const oldRuns = previousRuns(previous);
  const runs = [];
  const sections = [];
  for (const id of sectionIds) {
    if (measured.has(id)) {
      const { text, note } = measured.get(id);
      sections.push(text.trimEnd());
      runs.push(`- ${sectionTitles[id]}: ${run}${note ? `; ${note}` : ''}`);
    } else if (oldSections.has(id)) {
      sections.push(oldSections.get(id));
      runs.push(`- ${sectionTitles[id]}: ${oldRuns.get(id) ?? 'an earlier run (not recorded)'}`);
    } else {
      sections.push(`## ${sectionTitles[id]}\n\nNot run yet: \`npm run bench -- --only ${id}\` measures it.`);
      runs.push(`- ${sectionTitles[id]}: not run yet`);
    }
  }
  const header = [
    '# Benchmark results',
    '',
    'Each section comes from the run named here (`--only` measures some sections and keeps the others as they were):',
    '',
    ...runs,
    '',
    ...intro,
  ];
  return `${header.join('\n').trimEnd()}\n\n${sections.join('\n\n')}\n`;
}
