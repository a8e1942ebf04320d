import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { tempPathFor } from '../../common/output-path.js';
import { replaceFile } from '../../common/output-path.js';
import { headerLine, readCsvHeader, recordEnd, remotingColumns } from '../platform/files/csv-files.js';
import { CsvShapeError, quoteField, readRecords, type RecordBounds } from '../platform/files/csv-records.js';
import { compareTenants } from './manifest.js';
import { drained } from '../platform/files/stream-drain.js';
import { withPath } from '../../common/machine-error.js';
import { excelSafeCell, formulaStarts } from '../../common/excel-safe.js';
import { tenantKeyColumns } from '../../common/output-columns.js';

export { excelSafeCell } from '../../common/excel-safe.js';

export interface MergePart {
  tenantId: string;
  domain: string;
  path: string;
  /** The part's row count as the spool recorded it; a part that holds another number is an error. */
  rows?: number;
  /** The customer's name (its partner contract's), for the CustomerName column; empty when unknown. */
  customerName?: string;
}

export interface MergeOptions {
  /** Start the file with a UTF-8 byte order mark, for Excel. */
  bom?: boolean;
  /** Prefix a single quote to cells (header cells too) that a spreadsheet would run as a formula. */
  excelSafe?: boolean;
  /** The report's declared columns: always in the output, in this order, even when no part has them. */
  columns?: readonly string[];
}

export interface MergeResult {
  columns: string[];
  rows: number;
  /** Columns found in the parts that the report does not declare (empty without `columns`). */
  undeclared: string[];
  /** The tenants' own columns named like one the merge writes, and the names they are kept under (see ownColumns). */
  renamed: RenamedColumn[];
}

export interface RenamedColumn {
  column: string;
  as: string;
}

/** The columns every output starts with, filled from the tenant where a part has none or leaves them empty. */
const leading: readonly string[] = tenantKeyColumns;

/** TenantId, TenantDomain, CustomerName, then every other column in the order it is first seen (remoting columns left out). */
export function unionColumns(headers: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>(leading);
  const columns = [...leading];
  for (const header of headers) {
    for (const column of header) {
      if (seen.has(column) || remotingColumns.has(column)) continue;
      seen.add(column);
      columns.push(column);
    }
  }
  return columns;
}

/**
 * A part's header as the merge reads it. Its first TenantId and TenantDomain are the tenant's keys
 * (the module and the runners write them); any other column by the name of one the merge writes
 * itself (a CustomerName, a second TenantId in a service's own fields) is the tenant's data, kept as
 * `Service_<name>` (`Service_<name>_2`, … when the part has that name too) instead of being lost
 * under the merge's own column.
 */
export function ownColumns(header: readonly string[]): { columns: string[]; renamed: RenamedColumn[] } {
  const keys = new Set<string>(leading.slice(0, 2));
  const taken = new Set(header);
  const renamed: RenamedColumn[] = [];
  const columns = header.map((column) => {
    if (keys.delete(column) || !(leading as readonly string[]).includes(column)) return column;
    let as = `Service_${column}`;
    for (let n = 2; taken.has(as); n += 1) as = `Service_${column}_${n}`;
    taken.add(as);
    renamed.push({ column, as });
    return as;
  });
  return { columns, renamed };
}

const formulaStartBytes = new Set([...formulaStarts].map((c) => c.charCodeAt(0)));

const QUOTE = 0x22;
const QUOTE_BYTE = Buffer.from('"', 'latin1');
const COMMA_BYTE = Buffer.from(',', 'latin1');
const CRLF = Buffer.from(recordEnd, 'latin1');
const EMPTY = Buffer.from('""', 'latin1');
const SAFE_OPEN = Buffer.from(`"'`, 'latin1');

/**
 * Bytes gathered into large buffers and handed to the output stream a buffer at a time; a buffer
 * comes back for reuse once the stream has written it, so memory stays flat.
 */
class ByteSink {
  private static readonly size = 1 << 20;
  private readonly spare: Buffer[] = [];
  private buffer: Buffer = Buffer.allocUnsafe(ByteSink.size);
  private pos = 0;
  private readonly full: Buffer[] = [];

  constructor(private readonly output: WriteStream) {}

  /** Makes room for `bytes` more. */
  room(bytes: number): void {
    if (this.pos + bytes > this.buffer.length) this.retire(bytes);
  }

