import { rawStatement } from "../db/raw-statement.server";
import { and, asc, desc, eq, lt, or, sql } from "drizzle-orm";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { requireProjectPermission } from "../access/permissions.server";
import { assets, uploadParts, uploads, users } from "../db/tenant-schema";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { newId } from "../ids/ids";
import { loadFields, searchTextOf } from "../metadata/values.server";
import type { KuraContext } from "../context";
import { readConfig } from "../env/config.server";
import { checkField, readFormData, toFieldErrors } from "../http/validation.server";
import { DisplayNameSchema } from "~/schemas/names";
import {
  DEFAULT_PART_SIZE,
  MAX_PART_SIZE,
  MAX_PARTS,
  MAX_SINGLE_UPLOAD_BYTES,
  MIB,
  SmallUploadFormSchema,
  type CreateUploadBodySchema,
} from "~/schemas/assets";
import type { z } from "zod";
import { requireFolderInProject } from "./assets.server";
import { assetKeys } from "./keys.server";
import { newJobStatement } from "../media/jobs.server";
import { enqueueProcessing } from "./processing-queue.server";
import {
  liveReservation,
  publishGrownUsage,
  quotaHeadroomCondition,
  requireQuotaFor,
  usageDeltaStatements,
  userReservationCap,
  userReservationCondition,
} from "./usage.server";
import { denyAccess } from "../audit/deny.server";
import { decodeCursor, encodeCursor } from "../http/cursor.server";
import { assetView, kindOfContentType, nameKeyOf } from "./view.server";

/**
 * Uploads (ADR 0009). Every upload, one-request or multipart, first
 * *reserves* its size: an `uploads` row inserted only if stored bytes plus
 * open reservations plus this size fit the quota, in one statement, so two
 * uploads that each fit alone cannot both pass. Completing turns the
 * reservation into an asset and its usage in one batch; aborting releases it.
 * The R2 key is built from the asset id fixed at reservation, never from the
 * file name.
 */

type Ctx = AuditContext & Pick<KuraContext, "waitUntil">;
type UploadRow = typeof uploads.$inferSelect;

/** An upload lives at most 7 days from its start, and 24 hours after its start or its last part (ADR 0019). */
export const UPLOAD_LIFETIME_MS = 7 * 24 * 3600 * 1000;
export const UPLOAD_IDLE_MS = 24 * 3600 * 1000;

/** The expiry after activity at `at`: a day later, never past the 7th day from the start. */
function expiryAfterActivity(createdAt: string, at = Date.now()): string {
  return new Date(Math.min(Date.parse(createdAt) + UPLOAD_LIFETIME_MS, at + UPLOAD_IDLE_MS)).toISOString();
}

/** Part size for a file: the requested or default size, raised (in whole MiB) to stay within R2's 10,000 parts. */
export function choosePartSize(size: number, requested?: number): number {
  const minimum = Math.ceil(size / MAX_PARTS / MIB) * MIB;
  const partSize = Math.max(requested ?? DEFAULT_PART_SIZE, minimum);
  if (partSize > MAX_PART_SIZE) fail("too_large", "This file is larger than the largest upload Kura accepts.");
  return partSize;
}

async function reserve(
  ctx: Ctx,
  data: TenantData,
  p: {
    projectId: string;
    folderId: string | null;
    name: string;
    size: number;
    contentType: string | null;
    partSize: number;
    partCount: number;
    r2UploadId: string;
    userId: string;
  },
  quota: number,
  as: UploadActor = {},
): Promise<UploadRow | null> {
  const id = newId("upload");
  const assetId = newId("asset");
  const createdAt = new Date().toISOString();
  const expiresAt = expiryAfterActivity(createdAt);
  const reserved = sql`EXISTS (SELECT 1 FROM ${uploads} WHERE id = ${id})`;
  // Fits the quota and the user's share of it, and the user is still active:
  // a deletion or disabling that aborted their uploads cannot be outrun.
  await commitAudited(
    ctx,
    data,
    [
      rawStatement(
        data.db,
        sql`
        INSERT INTO ${uploads} (id, tenant_id, project_id, folder_id, asset_id, name, size, content_type, part_size, part_count, r2_upload_id, status, created_by, created_at, expires_at)
        SELECT ${id}, ${data.tenantId}, ${p.projectId}, ${p.folderId}, ${assetId}, ${p.name}, ${p.size}, ${p.contentType}, ${p.partSize}, ${p.partCount}, ${p.r2UploadId}, 'open', ${p.userId}, ${createdAt}, ${expiresAt}
        WHERE ${quotaHeadroomCondition(data.tenantId, p.size, quota)}
          AND ${userReservationCondition(data.tenantId, p.userId, p.size, userReservationCap(ctx.env, quota))}
          AND EXISTS (SELECT 1 FROM ${users} WHERE tenant_id = ${data.tenantId} AND id = ${p.userId} AND status = 'active')`,
      ),
    ],
    {
      action: "asset.upload_started",
      ...as,
      target: { type: "upload", id, name: p.name },
      details: { projectId: p.projectId, assetId, size: p.size, parts: p.partCount },
      onlyIf: reserved,
    },
  );
  return (
    (await data.db
      .select()
      .from(uploads)
      .where(and(eq(uploads.tenantId, data.tenantId), eq(uploads.id, id)))
      .get()) ?? null
  );
}

