import { and, count, eq, getTableColumns, gt, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { recordAudit } from "../audit/record.server";
import { assets, collectionAssets, shareApprovals, shareAssets, shareDownloadSlots, shareLinks } from "../db/tenant-schema";
import { changesStatement, countIn, rawStatement } from "../db/raw-statement.server";
import { contentDisposition } from "../http/content-disposition.server";
import { decodeCursor, encodeCursor } from "../http/cursor.server";
import { fail } from "../http/errors.server";
import { newId } from "../ids/ids";
import { assetKeys } from "../assets/keys.server";
import { thumbnailResponse } from "../assets/thumbnails.server";
import { readSmallUpload, storeGuestFile } from "../assets/uploads.server";
import { assetView } from "../assets/view.server";
import { derivedResponse, mediaJobOf, mediaStateOf, proxyStreamResponse, type DerivedName } from "../media/media.server";
import { markerOfAsset, markersOf, writeMarker, writeReply } from "../review/markers.server";
import { guestActor, guestName, requireGuest, type Guest, type GuestCtx } from "./guest-access.server";
import type { ApprovalBodySchema, CreateMarkerBodySchema, ReplyBodySchema } from "~/schemas/review";

/**
 * What a share's guest sees and does (issue #14), through a verified guest session
 * (guest-access.server.ts): the share's assets and nothing else (any other id is 404), their
 * thumbnails and the player's proxy, markers (read; add and reply when the share allows comments),
 * a verdict per asset (when it allows approval), and downloads within the scope and the cap.
 * Every view, download, comment and verdict is audited with the guest's identity.
 */

type AssetRow = typeof assets.$inferSelect;

/** A download slot older than this was cut off without a word (the isolate went away): it no longer counts. */
const STALE_SLOT_MS = 3_600_000;

/** The share's assets: its selection, or its collection as it is now; always within its project. */
function sharedAssetsQuery(g: Guest) {
  const { table, on } = shareJoin(g);
  const joined = g.data.db.select(getTableColumns(assets)).from(assets).innerJoin(table, on);
  return (extra?: SQL) => joined.where(sharedWhere(g, extra));
}

/** How many assets the share holds (the same join and conditions). */
function sharedAssetsCount(g: Guest) {
  const { table, on } = shareJoin(g);
  return g.data.db.select({ total: count() }).from(assets).innerJoin(table, on).where(sharedWhere(g));
}

/** The join that makes an asset the share's: its collection's membership, or the share's own selection. */
function shareJoin({ share }: Guest): { table: typeof collectionAssets | typeof shareAssets; on: SQL | undefined } {
  return share.collectionId
    ? {
        table: collectionAssets,
        on: and(eq(collectionAssets.tenantId, assets.tenantId), eq(collectionAssets.assetId, assets.id), eq(collectionAssets.collectionId, share.collectionId)),
      }
    : { table: shareAssets, on: and(eq(shareAssets.tenantId, assets.tenantId), eq(shareAssets.assetId, assets.id), eq(shareAssets.shareId, share.id)) };
}

const sharedWhere = ({ data, share }: Guest, extra?: SQL) => and(eq(assets.tenantId, data.tenantId), eq(assets.projectId, share.projectId), extra);

async function sharedAsset(g: Guest, assetId: string): Promise<AssetRow> {
  const row = await sharedAssetsQuery(g)(eq(assets.id, assetId)).get();
  if (!row) fail("not_found", "No such asset in this share.");
  return row;
}

const guestAssetView = (row: AssetRow) => {
  const a = assetView(row);
  return {
    id: a.id,
    name: a.name,
    kind: a.kind,
    size: a.size,
    contentType: a.contentType,
    status: a.status,
    hasThumbnail: a.hasThumbnail,
    technical: a.technical,
  };
};

const canDownload = (g: Guest, what: "original" | "proxy") =>
  g.share.scope.endsWith("_download") && (what === "original" ? g.share.downloadOriginal : g.share.downloadProxy);

/** GET /public/shares/{token}: who shares, what the guest may do, and who the guest is. */
export async function guestShareInfo(ctx: GuestCtx, token: string, request: Request) {
  const g = await requireGuest(ctx, token, request);
  return guestShareSummary(g);
}

export function guestShareSummary(g: Guest) {
  const { share } = g;
  return {
    tenant: { name: g.data.tenant.name },
    expiresAt: share.expiresAt,
    scope: share.scope,
    can: {
      downloadOriginal: canDownload(g, "original"),
      downloadProxy: canDownload(g, "proxy"),
      comment: share.comments,
      approve: share.approval,
      upload: share.scope.startsWith("preview_upload"),
    },
    maxDownloads: share.maxDownloads,
    watermark: share.watermark,
    guest: { email: g.email, name: guestName(g) },
  };
}

/** GET /public/shares/{token}/assets: what the share holds, by name, a page at a time. */
export async function listGuestAssets(ctx: GuestCtx, token: string, request: Request, page: Page) {
  const g = await requireGuest(ctx, token, request);
  return pageOfRows(await pageRows(g, page).all(), page.limit, guestAssetView);
}

/**
 * The portal's first page, with how many files the share holds: both statements in one D1 batch,
 * one round trip. (The API's pages do not count: a count reads every row of the share, a page
 * only its own.)
 */
export async function guestFirstPage(g: Guest, limit: number) {
  const { table, on } = shareJoin(g);
  // What a card shows, not the asset's whole row: its technical and user metadata, tags and search
  // text were most of the bytes D1 sent and drizzle mapped, for nothing the portal shows.
  const cards = g.data.db
    .select({
      id: assets.id,
      name: assets.name,
      nameKey: assets.nameKey,
      kind: assets.kind,
      size: assets.size,
      status: assets.status,
      thumbnailSize: assets.thumbnailSize,
    })
    .from(assets)
    .innerJoin(table, on)
    .where(sharedWhere(g))
    .orderBy(assets.nameKey, assets.id)
    .limit(limit + 1);
  const [rows, [counted]] = await g.data.db.batch([cards, sharedAssetsCount(g)]);
  const card = ({ id, name, kind, size, status, thumbnailSize }: (typeof rows)[number]) => ({
    id,
    name,
    kind,
    size,
    status,
    hasThumbnail: thumbnailSize !== null,
  });
  return { ...pageOfRows(rows, limit, card), total: counted?.total ?? 0 };
}

type Page = { limit: number; cursor?: string | undefined };

/** A page in name order after the cursor's (name key, id), with a row more to tell whether a page follows. */
function pageRows(g: Guest, page: Page) {
  const after = page.cursor ? decodeCursor(page.cursor, ["name", "id"]) : null;
  return sharedAssetsQuery(g)(after ? or(gt(assets.nameKey, after.name), and(eq(assets.nameKey, after.name), gt(assets.id, after.id))) : undefined)
    .orderBy(assets.nameKey, assets.id)
    .limit(page.limit + 1);
}

function pageOfRows<R extends { id: string; nameKey: string }, V>(rows: R[], limit: number, view: (row: R) => V) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), nextCursor: rows.length > limit && last ? encodeCursor({ name: last.nameKey, id: last.id }) : null };
}

