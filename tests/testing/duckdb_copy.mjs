// node duckdb_copy.mjs NODE_DIR FILE.parquet OUT.jsonl: DuckDB reads FILE and writes its rows
// as JSON lines to OUT.jsonl, and the columns' DuckDB types to OUT.types (one JSON object).
import { createRequire } from 'module';
const [dir, src, dst] = process.argv.slice(2);
const require = createRequire(dir + '/');
const { DuckDBInstance } = require('@duckdb/node-api');
const db = await DuckDBInstance.create();
const c = await db.connect();
const quote = (s) => s.replaceAll("'", "''");
await c.run(`COPY (SELECT * FROM read_parquet('${quote(src)}')) TO '${quote(dst)}' (FORMAT json)`);
const d = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${quote(src)}')`);
const types = {};
for (const row of d.getRowObjectsJson()) types[row.column_name] = row.column_type;
const fs = await import('fs');
fs.writeFileSync(dst.replace(/\.jsonl$/, '.types'), JSON.stringify(types));
