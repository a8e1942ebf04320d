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