const guestMediaPath = (token: string, assetId: string) => (path: string) => `/api/v1/public/shares/${token}/assets/${assetId}/${path}`;

/**
 * GET /public/shares/{token}/assets/{id}: one asset with its player media, markers and the
 * guest's own verdict; a view is audited (`share.viewed`).
 */
export async function guestAsset(ctx: GuestCtx, token: string, assetId: string, request: Request) {
  const g = await requireGuest(ctx, token, request);
  const asset = await sharedAsset(g, assetId);
  const [job, markers, approval] = await Promise.all([mediaJobOf(g.data, asset.id), markersOf(g.data, asset), myApproval(g, asset.id)]);
  await recordAudit(ctx, g.data, {
    action: "share.viewed",
    actor: guestActor(g, g.email),
    target: { type: "asset", id: asset.id, name: asset.name },
    details: { projectId: g.share.projectId, shareId: g.share.id },
  });
  return {
    asset: guestAssetView(asset),
    media: mediaStateOf(asset, job, guestMediaPath(token, asset.id), { downloadProxy: canDownload(g, "proxy"), retry: false }),
    markers,
    approval,
  };
}

export async function guestThumbnail(ctx: GuestCtx, token: string, assetId: string, request: Request) {
  const g = await requireGuest(ctx, token, request);
  return thumbnailResponse(g.data, await sharedAsset(g, assetId), request);
}

/** The player's proxy, inline with Range: watching is what every scope allows (not a download, not counted). */
export async function guestStream(ctx: GuestCtx, token: string, assetId: string, request: Request) {
  const g = await requireGuest(ctx, token, request);
  return proxyStreamResponse(g.data, (await sharedAsset(g, assetId)).id, request);
}

