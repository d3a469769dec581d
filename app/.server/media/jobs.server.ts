import { and, eq, isNull, lt, ne, or } from "drizzle-orm";
import type { KuraEnv } from "../env/env";
import { readConfig } from "../env/config.server";
import type { Logger } from "../http/logger.server";
import { allShardDatabases, systemTenantData, tenantDbFor, type TenantData } from "../db/tenant-data.server";
import { assets, mediaJobs, mediaOutputClaims } from "../db/tenant-schema";
import { inJsonArray } from "../db/chunks.server";
import { newId } from "../ids/ids";
import { GRANT_SECONDS, signGrant, type Grant } from "./signed-urls.server";
import { OUTPUT_NAMES } from "./outputs.server";
import { sendToTranscoder, transcoderConfigured } from "./transcoder-client.server";
import { PROFILE_VERSION } from "./profile";

/**
 * The transcoder's jobs (ADR 0030). One row per asset in `media_jobs`; its `attempt` grows each
 * time the work is handed out again (a retryable failure, a silent transcoder, an admin's retry),
 * and every signed URL names the attempt, so an older attempt can neither store nor report once a
 * newer one started. The processing queue hands jobs out (dispatchTranscode); the 15-minute job
 * hands out again what went quiet (sweepStuckTranscodes).
 */

export type MediaJobRow = typeof mediaJobs.$inferSelect;

/** Attempts the work gets on its own (retryable failures, silence) before it is marked failed. */
export const MAX_TRANSCODE_ATTEMPTS = 3;
/** A working attempt silent this long is handed out again (the transcoder reports every 10 s). */
export const SILENT_AFTER_MS = 3 * 60 * 1000;
/** A dispatched attempt that never started in this long (the transcoder lost it) is handed out again. */
export const UNSTARTED_AFTER_MS = 30 * 60 * 1000;

type Ctx = { env: KuraEnv; logger: Logger };

/** The stage of a job whose "ready" report is being recorded (endpoints.server.ts claims it). */
export const FINISHING = "finishing";

const nowIso = () => new Date().toISOString();
const jobOf = (data: TenantData, assetId: string) => and(eq(mediaJobs.tenantId, data.tenantId), eq(mediaJobs.assetId, assetId));

/**
 * The statement creating the asset's job (queued, attempt 1) unless it has one; processing puts
 * it in the batch that finishes the asset, so the job exists from the moment processing ends.
 */
export function newJobStatement(db: TenantData["db"], tenantId: string, assetId: string) {
  return db
    .insert(mediaJobs)
    .values({ id: newId("mediaJob"), tenantId, assetId, profile: PROFILE_VERSION })
    .onConflictDoNothing();
}

/** The asset's job, created on first use (assets processed before jobs existed). */
async function ensureJob(data: TenantData, assetId: string): Promise<MediaJobRow> {
  await newJobStatement(data.db, data.tenantId, assetId).run();
  return (await data.db.select().from(mediaJobs).where(jobOf(data, assetId)).get())!;
}

/** The URLs of one attempt: ranged reads of the original, one single-use upload per output, the callback. */
async function jobRequest(env: KuraEnv, origin: string, data: TenantData, job: MediaJobRow, size: number) {
  const expiresAt = Math.floor(Date.now() / 1000) + GRANT_SECONDS;
  const grant = (use: Grant["use"], name?: Grant["name"]) =>
    signGrant(env, { tenantId: data.tenantId, jobId: job.id, attempt: job.attempt, use, name, expiresAt });
  const url = (path: string, token: string) => `${origin}/api/v1/transcoder/${path}?token=${encodeURIComponent(token)}`;
  const outputs: Record<string, string> = {};
  for (const name of OUTPUT_NAMES) outputs[name] = url(`outputs/${name}`, await grant("output", name));
  return {
    jobId: job.id,
    attempt: job.attempt,
    source: { url: url("source", await grant("source")), size },
    outputs,
    callback: url("callback", await grant("callback")),
  };
}

/**
 * From the processing queue's consumer, before processing itself: makes sure the asset has a job
 * and hands a queued, not yet dispatched attempt to the transcoder. Throws when the transcoder cannot take it now, so that
 * the queue retries; idempotent, so a second delivery does no harm.
 */
