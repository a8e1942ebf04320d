import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { CsvShapeError, decodeRecord, readRecords } from '../../runtime/platform/files/csv-records.js';
import { inspectPart, readCsvHeader } from '../../runtime/platform/files/csv-files.js';
import { mulberry32 } from '../../simulator/world/prng.js';
import { tempDir } from './fakes.js';

/** Every record of a file through readRecords, decoded. */
async function records(path: string, chunkSize?: number): Promise<string[][]> {
  const all: string[][] = [];
  for await (const { chunk, bounds } of readRecords(path, chunkSize)) {
    for (let r = 0; r < bounds.records; r += 1) all.push(decodeRecord(chunk, bounds, r));
  }
  return all;
}

const alphabet = ['a', 'Z', ' ', ',', '"', '\n', '\r\n', 'é', '日本', '🙂', '=', '\t', ''];

function randomTable(seed: number, rows: number, columns: number): string[][] {
  const random = mulberry32(seed);
  const cell = () => Array.from({ length: Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  return Array.from({ length: rows }, () => Array.from({ length: columns }, cell));
}

describe('readRecords', () => {
  it.each([1, 2, 3, 7, 64, 1 << 20])('reads what csv-parse reads, with chunks of %i bytes, in both quoting styles and line breaks', async (chunkSize) => {
    const dir = tempDir();
    for (const [style, options] of Object.entries({
      'Export-Csv (every field quoted, LF)': { quoted: true, quoted_empty: true, record_delimiter: 'unix' },
      'minimal quoting, CRLF': { record_delimiter: 'windows', quoted_match: /[\r\n]/ },
    } as const)) {
      const table = randomTable(chunkSize, 40, 5);
      const path = join(dir, 'table.csv');
      writeFileSync(path, stringify(table, options));
      expect(await records(path, chunkSize), style).toEqual(parse(stringify(table, options), { relax_column_count: true }));
      expect(await records(path, chunkSize), style).toEqual(table);
    }
  });

  it('skips a BOM, counts a last record without a line break, and reads unquoted empty fields (Export-Csv writes $null so)', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.csv');
    writeFileSync(path, '\uFEFF"TenantId","Name","Gone"\n"1","x",\n"2",,""');
    expect(await records(path, 4)).toEqual([
      ['TenantId', 'Name', 'Gone'],
      ['1', 'x', ''],
      ['2', '', ''],
    ]);
  });

  it('keeps a header cell that holds a line break whole (the column and its values survive)', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.csv');
    writeFileSync(path, '"TenantId","TenantDomain","Two\r\nlines","Next\nline"\n"1","a.onmicrosoft.com","x","y"\n');
    expect(await readCsvHeader(path)).toEqual(['TenantId', 'TenantDomain', 'Two\r\nlines', 'Next\nline']);
    expect(await inspectPart(path)).toEqual({ header: ['TenantId', 'TenantDomain', 'Two\r\nlines', 'Next\nline'], rows: 1 });
  });

  it.each([
    ['a quote inside an unquoted field', 'a,b"c\n', /quote inside an unquoted field/],
    ['text after a closing quote', '"a"x,b\n', /right after a closing quote/],
    ['a CR alone outside quotes', 'a\rb\n', /CR that is not followed by LF/],
    ['a file that ends inside quotes', '"a","b\n', /ends inside a quoted field/],
  ])('rejects %s', async (_name, text, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.csv'), text);
    const reading = records(join(dir, 'bad.csv'), 3);
    await expect(reading).rejects.toThrow(CsvShapeError);
    await expect(records(join(dir, 'bad.csv'))).rejects.toThrow(message);
  });
});

describe('inspectPart', () => {
  it('counts data rows, line breaks inside values not counted', async () => {
    const dir = tempDir();
    const path = join(dir, 'p.csv');
    writeFileSync(path, stringify([['TenantId', 'TenantDomain', 'Note'], ['1', 'a', 'two\nlines'], ['1', 'a', 'cr\r\nlf'], ['1', 'a', '']], { quoted: true, record_delimiter: 'unix' }));
    expect(await inspectPart(path)).toEqual({ header: ['TenantId', 'TenantDomain', 'Note'], rows: 3 });
  });

  it.each([
    ['a row with a missing field', '"TenantId","TenantDomain","V"\n"x","y"\n', /row 1 has 2 fields, the header has 3/],
    ['a row with a field too many', '"TenantId","TenantDomain","V"\n"x","y","1"\n"x","y","1","2"\n', /row 2 has 4 fields/],
    ['no TenantId column', '"TenantDomain","V"\n"y","1"\n', /no TenantId column/],
    ['an unterminated quote', '"TenantId","TenantDomain","V"\n"x","y","open\n', /ends inside a quoted field/],
    ['an empty file', '', /empty/],
  ])('rejects %s', async (_name, text, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p.csv'), text);
    await expect(inspectPart(join(dir, 'p.csv'))).rejects.toThrow(message);
  });
});
