import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";
import { fail, json } from "../http/errors.server";
import { rangedObjectResponse } from "../http/ranged.server";
import { assets, mediaJobs, mediaOutputClaims } from "../db/tenant-schema";
import { assetKeys } from "../assets/keys.server";
import { publishUsage, usageDeltaStatements } from "../assets/usage.server";
import { fillTechnical } from "./technical-fill.server";
import { FINISHING, grantedJob, MAX_TRANSCODE_ATTEMPTS, rearmJob } from "./jobs.server";
import { OUTPUTS, type OutputName } from "./outputs.server";
import { verifyGrant, type Grant } from "./signed-urls.server";
import type { OutputCompleteSchema, TranscoderEvent } from "~/schemas/media";

/**
 * The transcoder's side of the Worker (ADR 0030). Every request is authorised by the signed grant
 * in its URL alone: the tenant, job, attempt and output come from the signature. A grant of an
 * attempt that is no longer current, or of an asset since deleted, opens nothing (404 for reads
 * and uploads, 409 for reports, so the transcoder stops).
 */

type Ctx = { env: KuraEnv; logger: Logger; waitUntil: (p: Promise<unknown>) => void };

/** Bytes per output part: R2 wants equal parts, and a Worker request body is at most 100 MB. */
export const MAX_OUTPUT_PART_BYTES = 95 * 1024 * 1024;

async function granted(env: KuraEnv, token: string, use: Grant["use"], name?: OutputName) {
  const grant = await verifyGrant(env, token, use);
  if (!grant || grant.name !== name) fail("not_found", "No such job URL, or it has expired.");
  const found = await grantedJob(env, grant);
  return { grant, found };
}

/** GET /transcoder/source: the original, with Range, for the attempt the grant names. */
export async function serveSource(ctx: Ctx, token: string, request: Request) {
  const { found } = await granted(ctx.env, token, "source");
  if (!found) fail("not_found", "This job is no longer current.");
  const headers = new Headers({ "Content-Type": "application/octet-stream", "Cache-Control": "no-store" });
  const served = await rangedObjectResponse(found.data.storage, assetKeys.original(found.asset.id), request, headers);
  if (!served) fail("not_found", "The original is not stored.");
  return served.response;
}

/**
 * POST /transcoder/outputs/{name}: starts the output's one upload. Taking the claim row is what
 * makes the URL single-use: of a burst of starts, one inserts it and the rest get 409.
 */
export async function startOutput(ctx: Ctx, name: OutputName, token: string, contentType: string) {
  const { grant, found } = await granted(ctx.env, token, "output", name);
  if (!found) fail("not_found", "This job is no longer current.");
  const output = OUTPUTS[name];
  if (!output.types.includes(contentType)) fail("unsupported_media_type", `The ${name} must be one of: ${output.types.join(", ")}.`);
  const { data, asset } = found;
  const key = output.key(asset.id);
  const upload = await data.storage.createMultipartUpload(key, {
    httpMetadata: { contentType },
    // The browser's placeholder thumbnail may not replace the server's (thumbnails.server.ts).
    customMetadata: { source: "server" },
  });
  const claimed = await data.db
    .insert(mediaOutputClaims)
    .values({ jobId: grant.jobId, attempt: grant.attempt, name, tenantId: data.tenantId, uploadId: upload.uploadId })
    .onConflictDoNothing()
    .returning({ uploadId: mediaOutputClaims.uploadId })
    .all();
  if (claimed.length === 0) {
    await upload.abort().catch(() => undefined);
    fail("conflict", "This output URL has already been used.");
  }
  return json({ uploadId: upload.uploadId, maxPartBytes: MAX_OUTPUT_PART_BYTES }, { status: 201 });
}

async function openClaim(ctx: Ctx, name: OutputName, token: string, uploadId: string | undefined) {
  const { grant, found } = await granted(ctx.env, token, "output", name);
  if (!found) fail("not_found", "This job is no longer current.");
  if (!uploadId) fail("bad_request", "uploadId is required.");
  const claim = await found.data.db
    .select()
    .from(mediaOutputClaims)
    .where(
      and(
        eq(mediaOutputClaims.tenantId, found.data.tenantId),
        eq(mediaOutputClaims.jobId, grant.jobId),
        eq(mediaOutputClaims.attempt, grant.attempt),
        eq(mediaOutputClaims.name, name),
      ),
    )
    .get();
  if (!claim || claim.uploadId !== uploadId || claim.tenantId !== found.data.tenantId) fail("not_found", "No such upload.");
  if (claim.state !== "open") fail("conflict", "This upload is already complete.");
  return { ...found, claim };
}

