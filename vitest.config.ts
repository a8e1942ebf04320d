import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // pwsh reading commands from stdin with a terminal type set writes keypad escape sequences
    // into its stdout; the tests compare that output exactly
    env: { TERM: 'dumb' },
  },
});