type CreateUpload = z.output<typeof CreateUploadBodySchema>;

/** POST /projects/{projectId}/uploads: a multipart upload with its reservation. */
export async function createUpload(ctx: Ctx, projectId: string, body: CreateUpload) {
  const { data, principal } = await requireProjectPermission(ctx, projectId, "asset.upload");
  const name = checkField(DisplayNameSchema, body.filename, "filename");
  if (body.folderId) await requireFolderInProject(data, projectId, body.folderId);
  const partSize = choosePartSize(body.size, body.partSize);
  const partCount = Math.max(1, Math.ceil(body.size / partSize));
  const quota = await requireQuotaFor(ctx.env, data, body.size, principal.userId);
  // Reserve first: the reservation fixes the asset id, and the R2 key is made of it.
  const placeholder = await reserve(
    ctx,
    data,
    {
      projectId,
      folderId: body.folderId ?? null,
      name,
      size: body.size,
      contentType: body.contentType ?? null,
      partSize,
      partCount,
      r2UploadId: "",
      userId: principal.userId,
    },
    quota,
  );
  if (!placeholder) return quotaRefused(ctx, data, body.size, principal.userId);
  const storage = data.storage;
  const multipart = await storage.createMultipartUpload(assetKeys.original(placeholder.assetId), {
    httpMetadata: { contentType: "application/octet-stream" },
  });
  const still = await data.db
    .update(uploads)
    .set({ r2UploadId: multipart.uploadId })
    .where(and(eq(uploads.tenantId, data.tenantId), eq(uploads.id, placeholder.id), eq(uploads.status, "open")))
    .returning({ id: uploads.id })
    .all();
  if (still.length === 0) {
    // Aborted meanwhile (an admin, or the user's deletion): nothing may stay behind in R2.
    await multipart.abort().catch((error: unknown) => ctx.logger.warn("upload_abort_failed", { uploadId: placeholder.id, error: String(error) }));
    fail("conflict", "This upload was cancelled while it started.");
  }
  return { uploadId: placeholder.id, assetId: placeholder.assetId, partSize, partCount, expiresAt: placeholder.expiresAt };
}

async function quotaRefused(ctx: Ctx, data: TenantData, size: number, userId: string): Promise<never> {
  // Lost the race to another upload: report the figures as they are now.
  await requireQuotaFor(ctx.env, data, size, userId);
  fail("quota_exceeded", "This upload would exceed your organisation's storage quota.");
}

/**
 * An upload the caller may act on. Sending parts and completing (`own`) is
 * for the user who started it; seeing and cancelling (`manage`) also for
 * whoever may delete assets in its project (tenant and project admins).
 * Others' uploads are 404 to uploaders, as before.
 */
async function requireUpload(ctx: Ctx, uploadId: string, mode: "own" | "manage" = "own") {
  const data = await tenantData(ctx);
  const upload = await data.db
    .select()
    .from(uploads)
    .where(and(eq(uploads.tenantId, data.tenantId), eq(uploads.id, uploadId)))
    .get();
  if (!upload) fail("not_found", "No such upload.");
  const target = { type: "upload", id: uploadId };
  const access = await requireProjectPermission(ctx, upload.projectId, null, { target, notFound: "No such upload." });
  const own = upload.createdBy === access.principal.userId;
  const canUpload = access.capabilities.has("asset.upload");
  if (mode === "manage" && access.capabilities.has("asset.delete")) return { ...access, upload };
  if (!canUpload) {
    return denyAccess(ctx, {
      code: "forbidden",
      message: "Your role in this project does not allow asset.upload.",
      target,
      details: { capability: "asset.upload" },
    });
  }
  if (!own) fail("not_found", "No such upload.");
  return { ...access, upload };
}