  /** Queues the current buffer for writing and takes an empty one of at least `bytes`. */
  private retire(bytes: number): void {
    if (this.pos > 0) this.full.push(this.buffer.subarray(0, this.pos));
    this.buffer = bytes <= ByteSink.size ? (this.spare.pop() ?? Buffer.allocUnsafe(ByteSink.size)) : Buffer.allocUnsafe(bytes);
    this.pos = 0;
  }

  /** Copies bytes; the room must have been made. A short run is copied here: a call into Buffer.copy costs more. */
  put(source: Buffer, start: number, end: number): void {
    if (end - start > 48) {
      this.pos += source.copy(this.buffer, this.pos, start, end);
      return;
    }
    const buffer = this.buffer;
    let pos = this.pos;
    for (let i = start; i < end; i += 1) buffer[pos++] = source[i]!;
    this.pos = pos;
  }

  /** Hands the full buffers (and with `all` the current one) to the stream; waits while it is full. */
  async flush(all = false): Promise<void> {
    if (all && this.pos > 0) this.retire(0);
    for (const buffer of this.full.splice(0)) {
      // a buffer of the usual size (not a larger one made for a long record) comes back whole
      const reuse = buffer.byteOffset === 0 && buffer.buffer.byteLength === ByteSink.size;
      const more = this.output.write(buffer, () => {
        if (reuse && this.spare.length < 16) this.spare.push(Buffer.from(buffer.buffer, 0, ByteSink.size));
      });
      if (!more) await drained(this.output);
    }
  }
}

/**
 * How one part becomes output records: for each output column, the part's field that fills it
 * (-1: none, the cell is empty).
 */
interface PartPlan {
  sources: Int32Array;
  /**
   * The part's columns are TenantId, TenantDomain, then the output's columns after CustomerName, in
   * order: its records are copied as bytes, with the customer's name put in after TenantDomain.
   */
  copyable: boolean;
  /** `"<tenant id>","<tenant domain>","<customer name>"`: what a copied record starts with, in place of its own key cells. */
  keyFields: Buffer;
  /** The empty fields that pad a copied record to the output's width, then its line break. */
  tail: Buffer;
  /** The quoted TenantId, TenantDomain and CustomerName: the run's, whatever the part says. */
  keys: Buffer[];
  /** Their length in all. */
  keysLength: number;
}

function planPart(part: MergePart, own: readonly string[], columns: readonly string[], excelSafe: boolean): PartPlan {
  const index = new Map<string, number>();
  own.forEach((column, i) => {
    if (!index.has(column)) index.set(column, i);
  });
  const sources = Int32Array.from(columns, (column) => index.get(column) ?? -1);
  const rest = columns.slice(leading.length);
  const copyable = own[0] === leading[0] && own[1] === leading[1] && own.length - 2 <= rest.length && own.slice(2).every((column, i) => column === rest[i]);
  const keys = [part.tenantId, part.domain, part.customerName ?? ''].map((value) => Buffer.from(quoteField(excelSafe ? excelSafeCell(value) : value), 'utf8'));
  return {
    sources,
    copyable,
    keyFields: Buffer.concat([keys[0]!, COMMA_BYTE, keys[1]!, COMMA_BYTE, keys[2]!]),
    tail: Buffer.from(`${',""'.repeat(copyable ? rest.length - (own.length - 2) : 0)}${recordEnd}`, 'latin1'),
    keys,
    keysLength: keys.reduce((n, key) => n + key.length, 0),
  };
}

/** Writes one record field by field in the output's column order. */
function writeMapped(sink: ByteSink, chunk: Buffer, bounds: RecordBounds, record: number, plan: PartPlan, excelSafe: boolean): void {
  const first = bounds.firstField(record);
  const { sources } = plan;
  sink.room(bounds.recordEnds[record]! - bounds.recordStarts[record]! + sources.length * 5 + plan.keysLength + 2);
  for (let c = 0; c < sources.length; c += 1) {
    if (c > 0) sink.put(COMMA_BYTE, 0, 1);
    const source = sources[c]!;
    const f = first + source;
    const start = source < 0 ? 0 : bounds.fieldStart(record, f);
    const end = source < 0 ? 0 : bounds.fieldEnds[f]!;
    if (c < leading.length) {
      // the tenant's key cells are the run's (one TenantDomain on every backend), not the part's
      const key = plan.keys[c]!;
      sink.put(key, 0, key.length);
    } else if (source < 0) {
      sink.put(EMPTY, 0, 2);
    } else if (excelSafe && end > start && formulaStartBytes.has(chunk[chunk[start] === QUOTE ? start + 1 : start]!)) {
      // `"'` then the value: a quoted field's own opening quote is dropped, an unquoted one is closed
      sink.put(SAFE_OPEN, 0, 2);
      if (chunk[start] === QUOTE) sink.put(chunk, start + 1, end);
      else {
        sink.put(chunk, start, end);
        sink.put(QUOTE_BYTE, 0, 1);
      }
    } else {
      sink.put(chunk, start, end);
    }
  }
  sink.put(CRLF, 0, 2);
}

