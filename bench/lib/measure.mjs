// Runs a command under GNU time and returns its wall time (s), CPU time (user + system, s) and peak
// resident memory (MB).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * @param {string} shellCommand run by /bin/sh (the caller builds it from its own paths only)
 * @returns {{ seconds: number, cpuSeconds: number, peakMb: number, ok: boolean, status: number | null, stdout: string, stderr: string }}
 */
export function measure(shellCommand, { cwd, env } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dap-bench-time-'));
  const timeFile = join(dir, 'time.txt');
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', '-o', timeFile, '/bin/sh', '-c', shellCommand], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const [seconds, kb, user, system] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
  rmSync(dir, { recursive: true, force: true });
  return { seconds, cpuSeconds: user + system, peakMb: kb / 1024, ok: result.status === 0, status: result.status, stdout: (result.stdout ?? '').slice(-2000), stderr: (result.stderr ?? '').slice(-2000) };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "median (min–max)" with the given number of decimals. */
export function spread(values, decimals = 2) {
  const f = (v) => v.toFixed(decimals);
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}
