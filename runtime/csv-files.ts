import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

/** The first record of a CSV file (its header), read without loading the rest. */
export async function readCsvHeader(path: string): Promise<string[]> {
  const stream = createReadStream(path);
  const parser = stream.pipe(parse({ bom: true, to_line: 1, relax_column_count: true }));
  try {
    for await (const record of parser as AsyncIterable<string[]>) return record;
    return [];
  } finally {
    stream.destroy();
  }
}

/**
 * Streams a whole CSV file through the parser and counts its data rows; rejects when the file does
 * not parse (unbalanced quotes, rows with more fields than the header …).
 */
export async function countCsvRows(path: string): Promise<{ header: string[]; rows: number }> {
  const parser = createReadStream(path).pipe(parse({ bom: true }));
  let header: string[] = [];
  let rows = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (header.length === 0) header = record;
    else if (record.length !== header.length) {
      throw new Error(`${path}: row ${rows + 1} has ${record.length} fields, the header has ${header.length}`);
    } else rows += 1;
  }
  return { header, rows };
}
