import { and, eq, isNull, lt, or } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type/core";
import { imageSize } from "image-size";
import { commitAudited, recordAudit, type AuditContext } from "../audit/record.server";
import { denyAccess } from "../audit/deny.server";
import { assets } from "../db/tenant-schema";
import type { TenantData } from "../db/tenant-data.server";
type AssetRow = typeof assets.$inferSelect;
import { contentDisposition } from "../http/content-disposition.server";
import { fail } from "../http/errors.server";
import { requireAssetPermission } from "./assets.server";
import { checkJpeg } from "./technical/image";
import { assetKeys } from "./keys.server";
import { MAX_THUMBNAIL_BYTES, MAX_THUMBNAIL_EDGE } from "./thumbnail-limits";
import { publishUsage, usageDeltaStatements } from "./usage.server";

/**
 * Thumbnails and proxies (ADR 0011, ADR 0019). `/thumbnail` serves only the
 * small still (asset.view); `/proxy` serves only the preview object the
 * server derived (asset.download_proxy), 404 while there is none. A browser
 * may send the still, which is checked as a whole: a JPEG, PNG or WebP whose
 * header decodes, of the declared type, at most 512 px on its long side and
 * 256 KiB, and structurally complete. Its bytes count in the tenant's usage.
 */

type Ctx = AuditContext;

export { MAX_THUMBNAIL_BYTES, MAX_THUMBNAIL_EDGE };
const CLAIM_STALE_MS = 60_000;

const THUMBNAIL_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);
const PNG_IEND = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

/** Whether the bytes are the whole image: nothing cut off, nothing appended. */
function structurallyComplete(type: string, bytes: Uint8Array): boolean {
  const n = bytes.byteLength;
  if (type === "image/jpeg") return checkJpeg(bytes, true) === null && bytes[n - 2] === 0xff && bytes[n - 1] === 0xd9;
  if (type === "image/png") return PNG_IEND.every((b, i) => bytes[n - 12 + i] === b);
  // WebP: the RIFF size covers exactly the rest of the file.
  return new DataView(bytes.buffer, bytes.byteOffset, n).getUint32(4, true) + 8 === n;
}

/** The checked thumbnail's type, or a 4xx. */
export async function validateThumbnail(bytes: Uint8Array, declared: string | null): Promise<string> {
  if (bytes.byteLength > MAX_THUMBNAIL_BYTES) fail("too_large", "Thumbnails are at most 256 KiB.");
  let sniffed: string | undefined;
  try {
    sniffed = (await fileTypeFromBuffer(bytes))?.mime;
  } catch {
    sniffed = undefined;
  }
  if (!sniffed || !THUMBNAIL_TYPES.has(sniffed)) fail("unsupported_media_type", "A thumbnail must be a JPEG, PNG or WebP image.");
  const claimed = declared?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (claimed !== sniffed) fail("unsupported_media_type", `The body is ${sniffed}; send it with Content-Type: ${sniffed}.`);
  let size: { width: number; height: number };
  try {
    size = imageSize(bytes);
  } catch {
    fail("unsupported_media_type", "The image header could not be read.");
  }
  if (!(size.width > 0 && size.height > 0)) fail("unsupported_media_type", "The image header could not be read.");
  if (!structurallyComplete(sniffed, bytes)) fail("unsupported_media_type", "The image is truncated or has data after its end.");
  if (Math.max(size.width, size.height) > MAX_THUMBNAIL_EDGE) {
    fail("bad_request", `Thumbnails are at most ${MAX_THUMBNAIL_EDGE} px on their long side; this one is ${size.width}×${size.height}.`);
  }
  return sniffed;
}

/** GET /assets/{id}/thumbnail: the small still, inline (asset.view). */
export async function serveThumbnail(ctx: Ctx, assetId: string, request: Request) {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "asset.view");
  return thumbnailResponse(data, asset, request);
}

/** The thumbnail of an asset the caller may see (its type as stored, when it is an image type). */
export async function thumbnailResponse(data: TenantData, asset: Pick<AssetRow, "id" | "thumbnailSize" | "thumbnailContentType">, request: Request) {
  if (asset.thumbnailSize === null) fail("not_found", "This asset has no thumbnail.");
  const object = await data.storage.get(assetKeys.thumbnail(asset.id));
  if (!object) fail("not_found", "This asset has no thumbnail.");
  const stored = object.httpMetadata?.contentType ?? asset.thumbnailContentType ?? "";
  const headers = new Headers({
    "Content-Type": THUMBNAIL_TYPES.has(stored) ? stored : "application/octet-stream",
    ETag: object.httpEtag,
    "Cache-Control": "private, max-age=300",
    "Content-Length": String(object.size),
  });
  if (request.headers.get("If-None-Match") === object.httpEtag) return new Response(null, { status: 304, headers });
  return new Response(object.body, { headers });
}