function requireOpen(upload: UploadRow) {
  if (upload.status !== "open") fail("conflict", `This upload is ${upload.status}.`);
  if (upload.expiresAt < new Date().toISOString()) fail("conflict", "This upload has expired; start it again.");
}

export function expectedPartLength(upload: Pick<UploadRow, "size" | "partSize" | "partCount">, partNumber: number): number {
  return partNumber < upload.partCount ? upload.partSize : upload.size - upload.partSize * (upload.partCount - 1);
}

/** GET /uploads/{id}: what has arrived, so that a client (even after a page reload) sends only the rest. */
export async function uploadStatus(ctx: Ctx, uploadId: string) {
  const { data, upload } = await requireUpload(ctx, uploadId, "manage");
  const parts = await data.db
    .select({ n: uploadParts.partNumber })
    .from(uploadParts)
    .where(and(eq(uploadParts.tenantId, data.tenantId), eq(uploadParts.uploadId, uploadId)))
    .orderBy(asc(uploadParts.partNumber))
    .all();
  return {
    uploadId: upload.id,
    assetId: upload.assetId,
    filename: upload.name,
    size: upload.size,
    partSize: upload.partSize,
    partCount: upload.partCount,
    receivedParts: parts.map((p) => p.n),
    status: upload.status,
    expiresAt: upload.expiresAt,
  };
}

/**
 * PUT /uploads/{id}/parts/{n}: streams the body into R2 (never buffered).
 * The length must be exactly the part's: every part but the last is
 * `partSize` (R2 wants equal parts).
 */
export async function uploadPart(ctx: Ctx, uploadId: string, partNumber: number, request: Request) {
  const { data, upload } = await requireUpload(ctx, uploadId);
  requireOpen(upload);
  if (partNumber > upload.partCount) fail("bad_request", `This upload has ${upload.partCount} parts.`);
  const expected = expectedPartLength(upload, partNumber);
  const declared = Number(request.headers.get("Content-Length") ?? Number.NaN);
  if (!Number.isFinite(declared)) fail("bad_request", "Send the part with a Content-Length header.");
  if (declared > expected) fail("too_large", `Part ${partNumber} must be ${expected} bytes; this one is ${declared}.`);
  if (declared !== expected) fail("bad_request", `Part ${partNumber} must be ${expected} bytes; this one is ${declared}.`);
  if (!request.body) fail("bad_request", "The part has no body.");
  const storage = data.storage;
  const multipart = storage.resumeMultipartUpload(assetKeys.original(upload.assetId), upload.r2UploadId);
  let part: R2UploadedPart;
  try {
    part = await multipart.uploadPart(partNumber, request.body);
  } catch (error) {
    ctx.logger.warn("upload_part_failed", { uploadId, partNumber, error: String(error) });
    fail("bad_request", "The part did not arrive completely; send it again.");
  }
  await data.db
    .insert(uploadParts)
    .values({ tenantId: data.tenantId, uploadId, partNumber, etag: part.etag, size: expected })
    .onConflictDoUpdate({ target: [uploadParts.uploadId, uploadParts.partNumber], set: { etag: part.etag, createdAt: new Date().toISOString() } })
    .run();
  // Activity keeps the reservation alive for another day, up to the 7th day.
  await data.db
    .update(uploads)
    .set({ expiresAt: expiryAfterActivity(upload.createdAt) })
    .where(and(eq(uploads.tenantId, data.tenantId), eq(uploads.id, uploadId), eq(uploads.status, "open")))
    .run();
  return { partNumber, etag: part.etag };
}

