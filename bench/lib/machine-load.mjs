// How busy the rest of the machine was while the benchmark ran: the CPU time of every process
// (/proc/stat) minus the benchmark's own and that of the children it waited for (/proc/self/stat),
// over the same stretch, as cores in use on average. Linux only; elsewhere undefined.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** CPU ticks of the whole machine (busy and all) and of this process with its waited-for children. */
export function cpuSnapshot() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('cpu '));
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = fields;
    const busy = user + nice + system + irq + softirq + steal;
    const all = busy + idle + iowait;
    // after the ")" that ends the command name: state is field 3, utime..cstime are fields 14–17
    const self = readFileSync('/proc/self/stat', 'utf8');
    const rest = self.slice(self.lastIndexOf(')') + 2).split(' ');
    const own = [11, 12, 13, 14].reduce((sum, i) => sum + Number(rest[i]), 0);
    if (![busy, all, own].every(Number.isFinite)) return undefined;
    return { busy, all, own };
  } catch {
    return undefined;
  }
}

/**
 * Cores the other processes kept busy on average between two snapshots (taken when none of the
 * benchmark's children is running, so their time is counted in `own`).
 */
export function otherCores(start, end, cores = cpus().length) {
  if (!start || !end || end.all <= start.all) return undefined;
  const other = end.busy - start.busy - (end.own - start.own);
  return Math.max(0, (other / (end.all - start.all)) * cores);
}

/** Above this many cores of other work, a section is said to have overlapped other load. */
export const overlapThreshold = 0.2;

/**
 * "overlapped other work: other processes kept 0.9 of 2 cores busy on average", or "no other
 * load (other processes 0.0 of 2 cores on average)".
 */
export function describeOtherLoad(start, end, cores = cpus().length) {
  const used = otherCores(start, end, cores);
  if (used === undefined) return undefined;
  return used >= overlapThreshold
    ? `overlapped other work: other processes kept ${used.toFixed(1)} of ${cores} cores busy on average`
    : `no other load (other processes ${used.toFixed(1)} of ${cores} cores on average)`;
}
