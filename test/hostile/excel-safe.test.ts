import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { errorsFileColumns } from '../../common/errors-file-format.js';
import { excelSafeCell, formulaStarts } from '../../common/excel-safe.js';
import { formatErrorsFile } from '../../runtime/run/errors-file.js';
import { mergeParts } from '../../runtime/run/merge.js';
import type { TenantSummary } from '../../runtime/run/summary.js';
import { harness, makeTenants, tempDir, tenantId, USER } from '../runtime/fakes.js';
import { graphWorld, runGraph, writeScenario } from '../runtime/graph-harness.js';

/**
 * --excel-safe: no cell of any file the tool writes starts with a character a spreadsheet reads as
 * the start of a formula, whichever column it is in and whoever wrote it (a tenant's rows, the
 * partner's customer names, a service's error message).
 */

const leads = ['=', '+', '-', '@', '\t', '\r'];
const hostile = (lead: string) => `${lead}HYPERLINK("http://x","click")`;

function expectNoFormula(cells: readonly string[]): void {
  for (const cell of cells) expect(formulaStarts.has(cell.charAt(0)), JSON.stringify(cell)).toBe(false);
}

it('the rule covers = + - @ tab and CR', () => {
  expect([...formulaStarts].sort()).toEqual([...leads].sort());
  for (const lead of leads) expect(excelSafeCell(hostile(lead))).toBe(`'${hostile(lead)}`);
});

describe.each(leads.map((lead) => [JSON.stringify(lead), lead]))('a cell starting with %s', (_name, lead) => {
  it('is neutralised in every column of the merged CSV: the tenant keys, the customer name, every row cell, the header', async () => {
    const dir = tempDir();
    const path = join(dir, 'part.csv');
    // a column of the tenant's own named like a formula, and a part copied as bytes without --excel-safe
    writeFileSync(path, stringify([['TenantId', 'TenantDomain', hostile(lead), 'Note'], ['x', 'y', hostile(lead), hostile(lead)]]));
    const out = join(dir, 'out.csv');
    await mergeParts([{ tenantId: hostile(lead), domain: hostile(lead), customerName: hostile(lead), path, rows: 1 }], out, { excelSafe: true });
    const records = parse(readFileSync(out), { relax_column_count: false }) as string[][];
    expect(records).toHaveLength(2);
    for (const record of records) expectNoFormula(record);
    expect(records[1]).toEqual(Array(5).fill(`'${hostile(lead)}`));
  });

  it('is neutralised in every column of the errors file, the header too', () => {
    const tenant: TenantSummary = {
      domain: hostile(lead),
      tenantId: hostile(lead),
      name: hostile(lead),
      account: USER,
      status: 'failed',
      attempts: 1,
      durationMs: 1,
      rows: 0,
      category: hostile(lead) as TenantSummary['category'],
      message: hostile(lead),
    };
    const records = parse(formatErrorsFile([tenant], { excelSafe: true })) as string[][];
    expect(records[0]).toEqual([...errorsFileColumns]);
    expectNoFormula(records[1]!);
    expect(records[1]!.slice(0, 3)).toEqual(Array(3).fill(`'${hostile(lead)}`));
    // a message is made one line first: a leading CR becomes a space, which a spreadsheet reads as text
    expect(records[1]![3]).toBe(lead === '\r' ? ` ${hostile(lead).slice(1)}` : `'${hostile(lead)}`);
    // without --excel-safe the file holds what it was told (a message made one line)
    expect((parse(formatErrorsFile([tenant])) as string[][])[1]!.slice(0, 3)).toEqual(Array(3).fill(hostile(lead)));
  });
});

it('dap-report run --excel-safe: the customer names in the merged CSV and a service message in the errors file', async () => {
  const tenants = makeTenants(2).map((t) => ({ ...t, name: '=HYPERLINK("http://x","Contoso")' }));
  const h = harness({ tenants });
  const failing = tenants[0]!.defaultDomainName;
  const run = h.runner.run.bind(h.runner);
  h.runner.run = async (job, signal) =>
    job.domain === failing ? { status: 'failed', rows: 0, category: 'RemoteError', message: '@SUM(1+1)*cmd|"/C calc"!A0' } : run(job, signal);
  const out = join(h.deps.cwd, 'out.csv');
  expect(await h.run(['run', '--report', 'MailboxActivityReport', '--user', USER, '--out', out, '--excel-safe'])).toBe(1);
  const merged = parse(readFileSync(out)) as string[][];
  expect(merged.length).toBeGreaterThan(1);
  for (const record of merged) expectNoFormula(record);
  expect(merged[1]![2]).toBe(`'=HYPERLINK("http://x","Contoso")`);
  const errors = parse(readFileSync(`${out}.errors.csv`)) as string[][];
  expect(errors[1]).toEqual([failing, tenantId(0), 'RemoteError', `'@SUM(1+1)*cmd|"/C calc"!A0`]);
});

it('dap-report run --backend graph --no-domain-lookup --excel-safe: a display name as TenantDomain and CustomerName', async () => {
  const cwd = tempDir();
  const scenario = graphWorld();
  (scenario.tenants as Array<{ name: string }>)[0]!.name = '=HYPERLINK("http://x","Alpha")';
  const out = join(cwd, 'out.csv');
  const run = await runGraph(['run', '--simulate', writeScenario(cwd, scenario), '--backend', 'graph', '--report', 'MailboxUsageDetail', '--no-domain-lookup', '--excel-safe', '--out', out], { cwd });
  expect(run.error).toBeUndefined();
  expect(run.exitCode).toBe(0);
  const records = parse(readFileSync(out)) as string[][];
  for (const record of records) expectNoFormula(record);
  const alpha = records.filter((r) => r[2] === `'=HYPERLINK("http://x","Alpha")`);
  expect(alpha.length).toBeGreaterThan(0);
  for (const record of alpha) expect(record[1]).toBe(`'=HYPERLINK("http://x","Alpha")`);
});
