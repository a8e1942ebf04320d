/**
 * The run page as a file and a command: what goes into it (the command line without secrets, the
 * data as inert JSON), --no-page, a page that cannot be written, --resume, and `dap-report show`.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DapError } from '../../common/dap-error.js';
import { redactCommand, secretsOf, shellLine } from '../../runtime/run/page/command-line.js';
import { jsonForScript } from '../../runtime/run/page/render-page.js';
import type { RunSummary } from '../../runtime/run/summary.js';
import { Capture, harness, tempDir, USER } from '../runtime/fakes.js';
import { APP_ID, PARTNER_TENANT, graphWorld, runGraph, writeScenario } from '../runtime/graph-harness.js';
import { startSimulator } from '../../simulator/index.js';
import { launch, openPage } from './browser.js';

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const runArgs = (scenario: string, ...more: string[]) => ['run', '--simulate', scenario, '--backend', 'graph', '--report', 'MailboxUsageDetail', '--quiet', ...more];

/** The JSON block of a page, read back as the page's script reads it. */
function pageData(html: string): RunSummary {
  const match = /<script type="application\/json" id="run-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(match![1]!) as RunSummary;
}

describe('the command line on the page', () => {
  it('replaces values of secret-like flags, secret-like --param values and every known secret; keeps the rest', () => {
    const argv = [
      'run', '--client-secret', 'abc-123', '--password=hunter2', '--refresh-token', 'rt-1', '--client-secret-stdin', '--token-file', 'tokens.json',
      '--param', 'Password=p4ss', '--param', 'ReportType=Daily', '--tenant', 'leaked-Secret-Value', '--user', 'admin@contoso.onmicrosoft.com',
    ];
    expect(redactCommand(argv, ['leaked-Secret-Value'])).toEqual([
      'run', '--client-secret', '[redacted]', '--password=[redacted]', '--refresh-token', '[redacted]', '--client-secret-stdin', '--token-file', 'tokens.json',
      '--param', 'Password=[redacted]', '--param', 'ReportType=Daily', '--tenant', '[redacted]', '--user', 'admin@contoso.onmicrosoft.com',
    ]);
  });

  it('knows the secrets a run reads from the environment, per user too', () => {
    const env = { DAP_PASSWORD: 'pw-1', DAP_GRAPH_CLIENT_SECRET: 'cs-2', DAP_PASSWORD_OPS_CONTOSO_ONMICROSOFT_COM: 'pw-3', HOME: '/root' };
    expect(secretsOf(env, ['ops@contoso.onmicrosoft.com']).sort()).toEqual(['cs-2', 'pw-1', 'pw-3']);
  });

  it('is shown as a shell would read it back', () => {
    expect(shellLine(['run', '--tenant', "O'Brien & Co", '--out', 'a b.csv'])).toBe("run --tenant 'O'\\''Brien & Co' --out 'a b.csv'");
  });
});

describe('the command line a run records', () => {
  it('holds no secret the backend knows, even one read from stdin', async () => {
    const cwd = tempDir('dap-page-secret-');
    // shaped like a domain, so that --exclude takes it (no one would put a secret there: the page must cope anyway)
    const secret = 'stdin-only-secret-7f3a9c.example.com';
    const sim = await startSimulator({ scenario: graphWorld({ secret }) });
    try {
      const run = await runGraph(
        ['run', '--report', 'MailboxUsageDetail', '--quiet', '--graph-url', sim.env.DAP_GRAPH_URL!, '--login-url', sim.env.DAP_LOGIN_URL!, '--partner-tenant', PARTNER_TENANT, '--client-secret-stdin', '--exclude', secret],
        { cwd, env: { DAP_GRAPH_CLIENT_ID: APP_ID }, stdin: `${secret}\n` },
      );
      expect(run.error).toBeUndefined();
      expect(run.exitCode).toBe(0);
      const summary = readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json'));
      expect(summary.command!.slice(-3)).toEqual(['--client-secret-stdin', '--exclude', '[redacted]']);
      expect(readFileSync(join(cwd, 'ReportOutput.csv.html'), 'utf8')).not.toContain(secret);
    } finally {
      await sim.stop();
    }
  });
});