/** Turns a reservation whose bytes are stored into a `processing` asset, in one batch with its usage and event. */
async function finalise(ctx: Ctx, data: TenantData, upload: UploadRow, stored: { etag: string; size: number }, as: UploadActor = {}) {
  const fields = await loadFields(data);
  const contentType = upload.contentType ?? "application/octet-stream";
  const now = new Date().toISOString();
  const [, rows] = await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(uploads)
        .set({ status: "completed" })
        .where(and(eq(uploads.tenantId, data.tenantId), eq(uploads.id, upload.id))),
      data.db
        .insert(assets)
        .values({
          id: upload.assetId,
          tenantId: data.tenantId,
          projectId: upload.projectId,
          folderId: upload.folderId,
          name: upload.name,
          nameKey: nameKeyOf(upload.name),
          size: stored.size,
          contentType,
          kind: kindOfContentType(contentType),
          status: "processing",
          etag: stored.etag,
          searchText: searchTextOf(upload.name, [], {}, fields),
          createdAt: now,
          updatedAt: now,
          createdBy: upload.createdBy,
        })
        .returning(),
      data.db.delete(uploadParts).where(and(eq(uploadParts.tenantId, data.tenantId), eq(uploadParts.uploadId, upload.id))),
      ...usageDeltaStatements(data, upload.projectId, stored.size, 1),
      // The media job exists from the moment the bytes do: the transcoder starts beside processing (ADR 0030).
      newJobStatement(data.db, data.tenantId, upload.assetId),
    ],
    {
      action: "asset.uploaded",
      ...as,
      target: { type: "asset", id: upload.assetId, name: upload.name },
      details: { projectId: upload.projectId, folderId: upload.folderId, size: stored.size, uploadId: upload.id },
    },
  );
  await enqueueProcessing(ctx, { tenantId: data.tenantId, assetId: upload.assetId });
  await publishGrownUsage({ ...ctx, config: readConfig(ctx.env) }, data);
  return assetView(rows[0]!);
}

/** POST /uploads/{id}/complete: every part must have arrived. */
export async function completeUpload(ctx: Ctx, uploadId: string) {
  const { data, upload } = await requireUpload(ctx, uploadId);
  requireOpen(upload);
  const parts = await data.db
    .select()
    .from(uploadParts)
    .where(and(eq(uploadParts.tenantId, data.tenantId), eq(uploadParts.uploadId, uploadId)))
    .orderBy(asc(uploadParts.partNumber))
    .all();
  const have = new Set(parts.map((p) => p.partNumber));
  const missing: number[] = [];
  for (let n = 1; n <= upload.partCount; n++) if (!have.has(n)) missing.push(n);
  if (missing.length)
    fail("conflict", `Parts still missing: ${missing.slice(0, 20).join(", ")}${missing.length > 20 ? "…" : ""}.`, { details: { missingParts: missing } });
  // Claim the completion, so that two concurrent completes cannot both finalise.
  const claimed = await data.db
    .update(uploads)
    .set({ status: "completing" })
    .where(and(eq(uploads.tenantId, data.tenantId), eq(uploads.id, uploadId), eq(uploads.status, "open")))
    .returning({ id: uploads.id })
    .all();
  if (claimed.length === 0) fail("conflict", "This upload is already being completed.");
  const storage = data.storage;
  let object: R2Object;
  try {
    object = await storage
      .resumeMultipartUpload(assetKeys.original(upload.assetId), upload.r2UploadId)
      .complete(parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })));
  } catch (error) {
    await data.db
      .update(uploads)
      .set({ status: "open" })
      .where(and(eq(uploads.tenantId, data.tenantId), eq(uploads.id, uploadId)))
      .run();
    ctx.logger.warn("upload_complete_failed", { uploadId, error: String(error) });
    fail("conflict", "Storage refused to assemble the parts; send the missing or damaged parts again.");
  }
  if (object.size !== upload.size) {
    await storage.delete(assetKeys.original(upload.assetId));
    await releaseReservation(ctx, data, upload, "size_mismatch");
    fail("bad_request", `The parts add up to ${object.size} bytes, not the announced ${upload.size}.`);
  }
  return finalise(ctx, data, upload, { etag: object.httpEtag, size: object.size });
}

async function releaseReservation(ctx: Ctx, data: TenantData, upload: UploadRow, reason: string, as: UploadActor = {}) {
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(uploads)
        .set({ status: "aborted" })
        .where(and(eq(uploads.tenantId, data.tenantId), eq(uploads.id, upload.id))),
      data.db.delete(uploadParts).where(and(eq(uploadParts.tenantId, data.tenantId), eq(uploadParts.uploadId, upload.id))),
    ],
    { action: "asset.upload_aborted", ...as, target: { type: "upload", id: upload.id, name: upload.name }, details: { projectId: upload.projectId, reason } },
  );
}

type AbortReason = "cancelled" | "user_deleted" | "user_disabled";