const EXTENSION: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "video/mp4": "mp4",
  "audio/mp4": "m4a",
  "audio/mpeg": "mp3",
};

/**
 * GET /assets/{id}/proxy: the preview the server derived (a low-resolution
 * video, ADR 0011) as a download, for roles that may take previews but not
 * originals. Never the thumbnail: 404 until a proxy exists.
 */
export async function serveProxy(ctx: Ctx, assetId: string, request: Request) {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "asset.download_proxy");
  const object = await data.storage.get(assetKeys.proxy(asset.id));
  if (!object) fail("not_found", "This asset has no proxy yet.");
  const type = object.httpMetadata?.contentType ?? "application/octet-stream";
  const stem = asset.name.replace(/\.[^.]*$/, "");
  const headers = new Headers({
    "Content-Type": type,
    ETag: object.httpEtag,
    "Cache-Control": "private, no-cache",
    "Content-Length": String(object.size),
    "Content-Disposition": contentDisposition(`${stem}_proxy.${EXTENSION[type] ?? "bin"}`),
  });
  if (request.headers.get("If-None-Match") === object.httpEtag) return new Response(null, { status: 304, headers });
  await recordAudit(ctx, data, {
    action: "asset.downloaded",
    target: { type: "asset", id: asset.id, name: asset.name },
    details: { projectId: asset.projectId, proxy: true },
  });
  return new Response(object.body, { headers });
}

/**
 * PUT /assets/{id}/thumbnail: the still the uploader's browser made (ADR
 * 0011). Allowed to the asset's uploader (holding asset.upload) and to
 * editors (asset.edit_metadata), and only while the server has not made the
 * asset's still itself. Writes of one asset take turns (a claim on its row),
 * so the object, the row and the usage it adds agree; the usage moves in the
 * row's batch by the difference to the previous thumbnail.
 */
export async function storeThumbnail(ctx: Ctx, assetId: string, request: Request) {
  const { data, asset, principal, capabilities } = await requireAssetPermission(ctx, assetId, "asset.view");
  const target = { type: "asset", id: asset.id };
  const uploader = asset.createdBy === principal.userId && capabilities.has("asset.upload");
  if (!uploader && !capabilities.has("asset.edit_metadata")) {
    return denyAccess(ctx, {
      code: "forbidden",
      message: "Only the asset's uploader or someone who may edit its metadata can set its thumbnail.",
      target,
      details: { capability: "asset.edit_metadata" },
    });
  }
  const declared = Number(request.headers.get("Content-Length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > MAX_THUMBNAIL_BYTES) fail("too_large", "Thumbnails are at most 256 KiB.");
  const bytes = new Uint8Array(await request.arrayBuffer());
  const type = await validateThumbnail(bytes, request.headers.get("Content-Type"));
  const storage = data.storage;
  const key = assetKeys.thumbnail(asset.id);
  const current = await storage.head(key);
  if (current?.customMetadata?.source === "server") fail("conflict", "This asset's thumbnail is made by the server and cannot be replaced.");

  const now = new Date();
  const claim = `${now.toISOString()}|${crypto.randomUUID()}`;
  const stale = new Date(now.getTime() - CLAIM_STALE_MS).toISOString();
  const mine = and(eq(assets.tenantId, data.tenantId), eq(assets.id, asset.id));
  const claimed = await data.db
    .update(assets)
    .set({ thumbnailClaim: claim })
    .where(and(mine, or(isNull(assets.thumbnailClaim), lt(assets.thumbnailClaim, stale))))
    .returning({ previous: assets.thumbnailSize })
    .all();
  if (claimed.length === 0) fail("conflict", "Another thumbnail of this asset is being stored; try again.");
  const previous = claimed[0]!.previous ?? 0;
  try {
    await storage.put(key, bytes, { httpMetadata: { contentType: type }, customMetadata: { source: "browser" } });
  } catch (error) {
    await data.db
      .update(assets)
      .set({ thumbnailClaim: null })
      .where(and(mine, eq(assets.thumbnailClaim, claim)))
      .run();
    ctx.logger.warn("thumbnail_store_failed", { assetId: asset.id, error: String(error) });
    fail("service_unavailable", "Storage did not accept the thumbnail; try again.");
  }
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(assets)
        .set({ thumbnailContentType: type, thumbnailSize: bytes.byteLength, thumbnailClaim: null, updatedAt: now.toISOString() })
        .where(and(mine, eq(assets.thumbnailClaim, claim))),
      ...usageDeltaStatements(data, asset.projectId, bytes.byteLength - previous, 0),
    ],
    { action: "asset.thumbnail_set", target: { ...target, name: asset.name }, details: { contentType: type, size: bytes.byteLength } },
  );
  await publishUsage(ctx, data);
}
