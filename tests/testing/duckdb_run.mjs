// node duckdb_run.mjs NODE_DIR SQL...: runs each statement in one DuckDB session (a test
// oracle); the rows of the last are printed as JSON lines (DuckDB's JSON of each value).
import { createRequire } from 'module';
const [dir, ...statements] = process.argv.slice(2);
const require = createRequire(dir + '/');
const { DuckDBInstance } = require('@duckdb/node-api');
const db = await DuckDBInstance.create();
const c = await db.connect();
for (let i = 0; i + 1 < statements.length; ++i) await c.run(statements[i]);
const last = statements[statements.length - 1];
const r = await c.runAndReadAll(`SELECT to_json(t) AS j FROM (${last}) t`);
for (const row of r.getRows()) process.stdout.write(row[0] + '\n');
