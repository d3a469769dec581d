import { and, eq, lt } from "drizzle-orm";
import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";
import { uploadParts, uploads } from "../db/tenant-schema";
import { allShardDatabases, tenantDbFor } from "../db/tenant-data.server";
import { tenantStorageFor } from "../storage/keys.server";
import { assetKeys } from "./keys.server";
import { sweepStuckProcessing } from "./processing.server";
import { drainPendingObjectDeletions } from "./object-deletions.server";
import { sweepStuckTranscodes } from "../media/jobs.server";

/**
 * Scheduled upkeep of assets: expired multipart uploads are aborted (their
 * parts deleted, their quota reservation released), and assets stuck in
 * `processing` are queued again, transcodes that went quiet are handed out again, and objects of deleted assets still
 * pending removal are deleted.
 */
export async function abortExpiredUploads(env: KuraEnv, logger: Logger, now = new Date()): Promise<number> {
  let aborted = 0;
  for (const shard of await allShardDatabases(env)) {
    const db = tenantDbFor(shard.db);
    const expired = await db
      .select()
      .from(uploads)
      .where(and(eq(uploads.status, "open"), lt(uploads.expiresAt, now.toISOString())))
      .limit(200)
      .all();
    for (const u of expired) {
      if (u.r2UploadId) {
        await tenantStorageFor(env.ASSETS, u.tenantId)
          .resumeMultipartUpload(assetKeys.original(u.assetId), u.r2UploadId)
          .abort()
          .catch((error: unknown) => logger.warn("expired_upload_abort_failed", { uploadId: u.id, error: String(error) }));
      }
      await db.batch([
        db
          .update(uploads)
          .set({ status: "aborted" })
          .where(and(eq(uploads.tenantId, u.tenantId), eq(uploads.id, u.id), eq(uploads.status, "open"))),
        db.delete(uploadParts).where(and(eq(uploadParts.tenantId, u.tenantId), eq(uploadParts.uploadId, u.id))),
      ]);
      aborted++;
    }
  }
  return aborted;
}

export async function runAssetMaintenance(env: KuraEnv, logger: Logger, now = new Date()): Promise<void> {
  const aborted = await abortExpiredUploads(env, logger, now);
  const requeued = await sweepStuckProcessing(env, logger, now);
  const transcodes = await sweepStuckTranscodes({ env, logger }, now);
  const objectsDeleted = await drainPendingObjectDeletions(env, logger);
  if (aborted || requeued || transcodes || objectsDeleted)
    logger.info("asset_maintenance", { abortedUploads: aborted, requeuedAssets: requeued, stuckTranscodes: transcodes, deletedAssetObjects: objectsDeleted });
}
