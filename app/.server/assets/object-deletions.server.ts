import { and, asc, eq, sql } from "drizzle-orm";
import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";
import { chunked, inJsonArray } from "../db/chunks.server";
import { rawStatement } from "../db/raw-statement.server";
import { pendingObjectDeletions } from "../db/tenant-schema";
import { allShardDatabases, tenantDbFor, type TenantDb } from "../db/tenant-data.server";
import { tenantStorageFor } from "../storage/keys.server";
import { assetKeys } from "./keys.server";
import { abortStoredParts } from "./uploads.server";

/**
 * Deleting an asset touches two stores that share no transaction. The rows
 * go first, in one D1 batch with the usage change, the audit event and a
 * `pending_object_deletions` row per asset; the R2 objects go after, and
 * then the pending rows. A failure in between leaves files whose rows are
 * gone (never the reverse), and the pending rows name them for the next
 * drain: right after the batch, or the scheduled job (ADR 0016).
 */

/** R2 deletes at most 1,000 keys per call. */
export const R2_KEYS_PER_DELETE = 1000;

/** How many assets one delete step handles: as many as one R2 call can remove. */
export const ASSETS_PER_DELETE = Math.floor(R2_KEYS_PER_DELETE / assetKeys.all("").length);

/** The statement recording the assets' objects for deletion; put it in the batch that deletes their rows. */
export function pendingDeletionsStatement(db: TenantDb, tenantId: string, assetIds: readonly string[]) {
  return rawStatement(
    db,
    sql`INSERT INTO ${pendingObjectDeletions} (tenant_id, asset_id) SELECT ${tenantId}, value FROM json_each(${JSON.stringify(assetIds)}) WHERE true ON CONFLICT DO NOTHING`,
  );
}

/** Removes the objects of these pending assets of one tenant, then their pending rows. */
export async function deletePendingObjects(env: Pick<KuraEnv, "ASSETS">, db: TenantDb, tenantId: string, assetIds: readonly string[]): Promise<void> {
  const storage = tenantStorageFor(env.ASSETS, tenantId);
  for (const part of chunked(assetIds, ASSETS_PER_DELETE)) {
    await storage.delete(part.flatMap((id) => assetKeys.all(id)));
    await db
      .delete(pendingObjectDeletions)
      .where(and(eq(pendingObjectDeletions.tenantId, tenantId), inJsonArray(pendingObjectDeletions.assetId, part)))
      .run();
  }
}

/** Scheduled: removes the objects every shard still has pending, oldest first; returns how many assets' objects went. */
export async function drainPendingObjectDeletions(env: KuraEnv, logger: Logger, limitPerShard = 5000): Promise<number> {
  let drained = 0;
  for (const shard of await allShardDatabases(env)) {
    const db = tenantDbFor(shard.db);
    const pending = await db.select().from(pendingObjectDeletions).orderBy(asc(pendingObjectDeletions.createdAt)).limit(limitPerShard).all();
    const byTenant = new Map<string, string[]>();
    for (const p of pending) byTenant.set(p.tenantId, [...(byTenant.get(p.tenantId) ?? []), p.assetId]);
    for (const [tenantId, assetIds] of byTenant) {
      try {
        await deletePendingObjects(env, db, tenantId, assetIds);
        drained += assetIds.length;
      } catch (error) {
        logger.warn("pending_object_deletion_failed", { tenantId, shard: shard.key, error: String(error) });
      }
    }
  }
  return drained;
}

const UPLOADS_PER_ABORT = 50;

/**
 * One page of a tenant's open uploads, for the operator's jobs (a purge, or a move's quiesce): aborted in R2, then marked
 * aborted in the shard `d1`. Operator jobs only; `more` while a full page was taken.
 */
export async function abortOpenUploadsPage(
  env: Pick<KuraEnv, "ASSETS">,
  logger: Logger,
  d1: D1Database,
  tenantId: string,
): Promise<{ aborted: number; more: boolean }> {
  const open = await d1
    .prepare("SELECT id, asset_id AS assetId, r2_upload_id AS r2UploadId FROM uploads WHERE tenant_id = ? AND status IN ('open', 'completing') LIMIT ?")
    .bind(tenantId, UPLOADS_PER_ABORT)
    .all<{ id: string; assetId: string; r2UploadId: string }>();
  // Already completed, aborted or expired in R2: nothing of it is left to abort (logged, not fatal).
  await abortStoredParts({ logger }, { storage: tenantStorageFor(env.ASSETS, tenantId) }, open.results);
  if (open.results.length > 0) {
    const ids = open.results.map((u) => u.id);
    await d1
      .prepare(`UPDATE uploads SET status = 'aborted' WHERE tenant_id = ? AND id IN (${ids.map(() => "?").join(", ")})`)
      .bind(tenantId, ...ids)
      .run();
  }
  return { aborted: open.results.length, more: open.results.length === UPLOADS_PER_ABORT };
}
