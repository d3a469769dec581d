import { randomSecret } from "../auth/crypto.server";
import type { KuraEnv } from "../env/env";
import { clearStaging, columnPath, readManifest, readPart, STAGE_BYTES, type BackupManifest, type BackupPart } from "./backup-run.server";
import { shardDatabase } from "../db/tenant-data.server";
import { chunkedByJsonBytes, linesAsJsonArray } from "../db/chunks.server";
import { BACKUP_POLICIES, backedUpTables, emptiedByRestore, isSurvivorsOnly, quotedIdentifier, stagedCounts, type TenantTableName } from "./tables.server";

/**
 * Restoring one tenant from one of its generations (ADR 0025), as bounded steps: every part is
 * read back and staged under a restore id in `backup_rows` (one part per step, as verification
 * reads it), then one D1 transaction swaps the tenant's rows for the staged ones. Other tenants of
 * the shard are untouched: every statement names the tenant.
 */

export type RestoreState = {
  tenantId: string;
  generation: string;
  /** The backup run restored (the generation's kept run). */
  runId: string;
  stagingRunId: string;
  /**
   * The shard the rows go into: the tenant's own, or a move's target (ADR 0028). `aliveIn` is
   * the tenant's shard when the restore began, where survivors-only rows are looked up.
   */
  shards: { into: string; aliveIn: string };
  partIndex: number;
  /** The highest staging row id after the parts staged so far (stagePart). */
  stagedUpTo?: number;
  phase: "stage" | "swap" | "unstage" | "done";
};

export function startRestore(run: { tenantId: string; generation: string; runId: string }, shards: RestoreState["shards"]): RestoreState {
  return { ...run, stagingRunId: `bks_${randomSecret(16)}`, shards, partIndex: 0, stagedUpTo: 0, phase: "stage" };
}

export async function restoreStep(env: KuraEnv, state: RestoreState): Promise<RestoreState> {
  const manifest = await readManifest(env, state);
  const into = await shardDatabase(env, state.shards.into);
  if (state.phase === "stage") {
    const part = manifest.parts[state.partIndex];
    if (!part) return { ...state, phase: "swap" };
    return { ...state, partIndex: state.partIndex + 1, stagedUpTo: await stagePart(env, into, manifest, part, state) };
  }
  if (state.phase === "swap") {
    // The swap is one transaction over the staged rows, so running it again gives the same rows;
    // the staging goes in a step of its own (a swap cut off after it could not run again).
    const aliveIn = state.shards.aliveIn === state.shards.into ? into : await shardDatabase(env, state.shards.aliveIn);
    await swapRows(into, aliveIn, manifest, state.stagingRunId);
    return { ...state, phase: "unstage" };
  }
  if (state.phase === "unstage") {
    await clearStaging(env, state.tenantId, state.stagingRunId, into);
    return { ...state, phase: "done" };
  }
  return state;
}

/**
 * One part read back as verification reads it (readPart), its rows staged in the shard's
 * `backup_rows` under the restore's staging id, in runs of lines under D1's 2 MB per value (audit
 * parts hold no rows: the audit log is not restored). Rows of the staging above `stagedUpTo` are
 * deleted first, so a step cut off after staging and run again stages nothing twice. Returns the
 * highest staging row id after the part.
 */
async function stagePart(env: KuraEnv, into: D1Database, manifest: BackupManifest, part: BackupPart, state: RestoreState): Promise<number | undefined> {
  const read = await readPart(env, manifest, part);
  if (read.kind === "audit") return state.stagedUpTo;
  const { tenantId } = manifest;
  if (state.stagedUpTo !== undefined)
    await into.prepare("DELETE FROM backup_rows WHERE tenant_id = ? AND run_id = ? AND id > ?").bind(tenantId, state.stagingRunId, state.stagedUpTo).run();
  const decoder = new TextDecoder();
  for (const run of read.runs) {
    await into
      .prepare(
        `INSERT INTO backup_rows (tenant_id, run_id, table_name, row) SELECT ?1, ?2, json_extract(value, '$.t'), json_extract(value, '$.r') FROM json_each(${linesAsJsonArray(3)})`,
      )
      .bind(tenantId, state.stagingRunId, decoder.decode(run))
      .run();
  }
  const top = await into
    .prepare("SELECT COALESCE(MAX(id), 0) AS top FROM backup_rows WHERE tenant_id = ? AND run_id = ?")
    .bind(tenantId, state.stagingRunId)
    .first<{ top: number }>();
  return top?.top ?? 0;
}

