import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createProgress } from '../../runtime/run/progress.js';
import { collectPasswords, passwordVariableFor } from '../../runtime/backends/exchange/credentials.js';

function stream(isTTY: boolean) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean; text: string; columns?: number; cursorTo?: unknown };
  s.isTTY = isTTY;
  s.text = '';
  s.on('data', (c: Buffer) => (s.text += c.toString()));
  return s;
}

describe('progress', () => {
  it('draws a bar with done / failed / remaining on a terminal', () => {
    const s = stream(true);
    const p = createProgress({ stream: s, quiet: false });
    p.start(4);
    p.update({ done: 2, failed: 1, remaining: 1 });
    p.stop();
    expect(s.text).toMatch(/3\/4 tenants \| done 2 \| failed 1 \| remaining 1 \| ETA/);
  });

  it('prints periodic plain lines when not a terminal, and nothing when quiet', () => {
    let now = 0;
    const s = stream(false);
    const p = createProgress({ stream: s, quiet: false, intervalMs: 1000, now: () => now });
    p.start(10);
    p.update({ done: 1, failed: 0, remaining: 9 });
    now = 1500;
    p.update({ done: 2, failed: 1, remaining: 7 });
    p.stop();
    expect(s.text.trim().split('\n')).toEqual([
      'dap-report: 10 tenants to run',
      'dap-report: 3/10 tenants, done 2, failed 1, remaining 7 eta 4 s',
      'dap-report: 3/10 tenants, done 2, failed 1, remaining 7 eta 4 s',
    ]);
    const q = stream(false);
    const quiet = createProgress({ stream: q, quiet: true });
    quiet.start(3);
    quiet.stop();
    expect(q.text).toBe('');
  });
});

describe('progress near the end of a run', () => {
  it('names the tenants still running, with how long, once few remain; a line per interval even when nothing finishes', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const s = stream(false);
      const running = [{ domain: 'hung.onmicrosoft.com', startedAt: 0 }, { domain: 'slow.onmicrosoft.com', startedAt: 30_000 }];
      const p = createProgress({ stream: s, quiet: false, intervalMs: 60_000, now: Date.now, running: () => running });
      p.start(20);
      vi.advanceTimersByTime(59_000);
      p.update({ done: 10, failed: 0, remaining: 10 });
      vi.advanceTimersByTime(61_000); // 60 s and 120 s: the ticker prints, many remain, nobody is named
      p.update({ done: 16, failed: 2, remaining: 2 });
      vi.advanceTimersByTime(120_000); // 180 s and 240 s: nothing finishes, the ticker prints twice
      const lines = s.text.trim().split('\n');
      expect(lines).toEqual([
        'dap-report: 20 tenants to run',
        'dap-report: 10/20 tenants, done 10, failed 0, remaining 10 eta 60 s',
        'dap-report: 10/20 tenants, done 10, failed 0, remaining 10 eta 120 s',
        'dap-report: 18/20 tenants, done 16, failed 2, remaining 2 eta 20 s; still running: hung.onmicrosoft.com (3 min 0 s), slow.onmicrosoft.com (2 min 30 s)',
        'dap-report: 18/20 tenants, done 16, failed 2, remaining 2 eta 27 s; still running: hung.onmicrosoft.com (4 min 0 s), slow.onmicrosoft.com (3 min 30 s)',
      ]);
      p.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows them on the bar too', () => {
    const s = stream(true);
    const p = createProgress({ stream: s, quiet: false, now: () => 5_000, running: () => [{ domain: 'hung.onmicrosoft.com', startedAt: 0 }] });
    p.start(4);
    p.update({ done: 3, failed: 0, remaining: 1 });
    p.stop();
    expect(s.text).toMatch(/remaining 1 \| ETA .*\| still running: hung\.onmicrosoft\.com \(5 s\)/);
  });
});

describe('credentials', () => {
  it('names the per-account variable from the UPN', () => {
    expect(passwordVariableFor('admin@contoso.onmicrosoft.com')).toBe('DAP_PASSWORD_ADMIN_CONTOSO_ONMICROSOFT_COM');
  });

  it('takes stdin first, then the per-account variable, then the simulator, then DAP_PASSWORD, then a prompt', async () => {
    const users = ['a@x.com', 'b@x.com'];
    expect(await collectPasswords({ users, env: { DAP_PASSWORD: 'generic' }, readStdin: async () => 's1\ns2\n' })).toEqual([
      { userName: 'a@x.com', password: 's1' },
      { userName: 'b@x.com', password: 's2' },
    ]);
    expect(
      await collectPasswords({ users, env: { DAP_PASSWORD_B_X_COM: 'own', DAP_PASSWORD: 'generic' }, simulator: { userName: 'A@x.com', password: 'sim' } }),
    ).toEqual([
      { userName: 'a@x.com', password: 'sim' },
      { userName: 'b@x.com', password: 'own' },
    ]);
    expect(await collectPasswords({ users: ['a@x.com'], env: {}, prompt: async (u) => `typed-for-${u}` })).toEqual([{ userName: 'a@x.com', password: 'typed-for-a@x.com' }]);
  });

  it('is a usage error when there is no password or too few stdin lines', async () => {
    await expect(collectPasswords({ users: ['a@x.com'], env: {} })).rejects.toMatchObject({ code: 'NO_PASSWORD', exitCode: 2, message: expect.stringMatching(/DAP_PASSWORD_A_X_COM/) });
    await expect(collectPasswords({ users: ['a@x.com', 'b@x.com'], env: {}, readStdin: async () => 'one\n' })).rejects.toMatchObject({ code: 'PASSWORD_STDIN_SHORT', exitCode: 2 });
  });
});
