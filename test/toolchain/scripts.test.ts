/** The project's own scripts: what `npm test` counts, and setup's refusal of a pwsh that does not run. */
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { vitestCounts, vitestFailures } from '../../scripts/test-counts.mjs';

const file = (status: string, tests: string[]) => ({ status, assertionResults: tests.map((t) => ({ status: t })) });

describe('npm test counts tests, not describe blocks', () => {
  it('a failed test is one failure, however many blocks it is nested in', () => {
    const report = { numPassedTests: 7, numFailedTests: 1, numPendingTests: 0, numTodoTests: 0, testResults: [file('failed', ['passed', 'failed']), file('passed', ['passed'])] };
    expect(vitestCounts(report)).toEqual({ passed: 7, failed: 1, skipped: 0 });
  });

  it('a file that failed outside its tests (an import that throws, a failed hook) counts once', () => {
    const report = { numPassedTests: 3, numFailedTests: 0, numPendingTests: 1, numTodoTests: 1, testResults: [file('failed', []), file('failed', ['skipped']), file('passed', ['passed'])] };
    expect(vitestCounts(report)).toEqual({ passed: 3, failed: 2, skipped: 2 });
  });

  it('names each failed test by file and full name, and a file that failed outside its tests by its first message line', () => {
    const report = {
      testResults: [
        { name: '/repo/test/a.test.ts', status: 'failed', assertionResults: [{ status: 'passed', fullName: 'a works' }, { status: 'failed', fullName: 'a > fails here' }] },
        { name: '/repo/test/b.test.ts', status: 'failed', message: 'Cannot find module x\n  at y', assertionResults: [] },
        { name: '/repo/test/c.test.ts', status: 'passed', assertionResults: [{ status: 'passed', fullName: 'c' }] },
      ],
    };
    expect(vitestFailures(report, '/repo')).toEqual(['test/a.test.ts > a > fails here', 'test/b.test.ts (outside any test: Cannot find module x)']);
  });
});

describe('setup', () => {
  it('a DAP_PWSH that does not run as PowerShell 7 stops setup with exit 1, saying so', async () => {
    const result = await execa(process.execPath, [join(projectRoot, 'scripts', 'setup.mjs'), '--quiet'], {
      env: { ...process.env, DAP_PWSH: '/bin/false' },
      reject: false,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^setup: DAP_PWSH names '\/bin\/false', which does not run as PowerShell 7/m);
  });
});
