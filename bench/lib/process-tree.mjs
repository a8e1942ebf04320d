// Runs a command and watches its whole process tree through /proc (Linux): wall time, the peak of
// the tree's summed resident memory, the most pwsh processes alive at once, and the CPU time each
// kind of process used. GNU time's peak RSS is that of the largest single process; a run of Node
// and a pwsh host is the sum of both.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const ticks = 100; // USER_HZ on Linux
const pageKb = 4;

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // after the command name: state is field 3, ppid 4, utime 14, stime 15, rss 24
    return { ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12])) / ticks, rssKb: Number(rest[21]) * pageKb };
  } catch {
    return undefined;
  }
}

function argvOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** What a process of the tree is, for the CPU split, from its argv (its program, then its arguments). */
export function roleOf(argv) {
  const program = (argv[0] ?? '').split('/').at(-1);
  if (program === 'node') return 'node';
  if (argv.some((arg) => arg.endsWith('DapHost.ps1'))) return 'pwsh host';
  if (program === 'pwsh' || argv.some((arg) => arg.endsWith('pwsh.dll'))) return 'pwsh';
  return 'other';
}

function descendants(root) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(name);
    if (!s) continue;
    if (!children.has(s.ppid)) children.set(s.ppid, []);
    children.get(s.ppid).push(Number(name));
  }
  const found = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    found.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, intervalMs?: number, onSample?: (pids: {pid: number, role: string}[]) => void }} options
 * @returns {Promise<{ seconds: number, ok: boolean, status: number | null, stderr: string, peakTreeMb: number, maxPwsh: number, cpu: Record<string, number> }>}
 */
export function runTree(command, args, { cwd, env, intervalMs = 100, onSample } = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    let peakKb = 0;
    // each role's resident memory at the tree's peak
    let peakByRole = {};
    let maxPwsh = 0;
    // the last CPU time seen of each process, by pid, with its role
    const cpu = new Map();
    const sample = () => {
      const seen = [];
      let rssKb = 0;
      let pwsh = 0;
      const byRole = {};
      for (const pid of descendants(child.pid)) {
        const s = stat(pid);
        if (!s) continue;
        // read every time: a child seen between fork and exec still shows its parent's argv
        const argv = argvOf(pid);
        const role = argv.length ? roleOf(argv) : (cpu.get(pid)?.role ?? 'other');
        cpu.set(pid, { role, seconds: s.cpu });
        rssKb += s.rssKb;
        byRole[role] = (byRole[role] ?? 0) + s.rssKb / 1024;
        if (role.startsWith('pwsh')) pwsh += 1;
        seen.push({ pid, role });
      }
      if (rssKb > peakKb) peakByRole = byRole;
      peakKb = Math.max(peakKb, rssKb);
      maxPwsh = Math.max(maxPwsh, pwsh);
      onSample?.(seen);
    };
    const timer = setInterval(sample, intervalMs);
    child.on('exit', (status) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const byRole = {};
      for (const { role, seconds: used } of cpu.values()) byRole[role] = (byRole[role] ?? 0) + used;
      resolve({ seconds, ok: status === 0, status, stderr, peakTreeMb: peakKb / 1024, peakByRoleMb: peakByRole, maxPwsh, cpu: byRole });
    });
  });
}