describe('the page data', () => {
  it('is JSON no "</script>", "<!--" or line separator can break out of, read back unchanged', () => {
    const value = { name: '</script><script>alert(1)</script>', note: '<!-- x -->\u2028\u2029 & done' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<|>|&|\u2028|\u2029/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('dap-report run writes <out>.html', () => {
  it('beside the CSV, with the summary in it; not with --no-page', async () => {
    const cwd = tempDir('dap-page-files-');
    const scenario = writeScenario(cwd, graphWorld({ tenants: 4 }));
    const run = await runGraph(runArgs(scenario), { cwd });
    expect(run.exitCode).toBe(0);
    const out = join(cwd, 'ReportOutput.csv');
    const data = pageData(readFileSync(`${out}.html`, 'utf8'));
    const { simulator: _simulator, ...summary } = readJson<RunSummary>(`${out}.summary.json`);
    expect(data).toEqual(summary);
    expect(data.attempts).toHaveLength(10);

    const other = join(cwd, 'other.csv');
    const quiet = await runGraph(runArgs(scenario, '--out', other, '--no-page'), { cwd });
    expect(quiet.exitCode).toBe(0);
    expect(existsSync(other)).toBe(true);
    expect(existsSync(`${other}.html`)).toBe(false);
  });

  it('a folder already where the page goes is refused before anything runs (exit 2), naming --no-page', async () => {
    const cwd = tempDir('dap-page-files-');
    const out = join(cwd, 'ReportOutput.csv');
    mkdirSync(`${out}.html`);
    const run = await runGraph(runArgs(writeScenario(cwd, graphWorld({ tenants: 2 }))), { cwd });
    expect(run.error).toMatchObject({ code: 'OUTPUT_IS_DIRECTORY', exitCode: 2 });
    expect((run.error as DapError).message).toMatch(/--no-page/);
    expect(existsSync(out)).toBe(false);
  });

  it('a page that cannot be written at the end is said on stderr; the output, the summary and the exit code stay', async () => {
    let out = '';
    // the page's place becomes a folder while the tenants run
    const h = harness({ runner: { afterAttempt: (_job, completed) => completed === 1 && mkdirSync(`${out}.html`) } });
    out = join(h.deps.cwd, 'ReportOutput.csv');
    await h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--quiet', '--out', out]);
    expect(h.exitCode ?? 0).toBe(0);
    expect(h.stderr.text).toContain(`dap-report: the run page ${out}.html could not be written`);
    expect(readJson<RunSummary>(`${out}.summary.json`).totals.succeeded).toBe(6);
    expect(readFileSync(out, 'utf8').split('\r\n').length).toBeGreaterThan(6);
  });
});

describe('--resume and the page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the resumed run: its attempts only, and how many tenants were kept from before', async () => {
    const cwd = tempDir('dap-page-resume-');
    const scenario = writeScenario(cwd, graphWorld({ tenants: 6, faults: [{ type: 'notConsented', tenants: ['alpha.onmicrosoft.com', 'beta.onmicrosoft.com'] }] }));
    const first = await runGraph(runArgs(scenario), { cwd });
    expect(first.exitCode).toBe(1);
    const resumed = await runGraph(runArgs(scenario, '--resume'), { cwd });
    expect(resumed.exitCode).toBe(1);
    const out = join(cwd, 'ReportOutput.csv');
    const summary = readJson<RunSummary>(`${out}.summary.json`);
    expect(summary).toMatchObject({ resumed: true, totals: { tenants: 12, reused: 10, failed: 2 } });
    expect(new Set(summary.attempts!.map((a) => a.domain))).toEqual(new Set(summary.tenants.filter((t) => t.status === 'failed').map((t) => t.domain)));
    const { page, problems } = await openPage(browser, `${out}.html`);
    try {
      expect(await page.isVisible('#resumed')).toBe(true);
      expect(await page.textContent('#resumed')).toBe('Resumed run: 10 tenant(s) kept from before (not on the timeline), 2 run again.');
      expect(await page.$$eval('#tenants tbody tr', (rows) => rows.length)).toBe(12);
      expect(problems).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});

describe('dap-report show', () => {
  it('prints where the page is and the summary line', async () => {
    const cwd = tempDir('dap-show-');
    await runGraph(runArgs(writeScenario(cwd, graphWorld({ tenants: 1 }))), { cwd });
    const show = await runGraph(['show', 'ReportOutput.csv'], { cwd });
    expect(show.error).toBeUndefined();
    expect(show.stdout).toBe(`${join(cwd, 'ReportOutput.csv.html')}\nMailboxUsageDetail: 7 tenants, 7 succeeded, 0 failed, ${readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json')).totals.rows} rows -> ${join(cwd, 'ReportOutput.csv')} (errors: ${join(cwd, 'ReportOutput.csv.errors.csv')}) in ${(readJson<RunSummary>(join(cwd, 'ReportOutput.csv.summary.json')).durationMs / 1000).toFixed(1)} s\n`);
  });

  it('--open hands the page to xdg-open; without one, says how to open it', async () => {
    const cwd = tempDir('dap-show-');
    await runGraph(runArgs(writeScenario(cwd, graphWorld({ tenants: 1 }))), { cwd });
    const bin = join(cwd, 'bin');
    mkdirSync(bin);
    const opened = join(cwd, 'opened.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, { mode: 0o755 });
    const show = await runGraph(['show', '--open'], { cwd, env: { PATH: bin } });
    expect(show.error).toBeUndefined();
    for (let i = 0; i < 100 && !existsSync(opened); i += 1) await delay(20);
    expect(readFileSync(opened, 'utf8')).toBe(join(cwd, 'ReportOutput.csv.html'));

    const without = await runGraph(['show', '--open'], { cwd, env: { PATH: join(cwd, 'nothing') } });
    expect(without.error).toBeUndefined();
    expect(without.stderr).toBe(`dap-report: xdg-open is not installed; open ${join(cwd, 'ReportOutput.csv.html')} in a browser\n`);
  });

  it('a missing page is an error with exit 2', async () => {
    const cwd = tempDir('dap-show-');
    const show = await runGraph(['show', 'nothing.csv'], { cwd });
    expect(show.error).toBeInstanceOf(DapError);
    expect(show.error).toMatchObject({ code: 'PAGE_NOT_FOUND', exitCode: 2 });
    expect((show.error as Error).message).toContain(join(cwd, 'nothing.csv.html'));
  });

  it('--serve serves the page on 127.0.0.1 only, nothing else, until SIGINT', async () => {
    const cwd = tempDir('dap-show-');
    await runGraph(runArgs(writeScenario(cwd, graphWorld({ tenants: 1 }))), { cwd });
    const page = readFileSync(join(cwd, 'ReportOutput.csv.html'));
    const signals = new EventEmitter();
    let url: string | undefined;
    const stdout = new Capture();
    stdout.on('data', (chunk: Buffer) => {
      url ??= /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(String(chunk))?.[1];
    });
    const show = runGraph(['show', '--serve'], { cwd, deps: { signals, stdout: stdout as unknown as NodeJS.WritableStream } });
    while (!url) await delay(10);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(Buffer.from(await response.arrayBuffer()).equals(page)).toBe(true);
    expect((await fetch(`${url}ReportOutput.csv.summary.json`)).status).toBe(404);
    expect((await fetch(`${url}ReportOutput.csv`)).status).toBe(404);
    signals.emit('SIGINT');
    const result = await show;
    expect(result.error).toBeUndefined();
    expect(signals.listenerCount('SIGINT')).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('--serve with a port that is not one is a usage error', async () => {
    const cwd = tempDir('dap-show-');
    await runGraph(runArgs(writeScenario(cwd, graphWorld({ tenants: 1 }))), { cwd });
    const show = await runGraph(['show', '--serve', 'http'], { cwd });
    expect(show.error).toMatchObject({ code: 'INVALID_ARGUMENT', exitCode: 2 });
  });
});

/** `show --serve` on a page written by hand: its URL and a stop that answers the command's result. */
async function serving(cwd: string, args: string[] = []) {
  const signals = new EventEmitter();
  let url: string | undefined;
  const stdout = new Capture();
  stdout.on('data', (chunk: Buffer) => {
    url ??= /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(String(chunk))?.[1];
  });
  const show = runGraph(['show', '--serve', ...args], { cwd, deps: { signals, stdout: stdout as unknown as NodeJS.WritableStream } });
  let early: Awaited<typeof show> | undefined;
  void show.then((result) => {
    early = result;
  });
  while (!url && !early) await delay(10);
  if (early) throw new Error(`show ended: ${String(early.error)}`);
  return {
    url: url!,
    port: Number(new URL(url!).port),
    stop: async () => {
      signals.emit('SIGINT');
      return show;
    },
  };
}

/** A GET with the Host header given (fetch would always send the URL's own). */
function getWithHost(port: number, host: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const headers: Record<string, string> = host === undefined ? {} : { host };
    const request = httpRequest({ host: '127.0.0.1', port, path: '/', headers, setHost: host !== undefined }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolvePromise({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('dap-report show against hostile input', () => {
  const pageText = '<!doctype html><p>the run page: SECRET-TENANT-DATA</p>';

  it('--serve answers only a Host of 127.0.0.1 or localhost at its port; any other Host (DNS rebinding) gets 421 and nothing of the page', async () => {
    const cwd = tempDir('dap-show-host-');
    writeFileSync(join(cwd, 'ReportOutput.csv.html'), pageText);
    const server = await serving(cwd);
    try {
      for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`]) {
        const answer = await getWithHost(server.port, host);
        expect([host, answer.status]).toEqual([host, 200]);
        expect(answer.body).toBe(pageText);
      }
      for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`, `localhost.:${server.port}`, `[::1]:${server.port}`, `127.0.0.1:${server.port}.evil.example`, `2130706433:${server.port}`]) {
        const answer = await getWithHost(server.port, host);
        expect([host, answer.status]).toEqual([host, 421]);
        expect(answer.body).not.toContain('SECRET');
        expect(answer.body).toMatch(/^only http:\/\/127\.0\.0\.1:\d+\/ is served here\n$/);
      }
      // no Host at all: node's HTTP/1.1 server refuses it (400) before the page is looked at
      const without = await getWithHost(server.port, undefined);
      expect(without.status).toBe(400);
      expect(without.body).not.toContain('SECRET');
    } finally {
      expect((await server.stop()).error).toBeUndefined();
    }
  });

  it.each([
    ['a symlinked page', (cwd: string) => {
      writeFileSync(join(cwd, 'secret.txt'), 'SECRET', { mode: 0o600 });
      symlinkSync(join(cwd, 'secret.txt'), join(cwd, 'ReportOutput.csv.html'));
    }, /is a symbolic link/],
    ['a directory named like the page', (cwd: string) => mkdirSync(join(cwd, 'ReportOutput.csv.html')), /is not a regular file/],
  ])('show (with or without --serve) refuses %s with exit 2', async (_what, make, message) => {
    const cwd = tempDir('dap-show-link-');
    make(cwd);
    for (const args of [['show'], ['show', 'ReportOutput.csv.html'], ['show', '--serve'], ['show', 'ReportOutput.csv', '--serve', '0']]) {
      const show = await runGraph(args, { cwd });
      expect(show.error).toMatchObject({ code: 'PAGE_NOT_SERVABLE', exitCode: 2 });
      expect((show.error as Error).message).toMatch(message);
      expect((show.error as Error).message).toContain(join(cwd, 'ReportOutput.csv.html'));
      expect(show.stdout).toBe('');
    }
  });

  it('--serve answers 404 once the page has become a symlink or a directory, and the page again once it is a file', async () => {
    const cwd = tempDir('dap-show-swap-');
    const page = join(cwd, 'ReportOutput.csv.html');
    writeFileSync(page, pageText);
    writeFileSync(join(cwd, 'secret.txt'), 'SECRET', { mode: 0o600 });
    const server = await serving(cwd);
    try {
      expect((await fetch(server.url)).status).toBe(200);
      rmSync(page);
      symlinkSync(join(cwd, 'secret.txt'), page);
      let response = await fetch(server.url);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('SECRET');
      rmSync(page);
      mkdirSync(page);
      response = await fetch(server.url);
      expect(response.status).toBe(404);
      rmSync(page, { recursive: true });
      writeFileSync(page, pageText);
      response = await fetch(server.url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(pageText);
    } finally {
      await server.stop();
    }
  });

  it.each([['0x50'], ['1e3'], [''], ['65536'], [' 80'], ['80 '], ['+80'], ['८०'], ['80.0'], ['-0']])('--serve=%j is a usage error naming the value', async (value) => {
    const cwd = tempDir('dap-show-port-');
    writeFileSync(join(cwd, 'ReportOutput.csv.html'), pageText);
    const show = await runGraph(['show', `--serve=${value}`], { cwd });
    expect(show.error).toMatchObject({ code: 'INVALID_ARGUMENT', exitCode: 2 });
    expect((show.error as Error).message).toContain(`'${value}'`);
    expect(show.stdout).toBe('');
  });
});
