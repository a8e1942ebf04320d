import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogPath, catalogSchema, readCatalog } from '../../common/catalog.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'runtime');
const builtIn = JSON.parse(readFileSync(catalogPath, 'utf8')) as Record<string, unknown> & { reports: Array<Record<string, unknown>> };

function written(value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dap-catalog-')), 'x.catalog.json');
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('the catalog schema', () => {
  it.each([
    ['the built-in catalog dap-gen writes', catalogPath],
    ['the runtime fixture', join(fixtures, 'catalog.json')],
    ['the Graph fixture', join(fixtures, 'graph-catalog.json')],
  ])('accepts %s, every field kept', (_what, path) => {
    expect(readCatalog(path)).toEqual(JSON.parse(readFileSync(path, 'utf8')));
  });

  const report = builtIn.reports[0]!;
  it.each([
    ['an unknown field', { ...builtIn, extra: 1 }, /the catalog: unknown field\(s\) 'extra'/],
    ['another module', { ...builtIn, module: 'Other' }, /^ {2}module: /m],
    ['a report without sources', { ...builtIn, reports: [{ ...report, sources: [] }] }, /reports\.0\.sources: /],
    ['a source of an unknown kind', { ...builtIn, reports: [{ ...report, sources: [{ kind: 'ftp', cmdlet: 'Get-X' }] }] }, /reports\.0\.sources\.0\.kind: /],
    ['a parameter of an unknown type', { ...builtIn, reports: [{ ...report, parameters: [{ name: 'X', type: 'date', array: false, required: false, help: '' }] }] }, /reports\.0\.parameters\.0\.type: /],
    ['two reports of one name', { ...builtIn, reports: [report, report] }, /reports\.1\.name: a second report named /],
    ['a report name that is no PascalCase name', { ...builtIn, reports: [{ ...report, name: 'my report' }] }, /reports\.0\.name: expected a PascalCase report name/],
  ])('rejects %s as a usage error naming the file and the field', (_what, value, message) => {
    const path = written(value);
    expect(() => readCatalog(path)).toThrow(expect.objectContaining({ code: 'CATALOG_MALFORMED', exitCode: 2, message: expect.stringMatching(message) }));
    expect(() => readCatalog(path)).toThrow(path);
  });

  it('a file that is not JSON, or none, is a usage error naming the file; the built-in one missing is fatal (a broken checkout)', () => {
    const bad = written('{ "module": ');
    expect(() => readCatalog(bad)).toThrow(expect.objectContaining({ code: 'CATALOG_MALFORMED', exitCode: 2, message: expect.stringContaining(`the catalog ${bad} is not JSON`) }));
    expect(() => readCatalog('/nonexistent/x.catalog.json')).toThrow(expect.objectContaining({ code: 'CATALOG_UNREADABLE', exitCode: 2, message: expect.stringContaining('no such file') }));
  });

  it('is what the Catalog type is made from: parsing gives the same value back', () => {
    expect(catalogSchema.parse(builtIn)).toEqual(builtIn);
  });
});
