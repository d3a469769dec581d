import { and, eq, isNull } from "drizzle-orm";
import { flushAudit } from "../audit/record.server";
import { abortOpenUploadsPage, ASSETS_PER_DELETE, deletePendingObjects } from "../assets/object-deletions.server";
import { controlDb } from "../db/control.server";
import { tenants } from "../db/control-schema";
import { shardDatabase, tenantDbFor, type TenantData } from "../db/tenant-data.server";
import { pendingObjectDeletions, tenantSettings } from "../db/tenant-schema";
import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";
import { tenantStorageFor } from "../storage/keys.server";
import { backupStep, startBackup, type BackupState } from "./backup-run.server";
import { discardRun, recordRunStarted } from "./generations.server";
import { restoreStep, startRestore, type RestoreState } from "./restore.server";
import type { VerifyScratch } from "./verify-scratch.server";
import { deleteTenantRowsStep, tenantTables } from "./tables.server";

/**
 * Moving a tenant to another shard (ADR 0028) as bounded, resumable steps of the tenant's
 * TenantJobs object. A move is a restore into the other shard:
 *
 * 1. quiesce: the move is claimed in the control plane (`moving_to`), the old shard's mirror says
 *    "moving" (every credential is refused from the next request on), the audit outbox is
 *    flushed, open uploads are aborted and the R2 deletions still owed are done;
 * 2. backup: a normal, verified backup run (it is also the day's generation), unless the operator
 *    chose a generation to restore from;
 * 3. restore: that generation is staged and swapped in on the new shard;
 * 4. switch: the new shard's mirror takes the record's status, then the shard map names the new
 *    shard (one write, which also ends the claim);
 * 5. clear: the old shard loses every row of the tenant, in bounded deletes. An isolate that still
 *    remembers the old placement finds no credential there and asks the control plane again
 *    (tenant-data.server.ts), so it heals on its next request.
 *
 * Sessions end (they are not in backups) and API tokens carry over, as in a restore. Asset bytes,
 * backups and the audit log are keyed by tenant, not by shard: they do not move.
 */

export type MovePhase = "quiesce" | "uploads" | "deletions" | "backup" | "restore" | "switch" | "clear" | "done";

export type MoveState = {
  tenantId: string;
  runId: string;
  /** The generation restored: the fresh backup's (known once it is written) or the operator's choice. */
  generation: string;
  from: string;
  to: string;
  /** The operator chose a kept generation (its run) instead of a fresh backup. */
  chosenRunId: string | null;
  phase: MovePhase;
  quiescedAt: string | null;
  backup: BackupState | null;
  restore: RestoreState | null;
  tableIndex: number;
};

/**
 * Writes that were already past their credential check when the mirror turned "moving" get this
 * long to land before the backup copies the tenant. Requests write within milliseconds of their
 * check; this is the margin.
 */
export const QUIESCE_GRACE_MS = 2_000;

export function startMove(move: { tenantId: string; from: string; to: string; at: Date; chosen?: { generation: string; runId: string } }): MoveState {
  // A "move" onto the tenant's own shard would end by clearing it: never.
  if (move.from === move.to) throw new MoveRefused(`the tenant is already on shard ${move.to}`);
  return {
    tenantId: move.tenantId,
    runId: `mov_${crypto.randomUUID().replaceAll("-", "")}`,
    generation: move.chosen?.generation ?? move.at.toISOString().slice(0, 10),
    from: move.from,
    to: move.to,
    chosenRunId: move.chosen?.runId ?? null,
    phase: "quiesce",
    quiescedAt: null,
    backup: null,
    restore: null,
    tableIndex: 0,
  };
}

/** A step's outcome; `backupDone` is a fresh backup run that has just been written and verified. */
export type MoveStepResult = { state: MoveState; backupDone?: BackupState };