/** Appends a part's records; answers how many there were. */
async function appendPart(sink: ByteSink, part: MergePart, plan: PartPlan, width: number, excelSafe: boolean): Promise<number> {
  let rows = -1; // the header is the first record
  const copy = plan.copyable && !excelSafe;
  for await (const { chunk, bounds } of readRecords(part.path)) {
    for (let r = rows < 0 ? 1 : 0; r < bounds.records; r += 1) {
      if (bounds.fieldCount(r) !== width) throw new CsvShapeError(`row ${rows + r + 1} has ${bounds.fieldCount(r)} fields, the header has ${width}`);
      const first = bounds.firstField(r);
      const domainEnd = bounds.fieldEnds[first + 1]!;
      // a copied record keeps its bytes after its key cells, which are the run's
      if (copy) {
        const end = bounds.recordEnds[r]!;
        sink.room(end - domainEnd + plan.keyFields.length + plan.tail.length);
        sink.put(plan.keyFields, 0, plan.keyFields.length);
        sink.put(chunk, domainEnd, end);
        sink.put(plan.tail, 0, plan.tail.length);
      } else {
        writeMapped(sink, chunk, bounds, r, plan, excelSafe);
      }
    }
    rows += bounds.records;
    await sink.flush();
  }
  return Math.max(rows, 0);
}

/**
 * Merges per-tenant CSV parts into one file by streaming: only the headers are read up front (to
 * know the union of columns), then each part's records are appended in turn, so memory does not
 * grow with the number of rows. No field is decoded: the record scanner finds where records and
 * fields are, a part whose columns are the output's (CustomerName aside) has each record copied as
 * bytes (the customer's name put in, widened with empty fields, its line break made CRLF), and any other part (columns in another
 * order, missing in the middle, remoting columns, --excel-safe) is rewritten field by field from
 * the same offsets. Parts are taken in a fixed order (domain, then TenantId), so the same inputs
 * give byte-identical output. The file is written under a temporary name and renamed, so `outPath`
 * is either the previous file or the complete new one.
 */
export async function mergeParts(parts: readonly MergePart[], outPath: string, options: MergeOptions = {}): Promise<MergeResult> {
  const ordered = [...parts].sort(compareTenants);
  const headers: string[][] = [];
  const renamed = new Map<string, RenamedColumn>();
  for (const part of ordered) {
    const own = ownColumns(await readCsvHeader(part.path));
    headers.push(own.columns);
    for (const r of own.renamed) renamed.set(r.as, r);
  }
  const declared = options.columns ?? [];
  const columns = unionColumns([declared, ...headers]);
  const known = new Set([...leading, ...declared]);
  const undeclared = declared.length ? columns.filter((c) => !known.has(c)) : [];
  const excelSafe = options.excelSafe ?? false;

  const temp = tempPathFor(outPath);
  // a deep queue: the next records are made while the previous ones are written
  const output = createWriteStream(temp, { flags: 'wx', highWaterMark: 8 << 20 });
  const closed = once(output, 'close');
  closed.catch(() => undefined); // awaited below; a failed write rejects it before that
  const sink = new ByteSink(output);
  let rows = 0;
  try {
    if (options.bom) output.write('\uFEFF');
    output.write(headerLine(excelSafe ? columns.map(excelSafeCell) : columns));
    for (const [index, part] of ordered.entries()) {
      const own = headers[index]!;
      const count = await appendPart(sink, part, planPart(part, own, columns, excelSafe), own.length, excelSafe);
      if (part.rows !== undefined && count !== part.rows) throw new CsvShapeError(`${part.path} holds ${count} rows, the run recorded ${part.rows}`);
      rows += count;
    }
    await sink.flush(true);
    output.end();
    await closed;
    const handle = await fs.open(temp, 'r+');
    await handle.sync();
    await handle.close();
    await replaceFile(temp, outPath, '--out');
  } catch (error) {
    output.destroy();
    await fs.rm(temp, { force: true });
    throw withPath(error, outPath);
  }
  return { columns, rows, undeclared, renamed: [...renamed.values()] };
}