export async function guestDerived(ctx: GuestCtx, token: string, assetId: string, name: DerivedName, request: Request) {
  const g = await requireGuest(ctx, token, request);
  return derivedResponse(g.data, (await sharedAsset(g, assetId)).id, name, request);
}

/**
 * GET …/original and …/proxy as files: only with a download scope and that kind allowed. The cap
 * counts completed downloads of the link: a slot is reserved in one statement (so a burst cannot
 * pass the cap), counted when the last byte has gone, and given back when the download stops early.
 */
export async function guestDownload(ctx: GuestCtx, token: string, assetId: string, what: "original" | "proxy", request: Request) {
  const g = await requireGuest(ctx, token, request);
  const { data, link, share } = g;
  const asset = await sharedAsset(g, assetId);
  if (!canDownload(g, what))
    fail("forbidden", what === "original" ? "This share does not allow downloads of originals." : "This share does not allow downloads of previews.");
  const object = await data.storage.get(what === "original" ? assetKeys.original(asset.id) : assetKeys.proxy(asset.id));
  if (!object) fail("not_found", what === "original" ? "The file of this asset is not stored." : "This asset has no preview yet.");
  const slotId = newId("downloadSlot");
  const fresh = new Date(Date.now() - STALE_SLOT_MS).toISOString();
  const reserve = rawStatement(
    data.db,
    sql`INSERT INTO ${shareDownloadSlots} (id, tenant_id, link_id) SELECT ${slotId}, ${data.tenantId}, ${link.id}
        WHERE ${share.maxDownloads} IS NULL OR (SELECT downloads FROM ${shareLinks} WHERE tenant_id = ${data.tenantId} AND id = ${link.id})
          + (SELECT COUNT(*) FROM ${shareDownloadSlots} WHERE tenant_id = ${data.tenantId} AND link_id = ${link.id} AND started_at > ${fresh}) < ${share.maxDownloads ?? 0}`,
  );
  const [, taken] = await data.db.batch([reserve, changesStatement(data.db)]);
  if (countIn(taken) === 0) {
    await object.body.cancel();
    fail("forbidden", "This share's download limit has been reached.");
  }
  const slot = and(eq(shareDownloadSlots.tenantId, data.tenantId), eq(shareDownloadSlots.id, slotId));
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  ctx.waitUntil(
    object.body.pipeTo(writable).then(
      async () => {
        await data.db.batch([
          data.db.delete(shareDownloadSlots).where(slot),
          data.db
            .update(shareLinks)
            .set({ downloads: sql`${shareLinks.downloads} + 1` })
            .where(and(eq(shareLinks.tenantId, data.tenantId), eq(shareLinks.id, link.id))),
        ]);
        await recordAudit(ctx, data, {
          action: "share.downloaded",
          actor: guestActor(g, g.email),
          target: { type: "asset", id: asset.id, name: asset.name },
          details: { projectId: share.projectId, shareId: share.id, size: object.size, ...(what === "proxy" ? { proxy: true } : {}) },
        });
      },
      () => data.db.delete(shareDownloadSlots).where(slot).run(),
    ),
  );
  const name = what === "original" ? asset.name : `${asset.name.replace(/\.[^.]*$/, "")}_proxy.mp4`;
  return new Response(readable, {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(object.size),
      "Content-Disposition": contentDisposition(name),
      "Cache-Control": "private, no-store",
    },
  });
}

// --- Comments and verdicts ----------------------------------------------------------------------

const guestAuthor = (g: Guest) => ({ authorType: "guest" as const, authorId: g.link.id, authorName: guestName(g) });
const asGuest = (g: Guest) => ({ actor: guestActor(g, g.email), details: { shareId: g.share.id } });

function requireComments(g: Guest) {
  if (!g.share.comments) fail("forbidden", "This share does not take comments.");
}

export async function listGuestMarkers(ctx: GuestCtx, token: string, assetId: string, request: Request) {
  const g = await requireGuest(ctx, token, request);
  return { items: await markersOf(g.data, await sharedAsset(g, assetId)) };
}

/** POST …/assets/{id}/markers: a guest's marker, when the share takes comments; the guest is its author. */
export async function createGuestMarker(ctx: GuestCtx, token: string, assetId: string, request: Request, body: z.output<typeof CreateMarkerBodySchema>) {
  const g = await requireGuest(ctx, token, request);
  const asset = await sharedAsset(g, assetId);
  requireComments(g);
  return writeMarker(ctx, g.data, asset, body, guestAuthor(g), asGuest(g));
}