export async function moveStep(env: KuraEnv, logger: Logger, state: MoveState, scratch: VerifyScratch): Promise<MoveStepResult> {
  const from = await shardDatabase(env, state.from);
  switch (state.phase) {
    case "quiesce":
      await quiesce(env, logger, state, from);
      return { state: { ...state, phase: "uploads", quiescedAt: new Date().toISOString() } };
    case "uploads": {
      const { more } = await abortOpenUploadsPage(env, logger, from, state.tenantId);
      return { state: more ? state : { ...state, phase: "deletions" } };
    }
    case "deletions":
      return { state: (await drainDeletionsPage(env, from, state.tenantId)) ? state : { ...state, phase: "backup" } };
    case "backup":
      return backupPhase(env, state, scratch);
    case "restore": {
      const restore = await restoreStep(env, state.restore!);
      return { state: { ...state, restore, phase: restore.phase === "done" ? "switch" : "restore" } };
    }
    case "switch":
      await switchShard(env, state);
      return { state: { ...state, phase: "clear" } };
    case "clear":
      return { state: await clearOldShard(env, logger, state, from) };
    case "done":
      return { state };
  }
}

/** Claims the move, turns the old shard's mirror to "moving" and flushes the audit outbox there. */
async function quiesce(env: KuraEnv, logger: Logger, state: MoveState, from: D1Database): Promise<void> {
  const claimed = await controlDb(env)
    .update(tenants)
    .set({ movingTo: state.to })
    .where(and(eq(tenants.id, state.tenantId), eq(tenants.status, "active"), eq(tenants.shardKey, state.from), isNull(tenants.movingTo)))
    .returning({ id: tenants.id });
  if (claimed.length === 0) {
    const row = await controlDb(env).select({ movingTo: tenants.movingTo }).from(tenants).where(eq(tenants.id, state.tenantId)).get();
    // Claimed by this very move in an attempt that was cut off after the write: go on.
    if (row?.movingTo !== state.to) throw new MoveRefused("the tenant is not active on the shard it was to leave, or another move has claimed it");
  }
  const db = tenantDbFor(from);
  await db
    .update(tenantSettings)
    .set({ status: "moving", updatedAt: new Date().toISOString() })
    .where(and(eq(tenantSettings.tenantId, state.tenantId), eq(tenantSettings.status, "active")))
    .run();
  if (!(await flushAudit({ env, logger }, shardView(env, state.tenantId, from)))) throw new Error("the audit outbox could not be flushed");
}

/** A move that cannot start (the tenant changed under it): not retried. */
export class MoveRefused extends Error {}

/** One page of R2 deletions still owed on the old shard; false when none is left. */
async function drainDeletionsPage(env: KuraEnv, from: D1Database, tenantId: string): Promise<boolean> {
  const db = tenantDbFor(from);
  const owed = await db
    .select({ assetId: pendingObjectDeletions.assetId })
    .from(pendingObjectDeletions)
    .where(eq(pendingObjectDeletions.tenantId, tenantId))
    .limit(ASSETS_PER_DELETE)
    .all();
  if (owed.length === 0) return false;
  await deletePendingObjects(
    env,
    db,
    tenantId,
    owed.map((r) => r.assetId),
  );
  return true;
}

async function backupPhase(env: KuraEnv, state: MoveState, scratch: VerifyScratch): Promise<MoveStepResult> {
  const restoreOf = (run: { generation: string; runId: string }) => startRestore({ tenantId: state.tenantId, ...run }, { into: state.to, aliveIn: state.from });
  if (state.chosenRunId) {
    return { state: { ...state, phase: "restore", restore: restoreOf({ generation: state.generation, runId: state.chosenRunId }) } };
  }
  if (!state.backup) {
    // Writes already past their credential check at the quiesce get a moment to land first.
    const wait = Date.parse(state.quiescedAt!) + QUIESCE_GRACE_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const backup = await startBackup(env, state.tenantId, new Date());
    await recordRunStarted(env, backup);
    return { state: { ...state, backup, generation: backup.generation } };
  }
  const backup = await backupStep(env, state.backup, scratch);
  if (backup.phase !== "done") return { state: { ...state, backup } };
  return { state: { ...state, backup, phase: "restore", restore: restoreOf(backup) }, backupDone: backup };
}