/** PUT /transcoder/outputs/{name}?uploadId&part: one part, streamed to R2. */
export async function putOutputPart(ctx: Ctx, name: OutputName, token: string, uploadId: string | undefined, partNumber: number | undefined, request: Request) {
  const { data, asset, claim } = await openClaim(ctx, name, token, uploadId);
  if (!partNumber) fail("bad_request", "part is required.");
  const declared = Number(request.headers.get("Content-Length") ?? Number.NaN);
  if (!Number.isFinite(declared)) fail("bad_request", "Send the part with a Content-Length header.");
  if (declared > MAX_OUTPUT_PART_BYTES || declared > OUTPUTS[name].maxBytes)
    fail("too_large", `A part of the ${name} is at most ${Math.min(MAX_OUTPUT_PART_BYTES, OUTPUTS[name].maxBytes)} bytes.`);
  if (!request.body) fail("bad_request", "The part has no body.");
  try {
    const part = await data.storage.resumeMultipartUpload(OUTPUTS[name].key(asset.id), claim.uploadId).uploadPart(partNumber, request.body);
    return json({ partNumber, etag: part.etag });
  } catch (error) {
    ctx.logger.warn("output_part_failed", { jobId: claim.jobId, name, partNumber, error: String(error) });
    fail("bad_request", "The part did not arrive completely; send it again.");
  }
}

/** POST /transcoder/outputs/{name}?uploadId: assembles the parts; refuses an output over its limit. */
export async function completeOutput(ctx: Ctx, name: OutputName, token: string, uploadId: string | undefined, body: z.output<typeof OutputCompleteSchema>) {
  const { data, asset, claim } = await openClaim(ctx, name, token, uploadId);
  const key = OUTPUTS[name].key(asset.id);
  let object: R2Object;
  try {
    object = await data.storage.resumeMultipartUpload(key, claim.uploadId).complete(body.parts);
  } catch (error) {
    ctx.logger.warn("output_complete_failed", { jobId: claim.jobId, name, error: String(error) });
    fail("conflict", "Storage refused to assemble the parts; the upload must start over with a new attempt.");
  }
  if (object.size > OUTPUTS[name].maxBytes) {
    await data.storage.delete(key);
    fail("too_large", `The ${name} may be at most ${OUTPUTS[name].maxBytes} bytes.`);
  }
  const done = await data.db
    .update(mediaOutputClaims)
    .set({ state: "done", size: object.size })
    .where(
      and(
        eq(mediaOutputClaims.jobId, claim.jobId),
        eq(mediaOutputClaims.attempt, claim.attempt),
        eq(mediaOutputClaims.name, name),
        eq(mediaOutputClaims.state, "open"),
      ),
    )
    .returning({ size: mediaOutputClaims.size })
    .all();
  if (done.length === 0) fail("conflict", "This upload is already complete.");
  return json({ size: object.size });
}

/** POST /transcoder/callback: the attempt's progress, failure or outputs. */
export async function receiveEvent(ctx: Ctx, token: string, event: TranscoderEvent) {
  const { grant, found } = await granted(ctx.env, token, "callback");
  if (!found) fail("conflict", "This job attempt is no longer current.");
  const { data, job, asset } = found;
  const current = and(
    eq(mediaJobs.tenantId, data.tenantId),
    eq(mediaJobs.id, job.id),
    eq(mediaJobs.attempt, grant.attempt),
    sql`${mediaJobs.status} IN ('queued', 'working')`,
  );
  const now = new Date().toISOString();
  if (event.event === "working") {
    await data.db
      .update(mediaJobs)
      .set({ status: "working", stage: event.stage ?? "reading", heartbeatAt: now, updatedAt: now })
      .where(and(current, sql`coalesce(${mediaJobs.stage}, '') <> ${FINISHING}`))
      .run();
    return json({ ok: true });
  }
  if (event.event === "failed") {
    ctx.logger.warn("transcode_failed", { jobId: job.id, attempt: job.attempt, code: event.code, retryable: event.retryable });
    if (event.retryable && job.attempt < MAX_TRANSCODE_ATTEMPTS) {
      await rearmJob(ctx, data, job, { code: event.code, detail: event.detail ?? "" });
    } else {
      await data.db
        .update(mediaJobs)
        .set({ status: "failed", stage: null, errorCode: event.code, errorDetail: (event.detail ?? "").slice(0, 1000), finishedAt: now, updatedAt: now })
        .where(current)
        .run();
    }
    return json({ ok: true });
  }
  return finishReady(ctx, { data, job, asset }, event);
}

