// DuckDB's merge of the same parts, as a data person would write it: read_csv over every file with
// union_by_name, every column as text, COPY to one CSV. DuckDB comes from npm (@duckdb/node-api),
// installed by bench/setup.sh into .tools/bench/duckdb.
// node duckdb-merge.mjs <out.csv> <parts.json>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, '.tools', 'bench', 'duckdb', 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [out, list] = process.argv.slice(2);
// SQL string literals: a quote doubled (the paths are the benchmark's own)
const literal = (text) => `'${text.replaceAll("'", "''")}'`;
const files = JSON.parse(readFileSync(list, 'utf8')).map((p) => literal(p.path));
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run(`COPY (SELECT * FROM read_csv([${files.join(', ')}], union_by_name = true, all_varchar = true)) TO ${literal(out)} (HEADER, DELIMITER ',')`);
connection.closeSync();
