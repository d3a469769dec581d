import { linesAsJsonArray } from "../db/chunks.server";

/**
 * Where a backup's verification restores the run it has just written (ADR 0025): a table in the
 * SQLite storage of the tenant's own TenantJobs object, not the tenant's shard. The rows are
 * inserted from the parts as a restore stages them (the same runs of lines made JSON arrays by
 * SQLite and parsed by its json_each; here bound as bytes, where D1 takes text), counted per table
 * by SQL and then deleted. Keeping this scratch space in
 * the job object costs the tenant's shard nothing (a nightly 2× write of the whole tenant into D1
 * was most of a backup's time, bench/RESULTS.md) and leaves no verification rows in the shard.
 *
 * The table holds one verification at a time: the object runs one job at a time, and a
 * verification starts by emptying it (ADR 0029). So it needs no run column and no index, and
 * emptying it is SQLite's whole-table delete, which frees pages without visiting rows.
 */
export type VerifyScratch = {
  /**
   * Inserts the rows of runs of JSON lines `{"t": table, "r": row}` (lineRuns). Rows above
   * `stagedUpTo` are deleted first (a step cut off and run again stages nothing twice). Returns
   * the highest row id afterwards.
   */
  stage(runs: readonly Uint8Array[], stagedUpTo: number): number;
  /** The staged rows per table. */
  counts(): Record<string, number>;
  /** Empties the table (a verification starts and ends with this). */
  clear(): void;
};

export function objectScratch(sql: SqlStorage): VerifyScratch {
  // The run-keyed table of before ADR 0029; a verification that was under way in it fails and the next run makes a new one.
  sql.exec("DROP TABLE IF EXISTS verify_rows");
  sql.exec("CREATE TABLE IF NOT EXISTS verify_scratch (id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, row TEXT NOT NULL)");
  return {
    stage(runs, stagedUpTo) {
      sql.exec("DELETE FROM verify_scratch WHERE id > ?", stagedUpTo);
      // The whole line is kept as SQLite parsed it: extracting the row from it again would print every row twice.
      for (const run of runs)
        sql.exec(`INSERT INTO verify_scratch (table_name, row) SELECT value ->> '$.t', value FROM json_each(${linesAsJsonArray(1)})`, bytesOf(run));
      return sql.exec<{ top: number }>("SELECT COALESCE(MAX(id), 0) AS top FROM verify_scratch").one().top;
    },
    counts() {
      const rows = sql.exec<{ t: string; n: number }>("SELECT table_name AS t, COUNT(*) AS n FROM verify_scratch GROUP BY table_name").toArray();
      return Object.fromEntries(rows.map((r) => [r.t, r.n]));
    },
    clear() {
      sql.exec("DELETE FROM verify_scratch");
    },
  };
}

/** A run as the ArrayBuffer SQL binds as a BLOB (a copy only when the run is a slice of a larger buffer). */
const bytesOf = (run: Uint8Array): ArrayBuffer =>
  run.byteOffset === 0 && run.byteLength === run.buffer.byteLength ? (run.buffer as ArrayBuffer) : (run.slice().buffer as ArrayBuffer);
