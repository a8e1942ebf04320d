import { Transform, type TransformCallback } from 'node:stream';

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Appends `extra` empty fields to every record of a CSV stream written in the runtime's own
 * dialect (csvDialect: CRLF between records, `"` quoting, `""` inside quotes). It does not parse
 * fields: a record ends at a CRLF outside quotes, and quote state flips at every `"` (an escaped
 * `""` flips twice). This lets the merge widen a part whose columns are a prefix of the output's
 * without re-encoding it; anything not in that dialect goes through csv-parse instead.
 */
export class PadRecords extends Transform {
  private inQuotes = false;
  /** A CR at the end of the previous chunk, held back until we know whether LF follows. */
  private pendingCr = false;
  private readonly padding: Buffer;

  constructor(extra: number) {
    super();
    this.padding = Buffer.from(','.repeat(extra), 'utf8');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const out: Buffer[] = [];
    let start = 0;
    let i = 0;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (chunk[0] === LF && !this.inQuotes) {
        out.push(this.padding, Buffer.from([CR, LF]));
        start = 1;
        i = 1;
      } else {
        out.push(Buffer.from([CR]));
      }
    }
    while (i < chunk.length) {
      const quote = chunk.indexOf(QUOTE, i);
      if (this.inQuotes) {
        if (quote === -1) break;
        this.inQuotes = false;
        i = quote + 1;
        continue;
      }
      const lf = chunk.indexOf(LF, i);
      if (lf !== -1 && (quote === -1 || lf < quote)) {
        if (lf > 0 && chunk[lf - 1] === CR) {
          out.push(chunk.subarray(start, lf - 1), this.padding, Buffer.from([CR, LF]));
          start = lf + 1;
        }
        i = lf + 1;
        continue;
      }
      if (quote === -1) break;
      this.inQuotes = true;
      i = quote + 1;
    }
    let end = chunk.length;
    if (!this.inQuotes && end > start && chunk[end - 1] === CR) {
      this.pendingCr = true;
      end -= 1;
    }
    out.push(chunk.subarray(start, end));
    callback(null, Buffer.concat(out));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.pendingCr ? Buffer.from([CR]) : null);
  }
}
