import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tty } from '../../common/terminal-text.js';
import { createProgress } from '../../runtime/run/progress.js';
import { Capture, harness, makeTenants, USER } from './fakes.js';

/** A tenant name that would recolour the terminal and overwrite its own line. */
const evil = 'Evil \x1b[31mRed\rOver';
const shown = 'Evil \\x1b[31mRed\\x0dOver';
/** True when text holds a control character a terminal would obey (CRLF and LF are fine). */
const obeyed = (text: string) => /[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/.test(text);

function world() {
  const tenants = makeTenants(3);
  tenants[1]!.name = evil;
  return tenants;
}

describe('terminal output never carries control characters from data', () => {
  it('dap-report tenants: the table shows them escaped; --json keeps the name exact', async () => {
    const h = harness({ tenants: world() });
    expect(await h.run(['tenants', '--user', USER])).toBeUndefined();
    expect(h.stdout.text).toContain(shown);
    expect(obeyed(h.stdout.text)).toBe(false);

    const json = harness({ tenants: world() });
    await json.run(['tenants', '--user', USER, '--json']);
    expect((JSON.parse(json.stdout.text) as Array<{ name: string }>).map((t) => t.name)).toContain(evil);
  });

  it("an error message carrying a service's words: escaped on stderr, exact in the --json error", async () => {
    const h = harness({ tenants: world() });
    h.runner.run = async () => ({ status: 'failed', rows: 0, category: 'AuthenticationFailed', message: `denied: ${evil}` });
    expect(await h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--json'], { asBin: true })).toBe(3);
    expect(h.stderr.text).toContain(`denied: ${shown}`);
    expect(obeyed(h.stderr.text)).toBe(false);
    expect((JSON.parse(h.stdout.text) as { error: { message: string } }).error.message).toContain(`denied: ${evil}`);
  });

  it('run: the summary line and the progress lines show control characters of a path escaped', async () => {
    const h = harness({ tenants: world(), deps: { progressIntervalMs: 0 } });
    const out = join(h.deps.cwd, 'out\x1b[2J.csv');
    expect(await h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--out', out])).toBe(0);
    expect(h.stderr.text).toContain('out\\x1b[2J.csv');
    expect(obeyed(h.stderr.text)).toBe(false);
  });

  it.each([true, false])('progress.log shows control characters escaped (terminal: %s)', (isTTY) => {
    const stream = Object.assign(new Capture(), { isTTY });
    const progress = createProgress({ stream, quiet: false });
    progress.start(1);
    progress.log(tty`tenant ${`${evil} said \x9b2J`}`);
    progress.stop();
    expect(stream.text).toContain(`tenant ${shown} said \\x9b2J\n`);
    if (!isTTY) expect(obeyed(stream.text)).toBe(false);
  });
});
