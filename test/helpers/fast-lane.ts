/**
 * The fast lane's check (vitest.config.ts), run around each of its files: its pwsh
 * (fast-lane-pwsh) writes down every start, and the file fails when there was one, even if the
 * tests that started it passed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const log = join(tmpdir(), `dap-fast-lane-pwsh-${randomUUID()}.log`);
process.env.DAP_TEST_PWSH_LOG = log;

afterAll(() => {
  const starts = existsSync(log) ? readFileSync(log, 'utf8').trim() : '';
  rmSync(log, { force: true });
  if (starts) throw new Error(`the fast lane starts no pwsh, but this file did; name it *-pwsh.test.ts or *-e2e.test.ts (test/README.md):\n${starts}`);
});
