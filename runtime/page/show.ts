import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { readBoundedBytes, readBoundedFile } from '../../common/bounded-read.js';
import { DapError, ExitCode } from '../../common/dap-error.js';
import { inputLimits } from '../../common/input-limits.js';
import { tty, writeTerminal } from '../../common/terminal-text.js';
import type { RuntimeDeps } from '../runtime-deps.js';
import { summaryLine, type RunSummary } from '../summary.js';
import { pagePathFor } from './write-page.js';

export interface ShowOptions {
  open?: boolean;
  /** true (a free port) or the port given. */
  serve?: boolean | string;
}

type ShowDeps = Pick<RuntimeDeps, 'cwd' | 'env' | 'stdout' | 'stderr' | 'signals'>;

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function parsePort(value: string | boolean | undefined): number {
  if (value === undefined || value === true) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new DapError('INVALID_ARGUMENT', ExitCode.usage, `--serve ${String(value)}: a port is a whole number from 0 to 65535`);
  return port;
}

/**
 * `dap-report show <out>`: prints where the run page is and the run's summary line; --open hands
 * it to the desktop (xdg-open), --serve serves that one file on 127.0.0.1 until SIGINT/SIGTERM.
 */
export async function showRun(out: string, options: ShowOptions, deps: ShowDeps): Promise<void> {
  const port = parsePort(options.serve);
  const target = resolve(deps.cwd, out);
  const page = target.endsWith('.html') && existsSync(target) ? target : pagePathFor(target);
  if (!existsSync(page)) {
    throw new DapError('PAGE_NOT_FOUND', ExitCode.usage, `no run page at ${page}: a run writes it beside its output (dap-report run --out ${out}), unless run with --no-page`);
  }
  writeTerminal(deps.stdout, tty`${page}`);
  const summaryPath = `${page.replace(/\.html$/, '')}.summary.json`;
  try {
    writeTerminal(deps.stdout, summaryLine(JSON.parse(readBoundedFile(summaryPath, inputLimits.runFile)) as RunSummary));
  } catch {
    // the page holds everything; a missing or unreadable summary only loses this line
  }
  if (options.open) {
    const opener = onPath('xdg-open', deps.env);
    if (!opener) writeTerminal(deps.stderr, tty`dap-report: xdg-open is not installed; open ${page} in a browser`);
    else spawn(opener, [page], { detached: true, stdio: 'ignore' }).on('error', () => undefined).unref();
  }
  if (options.serve !== undefined && options.serve !== false) await serve(page, port, deps);
}

async function serve(page: string, port: number, deps: ShowDeps): Promise<void> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/' && path !== '/index.html') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    // read on every request: a --resume run that rewrites the page is seen on reload
    Promise.resolve()
      .then(() => readBoundedBytes(page, inputLimits.runFile))
      .then(
      (body) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(request.method === 'HEAD' ? undefined : body),
      () => response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('the page is gone\n'),
    );
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new DapError('SERVE_FAILED', ExitCode.usage, `cannot serve on 127.0.0.1:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`)),
    );
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
  const { port: bound } = server.address() as AddressInfo;
  writeTerminal(deps.stdout, tty`serving http://127.0.0.1:${bound}/ (Ctrl-C to stop)`);
  await new Promise<void>((stopped) => {
    const stop = () => {
      deps.signals.off('SIGINT', stop);
      deps.signals.off('SIGTERM', stop);
      server.closeAllConnections();
      server.close(() => stopped());
    };
    deps.signals.on('SIGINT', stop);
    deps.signals.on('SIGTERM', stop);
  });
}
