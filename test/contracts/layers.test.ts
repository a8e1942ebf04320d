/**
 * runtime/ in layers (runtime/README.md): every import of every runtime file points down or stays
 * inside its own part, and no two folders import each other. The checker itself is tried first on
 * small made-up trees, so a pass means the rule holds and not that nothing was looked at.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { layerViolations, readImports, type SourceImports } from './layers.js';

const tree = (files: Record<string, string[]>): SourceImports[] => Object.entries(files).map(([file, imports]) => ({ file, imports }));

describe('the layer checker', () => {
  it('accepts imports that point down, within a part, to the shared backend folders and to common/', () => {
    expect(
      layerViolations(
        tree({
          'cli/cli.ts': ['../run/phases/run-report.js', '../backends/backends.js', '../platform/redact.js', '../../common/dap-error.js', 'node:fs', 'commander'],
          'run/phases/run-report.ts': ['../scheduler.js', '../../backends/contract/run-backend.js'],
          'run/scheduler.ts': ['../platform/retry-policy.js'],
          'backends/backends.ts': ['./exchange/exchange-backend.js', './graph/graph-backend.js'],
          'backends/graph/graph-backend.ts': ['../app/auth/token-client.js', '../contract/run-backend.js', '../../platform/http/url-safety.js'],
          'backends/exchange/exchange-backend.ts': ['../contract/run-backend.js'],
          'backends/app/auth/token-client.ts': ['../../contract/runner-types.js'],
          'backends/simulate.ts': ['../../simulator/index.js'],
          'platform/redact.ts': [],
        }),
      ),
    ).toEqual([]);
  });

  it('names the file and the import of an upward import', () => {
    expect(layerViolations(tree({ 'platform/redact.ts': ['../run/summary.js'], 'run/summary.ts': [] }))).toEqual([
      "platform/redact.ts imports '../run/summary.js': an upward import (platform -> run)",
    ]);
    expect(layerViolations(tree({ 'backends/contract/run-backend.ts': ['../../run/scheduler.js'] }))[0]).toContain('an upward import (backends -> run)');
  });

  it('refuses a backend importing another backend, and the contract importing a backend', () => {
    expect(layerViolations(tree({ 'backends/exo/exo-client.ts': ['../graph/graph-runner.js'] }))).toEqual([
      "backends/exo/exo-client.ts imports '../graph/graph-runner.js': a backend imports another backend (backends/exo/ -> backends/graph/)",
    ]);
    expect(layerViolations(tree({ 'backends/contract/run-backend.ts': ['../app/graph-options.js'] }))[0]).toContain('the backend contract imports no backend');
    expect(layerViolations(tree({ 'backends/graph/graph-backend.ts': ['../backends.js'] }))[0]).toContain('imports backends/ itself');
  });

  it('refuses a file beside the layers and an import from outside runtime/ other than common/', () => {
    expect(layerViolations(tree({ 'stray.ts': [] }))[0]).toContain('stray.ts is in no layer');
    expect(layerViolations(tree({ 'run/scheduler.ts': ['../../simulator/index.js'] }))[0]).toContain("run/scheduler.ts imports '../../simulator/index.js'");
  });

  it('finds a cycle between folders, naming the imports that make it', () => {
    const problems = layerViolations(
      tree({
        'run/phases/run-report.ts': ['../page/write-page.js'],
        'run/page/write-page.ts': ['../summary.js'],
        'run/summary.ts': ['./phases/run-report.js'],
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('an import cycle between the folders run, run/page, run/phases');
    expect(problems[0]).toContain("run/summary.ts imports './phases/run-report.js'");
  });
});

describe('runtime/', () => {
  it('keeps the layer rule: every import points down, no backend reaches into another, no folder cycle', () => {
    const sources = readImports(join(projectRoot, 'runtime'));
    expect(sources.length).toBeGreaterThan(50);
    expect(layerViolations(sources)).toEqual([]);
  });
});
