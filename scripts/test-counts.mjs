// What scripts/test.mjs reports of a vitest run: counts of tests, never of files or describe
// blocks, except that a file which failed outside any test (a crash on import, a failed hook)
// counts as one failure more, so that it can never pass unnoticed. Plain Node: no npm package.

/**
 * @param {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number,
 *   testResults: Array<{ status: string, assertionResults: Array<{ status: string }> }> }} report vitest's JSON report
 * @returns {{ passed: number, failed: number, skipped: number }}
 */
export function vitestCounts(report) {
  const failedOutsideTests = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.every((t) => t.status !== 'failed')).length;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + failedOutsideTests,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

/**
 * The failed tests of a vitest run, one line each (the file relative to `root`, then the test's full
 * name), and the files that failed outside any test: printed after every runner's output, so that
 * the last lines of a run's log name what failed.
 *
 * @param {{ testResults: Array<{ name: string, status: string, message?: string, assertionResults: Array<{ status: string, fullName: string }> }> }} report
 * @param {string} root
 * @returns {string[]}
 */
export function vitestFailures(report, root) {
  const lines = [];
  for (const file of report.testResults) {
    const name = file.name.startsWith(`${root}/`) ? file.name.slice(root.length + 1) : file.name;
    const failed = file.assertionResults.filter((t) => t.status === 'failed');
    for (const test of failed) lines.push(`${name} > ${test.fullName}`);
    if (file.status === 'failed' && failed.length === 0) lines.push(`${name} (outside any test: ${(file.message ?? '').split('\n')[0]})`);
  }
  return lines;
}