/** The new shard's mirror takes the record's status (a termination during the move stands), then the shard map switches. */
async function switchShard(env: KuraEnv, state: MoveState): Promise<void> {
  const record = await controlDb(env).select({ status: tenants.status }).from(tenants).where(eq(tenants.id, state.tenantId)).get();
  if (!record) throw new Error(`no tenant ${state.tenantId}`);
  const into = tenantDbFor(await shardDatabase(env, state.to));
  await into
    .update(tenantSettings)
    .set({ status: record.status, updatedAt: new Date().toISOString() })
    .where(eq(tenantSettings.tenantId, state.tenantId))
    .run();
  await controlDb(env).update(tenants).set({ shardKey: state.to, movingTo: null }).where(eq(tenants.id, state.tenantId)).run();
}

/**
 * The old shard is emptied of the tenant. First, events and R2 deletions that requests in flight
 * at the quiesce may still have left there are delivered (the audit log and R2 do not move).
 */
async function clearOldShard(env: KuraEnv, logger: Logger, state: MoveState, from: D1Database): Promise<MoveState> {
  if (state.tableIndex === 0) {
    if (!(await flushAudit({ env, logger }, shardView(env, state.tenantId, from)))) throw new Error("the audit outbox could not be flushed");
    while (await drainDeletionsPage(env, from, state.tenantId));
  }
  const tableIndex = await deleteTenantRowsStep(from, state.tenantId, state.tableIndex);
  return { ...state, tableIndex, phase: tableIndex < tenantTables().length ? "clear" : "done" };
}

/** The tenant's rows on one given shard, for the job's own flushes (never a request's door to the tenant). */
function shardView(env: KuraEnv, tenantId: string, d1: D1Database): TenantData {
  return { tenantId, tenant: { id: tenantId, slug: "", name: "" }, db: tenantDbFor(d1), storage: tenantStorageFor(env.ASSETS, tenantId) };
}

/** Whether a failed move may still be undone: before the switch, the old shard still holds the tenant. */
export const undoable = (state: MoveState) => !["switch", "clear", "done"].includes(state.phase);

/**
 * Undoes a move that failed before its switch: the fresh backup's leftovers go (its run is
 * recorded failed unless it completed), the new shard is emptied of the tenant, and the old
 * shard's mirror and the claim are released, so the tenant works where it was.
 */
export async function undoMove(env: KuraEnv, state: MoveState, error: string, scratch: VerifyScratch): Promise<void> {
  const record = await controlDb(env)
    .select({ status: tenants.status, shardKey: tenants.shardKey, movingTo: tenants.movingTo })
    .from(tenants)
    .where(eq(tenants.id, state.tenantId))
    .get();
  // Not this move's claim (it was refused at the start): nothing of it exists to undo, and the
  // new shard may well be where the tenant lives.
  if (!record || record.shardKey !== state.from || record.movingTo !== state.to) return;
  if (state.backup && state.backup.phase !== "done") await discardRun(env, state.backup, scratch, error);
  const into = await shardDatabase(env, state.to);
  for (let index = 0; index < tenantTables().length;) index = await deleteTenantRowsStep(into, state.tenantId, index);
  const from = tenantDbFor(await shardDatabase(env, state.from));
  await from
    .update(tenantSettings)
    .set({ status: record.status, updatedAt: new Date().toISOString() })
    .where(and(eq(tenantSettings.tenantId, state.tenantId), eq(tenantSettings.status, "moving")))
    .run();
  await controlDb(env)
    .update(tenants)
    .set({ movingTo: null })
    .where(and(eq(tenants.id, state.tenantId), eq(tenants.movingTo, state.to)))
    .run();
}
