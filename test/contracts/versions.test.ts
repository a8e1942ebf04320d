/** Every tool answers --version with package.json's version, the one place it is written. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';

describe('--version', () => {
  const version = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
  it.each(['dap-gen', 'dap-report', 'dap-sim'])('%s --version prints the package version', async (tool) => {
    const result = await execa('node', [join(projectRoot, 'bin', `${tool}.js`), '--version'], { reject: false });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });
});