const quoted = quotedIdentifier;

/**
 * One transaction: the tenant's rows of every dumped table are replaced by the staged ones
 * (children deleted first, parents inserted first); credentials a restore must not bring back are
 * dealt with as their policy says. The staged counts must equal the manifest's, or nothing changes.
 */
async function swapRows(d1: D1Database, aliveIn: D1Database, manifest: BackupManifest, stagingRunId: string): Promise<void> {
  const tenantId = manifest.tenantId;
  const staged = await stagedCounts(d1, tenantId, stagingRunId).all<{ t: string; n: number }>();
  const counts = Object.fromEntries(staged.results.map((r) => [r.t, r.n]));
  for (const [table, n] of Object.entries(manifest.tables)) {
    if ((counts[table] ?? 0) !== n) throw new Error(`restore staging of ${table} holds ${counts[table] ?? 0} rows, the manifest ${n}`);
  }

  const tables = Object.keys(BACKUP_POLICIES) as TenantTableName[];
  const survivorsOnly = backedUpTables().filter((t) => isSurvivorsOnly(t.policy));
  // Which rows of a survivors-only table exist now, noted before any delete (deleting users
  // cascades to their tokens): only those come back, in their backed-up form. A restore into
  // another shard (a move) notes them from the shard the tenant is leaving, before the batch.
  const alive =
    aliveIn === d1
      ? survivorsOnly.map((t) =>
          d1
            .prepare(
              `INSERT INTO backup_rows (tenant_id, run_id, table_name, row) SELECT ?1, ?2, '${t.name}:alive', json_object('id', id) FROM ${quoted(t.name)} WHERE tenant_id = ?1`,
            )
            .bind(tenantId, stagingRunId),
        )
      : [];
  if (aliveIn !== d1) for (const t of survivorsOnly) await copyAliveIds(aliveIn, d1, t.name, tenantId, stagingRunId);
  // The tenant's rows go, children first: every dumped table, and the excluded ones a restore empties.
  const deletes = [...tables]
    .reverse()
    .filter((name) => emptiedByRestore(BACKUP_POLICIES[name]))
    .map((name) => d1.prepare(`DELETE FROM ${quoted(name)} WHERE tenant_id = ?`).bind(tenantId));
  // A staged row is the backup's JSON (an object in format 1, an array in format 2): each column read at its place.
  const value = (table: string, column: string) => {
    const path = columnPath(manifest, table, column);
    return path ? `json_extract(row, ${path})` : "NULL";
  };
  const inserts = backedUpTables().map((t) => {
    const columns = t.columns.filter((c) => !(t.policy.notRestored ?? []).includes(c));
    const onlyAlive = isSurvivorsOnly(t.policy)
      ? ` AND ${value(t.name, "id")} IN (SELECT json_extract(row, '$.id') FROM backup_rows WHERE tenant_id = ?1 AND run_id = ?2 AND table_name = '${t.name}:alive')`
      : "";
    return d1
      .prepare(
        `INSERT INTO ${quoted(t.name)} (${columns.map(quoted).join(", ")}) SELECT ${columns.map((c) => value(t.name, c)).join(", ")} FROM backup_rows WHERE tenant_id = ?1 AND run_id = ?2 AND table_name = '${t.name}'${onlyAlive} ORDER BY id`,
      )
      .bind(tenantId, stagingRunId);
  });
  await d1.batch([...alive, ...deletes, ...inserts]);
}

/** The ids of a survivors-only table's rows in the shard a move leaves, staged as `<table>:alive` in its target. */
async function copyAliveIds(from: D1Database, into: D1Database, table: string, tenantId: string, stagingRunId: string): Promise<void> {
  const { results } = await from
    .prepare(`SELECT id FROM ${quoted(table)} WHERE tenant_id = ?`)
    .bind(tenantId)
    .all<{ id: string }>();
  for (const chunk of chunkedByJsonBytes(results, STAGE_BYTES)) {
    await into
      .prepare(
        `INSERT INTO backup_rows (tenant_id, run_id, table_name, row) SELECT ?1, ?2, '${table}:alive', json_object('id', json_extract(value, '$.id')) FROM json_each(?3)`,
      )
      .bind(tenantId, stagingRunId, JSON.stringify(chunk))
      .run();
  }
}
