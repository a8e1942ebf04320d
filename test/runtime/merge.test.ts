import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { excelSafeCell, mergeParts, unionColumns, type MergePart } from '../../runtime/run/merge.js';
import { readCsvHeader } from '../../runtime/platform/files/csv-files.js';
import { mulberry32 } from '../../simulator/world/prng.js';
import { tempDir, tenantId } from './fakes.js';

function part(dir: string, domain: string, index: number, rows: string[][]): MergePart {
  const path = join(dir, `${domain}.csv`);
  writeFileSync(path, stringify(rows));
  return { tenantId: tenantId(index), domain, path };
}

describe('unionColumns', () => {
  it('puts TenantId, TenantDomain and CustomerName first, then columns in first-seen order, without remoting columns', () => {
    expect(
      unionColumns([
        ['TenantDomain', 'Date', 'TenantId', 'Count', 'PSComputerName'],
        ['TenantId', 'TenantDomain', 'Date', 'Extra', 'RunspaceId', 'PSShowComputerName'],
        ['Count', 'Other'],
      ]),
    ).toEqual(['TenantId', 'TenantDomain', 'CustomerName', 'Date', 'Count', 'Extra', 'Other']);
  });
});

describe('excelSafeCell', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+x', "'+x"],
    ['-5', "'-5"],
    ['@home', "'@home"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j -> %j', (input, output) => expect(excelSafeCell(input)).toBe(output));
});

