/** B5's tools: the process-tree watcher and the profile summaries. */
import { describe, expect, it } from 'vitest';
import { roleOf, runTree } from '../../bench/lib/process-tree.mjs';
import { topHostFrames, topNodeFrames } from '../../bench/lib/profiles.mjs';

describe('runTree', () => {
  it('sums the memory of the whole tree and counts its processes by role', async () => {
    // a parent holding ~60 MB and a child holding ~60 MB at the same time: the tree peaks above either
    const hold = "const b = Buffer.alloc(60 * 2 ** 20, 1); setTimeout(() => b.length, 1500)";
    const result = await runTree(process.execPath, ['-e', `require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(hold)}], { stdio: 'inherit' }); ${hold}`], { intervalMs: 50 });
    expect(result.ok).toBe(true);
    expect(result.peakTreeMb).toBeGreaterThan(120);
    expect(result.maxPwsh).toBe(0);
    expect(result.cpu.node).toBeGreaterThan(0);
    expect(result.peakByRoleMb.node).toBeCloseTo(result.peakTreeMb, 0);
  });

  it.each([
    ['/usr/share/dotnet/dotnet /x/lib/pwsh.dll -NoLogo -File /p/runtime/backends/exchange/powershell/DapHost.ps1', 'pwsh host'],
    ['/usr/share/dotnet/dotnet /x/lib/pwsh.dll -NoLogo -File script.ps1', 'pwsh'],
    ['/usr/bin/node /p/bin/dap-report.js run --pwsh /p/.tools/pwsh/pwsh', 'node'],
    ['yes', 'other'],
  ])('%s is a %s', (command, role) => {
    expect(roleOf(command.split(' '))).toBe(role);
  });
});

describe('profile summaries', () => {
  it('Node: functions by inclusive time, idle left out', () => {
    const frame = (id: number, functionName: string, children: number[] = []) => ({ id, callFrame: { functionName, url: 'file:///p/runtime/x.js', lineNumber: 9 }, children });
    const profile = {
      nodes: [frame(1, '(root)', [2, 3]), frame(2, 'commitPart', [4]), frame(3, '(idle)'), frame(4, 'normalizePart')],
      samples: [4, 4, 2, 3, 3, 3],
      timeDeltas: [10, 10, 20, 100, 100, 100],
    };
    expect(topNodeFrames(profile)).toEqual([
      { name: 'commitPart (x.js:10)', share: '100.0%' },
      { name: 'normalizePart (x.js:10)', share: '50.0%' },
    ]);
  });

  it('host: frames by inclusive running time (CPU_TIME leaves only)', () => {
    const file = {
      shared: { frames: [{ name: 'Thread (1)' }, { name: 'dynamicClass.Invoke-Command<End>(pMT: 0x1)' }, { name: 'CPU_TIME' }, { name: 'UNMANAGED_CODE_TIME' }] },
      profiles: [
        {
          startValue: 0,
          events: [
            { type: 'O' as const, frame: 0, at: 0 },
            { type: 'O' as const, frame: 1, at: 0 },
            { type: 'O' as const, frame: 2, at: 0 },
            { type: 'C' as const, frame: 2, at: 30 },
            { type: 'O' as const, frame: 3, at: 30 },
            { type: 'C' as const, frame: 3, at: 90 },
            { type: 'C' as const, frame: 1, at: 90 },
            { type: 'C' as const, frame: 0, at: 90 },
          ],
        },
      ],
    };
    expect(topHostFrames(file)).toEqual([{ name: 'dynamicClass.Invoke-Command<End>()', share: '100.0%' }]);
  });
});
