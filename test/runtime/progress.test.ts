import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../runtime/progress.js';
import { collectPasswords, passwordVariableFor } from '../../runtime/credentials.js';

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