export async function dispatchTranscode(ctx: Ctx, message: { tenantId: string; assetId: string }): Promise<"dispatched" | "skipped"> {
  const data = await systemTenantData(ctx.env, message.tenantId);
  if (!data) return "skipped";
  const asset = await data.db
    .select({ id: assets.id, size: assets.size })
    .from(assets)
    .where(and(eq(assets.tenantId, data.tenantId), eq(assets.id, message.assetId)))
    .get();
  // Not waiting for processing: the transcoder reads the original while the Worker hashes it.
  if (!asset) return "skipped";
  const job = await ensureJob(data, asset.id);
  if (job.status !== "queued" || job.dispatchedAt !== null) return "skipped";
  const origin = readConfig(ctx.env).publicBaseUrl;
  if (!transcoderConfigured(ctx.env) || !origin) {
    // Waits, queued, until a transcoder is configured; the status page says why (ADR 0030).
    ctx.logger.warn("transcoder_not_configured", { assetId: asset.id, publicBaseUrl: origin !== null });
    return "skipped";
  }
  const answer = await sendToTranscoder(ctx.env, await jobRequest(ctx.env, origin, data, job, asset.size));
  if (answer === "rejected") {
    await finishFailed(data, job, "transcoder_rejected", "the transcoder refused the job request");
    ctx.logger.error("transcoder_rejected_job", { jobId: job.id });
    return "skipped";
  }
  await data.db
    .update(mediaJobs)
    .set({ dispatchedAt: nowIso(), updatedAt: nowIso() })
    .where(and(eq(mediaJobs.tenantId, data.tenantId), eq(mediaJobs.id, job.id), eq(mediaJobs.attempt, job.attempt), eq(mediaJobs.status, "queued")))
    .run();
  ctx.logger.info("transcode_dispatched", { tenantId: data.tenantId, jobId: job.id, attempt: job.attempt });
  return "dispatched";
}

async function finishFailed(data: TenantData, job: Pick<MediaJobRow, "id" | "attempt">, code: string, detail: string) {
  await data.db
    .update(mediaJobs)
    .set({ status: "failed", stage: null, errorCode: code, errorDetail: detail.slice(0, 1000), finishedAt: nowIso(), updatedAt: nowIso() })
    .where(and(eq(mediaJobs.tenantId, data.tenantId), eq(mediaJobs.id, job.id), eq(mediaJobs.attempt, job.attempt)))
    .run();
}

/**
 * Hands the job out again as a new attempt (queued, not dispatched), which voids every URL of the
 * previous attempt. `force` (an admin's retry) starts over even after the attempts ran out.
 */
export async function rearmJob(
  ctx: Ctx,
  data: TenantData,
  job: Pick<MediaJobRow, "id" | "attempt" | "assetId">,
  reason: { code: string; detail: string } | null,
) {
  const rearmed = await data.db
    .update(mediaJobs)
    .set({
      status: "queued",
      stage: null,
      attempt: job.attempt + 1,
      dispatchedAt: null,
      heartbeatAt: null,
      finishedAt: null,
      errorCode: reason?.code ?? null,
      errorDetail: reason?.detail ?? null,
      profile: PROFILE_VERSION,
      updatedAt: nowIso(),
    })
    .where(and(eq(mediaJobs.tenantId, data.tenantId), eq(mediaJobs.id, job.id), eq(mediaJobs.attempt, job.attempt)))
    .returning({ attempt: mediaJobs.attempt })
    .all();
  if (rearmed.length === 0) return false;
  // Uploads the old attempt left open are never completed; R2 expires their parts.
  await data.db
    .delete(mediaOutputClaims)
    .where(and(eq(mediaOutputClaims.tenantId, data.tenantId), eq(mediaOutputClaims.jobId, job.id)))
    .run();
  await queueDispatch(ctx, { tenantId: data.tenantId, assetId: job.assetId });
  return true;
}

/** Puts the asset back on the processing queue, whose consumer dispatches its queued job. */
export async function queueDispatch(ctx: Ctx, message: { tenantId: string; assetId: string }, delaySeconds = 0) {
  const queue = ctx.env.ASSET_PROCESSING;
  if (queue) await queue.send(message, delaySeconds ? { delaySeconds } : undefined);
  else await dispatchTranscode(ctx, message);
}

