/**
 * Where a backup's verification restores the run it has just written (ADR 0025): a table in the
 * SQLite storage of the tenant's own TenantJobs object, not the tenant's shard. The rows are
 * inserted from the parts exactly as a restore stages them (the same JSON arrays, parsed by
 * SQLite's json_each), counted per table by SQL and then deleted. Keeping this scratch space in
 * the job object costs the tenant's shard nothing (a nightly 2× write of the whole tenant into D1
 * was most of a backup's time, bench/RESULTS.md) and leaves no verification rows in the shard.
 */
export type VerifyScratch = {
  /**
   * Inserts the rows of JSON arrays of `{"t": table, "r": row}` under `runId`. Rows of the run
   * above `stagedUpTo` are deleted first (a step cut off and run again stages nothing twice).
   * Returns the highest row id of the run afterwards.
   */
  stage(runId: string, arrays: readonly string[], stagedUpTo: number | undefined): number;
  /** The run's rows per table. */
  counts(runId: string): Record<string, number>;
  clear(runId: string): void;
};

export function objectScratch(sql: SqlStorage): VerifyScratch {
  sql.exec("CREATE TABLE IF NOT EXISTS verify_rows (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, table_name TEXT NOT NULL, row TEXT NOT NULL)");
  sql.exec("CREATE INDEX IF NOT EXISTS verify_rows_run ON verify_rows (run_id, id)");
  return {
    stage(runId, arrays, stagedUpTo) {
      if (stagedUpTo !== undefined) sql.exec("DELETE FROM verify_rows WHERE run_id = ? AND id > ?", runId, stagedUpTo);
      for (const array of arrays)
        sql.exec(
          "INSERT INTO verify_rows (run_id, table_name, row) SELECT ?, json_extract(value, '$.t'), json_extract(value, '$.r') FROM json_each(?)",
          runId,
          array,
        );
      return sql.exec<{ top: number }>("SELECT COALESCE(MAX(id), 0) AS top FROM verify_rows WHERE run_id = ?", runId).one().top;
    },
    counts(runId) {
      const rows = sql
        .exec<{ t: string; n: number }>("SELECT table_name AS t, COUNT(*) AS n FROM verify_rows WHERE run_id = ? GROUP BY table_name", runId)
        .toArray();
      return Object.fromEntries(rows.map((r) => [r.t, r.n]));
    },
    clear(runId) {
      sql.exec("DELETE FROM verify_rows WHERE run_id = ?", runId);
    },
  };
}
