import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvDialect } from '../../runtime/csv-files.js';
import { PadRecords } from '../../runtime/csv-record-padding.js';

const tricky = ['', 'plain', 'Smith, John', 'He said "hi"', '""', '"', 'two\nlines', 'cr\r\nlf', 'ends with cr\r', '\r\n', 'Zoë 日本 🙂', '=1+2', ',,,'];

async function pad(bytes: Buffer, extra: number, chunkSizes: number[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i += 1) {
    const size = chunkSizes[i % chunkSizes.length]!;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(chunks).pipe(new PadRecords(extra))) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

describe('PadRecords', () => {
  const records = tricky.flatMap((a, i) => tricky.map((b, j) => [String(i), a, b, String(j)]));
  const body = Buffer.from(stringify(records, csvDialect), 'utf8');

  it.each([
    { name: 'one chunk', sizes: [1 << 20] },
    { name: 'one byte at a time', sizes: [1] },
    { name: 'odd chunk sizes', sizes: [2, 3, 5, 7, 11] },
  ])('appends empty fields to every record, whatever the chunking ($name)', async ({ sizes }) => {
    for (const extra of [0, 1, 3]) {
      const padded = await pad(body, extra, sizes);
      const want = records.map((r) => [...r, ...Array.from({ length: extra }, () => '')]);
      expect(parse(padded)).toEqual(want);
      expect(padded.equals(Buffer.from(stringify(want, csvDialect), 'utf8'))).toBe(true);
    }
  });
});
