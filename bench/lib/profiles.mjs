// Summaries of the two CPU profiles B5 records: Node's .cpuprofile (V8) and the host's
// speedscope file from dotnet-trace (evented, with CPU_TIME marking running threads).

const share = (part, total) => `${((100 * part) / total).toFixed(1)}%`;

/**
 * Functions by inclusive time, idle and the profiler's own frames left out.
 * @param {{ nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }>, samples: number[], timeDeltas: number[] }} profile
 */
export function topNodeFrames(profile, count = 15, keep = () => true) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n) => {
    const file = n.callFrame.url.replace(/^.*\/(node_modules\/)?/, '');
    return `${n.callFrame.functionName || '(anonymous)'}${file ? ` (${file}:${n.callFrame.lineNumber + 1})` : ''}`;
  };
  const inclusive = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    const t = profile.timeDeltas[i] ?? 0;
    total += t;
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      if (byId.get(cur).callFrame.functionName === '(root)') continue;
      const l = label(byId.get(cur));
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + t);
    }
  });
  return [...inclusive].filter(([name]) => keep(name)).sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, t]) => ({ name, share: share(t, total) }));
}

/**
 * Time by function's own samples (self time), idle included: where a single-threaded run spends
 * its wall time, waiting for the disk shown as (idle). Answers the top `count` with milliseconds.
 */
export function selfTimes(profile, count = 10) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const file = node.callFrame.url.replace(/^.*\//, '');
    const name = `${node.callFrame.functionName || '(anonymous)'}${file ? ` (${file})` : ''}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, ms]) => ({ name, ms }));
}

/** The project's own functions (the runtime, the simulator, common) and the garbage collector. */
export const projectFrame = (name) => name === '(garbage collector)' || /\((runtime|simulator|common)\b|\((run-report|scheduler|spool|manifest|merge|csv-files|csv-records|http-server|sim-state|run-command|report-data|world|host-runner|pwsh-host|protocol|progress|atomic-file|graph-routes)\.js:/.test(name);

/**
 * Frames by inclusive running time over all threads, from dotnet-trace's speedscope output.
 * @param {{ shared: { frames: Array<{ name: string }> }, profiles: Array<{ startValue: number, events: Array<{ type: 'O' | 'C', frame: number, at: number }> }> }} file
 */
export function topHostFrames(file, count = 20, keep = () => true) {
  const names = file.shared.frames.map((f) => f.name);
  const inclusive = new Map();
  let total = 0;
  for (const p of file.profiles) {
    const stack = [];
    let last = p.startValue;
    for (const e of p.events) {
      const dt = e.at - last;
      if (dt > 0 && stack.length && names[stack.at(-1)] === 'CPU_TIME') {
        total += dt;
        const frames = new Set(stack.slice(0, -1).map((f) => names[f]));
        for (const n of frames) inclusive.set(n, (inclusive.get(n) ?? 0) + dt);
      }
      last = e.at;
      if (e.type === 'O') stack.push(e.frame);
      else stack.pop();
    }
  }
  // the process, thread and generic runtime entry frames say nothing about where the time goes
  const generic = /^(Process\d+ |Thread \(|\(Non-Activities\)|Threads$|System\.Private\.CoreLib!System\.Threading\.(ExecutionContext|Thread\+StartHelper|Thread\.StartCallback|PortableThreadPool\+WorkerThread\.WorkerThreadStart))/;
  const clean = (n) => n.replace(/\(pMT: [^)]*\)/g, '()').replace(/\(class [^)]*\)|\(value class [^)]*\)/g, '()');
  return [...inclusive]
    .filter(([n]) => !generic.test(n) && keep(n))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, t]) => ({ name: clean(name).slice(0, 150), share: share(t, total) }));
}

/** PowerShell functions, as the runtime compiles them (dynamicClass.<name>). */
export const powershellFrame = (name) => name.includes('dynamicClass.') && !/dynamicClass\.(lambda_method|CallSite|<ScriptBlock>)/.test(name);