type Found = NonNullable<Awaited<ReturnType<typeof grantedJob>>>;

/**
 * The outputs are stored: the job becomes ready, the asset learns what ffprobe found and counts
 * the derived bytes in usage, all in one batch after the job's finish is claimed (so two reports
 * of one attempt count once). Sizes are the ones Kura measured when each upload completed.
 */
async function finishReady(ctx: Ctx, { data, job, asset }: Found, event: Extract<TranscoderEvent, { event: "ready" }>) {
  const claims = await data.db
    .select({ name: mediaOutputClaims.name, size: mediaOutputClaims.size })
    .from(mediaOutputClaims)
    .where(
      and(
        eq(mediaOutputClaims.tenantId, data.tenantId),
        eq(mediaOutputClaims.jobId, job.id),
        eq(mediaOutputClaims.attempt, job.attempt),
        eq(mediaOutputClaims.state, "done"),
      ),
    )
    .all();
  const stored = new Map(claims.map((c) => [c.name as OutputName, c.size ?? 0]));
  const missing = Object.keys(event.outputs).filter((name) => !stored.has(name as OutputName));
  if (missing.length > 0 || stored.size === 0) fail("conflict", `Outputs reported but not stored: ${missing.join(", ") || "none stored"}.`);
  // The claim on the finish: a stage no report can set, so one report of a burst gets it.
  const nonce = FINISHING;
  const now = new Date().toISOString();
  const claimed = await data.db
    .update(mediaJobs)
    .set({ stage: nonce, heartbeatAt: now, updatedAt: now })
    .where(
      and(
        eq(mediaJobs.tenantId, data.tenantId),
        eq(mediaJobs.id, job.id),
        eq(mediaJobs.attempt, job.attempt),
        sql`${mediaJobs.status} IN ('queued', 'working')`,
        sql`coalesce(${mediaJobs.stage}, '') <> ${nonce}`,
      ),
    )
    .returning({ id: mediaJobs.id })
    .all();
  if (claimed.length === 0) fail("conflict", "This job attempt has already finished.");

  const outputs = Object.fromEntries(
    [...stored].map(([name, size]) => [
      name,
      { ...(event.outputs[name] ?? {}), size, contentType: event.outputs[name]?.contentType ?? OUTPUTS[name].types[0] },
    ]),
  );
  let derivedBytes = 0;
  for (const [name, size] of stored) if (name !== "thumbnail") derivedBytes += size;
  const thumbnail = stored.get("thumbnail");
  const delta = derivedBytes - asset.derivedBytes + (thumbnail === undefined ? 0 : thumbnail - (asset.thumbnailSize ?? 0));
  const mine = and(eq(assets.tenantId, data.tenantId), eq(assets.id, asset.id));
  await data.db.batch([
    data.db
      .update(mediaJobs)
      .set({
        status: "ready",
        stage: null,
        profile: event.profile,
        outputs: JSON.stringify(outputs),
        technical: JSON.stringify(event.technical),
        errorCode: null,
        errorDetail: null,
        finishedAt: now,
        updatedAt: now,
      })
      .where(and(eq(mediaJobs.tenantId, data.tenantId), eq(mediaJobs.id, job.id), eq(mediaJobs.attempt, job.attempt), eq(mediaJobs.stage, nonce))),
    data.db
      .update(assets)
      .set({ derivedBytes, ...(thumbnail === undefined ? {} : { thumbnailSize: thumbnail, thumbnailContentType: "image/jpeg" }), updatedAt: now })
      .where(mine),
    ...usageDeltaStatements(data, asset.projectId, delta, 0),
  ]);
  // ffprobe's reading joins the asset's technical metadata once processing has written its own.
  await fillTechnical(data, asset.id);
  ctx.logger.info("transcode_ready", { tenantId: data.tenantId, jobId: job.id, attempt: job.attempt, outputs: [...stored.keys()], derivedBytes });
  ctx.waitUntil(publishUsage(ctx, data));
  return json({ ok: true });
}
