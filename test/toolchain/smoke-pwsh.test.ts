import { execa } from 'execa';
import { PowerShell } from 'node-powershell';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolsDir } from '../../common/project-paths.js';
import { pwsh, runPwshFile, runPwshScript } from '../helpers/powershell.js';

describe('the full pwsh installed by setup', () => {
  it('a persistent node-powershell shell reports 7.x and survives 100 sequential invocations', async () => {
    const shell = new PowerShell({ executable: pwsh.path, executableOptions: { '-NoLogo': true, '-NoProfile': true } });
    try {
      const version = await shell.invoke('$PSVersionTable.PSVersion.ToString()');
      expect(version.raw.trim()).toMatch(/^7\.\d+\.\d+$/);
      let last = '';
      for (let i = 0; i < 100; i += 1) {
        last = (await shell.invoke(`${i} + 1`)).raw.trim();
      }
      expect(last).toBe('100');
    } finally {
      await shell.dispose();
    }
  });

  it('is PowerShell itself, not a launcher with PowerShell as its child: the process started is $PID', async () => {
    const child = execa(pwsh.path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '$PID']);
    const { stdout } = await child;
    expect(Number(stdout.trim())).toBe(child.pid);
  });

  it('setup compiled the engine ReadyToRun, so pwsh does not JIT-compile it at every start', async () => {
    const status = JSON.parse(readFileSync(join(toolsDir, 'status.json'), 'utf8')) as { pwsh: { via: string; readyToRun?: { ok: boolean; compiled: string[] } } };
    if (status.pwsh.via === 'DAP_PWSH') return; // a pwsh the user named is used as it is
    expect(status.pwsh.readyToRun).toMatchObject({ ok: true });
    expect(status.pwsh.readyToRun!.compiled).toEqual(expect.arrayContaining(['System.Management.Automation.dll', 'pwsh.dll', 'Microsoft.PowerShell.Commands.Utility.dll']));
    const result = await execa(pwsh.path, [
      '-NoLogo', '-NoProfile', '-NonInteractive', '-Command',
      '$s = [IO.File]::OpenRead([IO.Path]::Combine($PSHOME, "System.Management.Automation.dll")); $pe = [System.Reflection.PortableExecutable.PEReader]::new($s); $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0; $pe.Dispose()',
    ]);
    expect(result.stdout.trim()).toBe('True');
  });

  it('execa runs a one-shot pwsh -NoLogo -NoProfile -NonInteractive', async () => {
    const result = await execa(pwsh.path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '[pscustomobject]@{a=1;b="x,y"} | ConvertTo-Csv']);
    expect(result.stdout.split(/\r?\n/)).toEqual(['"a","b"', '"1","x,y"']);
  });
});

describe('pwsh as the tests run it (-File)', () => {
  it('is PowerShell 7.6 and runs ForEach-Object -Parallel', async () => {
    const result = await runPwshScript('$PSVersionTable.PSVersion.ToString()\n(1..4 | ForEach-Object -Parallel { $_ * 10 } | Sort-Object) -join ","');
    const [version, parallel] = result.stdout.trim().split(/\r?\n/);
    expect(version).toMatch(/^7\.6\.\d+$/);
    expect(parallel!.split(',').map(Number).sort((a, b) => a - b)).toEqual([10, 20, 30, 40]);
    expect(result.exitCode).toBe(0);
  });

  it.each([
    { args: ['-Name', 'one', '-Flag', '-Other:two'], want: 'Name=one Flag=True Other=two' },
    { args: ['one', 'two'], want: 'Name=one Flag=False Other=two' },
    { args: ['-5'], want: 'Name= Flag=False Other=' },
    { args: ['-Name:', '-5', 'x'], want: 'Name=-5 Flag=False Other=x' },
  ])('binds -File arguments as pwsh does: $args', async ({ args, want }) => {
    const file = join(mkdtempSync(join(tmpdir(), 'dap-pwsh-args-')), 'args.ps1');
    writeFileSync(file, 'param([string]$Name, [switch]$Flag, [string]$Other)\n"Name=$Name Flag=$Flag Other=$Other"\n');
    const result = await runPwshFile(file, args);
    expect(result.stdout.trim()).toBe(want);
  });

  it('passes the script exit code through', async () => {
    const result = await runPwshScript('exit 7');
    expect(result.exitCode).toBe(7);
  });

  it('an error record alone leaves exit code 0, as in pwsh', async () => {
    const result = await runPwshScript('Get-Command -Name Get-DapNoSuchThing\n"after"');
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe('after');
    expect(result.stderr).toContain('Get-DapNoSuchThing');
  });

  it('fails with exit 1 and the error on stderr after a script-terminating error', async () => {
    const result = await runPwshScript('$ErrorActionPreference = "Stop"\nfunction f { param([ValidateSet("Daily")][string]$ReportType) }\nf -ReportType Hourly\n"not reached"');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).not.toContain('not reached');
    expect(result.stderr).toContain('does not belong to the set "Daily"');
  });
});
