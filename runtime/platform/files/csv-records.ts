import { promises as fs } from 'node:fs';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A CSV file that is not well formed: a stray quote, a bare CR, a file that ends inside quotes … */
export class CsvShapeError extends Error {
  override name = 'CsvShapeError';
}

/**
 * Where the complete records of a chunk are, as byte offsets, found by scanRecords without
 * decoding a field. Record r spans recordStarts[r] up to its terminator at recordEnds[r] (the LF,
 * or the CR of a CRLF). Its fields are numbers firstField(r) to fieldsUpTo[r] - 1; field f ends at
 * fieldEnds[f] (its comma or the terminator) and starts at the record's start (the record's first
 * field) or one byte after the previous field's end.
 */
export class RecordBounds {
  records = 0;
  /** The offset just after the last complete record: where the next chunk must start. */
  consumed = 0;
  recordStarts = new Int32Array(4096);
  recordEnds = new Int32Array(4096);
  fieldsUpTo = new Int32Array(4096);
  fieldEnds = new Int32Array(65536);

  firstField(record: number): number {
    return record === 0 ? 0 : this.fieldsUpTo[record - 1]!;
  }

  fieldCount(record: number): number {
    return this.fieldsUpTo[record]! - this.firstField(record);
  }

  fieldStart(record: number, field: number): number {
    return field === this.firstField(record) ? this.recordStarts[record]! : this.fieldEnds[field - 1]! + 1;
  }

  /** Room for one more record and `fields` more fields. */
  grow(fields: number): void {
    if (this.records >= this.recordStarts.length) {
      this.recordStarts = doubled(this.recordStarts);
      this.recordEnds = doubled(this.recordEnds);
      this.fieldsUpTo = doubled(this.fieldsUpTo);
    }
    while (fields >= this.fieldEnds.length) this.fieldEnds = doubled(this.fieldEnds);
  }
}

function doubled(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * Finds the complete records in `chunk` from `start`: RFC 4180 records (fields quoted with `"`, a
 * `""` inside quotes, or unquoted without quotes, CR or LF), ended by LF or CRLF, as Export-Csv and
 * csv-stringify write them. A quoted field is skipped with indexOf from quote to quote, so the cost
 * is per field, not per byte. A record cut by the end of the chunk is left for the next one
 * (`consumed` says where it starts). Throws CsvShapeError on bytes no RFC 4180 file holds.
 */
export function scanRecords(chunk: Buffer, start: number, bounds: RecordBounds): void {
  const end = chunk.length;
  let i = start;
  let fields = 0;
  let records = 0;
  let recordStart = start;
  bounds.records = 0;
  bounds.consumed = start;
  while (i < end) {
    if (fields + 1 >= bounds.fieldEnds.length || records >= bounds.recordStarts.length) {
      bounds.records = records;
      bounds.grow(fields + 1);
    }
    if (chunk[i] === QUOTE) {
      let q = chunk.indexOf(QUOTE, i + 1);
      while (q !== -1 && q + 1 < end && chunk[q + 1] === QUOTE) q = chunk.indexOf(QUOTE, q + 2);
      // no closing quote yet, or nothing after it yet: the record goes on in the next chunk
      if (q === -1 || q + 1 >= end) break;
      i = q + 1;
    } else {
      let c = chunk[i]!;
      while (c !== COMMA && c !== LF && c !== CR) {
        if (c === QUOTE) throw new CsvShapeError(`a quote inside an unquoted field (byte ${i})`);
        if (++i === end) break;
        c = chunk[i]!;
      }
      if (i === end) break;
    }
    bounds.fieldEnds[fields++] = i;
    const c = chunk[i];
    if (c === COMMA) {
      i += 1;
      continue;
    }
    let next: number;
    if (c === LF) next = i + 1;
    else if (c === CR) {
      if (i + 1 >= end) break;
      if (chunk[i + 1] !== LF) throw new CsvShapeError(`a CR that is not followed by LF outside quotes (byte ${i})`);
      next = i + 2;
    } else {
      throw new CsvShapeError(`${JSON.stringify(String.fromCharCode(c!))} right after a closing quote (byte ${i})`);
    }
    bounds.recordStarts[records] = recordStart;
    bounds.recordEnds[records] = i;
    bounds.fieldsUpTo[records] = fields;
    records += 1;
    i = next;
    recordStart = next;
    bounds.consumed = next;
  }
  bounds.records = records;
}

/** The chunks of complete records a file holds, in order; each chunk is valid until the next one is asked for. */
export interface RecordChunk {
  chunk: Buffer;
  bounds: RecordBounds;
}

/**
 * Reads a CSV file as chunks of whole records (about `chunkSize` bytes each, more when a single
 * record is longer), without a BOM. A last record without a line break counts as ended by one.
 * Memory stays at about two chunks whatever the file's size.
 */
export async function* readRecords(path: string, chunkSize = 1 << 20): AsyncGenerator<RecordChunk> {
  const handle = await fs.open(path, 'r');
  const bounds = new RecordBounds();
  // the next block is read into `incoming` while the records before it are used
  const incoming = Buffer.allocUnsafe(chunkSize);
  let reading: Promise<{ bytesRead: number }> | undefined = handle.read(incoming, 0, chunkSize, null);
  let buffer = Buffer.allocUnsafe(chunkSize * 2 + 1);
  let filled = 0;
  let start = -1;
  try {
    while (reading) {
      const { bytesRead } = await reading;
      reading = undefined;
      // one byte stays free for the line break a last record may lack
      if (filled + bytesRead + 1 > buffer.length) {
        const bigger = Buffer.allocUnsafe(Math.max(buffer.length * 2, filled + bytesRead + 1));
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
      }
      filled += incoming.copy(buffer, filled, 0, bytesRead);
      if (bytesRead > 0) reading = handle.read(incoming, 0, chunkSize, null);
      else if (filled > 0 && buffer[filled - 1] !== LF) buffer[filled++] = LF;
      if (start < 0) {
        if (filled < BOM.length && reading) continue;
        start = buffer.subarray(0, BOM.length).equals(BOM) ? BOM.length : 0;
      }
      const chunk = buffer.subarray(0, filled);
      scanRecords(chunk, start, bounds);
      if (bounds.records > 0) yield { chunk, bounds };
      const rest = filled - bounds.consumed;
      if (!reading && rest > 0) throw new CsvShapeError('the file ends inside a quoted field');
      buffer.copy(buffer, 0, bounds.consumed, filled);
      filled = rest;
      start = 0;
    }
  } finally {
    await reading?.catch(() => undefined);
    await handle.close();
  }
}

/** A field's text: quotes removed and `""` made `"` when it is quoted. */
export function decodeField(chunk: Buffer, start: number, end: number): string {
  if (end > start && chunk[start] === QUOTE) return chunk.toString('utf8', start + 1, end - 1).replaceAll('""', '"');
  return chunk.toString('utf8', start, end);
}

/** A record's fields as text. */
export function decodeRecord(chunk: Buffer, bounds: RecordBounds, record: number): string[] {
  const fields: string[] = [];
  for (let f = bounds.firstField(record); f < bounds.fieldsUpTo[record]!; f += 1) {
    fields.push(decodeField(chunk, bounds.fieldStart(record, f), bounds.fieldEnds[f]!));
  }
  return fields;
}

/** A field as the output writes it: always quoted, `"` doubled. */
export function quoteField(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}