/**
 * Statements that abort open uploads (one, or all of a user's) and free their
 * parts, for the caller's batch: parts first, then the status change last,
 * so that an event written `onlyIf: abortedJustNow` follows it directly.
 */
export function abortStatements(data: TenantData, which: { uploadId: string } | { userId: string }) {
  const match = "uploadId" in which ? eq(uploads.id, which.uploadId) : eq(uploads.createdBy, which.userId);
  const open = and(eq(uploads.tenantId, data.tenantId), match, eq(uploads.status, "open"));
  return [
    data.db.delete(uploadParts).where(and(eq(uploadParts.tenantId, data.tenantId), sql`${uploadParts.uploadId} IN (SELECT id FROM ${uploads} WHERE ${open})`)),
    data.db.update(uploads).set({ status: "aborted" }).where(open).returning({ id: uploads.id }),
  ] as const;
}

/** Aborts the R2 side of uploads already marked aborted; best effort (R2 also expires stale multipart uploads). */
export async function abortStoredParts(
  ctx: Pick<Ctx, "logger">,
  data: Pick<TenantData, "storage">,
  rows: readonly Pick<UploadRow, "id" | "assetId" | "r2UploadId">[],
) {
  const { storage } = data;
  await Promise.all(
    rows
      .filter((u) => u.r2UploadId)
      .map((u) =>
        storage
          .resumeMultipartUpload(assetKeys.original(u.assetId), u.r2UploadId)
          .abort()
          .catch((error: unknown) => ctx.logger.warn("upload_abort_failed", { uploadId: u.id, error: String(error) })),
      ),
  );
}

export function uploadAbortedEvent(upload: UploadRow, reason: AbortReason) {
  return {
    action: "asset.upload_aborted",
    target: { type: "upload", id: upload.id, name: upload.name },
    details: { projectId: upload.projectId, createdBy: upload.createdBy, size: upload.size, reason },
  } as const;
}

/** The open uploads of a user, for aborting them with the user's deletion or disabling. */
export async function openUploadsOf(data: TenantData, userId: string) {
  return data.db
    .select()
    .from(uploads)
    .where(and(eq(uploads.tenantId, data.tenantId), eq(uploads.createdBy, userId), eq(uploads.status, "open")))
    .all();
}

/**
 * DELETE /uploads/{id}: stops it, frees its parts and its reservation. The
 * uploader, or whoever may delete assets in the project (ADR 0019). Only one
 * of several concurrent cancels wins; the others get 409.
 */
export async function abortUpload(ctx: Ctx, uploadId: string) {
  const { data, upload } = await requireUpload(ctx, uploadId, "manage");
  if (upload.status !== "open") fail("conflict", `This upload is ${upload.status}.`);
  const [, aborted] = await commitAudited(ctx, data, abortStatements(data, { uploadId }), {
    ...uploadAbortedEvent(upload, "cancelled"),
    onlyIf: sql`changes() = 1`,
  });
  if (aborted.length === 0) fail("conflict", "This upload was completed or cancelled meanwhile.");
  await abortStoredParts(ctx, data, [upload]);
}

/**
 * GET /projects/{projectId}/uploads: uploads in progress, newest first. All of
 * them for whoever may delete assets in the project (tenant and project
 * admins), else the caller's own (asset.upload).
 */
