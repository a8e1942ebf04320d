/**
 * bench/RESULTS.md as sections with runs of their own: which sections a run measures (`--only`),
 * how the sections it skips keep their text and their run, and how busy the rest of the machine was.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuSnapshot, describeOtherLoad, otherCores } from '../../bench/lib/machine-load.mjs';
import { composeResults, describeRun, previousRuns, selectedSections, splitSections } from '../../bench/lib/results-file.mjs';

describe('--only', () => {
  it.each([
    [[], ['B1', 'B2', 'B3', 'B4', 'B5']],
    [['--quick'], ['B1', 'B2', 'B3', 'B4', 'B5']],
    [['--only', 'B1,B2'], ['B1', 'B2']],
    [['--quick', '--only', 'b2'], ['B2']],
    [['--only=B3'], ['B3']],
    [['--only', 'B4,B1'], ['B1', 'B4']],
    [['--only', 'B2', '--only', 'B1,B2'], ['B1', 'B2']],
    [['--only', ' B3 , B4 '], ['B3', 'B4']],
  ])('%j measures %j', (argv, sections) => {
    expect(selectedSections(argv)).toEqual(sections);
  });

  it.each([
    [['--only', 'B9'], /unknown section 'B9'/],
    [['--only', 'B1,merge'], /unknown section 'merge'/],
    [['--only'], /--only needs a list/],
    [['--only', '--quick'], /--only needs a list/],
    [['--only='], /at least one section/],
  ])('%j is refused', (argv, message) => {
    expect(() => selectedSections(argv)).toThrow(message);
  });
});

// a file as the harness wrote it before sections had runs of their own
const legacy = [
  '# Benchmark results',
  '',
  'Mode: full (`npm run bench`); run 2026-11-23 17:04 UTC.',
  '',
  'Machine: 2 cores (x), 23.5 GiB; Node v20.20.2; pwsh not available; mlr 6.6.0; csvkit csvstack 1.0.7.',
  '',
  'Reproduce: `npm run bench`.',
  '',
  '## B1 makespan',
  '',
  'Not run: no pwsh.',
  '',
  '## B2 overhead',
  '',
  'Not run: no pwsh.',
  '',
  '## B3 merge',
  '',
  '| rows | tool |',
  '|---:|---|',
  '| 2,000,000 | dap-report merge |',
  '',
  '- 2,000,000 rows: 61.81 s in all',
  '',
  '## B4 generator',
  '',
  '| definitions | wall s |',
  '| built-in catalog | 0.80 (0.80–0.87) |',
  '',
].join('\n');

const run = (only: string[] | undefined, at: string, pwsh = '7.6.9 (DAP_PWSH)') =>
  describeRun({ quick: false, only, started: new Date(at), pwsh });

describe('the file', () => {
  it('splits into its sections by their headings', () => {
    const sections = splitSections(legacy);
    expect([...sections.keys()]).toEqual(['B1', 'B2', 'B3', 'B4']);
    expect(sections.get('B3')).toBe(
      '## B3 merge\n\n| rows | tool |\n|---:|---|\n| 2,000,000 | dap-report merge |\n\n- 2,000,000 rows: 61.81 s in all',
    );
    expect(sections.get('B4')!.endsWith('| built-in catalog | 0.80 (0.80–0.87) |')).toBe(true);
  });

  it('reads the one run of a file written before sections had their own', () => {
    expect(Object.fromEntries(previousRuns(legacy))).toEqual({
      B1: 'full (`npm run bench`), 2026-11-23 17:04 UTC; pwsh not available',
      B2: 'full (`npm run bench`), 2026-11-23 17:04 UTC; pwsh not available',
      B3: 'full (`npm run bench`), 2026-11-23 17:04 UTC; pwsh not available',
      B4: 'full (`npm run bench`), 2026-11-23 17:04 UTC; pwsh not available',
    });
  });

  it('names the command of a run, with its flags', () => {
    expect(run(undefined, '2026-11-24T09:05:30Z')).toBe('full (`npm run bench`), 2026-11-24 09:05 UTC; pwsh 7.6.9 (DAP_PWSH)');
    expect(describeRun({ quick: true, only: ['B1', 'B2'], started: new Date('2026-11-24T09:05:00Z'), pwsh: 'not available' })).toBe(
      'quick (`npm run bench -- --quick --only B1,B2`), 2026-11-24 09:05 UTC; pwsh not available',
    );
  });

  it('--only B1,B2: new B1 and B2, B3 and B4 as they were, every section with its run in the header', () => {
    const text = composeResults({
      intro: ['Machine: now.'],
      measured: new Map([
        ['B1', { text: '## B1 makespan\n\nnew B1 table\n', note: '9.5 min; overlapped other work: other processes kept 0.3 of 2 cores busy on average' }],
        ['B2', { text: '## B2 overhead\n\nnew B2 table' }],
      ]),
      run: run(['B1', 'B2'], '2026-11-24T09:05:00Z'),
      previous: legacy,
    });
    const sections = splitSections(text);
    expect(sections.get('B1')).toBe('## B1 makespan\n\nnew B1 table');
    expect(sections.get('B2')).toBe('## B2 overhead\n\nnew B2 table');
    expect(sections.get('B3')).toBe(splitSections(legacy).get('B3'));
    expect(sections.get('B4')).toBe(splitSections(legacy).get('B4'));
    expect(text).toContain(
      '- B1 makespan: full (`npm run bench -- --only B1,B2`), 2026-11-24 09:05 UTC; pwsh 7.6.9 (DAP_PWSH); 9.5 min; overlapped other work: other processes kept 0.3 of 2 cores busy on average\n' +
        '- B2 overhead: full (`npm run bench -- --only B1,B2`), 2026-11-24 09:05 UTC; pwsh 7.6.9 (DAP_PWSH)\n' +
        '- B3 merge: full (`npm run bench`), 2026-11-23 17:04 UTC; pwsh not available\n' +
        '- B4 generator: full (`npm run bench`), 2026-11-23 17:04 UTC; pwsh not available\n' +
        '- B5 scale: not run yet\n',
    );
    expect(text).toContain('\nMachine: now.\n');
    expect(text).not.toContain('Mode: full');
    expect(text.match(/^## /gm)).toHaveLength(5);
    expect(text.endsWith('0.87) |\n\n## B5 scale\n\nNot run yet: `npm run bench -- --only B5` measures it.\n')).toBe(true);
  });

  it('a later --only B3 keeps B1 and B2 with the run they came from', () => {
    const first = composeResults({
      intro: ['Machine: first.'],
      measured: new Map([['B1', { text: '## B1 makespan\n\nB1 of the first run' }], ['B2', { text: '## B2 overhead\n\nB2 of the first run' }]]),
      run: run(['B1', 'B2'], '2026-11-24T09:05:00Z'),
      previous: legacy,
    });
    const second = composeResults({
      intro: ['Machine: second.'],
      measured: new Map([['B3', { text: '## B3 merge\n\nB3 of the second run', note: '20.0 min' }]]),
      run: run(['B3'], '2026-11-24T11:00:00Z'),
      previous: first,
    });
    expect(Object.fromEntries(previousRuns(second))).toEqual({
      B1: 'full (`npm run bench -- --only B1,B2`), 2026-11-24 09:05 UTC; pwsh 7.6.9 (DAP_PWSH)',
      B2: 'full (`npm run bench -- --only B1,B2`), 2026-11-24 09:05 UTC; pwsh 7.6.9 (DAP_PWSH)',
      B3: 'full (`npm run bench -- --only B3`), 2026-11-24 11:00 UTC; pwsh 7.6.9 (DAP_PWSH); 20.0 min',
      B4: 'full (`npm run bench`), 2026-11-23 17:04 UTC; pwsh not available',
      B5: 'not run yet',
    });
    const sections = splitSections(second);
    expect(sections.get('B1')).toBe('## B1 makespan\n\nB1 of the first run');
    expect(sections.get('B3')).toBe('## B3 merge\n\nB3 of the second run');
    expect(second).toContain('Machine: second.');
    expect(second).not.toContain('Machine: first.');
  });

  it('a run of every section replaces every section', () => {
    const measured = new Map(['B1', 'B2', 'B3', 'B4', 'B5'].map((id) => [id, { text: `## ${id} x\n\nnew ${id}` }]));
    const text = composeResults({ intro: [], measured, run: run(undefined, '2026-11-24T12:00:00Z'), previous: legacy });
    expect([...splitSections(text).values()]).toEqual(['## B1 x\n\nnew B1', '## B2 x\n\nnew B2', '## B3 x\n\nnew B3', '## B4 x\n\nnew B4', '## B5 x\n\nnew B5']);
    expect([...previousRuns(text).values()]).toEqual(Array(5).fill('full (`npm run bench`), 2026-11-24 12:00 UTC; pwsh 7.6.9 (DAP_PWSH)'));
    expect(text).not.toContain('61.81');
  });

  it('a section neither measured nor in the file says so', () => {
    const text = composeResults({ intro: [], measured: new Map([['B4', { text: '## B4 generator\n\nB4' }]]), run: run(['B4'], '2026-11-24T12:00:00Z'), previous: '' });
    expect(splitSections(text).get('B1')).toBe('## B1 makespan\n\nNot run yet: `npm run bench -- --only B1` measures it.');
    expect(previousRuns(text).get('B3')).toBe('not run yet');
    expect(previousRuns(text).get('B4')).toContain('--only B4');
  });
});

describe('the load of the rest of the machine', () => {
  it('is the busy time of all processes less the bench\'s own, in cores', () => {
    expect(otherCores({ busy: 100, all: 1000, own: 20 }, { busy: 600, all: 2000, own: 320 }, 2)).toBeCloseTo(0.4, 10);
    expect(otherCores({ busy: 0, all: 0, own: 0 }, { busy: 400, all: 400, own: 0 }, 2)).toBeCloseTo(2, 10);
    // the bench alone: nothing else
    expect(otherCores({ busy: 100, all: 1000, own: 20 }, { busy: 300, all: 2000, own: 220 }, 2)).toBe(0);
    // own time counted in ticks that /proc/stat rounds differently: never below zero
    expect(otherCores({ busy: 100, all: 1000, own: 20 }, { busy: 300, all: 2000, own: 230 }, 2)).toBe(0);
    expect(otherCores(undefined, { busy: 1, all: 2, own: 0 }, 2)).toBeUndefined();
    expect(otherCores({ busy: 1, all: 2, own: 0 }, { busy: 1, all: 2, own: 0 }, 2)).toBeUndefined();
    expect(describeOtherLoad({ busy: 100, all: 1000, own: 20 }, { busy: 600, all: 2000, own: 320 }, 2)).toBe(
      'overlapped other work: other processes kept 0.4 of 2 cores busy on average',
    );
    expect(describeOtherLoad({ busy: 100, all: 1000, own: 20 }, { busy: 350, all: 2000, own: 220 }, 2)).toBe(
      'no other load (other processes 0.1 of 2 cores on average)',
    );
    expect(describeOtherLoad(undefined, undefined, 2)).toBeUndefined();
  });

  it.skipIf(!existsSync('/proc/self/stat'))('counts the CPU time of a child the bench waited for as its own', () => {
    const start = cpuSnapshot()!;
    expect(start.all).toBeGreaterThanOrEqual(start.busy);
    const child = spawnSync(process.execPath, ['-e', 'const end = process.cpuUsage().user + 300000; while (process.cpuUsage().user < end);']);
    expect(child.status).toBe(0);
    const end = cpuSnapshot()!;
    expect(end.own).toBeGreaterThan(start.own);
    expect(end.busy - start.busy).toBeGreaterThanOrEqual(end.own - start.own - 5);
  });
});
