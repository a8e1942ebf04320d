import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * The two lanes, by file name alone, so that a new file lands in one without a list to edit: a file
 * that starts pwsh (itself or through dap-report) is named `*-pwsh.test.ts` or `*-e2e.test.ts`, a
 * long run of many tenants `*-soak.test.ts`; they make the slow lane. Every other file is in the
 * fast lane (`npm run test:fast`), whose pwsh fails the file that starts it (test/helpers/fast-lane.ts).
 * `npm test` runs both.
 */
const slowLane = ['test/**/*-pwsh.test.ts', 'test/**/*-e2e.test.ts', 'test/**/*-soak.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // the bins run dist/: built once, before any file, when a source is newer (never by a test file)
    globalSetup: ['test/helpers/build-dist.ts'],
    // vitest's default on 2 cores is one file at a time; the slow lane's files mostly wait on pwsh
    // and the simulator, so three at once keep both cores busy (one pool for both lanes)
    maxWorkers: 3,
    // pwsh reading commands from stdin with a terminal type set writes keypad escape sequences
    // into its stdout; the tests compare that output exactly
    env: { TERM: 'dumb' },
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: slowLane,
          // one module cache per worker rather than per file: a third less CPU, which the lane is
          // bound by (its files mock no modules, and restore what they change)
          isolate: false,
          setupFiles: ['test/helpers/fast-lane.ts'],
          env: { DAP_TEST_LANE: 'fast', DAP_PWSH: join(import.meta.dirname, 'test', 'helpers', 'fast-lane-pwsh') },
        },
      },
      { extends: true, test: { name: 'slow', include: slowLane } },
    ],
  },
});
