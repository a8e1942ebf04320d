import cliProgress from 'cli-progress';
import { terminalText } from '../common/terminal-text.js';

export interface ProgressCounts {
  done: number;
  failed: number;
  remaining: number;
}

/** Shows how far a run is: a bar on a terminal, periodic lines otherwise, nothing when quiet. */
export interface Progress {
  start(total: number): void;
  update(counts: ProgressCounts): void;
  /** A line of its own between progress updates; control characters in it are shown, not obeyed (terminalText). */
  log(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  quiet: boolean;
  /** Plain mode: at most one line per interval (and always one at the end). */
  intervalMs?: number;
  now?: () => number;
}

export function createProgress(options: ProgressOptions): Progress {
  if (options.quiet) return { start() {}, update() {}, log() {}, stop() {} };
  if (options.stream.isTTY) return new BarProgress(options.stream);
  return new LineProgress(options.stream, options.intervalMs ?? 5_000, options.now ?? Date.now);
}

class BarProgress implements Progress {
  private readonly bar: cliProgress.SingleBar;

  constructor(private readonly stream: NodeJS.WritableStream) {
    this.bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{bar} {value}/{total} tenants | done {done} | failed {failed} | remaining {remaining} | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  start(total: number): void {
    this.bar.start(total, 0, { done: 0, failed: 0, remaining: total });
  }

  update(counts: ProgressCounts): void {
    this.bar.update(counts.done + counts.failed, { ...counts });
  }

  log(line: string): void {
    this.stream.write(`\r\x1b[K${terminalText(line)}\n`);
  }

  stop(): void {
    this.bar.stop();
  }
}

class LineProgress implements Progress {
  private last = 0;
  private total = 0;
  private counts: ProgressCounts = { done: 0, failed: 0, remaining: 0 };
  private started = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  start(total: number): void {
    this.total = total;
    this.started = this.now();
    this.last = this.started;
    this.counts = { done: 0, failed: 0, remaining: total };
    this.stream.write(`dap-report: ${total} tenant${total === 1 ? '' : 's'} to run\n`);
  }

  update(counts: ProgressCounts): void {
    this.counts = counts;
    if (this.now() - this.last >= this.intervalMs) this.print();
  }

  log(line: string): void {
    this.stream.write(`${terminalText(line)}\n`);
  }

  stop(): void {
    this.print();
  }

  private print(): void {
    this.last = this.now();
    const finished = this.counts.done + this.counts.failed;
    const elapsed = this.last - this.started;
    const eta = finished > 0 && this.counts.remaining > 0 ? ` eta ${Math.round(((elapsed / finished) * this.counts.remaining) / 1000)} s` : '';
    this.stream.write(
      `dap-report: ${finished}/${this.total} tenants, done ${this.counts.done}, failed ${this.counts.failed}, remaining ${this.counts.remaining}${eta}\n`,
    );
  }
}