/** The tenant, job and asset a verified grant names; null when the attempt is no longer current or the asset is gone. */
export async function grantedJob(env: KuraEnv, grant: Grant) {
  const data = await systemTenantData(env, grant.tenantId);
  if (!data) return null;
  const job = await data.db
    .select()
    .from(mediaJobs)
    .where(and(eq(mediaJobs.tenantId, data.tenantId), eq(mediaJobs.id, grant.jobId)))
    .get();
  if (!job || job.attempt !== grant.attempt || (job.status !== "queued" && job.status !== "working")) return null;
  const asset = await data.db
    .select()
    .from(assets)
    .where(and(eq(assets.tenantId, data.tenantId), eq(assets.id, job.assetId)))
    .get();
  return asset ? { data, job, asset } : null;
}

/**
 * The 15-minute job: attempts that went silent (working without a report for SILENT_AFTER_MS) or
 * were never started (dispatched UNSTARTED_AFTER_MS ago), and queued jobs whose dispatch was lost,
 * are handed out again; after MAX_TRANSCODE_ATTEMPTS they fail with `timed_out`. Assets without a
 * job (from before the pipeline) get one, up to 100 per shard and run.
 */
export async function sweepStuckTranscodes(ctx: Ctx, now = new Date()): Promise<number> {
  const silent = new Date(now.getTime() - SILENT_AFTER_MS).toISOString();
  const unstarted = new Date(now.getTime() - UNSTARTED_AFTER_MS).toISOString();
  let handled = 0;
  for (const shard of await allShardDatabases(ctx.env)) {
    const db = tenantDbFor(shard.db);
    const stuck = await db
      .select({ id: mediaJobs.id, tenantId: mediaJobs.tenantId, assetId: mediaJobs.assetId, attempt: mediaJobs.attempt, status: mediaJobs.status })
      .from(mediaJobs)
      .where(
        or(
          and(eq(mediaJobs.status, "working"), lt(mediaJobs.heartbeatAt, silent)),
          and(eq(mediaJobs.status, "queued"), lt(mediaJobs.dispatchedAt, unstarted)),
          and(eq(mediaJobs.status, "queued"), isNull(mediaJobs.dispatchedAt), lt(mediaJobs.updatedAt, unstarted)),
        ),
      )
      .limit(100)
      .all();
    // Assets that have no job (uploaded before the pipeline existed) get one, a page per run.
    const jobless = await db
      .select({ tenantId: assets.tenantId, assetId: assets.id })
      .from(assets)
      .leftJoin(mediaJobs, and(eq(mediaJobs.tenantId, assets.tenantId), eq(mediaJobs.assetId, assets.id)))
      .where(and(isNull(mediaJobs.id), ne(assets.status, "processing")))
      .limit(100)
      .all();
    for (const a of jobless) {
      // Active tenants only: a terminated (purging) or moving tenant gets no new rows.
      const data = await systemTenantData(ctx.env, a.tenantId);
      if (!data) continue;
      await newJobStatement(data.db, data.tenantId, a.assetId).run();
      await queueDispatch(ctx, a);
      handled++;
    }
    for (const job of stuck) {
      const data = await systemTenantData(ctx.env, job.tenantId);
      if (!data) continue;
      handled++;
      if (job.status === "queued" && job.attempt < MAX_TRANSCODE_ATTEMPTS) {
        await rearmJob(ctx, data, job, { code: "timed_out", detail: "the transcoder did not start the job" });
      } else if (job.attempt < MAX_TRANSCODE_ATTEMPTS) {
        await rearmJob(ctx, data, job, { code: "timed_out", detail: "the transcoder stopped reporting" });
      } else {
        await finishFailed(data, job, "timed_out", "the transcoder did not finish after several attempts");
      }
    }
  }
  return handled;
}

/** Statement removing the jobs of deleted assets; in the batch that deletes their rows. */
export function deleteJobsStatement(data: TenantData, assetIds: readonly string[]) {
  return data.db.delete(mediaJobs).where(and(eq(mediaJobs.tenantId, data.tenantId), inJsonArray(mediaJobs.assetId, assetIds)));
}