/** POST …/assets/{id}/markers/{markerId}/replies: a guest's reply to a marker of a shared asset. */
export async function replyAsGuest(ctx: GuestCtx, token: string, assetId: string, markerId: string, request: Request, body: z.output<typeof ReplyBodySchema>) {
  const g = await requireGuest(ctx, token, request);
  const asset = await sharedAsset(g, assetId);
  requireComments(g);
  return writeReply(ctx, g.data, asset, await markerOfAsset(g.data, asset, markerId), body, guestAuthor(g), asGuest(g));
}

/** One verdict per guest identity (the verified address, else the link) and asset. */
const guestKey = (g: Guest) => (g.email ? `email:${g.email}` : `link:${g.link.id}`);

function approvalView(r: typeof shareApprovals.$inferSelect) {
  return {
    assetId: r.assetId,
    shareId: r.shareId,
    guest: { linkId: r.linkId, email: r.guestEmail, name: r.guestEmail ?? `Guest ${r.linkId.slice(-6)}` },
    status: r.status,
    note: r.note,
    updatedAt: r.updatedAt,
  };
}

async function myApproval(g: Guest, assetId: string) {
  const row = await g.data.db
    .select()
    .from(shareApprovals)
    .where(
      and(
        eq(shareApprovals.tenantId, g.data.tenantId),
        eq(shareApprovals.shareId, g.share.id),
        eq(shareApprovals.assetId, assetId),
        eq(shareApprovals.guestKey, guestKey(g)),
      ),
    )
    .get();
  return row ? approvalView(row) : null;
}

/** PUT …/assets/{id}/approval: the guest's verdict (approved / needs changes), changed as often as they like. */
export async function setGuestApproval(ctx: GuestCtx, token: string, assetId: string, request: Request, body: z.output<typeof ApprovalBodySchema>) {
  const g = await requireGuest(ctx, token, request);
  const asset = await sharedAsset(g, assetId);
  if (!g.share.approval) fail("forbidden", "This share does not ask for approval.");
  const { data } = g;
  const now = new Date().toISOString();
  const note = body.note ? body.note : null;
  await data.db
    .insert(shareApprovals)
    .values({
      id: newId("approval"),
      tenantId: data.tenantId,
      shareId: g.share.id,
      linkId: g.link.id,
      assetId: asset.id,
      guestKey: guestKey(g),
      guestEmail: g.email,
      status: body.status,
      note,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [shareApprovals.tenantId, shareApprovals.shareId, shareApprovals.assetId, shareApprovals.guestKey],
      set: { status: body.status, note, updatedAt: now, linkId: g.link.id },
    })
    .run();
  await recordAudit(ctx, data, {
    action: "share.approval_set",
    actor: guestActor(g, g.email),
    target: { type: "asset", id: asset.id, name: asset.name },
    details: { projectId: g.share.projectId, shareId: g.share.id, status: body.status },
  });
  return (await myApproval(g, asset.id))!;
}

/** The verdicts guests gave on an asset, newest first (the team's side: the caller's check is done). */
export async function approvalsOf(data: Guest["data"], assetId: string) {
  const rows = await data.db
    .select()
    .from(shareApprovals)
    .where(and(eq(shareApprovals.tenantId, data.tenantId), eq(shareApprovals.assetId, assetId)))
    .orderBy(sql`${shareApprovals.updatedAt} DESC`, shareApprovals.id)
    .limit(200)
    .all();
  return rows.map(approvalView);
}

// --- Uploads ---------------------------------------------------------------------------------------

/**
 * POST /public/shares/{token}/uploads: a guest's file (≤ 95 MiB, one request) into the share's
 * folder (its project's top level when it names none), with an upload scope. The share's creator
 * answers for it: the reservation counts against their share of the quota and stops with their
 * account; the events name the guest.
 */
export async function uploadAsGuest(ctx: GuestCtx, token: string, request: Request) {
  const g = await requireGuest(ctx, token, request);
  const { share } = g;
  if (!share.scope.startsWith("preview_upload")) fail("forbidden", "This share does not take uploads.");
  if (!share.createdBy) fail("forbidden", "This share's owner no longer exists; it takes no uploads.");
  const form = await readSmallUpload(request);
  const uploaded = await storeGuestFile(ctx, g.data, {
    ownerId: share.createdBy,
    projectId: share.projectId,
    folderId: share.uploadFolderId,
    form,
    actor: guestActor(g, g.email),
  });
  return { id: uploaded.id, name: uploaded.name, size: uploaded.size, status: uploaded.status };
}
