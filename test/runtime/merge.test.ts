import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { excelSafeCell, mergeParts, unionColumns, type MergePart } from '../../runtime/merge.js';
import { normalizePart, readCsvHeader } from '../../runtime/csv-files.js';
import { tempDir, tenantId } from './fakes.js';

function part(dir: string, domain: string, index: number, rows: string[][]): MergePart {
  const path = join(dir, `${domain}.csv`);
  writeFileSync(path, stringify(rows));
  return { tenantId: tenantId(index), domain, path };
}

describe('unionColumns', () => {
  it('puts TenantId and TenantDomain first, then columns in first-seen order, without remoting columns', () => {
    expect(
      unionColumns([
        ['TenantDomain', 'Date', 'TenantId', 'Count', 'PSComputerName'],
        ['TenantId', 'TenantDomain', 'Date', 'Extra', 'RunspaceId', 'PSShowComputerName'],
        ['Count', 'Other'],
      ]),
    ).toEqual(['TenantId', 'TenantDomain', 'Date', 'Count', 'Extra', 'Other']);
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
      part(dir, 'alpha.onmicrosoft.com', 1, [
        ['TenantId', 'TenantDomain', 'Date', 'Count', 'Note'],
        ...tricky.map((note, i) => [tenantId(1), 'alpha.onmicrosoft.com', '2015-03-18', String(i), note]),
      ]),
      part(dir, 'mid.onmicrosoft.com', 3, [
        ['Date', 'TenantId', 'TenantDomain', 'Extra'],
        ['2015-03-17', tenantId(3), 'mid.onmicrosoft.com', 'x'],
      ]),
    ];
  }

  it('merges the union of columns, tenants by domain, RFC 4180 quoting that reads back exactly', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.csv');
    const result = await mergeParts(fixtureParts(dir), out);
    expect(result.columns).toEqual(['TenantId', 'TenantDomain', 'Date', 'Count', 'Note', 'Extra']);
    expect(result.rows).toBe(tricky.length + 2);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('TenantId,TenantDomain,Date,Count,Note,Extra\r\n')).toBe(true);
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
    expect(records[tricky.length]).toEqual({ TenantId: tenantId(3), TenantDomain: 'mid.onmicrosoft.com', Date: '2015-03-17', Count: '', Note: '', Extra: 'x' });
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
    expect(plain.toString('utf8')).toContain(',=1+2,\r\n');
    expect(bom.toString('utf8')).toContain(",'=1+2,\r\n");
    expect(await readCsvHeader(join(dir, 'bom.csv'))).toEqual(['TenantId', 'TenantDomain', 'Date', 'Count', 'Note', 'Extra']);
  });

  it('fills an empty TenantId or TenantDomain from the tenant and leaves other cells alone', async () => {
    const dir = tempDir();
    const p = part(dir, 'gap.onmicrosoft.com', 9, [
      ['TenantId', 'TenantDomain', 'Value'],
      ['', '', 'v'],
    ]);
    await mergeParts([p], join(dir, 'out.csv'));
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe(`TenantId,TenantDomain,Value\r\n${tenantId(9)},gap.onmicrosoft.com,v\r\n`);
  });

  it('writes just the header when there are no parts', async () => {
    const dir = tempDir();
    await mergeParts([], join(dir, 'out.csv'));
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('TenantId,TenantDomain\r\n');
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
    // By construction: the union of columns comes from readCsvHeader (first record only), and rows
    // go from a csv-parse stream into a csv-stringify stream with backpressure. A header reader
    // that stopped at the first record proves the up-front pass does not load the data.
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

describe('normalizePart', () => {
  const tenant = { tenantId: tenantId(4), domain: 'norm.onmicrosoft.com' };

  it('puts TenantId and TenantDomain first, drops remoting columns, fills empty ids, writes CRLF', async () => {
    const dir = tempDir();
    const source = join(dir, 'raw.csv');
    // as Export-Csv writes it: every field quoted, LF, remoting columns still present
    writeFileSync(source, '\uFEFF"Date","TenantDomain","PSComputerName","TenantId","Note"\n"2015-03-18","","ps.outlook.com","","a, ""b"""\n');
    const result = await normalizePart(source, join(dir, 'part.csv'), tenant);
    expect(result).toEqual({ header: ['TenantId', 'TenantDomain', 'Date', 'Note'], rows: 1 });
    expect(readFileSync(join(dir, 'part.csv'), 'utf8')).toBe(`TenantId,TenantDomain,Date,Note\r\n${tenantId(4)},norm.onmicrosoft.com,2015-03-18,"a, ""b"""\r\n`);
  });

  it.each([
    ['a row with a missing field', 'TenantId,TenantDomain,V\nx,y\n', /Invalid Record Length/],
    ['no TenantId column', 'TenantDomain,V\ny,1\n', /no TenantId and TenantDomain/],
    ['an unterminated quote', 'TenantId,TenantDomain,V\nx,y,"open\n', /Quote Not Closed|quote/i],
  ])('rejects %s and leaves no output file', async (_name, text, error) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'raw.csv'), text);
    await expect(normalizePart(join(dir, 'raw.csv'), join(dir, 'part.csv'), tenant)).rejects.toThrow(error);
    expect(existsSync(join(dir, 'part.csv'))).toBe(false);
  });
});

describe('mergeParts on normalised parts', () => {
  it('copies matching parts as bytes and gives exactly what re-encoding every part gives', async () => {
    const dir = tempDir();
    const tricky = ['Smith, John', 'He said "hi"', 'two\nlines', 'cr\r\nlf', 'Zoë 日本', '=1+2', ''];
    const specs = [
      { domain: 'a.onmicrosoft.com', header: ['TenantId', 'TenantDomain', 'Date', 'Note'] },
      { domain: 'b.onmicrosoft.com', header: ['TenantId', 'TenantDomain', 'Date', 'Note'] },
      { domain: 'c.onmicrosoft.com', header: ['TenantId', 'TenantDomain', 'Date', 'Note', 'Extra'] },
      { domain: 'd.onmicrosoft.com', header: ['TenantId', 'TenantDomain', 'Note'] },
    ];
    const raw: MergePart[] = [];
    const normalized: MergePart[] = [];
    for (const [index, spec] of specs.entries()) {
      const rows = tricky.map((note, i) => spec.header.map((c) => (c === 'TenantId' ? tenantId(index) : c === 'TenantDomain' ? spec.domain : c === 'Note' ? note : `${c}${i}`)));
      const rawPart = part(dir, `raw-${spec.domain}`, index, [spec.header, ...rows]);
      raw.push({ ...rawPart, domain: spec.domain });
      const path = join(dir, `norm-${spec.domain}.csv`);
      const { rows: count } = await normalizePart(rawPart.path, path, { tenantId: tenantId(index), domain: spec.domain });
      normalized.push({ tenantId: tenantId(index), domain: spec.domain, path, rows: count });
    }
    const fast = await mergeParts(normalized, join(dir, 'fast.csv'));
    const slow = await mergeParts(raw, join(dir, 'slow.csv'));
    expect(fast).toEqual(slow);
    expect(fast.rows).toBe(specs.length * tricky.length);
    expect(readFileSync(join(dir, 'fast.csv')).equals(readFileSync(join(dir, 'slow.csv')))).toBe(true);
    const records = parse(readFileSync(join(dir, 'fast.csv')), { columns: true }) as Array<Record<string, string>>;
    expect(records.filter((r) => r.TenantDomain === 'b.onmicrosoft.com').map((r) => r.Note)).toEqual(tricky);
  });
});
