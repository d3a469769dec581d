import { and, eq } from "drizzle-orm";
import { controlDb } from "../db/control.server";
import { backupRuns } from "../db/control-schema";
import type { KuraEnv } from "../env/env";
import { auditLogOf } from "../audit/record.server";
import { R2_KEYS_PER_DELETE } from "../assets/object-deletions.server";
import { abortOpenUploadsPage } from "../assets/object-deletions.server";
import type { Logger } from "../http/logger.server";
import { deleteTenantRowsStep, quotedIdentifier, tenantTables } from "../backups/tables.server";
import { destroyTenantDataKey } from "../backups/tenant-keys.server";
import { tenantPlacement } from "../backups/placement.server";
import { backupPrefix, tenantPrefix } from "../storage/keys.server";

/**
 * The purge of a terminated tenant (ADR 0026) as resumable, idempotent steps, each small enough
 * for one invocation of the tenant's TenantJobs object. The order is the ADR's: the data key
 * first (from then on every backup copy anywhere is unreadable), then the R2 objects, the rows,
 * the audit log's storage; the control-plane record last.
 *
 * Counting is exact however often a step is cut off and run again:
 * - rows, audit events and backup generations are counted once, before anything of them is
 *   deleted (the tenant is terminated: nothing adds to them any more);
 * - R2 objects are deleted a listed page at a time, the page (keys and sizes) saved before its
 *   delete, so a delete cut off is repeated (R2 deletes are idempotent) and counted once.
 */
export type PurgePhase = "key" | "uploads" | "inventory" | "objects" | "backup-objects" | "rows" | "audit" | "done";

export type PurgeCounts = {
  /** Rows per tenant-data table, counted before the rows phase. */
  rowsByTable: Record<string, number>;
  objects: number;
  bytes: number;
  backupObjects: number;
  backupBytes: number;
  /** Complete backup generations that existed. */
  backups: number;
  auditEvents: number;
  /** In-flight multipart uploads aborted. */
  uploadsAborted: number;
};

export type PurgeState = {
  tenantId: string;
  runId: string;
  /** The day the purge started (the job object's progress reports it as its "generation"). */
  generation: string;
  phase: PurgePhase;
  startedAt: string;
  keyDestroyedAt: string | null;
  /** The listed page whose delete is under way (saved before the delete). */
  page: { keys: string[]; bytes: number } | null;
  /** Index into tenantTables(), counted from the end (children first). */
  tableIndex: number;
  counts: PurgeCounts;
};

/** R2's list takes at most as many keys as its delete: one listed page is one delete. */
const R2_PAGE = R2_KEYS_PER_DELETE;
/** Rows per DELETE, and DELETEs per step: bounded by time and by D1's per-invocation query budget. */

export function startPurge(tenantId: string, at: Date): PurgeState {
  return {
    tenantId,
    runId: `purge_${crypto.randomUUID().replaceAll("-", "")}`,
    generation: at.toISOString().slice(0, 10),
    phase: "key",
    startedAt: at.toISOString(),
    keyDestroyedAt: null,
    page: null,
    tableIndex: 0,
    counts: { rowsByTable: {}, objects: 0, bytes: 0, backupObjects: 0, backupBytes: 0, backups: 0, auditEvents: 0, uploadsAborted: 0 },
  };
}

export async function purgeStep(env: KuraEnv, logger: Logger, state: PurgeState): Promise<PurgeState> {
  switch (state.phase) {
    case "key":
      await destroyTenantDataKey(env, state.tenantId);
      return { ...state, phase: "uploads", keyDestroyedAt: new Date().toISOString() };
    case "uploads":
      return abortOpenUploads(env, logger, state);
    case "inventory":
      return { ...state, phase: "objects", counts: { ...state.counts, ...(await inventory(env, state.tenantId)) } };
    case "objects":
      return deleteObjectPage(env.ASSETS, tenantPrefix(state.tenantId), state, "objects", "backup-objects");
    case "backup-objects":
      return deleteObjectPage(env.BACKUPS, backupPrefix(state.tenantId), state, "backupObjects", "rows");
    case "rows":
      return deleteRows(env, state);
    case "audit":
      await auditLogOf(env, state.tenantId).destroy();
      return { ...state, phase: "done" };
    case "done":
      return state;
  }
}

/** Multipart uploads still open in R2 are aborted (their parts are not objects a list would find). */
async function abortOpenUploads(env: KuraEnv, logger: Logger, state: PurgeState): Promise<PurgeState> {
  const { d1 } = await tenantPlacement(env, state.tenantId);
  const { aborted, more } = await abortOpenUploadsPage(env, logger, d1, state.tenantId);
  const counts = { ...state.counts, uploadsAborted: state.counts.uploadsAborted + aborted };
  return { ...state, counts, phase: more ? "uploads" : "inventory" };
}

/** What exists before anything of it is deleted: the certificate's row, generation and event counts. */
async function inventory(env: KuraEnv, tenantId: string): Promise<Pick<PurgeCounts, "rowsByTable" | "backups" | "auditEvents">> {
  const { d1 } = await tenantPlacement(env, tenantId);
  const tables = tenantTables();
  const counted = await d1.batch(tables.map((t) => d1.prepare(`SELECT COUNT(*) AS n FROM ${quotedIdentifier(t)} WHERE tenant_id = ?`).bind(tenantId)));
  const rowsByTable = Object.fromEntries(tables.map((t, i) => [t, (counted[i]!.results[0] as { n: number }).n]));
  const generations = await controlDb(env)
    .select({ runId: backupRuns.runId })
    .from(backupRuns)
    .where(and(eq(backupRuns.tenantId, tenantId), eq(backupRuns.status, "complete")))
    .all();
  const auditEvents = await auditLogOf(env, tenantId).eventCount();
  return { rowsByTable, backups: generations.length, auditEvents };
}

type ObjectCounter = "objects" | "backupObjects";

/**
 * One step of emptying a prefix: deletes the saved page if there is one, otherwise lists the next
 * page and saves it (the job object stores the state between steps). Deleted objects are gone from
 * the next list, so no cursor is needed.
 */
async function deleteObjectPage(bucket: R2Bucket, prefix: string, state: PurgeState, counter: ObjectCounter, next: PurgePhase): Promise<PurgeState> {
  const bytesCounter = counter === "objects" ? "bytes" : "backupBytes";
  if (state.page) {
    await bucket.delete(state.page.keys);
    const counts = {
      ...state.counts,
      [counter]: state.counts[counter] + state.page.keys.length,
      [bytesCounter]: state.counts[bytesCounter] + state.page.bytes,
    };
    return { ...state, page: null, counts };
  }
  const listed = await bucket.list({ prefix, limit: R2_PAGE });
  if (listed.objects.length === 0) return { ...state, phase: next };
  return { ...state, page: { keys: listed.objects.map((o) => o.key), bytes: listed.objects.reduce((sum, o) => sum + o.size, 0) } };
}

/** Bounded DELETEs, children first, until every tenant table is empty of the tenant. */
async function deleteRows(env: KuraEnv, state: PurgeState): Promise<PurgeState> {
  const { d1 } = await tenantPlacement(env, state.tenantId);
  const tableIndex = await deleteTenantRowsStep(d1, state.tenantId, state.tableIndex);
  return { ...state, tableIndex, phase: tableIndex < tenantTables().length ? "rows" : "audit" };
}

export function rowsCounted(counts: PurgeCounts): number {
  return Object.values(counts.rowsByTable).reduce((sum, n) => sum + n, 0);
}
