import { readBoundedFile } from '../../../common/bounded-read.js';
import { inputLimits } from '../../../common/input-limits.js';
import { writeFileAtomic } from '../../../common/output-path.js';

/**
 * The report requests of the last window, kept in the run directory (graph-requests.json) so a
 * resumed run (a new process) still knows how many requests each tenant has had. Holds only
 * tenant ids, report function names and times: no tokens, no URLs.
 */
export class RequestLogFile {
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  read(): Record<string, number[]> {
    try {
      const value = JSON.parse(readBoundedFile(this.path, inputLimits.runFile)) as { format?: unknown; requests?: unknown };
      if (value.format !== 1 || typeof value.requests !== 'object' || value.requests === null) return {};
      return value.requests as Record<string, number[]>;
    } catch {
      return {};
    }
  }

  /** Saves the log; saves are serialised so the file always holds the latest complete state. */
  save(requests: Record<string, number[]>): Promise<void> {
    const text = `${JSON.stringify({ format: 1, requests })}\n`;
    const next = this.chain.then(() => writeFileAtomic(this.path, text));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Waits for the saves under way. */
  flush(): Promise<void> {
    return this.chain;
  }
}
