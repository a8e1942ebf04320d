import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DapError } from '../../common/dap-error.js';
import { resolvePwsh } from '../../common/pwsh-path.js';

function fakeExecutable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

const base = mkdtempSync(join(tmpdir(), 'dap-pwsh-path-'));
const flagPwsh = fakeExecutable(join(base, 'flag'), 'pwsh');
const envPwsh = fakeExecutable(join(base, 'env'), 'pwsh');
const toolsWithPwsh = join(base, 'tools');
const bundledPwsh = fakeExecutable(join(toolsWithPwsh, 'pwsh'), 'pwsh');
const pathDir = join(base, 'bin');
const pathPwsh = fakeExecutable(pathDir, 'pwsh');
const emptyTools = join(base, 'no-tools');

describe('resolvePwsh', () => {
  it.each([
    { name: '--pwsh wins over everything', flag: flagPwsh, env: { DAP_PWSH: envPwsh, PATH: pathDir }, tools: toolsWithPwsh, want: [flagPwsh, '--pwsh'] },
    { name: 'DAP_PWSH next', flag: undefined, env: { DAP_PWSH: envPwsh, PATH: pathDir }, tools: toolsWithPwsh, want: [envPwsh, 'DAP_PWSH'] },
    { name: 'then .tools/pwsh/pwsh', flag: undefined, env: { PATH: pathDir }, tools: toolsWithPwsh, want: [bundledPwsh, '.tools/pwsh'] },
    { name: 'then pwsh on PATH', flag: undefined, env: { PATH: `/nonexistent:${pathDir}` }, tools: emptyTools, want: [pathPwsh, 'PATH'] },
  ])('$name', ({ flag, env, tools, want }) => {
    const found = resolvePwsh({ flag, env, toolsDir: tools });
    expect([found.path, found.source]).toEqual(want);
  });

  it('names all four places when there is no pwsh', () => {
    let caught: unknown;
    try {
      resolvePwsh({ env: { PATH: '/nonexistent' }, toolsDir: emptyTools });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DapError);
    const error = caught as DapError;
    expect(error.code).toBe('PWSH_NOT_FOUND');
    expect(error.exitCode).toBe(3);
    for (const place of ['--pwsh', 'DAP_PWSH', join(emptyTools, 'pwsh', 'pwsh'), "'pwsh' on PATH"]) {
      expect(error.message).toContain(place);
    }
  });

  it.each([
    { source: '--pwsh', lookup: { flag: join(base, 'missing'), env: {} } },
    { source: 'DAP_PWSH', lookup: { env: { DAP_PWSH: join(base, 'missing') } } },
  ])('an explicit $source that does not exist is a usage error, not a fall-through', ({ lookup }) => {
    expect(() => resolvePwsh({ ...lookup, toolsDir: toolsWithPwsh })).toThrowError(
      expect.objectContaining({ code: 'PWSH_NOT_FOUND', exitCode: 2 }),
    );
  });
});