export async function listUploads(ctx: Ctx, projectId: string, page: { limit: number; cursor?: string | undefined }) {
  const access = await requireProjectPermission(ctx, projectId, null);
  const all = access.capabilities.has("asset.delete");
  if (!all && !access.capabilities.has("asset.upload")) {
    return denyAccess(ctx, {
      code: "forbidden",
      message: "Your role in this project does not allow asset.upload.",
      target: { type: "project", id: projectId },
      details: { capability: "asset.upload" },
    });
  }
  const { data } = access;
  const after = page.cursor ? decodeCursor(page.cursor, ["createdAt", "id"]) : null;
  const rows = await data.db
    .select({
      upload: uploads,
      receivedBytes: sql<number>`(SELECT coalesce(sum(${uploadParts.size}), 0) FROM ${uploadParts} WHERE ${uploadParts.uploadId} = ${uploads.id})`,
    })
    .from(uploads)
    .where(
      and(
        eq(uploads.tenantId, data.tenantId),
        eq(uploads.projectId, projectId),
        liveReservation(),
        all ? undefined : eq(uploads.createdBy, access.principal.userId),
        after ? or(lt(uploads.createdAt, after.createdAt), and(eq(uploads.createdAt, after.createdAt), lt(uploads.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(uploads.createdAt), desc(uploads.id))
    .limit(page.limit + 1)
    .all();
  const items = rows.slice(0, page.limit).map(({ upload: u, receivedBytes }) => ({
    uploadId: u.id,
    assetId: u.assetId,
    filename: u.name,
    size: u.size,
    receivedBytes: Number(receivedBytes),
    status: u.status,
    createdBy: u.createdBy,
    createdAt: u.createdAt,
    expiresAt: u.expiresAt,
  }));
  const last = rows.length > page.limit ? rows[page.limit - 1]?.upload : undefined;
  return { items, nextCursor: last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}

/**
 * POST /projects/{projectId}/assets: a whole file in one multipart/form-data
 * request (≤ 95 MiB). Reserved like a multipart upload, then stored.
 */
export async function uploadSmall(ctx: Ctx, projectId: string, request: Request) {
  const { data, principal } = await requireProjectPermission(ctx, projectId, "asset.upload");
  return storeSmallFile(ctx, data, principal.userId, projectId, await readSmallUpload(request));
}

/** A whole-file upload's form, refused before it is read when it cannot be one (≤ 95 MiB, multipart/form-data). */
export async function readSmallUpload(request: Request): Promise<FormData> {
  const declared = Number(request.headers.get("Content-Length") ?? Number.NaN);
  if (!Number.isFinite(declared)) fail("bad_request", "Send the upload with a Content-Length header.");
  // The form adds a little framing around the file.
  if (declared > MAX_SINGLE_UPLOAD_BYTES + 64 * 1024) {
    fail("too_large", "Files over 95 MiB must be sent as a multipart upload (POST /projects/{projectId}/uploads).");
  }
  if (!(request.headers.get("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
    fail("bad_request", "Send the file as multipart/form-data with a `file` field.");
  }
  return readFormData(request);
}

/** Who an upload's events name when it is not the signed-in user (a share's guest, who uploads on the share's behalf). */
export type UploadActor = { actor?: { type: "guest"; id: string; email: string | null } };

/** The whole-file upload of a share's guest: into the share's folder, reserved against its owner's share of the quota. */
export async function storeGuestFile(
  ctx: Ctx,
  data: TenantData,
  p: { ownerId: string; projectId: string; folderId: string | null; form: FormData } & UploadActor,
) {
  const form = new FormData();
  const file = p.form.get("file");
  if (file !== null) form.set("file", file);
  if (p.folderId) form.set("folderId", p.folderId);
  return storeSmallFile(ctx, data, p.ownerId, p.projectId, form, p.actor ? { actor: p.actor } : {});
}

async function storeSmallFile(ctx: Ctx, data: TenantData, userId: string, projectId: string, form: FormData, as: UploadActor = {}) {
  const parsed = SmallUploadFormSchema.safeParse({ file: form.get("file"), folderId: form.get("folderId") ?? undefined });
  if (!parsed.success) {
    fail("validation_failed", "The upload is not valid.", { fields: toFieldErrors(parsed.error) });
  }
  const { file, folderId, name } = parsed.data;
  if (file.size > MAX_SINGLE_UPLOAD_BYTES) fail("too_large", "Files over 95 MiB must be sent as a multipart upload.");
  if (folderId) await requireFolderInProject(data, projectId, folderId);
  const quota = await requireQuotaFor(ctx.env, data, file.size, userId);
  const contentType = file.type || null;
  const upload = await reserve(
    ctx,
    data,
    { projectId, folderId: folderId ?? null, name, size: file.size, contentType, partSize: file.size, partCount: 1, r2UploadId: "", userId },
    quota,
    as,
  );
  if (!upload) return quotaRefused(ctx, data, file.size, userId);
  let object: R2Object | null;
  try {
    object = await data.storage.put(assetKeys.original(upload.assetId), file, {
      httpMetadata: { contentType: "application/octet-stream" },
    });
  } catch (error) {
    ctx.logger.warn("small_upload_failed", { uploadId: upload.id, error: String(error) });
    object = null;
  }
  if (!object) {
    await releaseReservation(ctx, data, upload, "storage_failed", as);
    fail("service_unavailable", "Storage did not accept the file; try again.");
  }
  return finalise(ctx, data, upload, { etag: object.httpEtag, size: object.size }, as);
}
