// node duckdb_time.mjs NODE_DIR REPEATS SQL...: runs the statements before the last once, then
// the last REPEATS times in one DuckDB session, and prints the fastest run's seconds and its
// first row (JSON). DuckDB is a benchmark reference here, as it is a test oracle in tests/.
import { createRequire } from 'module';
const [dir, repeats, ...statements] = process.argv.slice(2);
const require = createRequire(dir + '/');
const { DuckDBInstance } = require('@duckdb/node-api');
const db = await DuckDBInstance.create();
const c = await db.connect();
for (let i = 0; i + 1 < statements.length; ++i) await c.run(statements[i]);
let best = Infinity, row = null;
for (let i = 0; i < Number(repeats); ++i) {
  const t0 = process.hrtime.bigint();
  const r = await c.runAndReadAll(statements[statements.length - 1]);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (s < best) { best = s; row = r.getRowObjectsJson()[0]; }
}
process.stdout.write(`${best.toFixed(3)} ${JSON.stringify(row)}\n`);
