import cliProgress from 'cli-progress';
import { joinTerminal, type TerminalText, tty, writeTerminal } from '../../common/terminal-text.js';

export interface ProgressCounts {
  done: number;
  failed: number;
  remaining: number;
}

/** A tenant whose attempt is running, as the progress names it. */
export interface RunningTenantView {
  domain: string;
  startedAt: number;
}

/** Shows how far a run is: a bar on a terminal, periodic lines otherwise, nothing when quiet. */
export interface Progress {
  start(total: number): void;
  update(counts: ProgressCounts): void;
  /** A line of its own between progress updates. */
  log(line: TerminalText): void;
  stop(): void;
}

export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  quiet: boolean;
  /** Plain mode: at most one line per interval (and always one at the end, and one per interval while tenants run). */
  intervalMs?: number;
  now?: () => number;
  /** The tenants running now, longest first: named once few tenants are left, so a hung one is visible. */
  running?: () => RunningTenantView[];
}

/** Once this few tenants remain, the progress names the ones still running. */
export const NAME_RUNNING_WHEN_REMAINING = 5;

export function createProgress(options: ProgressOptions): Progress {
  if (options.quiet) return { start() {}, update() {}, log() {}, stop() {} };
  const tail = new RunningTail(options.running ?? (() => []), options.now ?? Date.now);
  if (options.stream.isTTY) return new BarProgress(options.stream, tail);
  return new LineProgress(options.stream, options.intervalMs ?? 5_000, options.now ?? Date.now, tail);
}

function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${seconds % 60} s`;
}

/** The "still running: …" text, when few tenants remain. */
class RunningTail {
  constructor(
    private readonly running: () => RunningTenantView[],
    private readonly now: () => number,
  ) {}

  text(remaining: number): TerminalText | undefined {
    if (remaining > NAME_RUNNING_WHEN_REMAINING) return undefined;
    const running = this.running();
    if (running.length === 0) return undefined;
    const now = this.now();
    return tty`still running: ${joinTerminal(running.map((t) => tty`${t.domain} (${duration(now - t.startedAt)})`), ', ')}`;
  }
}

class BarProgress implements Progress {
  private readonly bar: cliProgress.SingleBar;
  private counts: ProgressCounts = { done: 0, failed: 0, remaining: 0 };
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly tail: RunningTail,
  ) {
    this.bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{bar} {value}/{total} tenants | done {done} | failed {failed} | remaining {remaining} | ETA {eta_formatted}{running}',
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  start(total: number): void {
    this.bar.start(total, 0, { done: 0, failed: 0, remaining: total, running: '' });
    this.ticker = setInterval(() => this.render(), 1_000);
    this.ticker.unref();
  }

  update(counts: ProgressCounts): void {
    this.counts = counts;
    this.render();
  }

  log(line: TerminalText): void {
    // the bar's own line cleared first: the line takes its place, the bar is drawn again below
    writeTerminal(this.stream, tty`\r\x1b[K${line}`);
  }

  stop(): void {
    clearInterval(this.ticker);
    this.render();
    this.bar.stop();
  }

  private render(): void {
    const running = this.tail.text(this.counts.remaining);
    this.bar.update(this.counts.done + this.counts.failed, { ...this.counts, running: running ? ` | ${running.text}` : '' });
  }
}

class LineProgress implements Progress {
  private last = 0;
  private total = 0;
  private counts: ProgressCounts = { done: 0, failed: 0, remaining: 0 };
  private started = 0;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly tail: RunningTail,
  ) {}

  start(total: number): void {
    this.total = total;
    this.started = this.now();
    this.last = this.started;
    this.counts = { done: 0, failed: 0, remaining: total };
    writeTerminal(this.stream, tty`dap-report: ${total} tenant${total === 1 ? '' : 's'} to run`);
    // a line per interval even when no tenant finishes, so a long tail is never silent
    if (this.intervalMs > 0) {
      this.ticker = setInterval(() => this.update(this.counts), this.intervalMs);
      this.ticker.unref();
    }
  }

  update(counts: ProgressCounts): void {
    this.counts = counts;
    if (this.now() - this.last >= this.intervalMs) this.print();
  }

  log(line: TerminalText): void {
    writeTerminal(this.stream, line);
  }

  stop(): void {
    clearInterval(this.ticker);
    this.print();
  }

  private print(): void {
    this.last = this.now();
    const finished = this.counts.done + this.counts.failed;
    const elapsed = this.last - this.started;
    const eta = finished > 0 && this.counts.remaining > 0 ? ` eta ${Math.round(((elapsed / finished) * this.counts.remaining) / 1000)} s` : '';
    const running = this.tail.text(this.counts.remaining);
    writeTerminal(
      this.stream,
      tty`dap-report: ${finished}/${this.total} tenants, done ${this.counts.done}, failed ${this.counts.failed}, remaining ${this.counts.remaining}${eta}${running ? tty`; ${running}` : ''}`,
    );
  }
}
