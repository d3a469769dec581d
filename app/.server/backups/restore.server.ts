import { randomSecret } from "../auth/crypto.server";
import type { KuraEnv } from "../env/env";
import { clearStaging, readManifest, stagePart, type BackupManifest } from "./backup-run.server";
import { tenantPlacement } from "./placement.server";
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
  partIndex: number;
  phase: "stage" | "swap" | "done";
};

export function startRestore(run: { tenantId: string; generation: string; runId: string }): RestoreState {
  return { ...run, stagingRunId: `bks_${randomSecret(16)}`, partIndex: 0, phase: "stage" };
}

export async function restoreStep(env: KuraEnv, state: RestoreState): Promise<RestoreState> {
  const manifest = await readManifest(env, state);
  if (state.phase === "stage") {
    const part = manifest.parts[state.partIndex];
    if (!part) return { ...state, phase: "swap" };
    await stagePart(env, manifest, part, state.stagingRunId);
    return { ...state, partIndex: state.partIndex + 1 };
  }
  if (state.phase === "swap") {
    await swapRows(env, manifest, state.stagingRunId);
    await clearStaging(env, state.tenantId, state.stagingRunId);
    return { ...state, phase: "done" };
  }
  return state;
}

const quoted = quotedIdentifier;

/**
 * One transaction: the tenant's rows of every dumped table are replaced by the staged ones
 * (children deleted first, parents inserted first); credentials a restore must not bring back are
 * dealt with as their policy says. The staged counts must equal the manifest's, or nothing changes.
 */
async function swapRows(env: KuraEnv, manifest: BackupManifest, stagingRunId: string): Promise<void> {
  const { d1 } = await tenantPlacement(env, manifest.tenantId);
  const tenantId = manifest.tenantId;
  const staged = await stagedCounts(d1, tenantId, stagingRunId).all<{ t: string; n: number }>();
  const counts = Object.fromEntries(staged.results.map((r) => [r.t, r.n]));
  for (const [table, n] of Object.entries(manifest.tables)) {
    if ((counts[table] ?? 0) !== n) throw new Error(`restore staging of ${table} holds ${counts[table] ?? 0} rows, the manifest ${n}`);
  }

  const tables = Object.keys(BACKUP_POLICIES) as TenantTableName[];
  const survivorsOnly = backedUpTables().filter((t) => isSurvivorsOnly(t.policy));
  // Which rows of a survivors-only table exist now, noted before any delete (deleting users
  // cascades to their tokens): only those come back, in their backed-up form.
  const alive = survivorsOnly.map((t) =>
    d1
      .prepare(
        `INSERT INTO backup_rows (tenant_id, run_id, table_name, row) SELECT ?1, ?2, '${t.name}:alive', json_object('id', id) FROM ${quoted(t.name)} WHERE tenant_id = ?1`,
      )
      .bind(tenantId, stagingRunId),
  );
  // The tenant's rows go, children first: every dumped table, and the excluded ones a restore empties.
  const deletes = [...tables]
    .reverse()
    .filter((name) => emptiedByRestore(BACKUP_POLICIES[name]))
    .map((name) => d1.prepare(`DELETE FROM ${quoted(name)} WHERE tenant_id = ?`).bind(tenantId));
  const inserts = backedUpTables().map((t) => {
    const columns = t.columns.filter((c) => !(t.policy.notRestored ?? []).includes(c));
    const onlyAlive = isSurvivorsOnly(t.policy)
      ? ` AND json_extract(row, '$.id') IN (SELECT json_extract(row, '$.id') FROM backup_rows WHERE tenant_id = ?1 AND run_id = ?2 AND table_name = '${t.name}:alive')`
      : "";
    return d1
      .prepare(
        `INSERT INTO ${quoted(t.name)} (${columns.map(quoted).join(", ")}) SELECT ${columns.map((c) => `json_extract(row, '$.${c}')`).join(", ")} FROM backup_rows WHERE tenant_id = ?1 AND run_id = ?2 AND table_name = '${t.name}'${onlyAlive} ORDER BY id`,
      )
      .bind(tenantId, stagingRunId);
  });
  await d1.batch([...alive, ...deletes, ...inserts]);
}
