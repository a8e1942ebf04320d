import { spawn } from 'node:child_process';
import { constants, existsSync, promises as fs } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { readBoundedFile } from '../../../common/bounded-read.js';
import { DapError, ExitCode } from '../../../common/dap-error.js';
import { formatSize, inputLimits } from '../../../common/input-limits.js';
import { parsePortNumber } from '../../../common/port.js';
import { tty, writeTerminal } from '../../../common/terminal-text.js';
import type { RuntimeDeps } from '../../backends/runtime-deps.js';
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

/** The port of --serve: none (true) picks a free one. */
function servePort(value: string | boolean | undefined): number {
  if (value === undefined || typeof value === 'boolean') return 0;
  const port = parsePortNumber(value);
  if (port === undefined) throw new DapError('INVALID_ARGUMENT', ExitCode.usage, `--serve '${value}': a port is written in decimal digits, 0 to 65535`);
  return port;
}

/**
 * The page's bytes, read through a handle that is the page itself: opened without following a
 * symbolic link (a link could hand out any file its owner can read) and a regular file. Answers
 * why not otherwise.
 */
async function readPage(page: string): Promise<{ body: Buffer } | { problem: string }> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(page, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { problem: 'is a symbolic link' };
    if (code === 'ENOENT') return { problem: 'does not exist' };
    return { problem: `cannot be read (${code ?? (error as Error).message})` };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { problem: 'is not a regular file' };
    if (stats.size > inputLimits.runFile) return { problem: `is larger than ${formatSize(inputLimits.runFile)}, the most that is read` };
    return { body: await handle.readFile() };
  } catch (error) {
    return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  } finally {
    await handle.close();
  }
}

/**
 * `dap-report show <out>`: prints where the run page is and the run's summary line; --open hands
 * it to the desktop (xdg-open), --serve serves that one file on 127.0.0.1 until SIGINT/SIGTERM.
 */
export async function showRun(out: string, options: ShowOptions, deps: ShowDeps): Promise<void> {
  const port = servePort(options.serve);
  const target = resolve(deps.cwd, out);
  const page = target.endsWith('.html') && existsSync(target) ? target : pagePathFor(target);
  if (!existsSync(page)) {
    throw new DapError('PAGE_NOT_FOUND', ExitCode.usage, `no run page at ${page}: a run writes it beside its output (dap-report run --out ${out}), unless run with --no-page`);
  }
  const readable = await readPage(page);
  if ('problem' in readable) {
    throw new DapError('PAGE_NOT_SERVABLE', ExitCode.usage, `${page} ${readable.problem}: show takes the run page a run wrote, a regular file`);
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
  let bound = 0;
  const server = createServer((request, response) => {
    // DNS rebinding: a page elsewhere whose name now points at 127.0.0.1 would send its own Host
    if (!servedHost(request, bound)) {
      response.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end(`only http://127.0.0.1:${bound}/ is served here\n`);
      return;
    }
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
    void readPage(page).then((read) => {
      if ('problem' in read) response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('the page is gone\n');
      else response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(request.method === 'HEAD' ? undefined : read.body);
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new DapError('SERVE_FAILED', ExitCode.usage, `cannot serve on 127.0.0.1:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`)),
    );
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
  bound = (server.address() as AddressInfo).port;
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

/** True when the request names this server as the browser was told it: 127.0.0.1 or localhost, at the bound port. */
function servedHost(request: Pick<IncomingMessage, 'headers'>, port: number): boolean {
  const host = request.headers.host?.toLowerCase();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}
