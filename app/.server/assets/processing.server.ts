import { and, eq, lt, sql } from "drizzle-orm";
import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";
import { assets } from "../db/tenant-schema";
import { allShardDatabases, systemTenantData, tenantDbFor } from "../db/tenant-data.server";
import type { TenantStorage } from "../storage/keys.server";
import { assetKeys } from "./keys.server";
import { newJobStatement } from "../media/jobs.server";
import { fillTechnical } from "../media/technical-fill.server";
import type { ProcessingMessage } from "./processing-queue.server";
import { encodeProblem } from "~/schemas/assets";
import { extractTechnical, problemFromMediaName, r2RangeSource, sniff, SNIFF_BYTES, type Extraction, type Technical } from "./technical";

/**
 * Processing after upload: SHA-256 of the stored object (streamed), the
 * content type sniffed from its first bytes, and technical metadata read
 * with range requests. Runs in the queue consumer; idempotent, so a retry
 * or a second delivery does no harm. Never throws for a bad file: a file
 * that cannot be read becomes `failed` with a reason.
 */

export const MAX_PROCESSING_ATTEMPTS = 5;

/**
 * Bytes hashed between two turns of the event loop. A native pipe into the digest keeps the
 * isolate's loop busy for the whole object, so the transcoder's range reads of the same file
 * (handed out beside processing, ADR 0030) waited seconds behind it; a timer turn lets them in.
 */
const HASH_SLICE_BYTES = 512 * 1024;

async function sha256Of(storage: TenantStorage, key: string): Promise<string> {
  const object = await storage.get(key);
  if (!object) throw new Error("missing");
  // Workers hash a stream natively without holding it (crypto.DigestStream); the DOM typing of `crypto` lacks it.
  const digest = new (crypto as unknown as { DigestStream: typeof DigestStream }).DigestStream("SHA-256");
  const writer = digest.getWriter();
  const reader = object.body.getReader();
  let sinceTurn = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    await writer.write(chunk.value);
    sinceTurn += chunk.value.byteLength;
    if (sinceTurn >= HASH_SLICE_BYTES) {
      sinceTurn = 0;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  await writer.close();
  return [...new Uint8Array(await digest.digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function columnsOf(technical: Technical) {
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return { durationSeconds: num(technical.durationSeconds), width: num(technical.width), height: num(technical.height) };
}

export async function processAsset(env: KuraEnv, message: ProcessingMessage, logger: Logger): Promise<void> {
  const data = await systemTenantData(env, message.tenantId);
  if (!data) return; // terminated tenant: nothing to do
  const where = and(eq(assets.tenantId, data.tenantId), eq(assets.id, message.assetId));
  const asset = await data.db.select().from(assets).where(where).get();
  if (!asset || asset.status !== "processing") return;
  await data.db
    .update(assets)
    .set({ attempts: sql`${assets.attempts} + 1`, updatedAt: new Date().toISOString() })
    .where(where)
    .run();

  const { storage } = data;
  const key = assetKeys.original(asset.id);
  const head = await storage.head(key);
  // The asset's media job is born with the end of processing, in the same batch (ADR 0030).
  const finish = (changes: Partial<typeof assets.$inferInsert>) =>
    data.db.batch([
      data.db
        .update(assets)
        .set({ ...changes, processedAt: new Date().toISOString(), updatedAt: new Date().toISOString() })
        .where(and(where, eq(assets.status, "processing"))),
      newJobStatement(data.db, data.tenantId, asset.id),
    ]);
  if (!head) {
    await finish({ status: "failed", problem: encodeProblem({ code: "read_failed", detail: "the stored file is missing" }) });
    return;
  }
  const sha256 = await sha256Of(storage, key);
  // Reads are pinned to this version of the object: a change while reading is reported, not mixed in.
  const source = r2RangeSource(storage, { key, size: head.size, etag: head.etag });
  const sniffed = await sniff(await source.read(0, SNIFF_BYTES));
  let result: Extraction;
  try {
    result = await extractTechnical(source, sniffed);
  } catch (error) {
    // extractTechnical promises not to throw; a bug there must still not leave the asset stuck.
    logger.error("technical_metadata_crashed", { assetId: asset.id, error: String(error) });
    result = { technical: {}, problem: { code: "damaged", detail: "the technical metadata reader failed" } };
  }
  // Unknown bytes are just a file, unless the name promised media (clip.mov of random bytes).
  const problem = result.problem ?? problemFromMediaName(asset.name, sniffed);
  // Knowing only the container (from the magic bytes) is not a reading of the file.
  const readNothing = Object.keys(result.technical).every((k) => k === "container");
  // A known format of which nothing could be read (damaged, truncated, unreadable) is a
  // failed file; partial readings are kept with their problem. Bytes we do not know
  // (unknown_format) or a container we do not read (unsupported_format) stay a good,
  // downloadable file: the problem only says why nothing technical is shown.
  const failed = problem !== null && readNothing && problem.code !== "unsupported_format" && problem.code !== "unknown_format";
  await finish({
    status: failed ? "failed" : "ready",
    problem: encodeProblem(problem),
    sha256,
    etag: head.httpEtag,
    contentType: sniffed.contentType,
    kind: sniffed.kind,
    technical: JSON.stringify(result.technical),
    ...columnsOf(result.technical),
  });
  // A transcoder that finished first left its ffprobe reading on the job (ADR 0030).
  await fillTechnical(data, asset.id);
  logger.info("asset_processed", { tenantId: data.tenantId, assetId: asset.id, status: failed ? "failed" : "ready" });
}

/**
 * Scheduled sweep: assets still `processing` long after upload (a lost
 * message, a crashed consumer) are queued again, and given up as `failed`
 * after MAX_PROCESSING_ATTEMPTS.
 */
export async function sweepStuckProcessing(env: KuraEnv, logger: Logger, now = new Date(), olderThanMs = 10 * 60 * 1000): Promise<number> {
  const cutoff = new Date(now.getTime() - olderThanMs).toISOString();
  let requeued = 0;
  for (const shard of await allShardDatabases(env)) {
    const db = tenantDbFor(shard.db);
    const stuck = await db
      .select({ tenantId: assets.tenantId, id: assets.id, attempts: assets.attempts })
      .from(assets)
      .where(and(eq(assets.status, "processing"), lt(assets.updatedAt, cutoff)))
      .limit(100)
      .all();
    for (const a of stuck) {
      if (a.attempts >= MAX_PROCESSING_ATTEMPTS) {
        await db
          .update(assets)
          .set({
            status: "failed",
            problem: encodeProblem({ code: "processing_incomplete", detail: "processing did not finish after several attempts" }),
            updatedAt: new Date().toISOString(),
          })
          .where(and(eq(assets.tenantId, a.tenantId), eq(assets.id, a.id), eq(assets.status, "processing")))
          .run();
        continue;
      }
      const message = { tenantId: a.tenantId, assetId: a.id };
      if (env.ASSET_PROCESSING) await env.ASSET_PROCESSING.send(message);
      else await processAsset(env, message, logger);
      requeued++;
    }
  }
  return requeued;
}