describe('mergeParts', () => {
  const tricky = ['Smith, John', 'He said "hi"', 'two\nlines', 'cr\r\nlf', 'Zoë Ångström 日本 🙂', '=1+2', ''];

  function fixtureParts(dir: string): MergePart[] {
    return [
      // given out of domain order on purpose
      part(dir, 'zeta.onmicrosoft.com', 2, [
        ['TenantId', 'TenantDomain', 'Date', 'Count'],
        [tenantId(2), 'zeta.onmicrosoft.com', '2015-03-18', '5'],
      ]),
      {
        ...part(dir, 'alpha.onmicrosoft.com', 1, [
          ['TenantId', 'TenantDomain', 'Date', 'Count', 'Note'],
          ...tricky.map((note, i) => [tenantId(1), 'alpha.onmicrosoft.com', '2015-03-18', String(i), note]),
        ]),
        customerName: 'Alpha "A", Inc.',
      },
      {
        ...part(dir, 'mid.onmicrosoft.com', 3, [
          ['Date', 'TenantId', 'TenantDomain', 'Extra'],
          ['2015-03-17', tenantId(3), 'mid.onmicrosoft.com', 'x'],
        ]),
        customerName: 'Mid Ltd',
      },
    ];
  }

  it('merges the union of columns, tenants by domain, RFC 4180 quoting that reads back exactly', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.csv');
    const result = await mergeParts(fixtureParts(dir), out);
    expect(result.columns).toEqual(['TenantId', 'TenantDomain', 'CustomerName', 'Date', 'Count', 'Note', 'Extra']);
    expect(result.rows).toBe(tricky.length + 2);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('"TenantId","TenantDomain","CustomerName","Date","Count","Note","Extra"\r\n')).toBe(true);
    expect(text).toContain('"Smith, John"');
    expect(text).toContain('"He said ""hi"""');
    expect(text).toContain('"two\nlines"');
    const records = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(records.map((r) => r.TenantDomain)).toEqual([
      ...tricky.map(() => 'alpha.onmicrosoft.com'),
      'mid.onmicrosoft.com',
      'zeta.onmicrosoft.com',
    ]);
    expect(records.slice(0, tricky.length).map((r) => r.Note)).toEqual(tricky);
    expect(records[tricky.length]).toEqual({ TenantId: tenantId(3), TenantDomain: 'mid.onmicrosoft.com', CustomerName: 'Mid Ltd', Date: '2015-03-17', Count: '', Note: '', Extra: 'x' });
    expect(new Set(records.map((r) => r.CustomerName))).toEqual(new Set(['Alpha "A", Inc.', 'Mid Ltd', '']));
    expect(records.at(-1)?.Note).toBe('');
  });

  it('is byte-identical when run again on the same parts in any order', async () => {
    const dir = tempDir();
    const parts = fixtureParts(dir);
    await mergeParts(parts, join(dir, 'a.csv'));
    await mergeParts([...parts].reverse(), join(dir, 'b.csv'));
    expect(readFileSync(join(dir, 'a.csv')).equals(readFileSync(join(dir, 'b.csv')))).toBe(true);
  });

  it('writes a UTF-8 BOM only with --bom, and neutralises formulas only with --excel-safe', async () => {
    const dir = tempDir();
    const parts = fixtureParts(dir);
    await mergeParts(parts, join(dir, 'plain.csv'));
    await mergeParts(parts, join(dir, 'bom.csv'), { bom: true, excelSafe: true });
    const plain = readFileSync(join(dir, 'plain.csv'));
    const bom = readFileSync(join(dir, 'bom.csv'));
    expect(plain.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(bom.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    expect(plain.toString('utf8')).toContain(',=1+2,""\r\n');
    expect(bom.toString('utf8')).toContain(',"\'=1+2",""\r\n');
    expect(await readCsvHeader(join(dir, 'bom.csv'))).toEqual(['TenantId', 'TenantDomain', 'CustomerName', 'Date', 'Count', 'Note', 'Extra']);
  });

  it('fills an empty TenantId or TenantDomain from the tenant and leaves other cells alone', async () => {
    const dir = tempDir();
    const p = part(dir, 'gap.onmicrosoft.com', 9, [
      ['TenantId', 'TenantDomain', 'Value'],
      ['', '', 'v'],
    ]);
    await mergeParts([{ ...p, customerName: 'Gap' }], join(dir, 'out.csv'));
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe(`"TenantId","TenantDomain","CustomerName","Value"\r\n"${tenantId(9)}","gap.onmicrosoft.com","Gap",v\r\n`);
  });

  it('writes just the header when there are no parts', async () => {
    const dir = tempDir();
    await mergeParts([], join(dir, 'out.csv'));
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('"TenantId","TenantDomain","CustomerName"\r\n');
  });

  it('never leaves a half-written output: a broken part keeps the previous file and removes the temporary one', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.csv');
    writeFileSync(out, 'previous complete output\n');
    const good = part(dir, 'a.onmicrosoft.com', 1, [
      ['TenantId', 'TenantDomain', 'V'],
      [tenantId(1), 'a.onmicrosoft.com', '1'],
    ]);
    const broken = join(dir, 'b.csv');
    writeFileSync(broken, 'TenantId,TenantDomain,V\nx,b.onmicrosoft.com,"unterminated\n');
    await expect(mergeParts([good, { tenantId: tenantId(2), domain: 'b.onmicrosoft.com', path: broken }], out)).rejects.toThrow();
    expect(readFileSync(out, 'utf8')).toBe('previous complete output\n');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('streams: only the first record of each part is read before writing starts', async () => {
    // By construction: the union of columns comes from readCsvHeader (the first chunk only), and
    // records go from a chunked reader into a write stream with backpressure.
    const dir = tempDir();
    const big = join(dir, 'big.csv');
    const lines = ['TenantId,TenantDomain,V'];
    for (let i = 0; i < 50_000; i += 1) lines.push(`${tenantId(1)},big.onmicrosoft.com,${i}`);
    writeFileSync(big, `${lines.join('\n')}\n`);
    expect(await readCsvHeader(big)).toEqual(['TenantId', 'TenantDomain', 'V']);
    const result = await mergeParts([{ tenantId: tenantId(1), domain: 'big.onmicrosoft.com', path: big }], join(dir, 'out.csv'));
    expect(result.rows).toBe(50_000);
    expect(existsSync(join(dir, 'out.csv'))).toBe(true);
  });
});


describe('mergeParts: formulas, declared columns, checks', () => {
  it('--excel-safe neutralises cells starting with = + - @ tab or CR, header cells too, quoted or not', async () => {
    const dir = tempDir();
    const values = ['=1+2', '+x', '-5', '@home', '\tlead', '\rcr', 'plain', 'a=b', ''];
    const p = part(dir, 'f.onmicrosoft.com', 1, [['TenantId', 'TenantDomain', '=Header', 'V'], ...values.map((v) => [tenantId(1), 'f.onmicrosoft.com', v, v])]);
    const exportCsv = join(dir, 'export.csv');
    writeFileSync(exportCsv, stringify([['TenantId', 'TenantDomain', '=Header', 'V'], ...values.map((v) => [tenantId(2), 'g.onmicrosoft.com', v, v])], { quoted: true, record_delimiter: 'unix' }));
    const out = join(dir, 'out.csv');
    await mergeParts([p, { tenantId: tenantId(2), domain: 'g.onmicrosoft.com', path: exportCsv }], out, { excelSafe: true });
    const records = parse(readFileSync(out), { relax_column_count: false }) as string[][];
    expect(records[0]).toEqual(['TenantId', 'TenantDomain', 'CustomerName', "'=Header", 'V']);
    const safe = ["'=1+2", "'+x", "'-5", "'@home", "'\tlead", "'\rcr", 'plain', 'a=b', ''];
    expect(records.slice(1).map((r) => r[3])).toEqual([...safe, ...safe]);
    expect(records.slice(1).map((r) => r[4])).toEqual([...safe, ...safe]);
    expect(excelSafeCell('\tx')).toBe("'\tx");
  });

  it('keeps the declared columns in their order even when no part has them, and names the columns it added', async () => {
    const dir = tempDir();
    const declared = ['Date', 'Size', 'Count'];
    const empty = await mergeParts([], join(dir, 'empty.csv'), { columns: declared });
    expect(readFileSync(join(dir, 'empty.csv'), 'utf8')).toBe('"TenantId","TenantDomain","CustomerName","Date","Size","Count"\r\n');
    expect(empty.undeclared).toEqual([]);
    const p = part(dir, 'd.onmicrosoft.com', 1, [
      ['TenantId', 'TenantDomain', 'Count', 'Surprise', 'Date'],
      [tenantId(1), 'd.onmicrosoft.com', '3', 's', '2026-11-25'],
    ]);
    const result = await mergeParts([p], join(dir, 'out.csv'), { columns: declared });
    expect(result.columns).toEqual(['TenantId', 'TenantDomain', 'CustomerName', 'Date', 'Size', 'Count', 'Surprise']);
    expect(result.undeclared).toEqual(['Surprise']);
    expect(parse(readFileSync(join(dir, 'out.csv')), { columns: true })).toEqual([
      { TenantId: tenantId(1), TenantDomain: 'd.onmicrosoft.com', CustomerName: '', Date: '2026-11-25', Size: '', Count: '3', Surprise: 's' },
    ]);
  });

  it('TenantId and TenantDomain are always the run\'s, whatever the part holds (copied and mapped records alike)', async () => {
    const dir = tempDir();
    const copied = part(dir, 'contoso.com', 1, [
      ['TenantId', 'TenantDomain', 'V'],
      [tenantId(1), 'contoso.onmicrosoft.com', 'a'],
    ]);
    const mapped = part(dir, 'fabrikam.com', 2, [
      ['V', 'TenantDomain', 'TenantId'],
      ['b', 'fabrikam.onmicrosoft.com', ''],
    ]);
    await mergeParts([copied, mapped], join(dir, 'out.csv'), { columns: ['V'] });
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe(
      `"TenantId","TenantDomain","CustomerName","V"\r\n"${tenantId(1)}","contoso.com","",a\r\n"${tenantId(2)}","fabrikam.com","",b\r\n`,
    );
  });

  it('drops remoting columns, and refuses a part that holds another number of rows than the run recorded', async () => {
    const dir = tempDir();
    const p = part(dir, 'r.onmicrosoft.com', 1, [
      ['PSComputerName', 'TenantId', 'RunspaceId', 'TenantDomain', 'V', 'PSShowComputerName'],
      ['outlook.office365.com', tenantId(1), 'guid', 'r.onmicrosoft.com', '1', 'False'],
    ]);
    await mergeParts([{ ...p, rows: 1 }], join(dir, 'out.csv'));
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe(`"TenantId","TenantDomain","CustomerName","V"\r\n"${tenantId(1)}","r.onmicrosoft.com","",1\r\n`);
    await expect(mergeParts([{ ...p, rows: 2 }], join(dir, 'out2.csv'))).rejects.toThrow(/holds 1 rows, the run recorded 2/);
  });

  it('gives what a model of the merge gives, for random parts: columns in any order, missing, extra, every kind of value, both quoting styles', async () => {
    const random = mulberry32(13);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const alphabet = ['a', 'Z', ' ', ',', '"', '\n', '\r\n', 'é', '日本', '🙂', '=', '\t', '-', ''];
    const pool = ['A', 'B', 'C', 'D', 'E', 'Two\nLines', 'Q"uote'];
    for (let round = 0; round < 6; round += 1) {
      const dir = tempDir();
      const parts: MergePart[] = [];
      const tables: { domain: string; id: string; header: string[]; rows: string[][] }[] = [];
      for (let t = 0; t < 6; t += 1) {
        const domain = `t${round}-${t}.onmicrosoft.com`;
        const id = tenantId(t);
        const own = pool.filter(() => random() < 0.6);
        const header = random() < 0.5 ? ['TenantId', 'TenantDomain', ...own] : [...own.slice(0, 1), 'TenantDomain', ...own.slice(1), 'TenantId'];
        const rows = Array.from({ length: Math.floor(random() * 30) + 1 }, () =>
          header.map((c) => (c === 'TenantId' ? (random() < 0.1 ? '' : id) : c === 'TenantDomain' ? domain : Array.from({ length: Math.floor(random() * 5) }, () => pick(alphabet)).join(''))),
        );
        const path = join(dir, `${domain}.csv`);
        const options = random() < 0.5 ? { quoted: true, record_delimiter: 'unix' as const } : { record_delimiter: 'windows' as const, quoted_match: /[\r\n]/ };
        writeFileSync(path, stringify([header, ...rows], options));
        parts.push({ tenantId: id, domain, path, rows: rows.length, customerName: `Customer, "${t}"` });
        tables.push({ domain, id, header, rows });
      }
      const excelSafe = round % 2 === 1;
      const result = await mergeParts(parts, join(dir, 'out.csv'), { excelSafe });
      // the model: union in first-seen order (by domain), each row's cells by name, ids filled in
      const ordered = [...tables].sort((a, b) => a.domain.localeCompare(b.domain));
      const columns = unionColumns(ordered.map((t) => t.header));
      const cellOf = (v: string) => (excelSafe ? excelSafeCell(v) : v);
      const want = [
        columns.map(cellOf),
        ...ordered.flatMap((t) =>
          t.rows.map((row) => columns.map((c) => {
            const i = t.header.indexOf(c);
            const v = i < 0 ? '' : row[i]!;
            if (c === 'CustomerName') return cellOf(`Customer, "${t.domain.split('-')[1]!.split('.')[0]}"`);
            return cellOf(c === 'TenantId' && v === '' ? t.id : v);
          })),
        ),
      ];
      expect(result.columns).toEqual(columns);
      const text = readFileSync(join(dir, 'out.csv'), 'utf8');
      expect(parse(text, { record_delimiter: '\r\n' })).toEqual(want);
      // every record ends with CRLF: parsing with CRLF as the only delimiter gives the same rows
      expect(text.endsWith('\r\n')).toBe(true);
    }
  });
});
