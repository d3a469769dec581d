import { and, eq, gt, sql } from "drizzle-orm";
import type { z } from "zod";
import { recordAudit, type AuditContext } from "../audit/record.server";
import { randomSecret, sha256Hex } from "../auth/crypto.server";
import { verifyPassword } from "../auth/password.server";
import { LIMITS, reserveAttempt } from "../auth/rate-limit.server";
import { controlDb } from "../db/control.server";
import { shareLinkIndex } from "../db/control-schema";
import { assets, collectionAssets, shareAssets, shareDownloadSlots, shareGuestSessions, shareLinks, shares } from "../db/tenant-schema";
import { tenantDataForAuthentication, type TenantData } from "../db/tenant-data.server";
import { changesStatement, countIn, rawStatement } from "../db/raw-statement.server";
import { contentDisposition } from "../http/content-disposition.server";
import { bearerToken } from "../operator/operator-auth.server";
import { fail } from "../http/errors.server";
import { newId } from "../ids/ids";
import { assetKeys } from "../assets/keys.server";
import { assetListColumns, assetView } from "../assets/view.server";
import type { KuraContext } from "../context";
import { shareState } from "./shares.server";
import type { GuestSessionBodySchema } from "~/schemas/review";

/**
 * Shares, the guest's side (issue #14; contract "Review and sharing"). A URL's token leads through
 * the control plane's index to its tenant, which must be active (a terminated tenant's shares stop
 * at once), then to its link and share, which must be live: an expired, paused or revoked share,
 * or a revoked link, is 404 on every guest endpoint, as is any asset outside the share. The
 * password is throttled like a sign-in; a right one (or none) gives a guest token for the API.
 */

type Ctx = AuditContext & Pick<KuraContext, "config" | "waitUntil">;
type Opened = { data: TenantData; link: typeof shareLinks.$inferSelect; share: typeof shares.$inferSelect };

const GUEST_SESSION_MS = 12 * 3_600_000;
/** A download slot older than this was cut off without a word (the isolate went away): it no longer counts. */
const STALE_SLOT_MS = 3_600_000;
const GUEST_TOKEN = /^kura_g\.([a-z]{3}_[a-z2-7]{26})\.([a-z2-7]{40,64})$/;

async function openLink(ctx: Ctx, token: string): Promise<Opened> {
  const tokenHash = await sha256Hex(token);
  const index = await controlDb(ctx.env).select().from(shareLinkIndex).where(eq(shareLinkIndex.tokenHash, tokenHash)).get();
  if (!index) fail("not_found", "No such share.");
  const data = await tenantDataForAuthentication.byTokenTenant(ctx.env, index.tenantId);
  if (!data) fail("not_found", "No such share.");
  const link = await data.db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.tenantId, data.tenantId), eq(shareLinks.tokenHash, tokenHash)))
    .get();
  if (!link || link.revokedAt) fail("not_found", "No such share.");
  const share = await data.db
    .select()
    .from(shares)
    .where(and(eq(shares.tenantId, data.tenantId), eq(shares.id, link.shareId)))
    .get();
  if (!share || shareState(share) !== "active") fail("not_found", "No such share.");
  return { data, link, share };
}

/** Guest events name the link's recipient (or the anonymous link) as the actor. */
const guestActor = (o: Opened) => ({ type: "guest" as const, id: o.link.id, email: o.link.recipientEmail });

/** POST /public/shares/{token}/session: the password (when the share has one) for a guest token. */
export async function startGuestSession(ctx: Ctx, token: string, body: z.output<typeof GuestSessionBodySchema>) {
  const opened = await openLink(ctx, token);
  const { data, link, share } = opened;
  if (share.passwordHash) {
    const attempt = await reserveAttempt(ctx.env, [LIMITS.sharePassword(link.id), LIMITS.sharePasswordPerIp(ctx.clientIp)]);
    const ok = body.password ? (await verifyPassword(body.password, share.passwordHash, ctx.config.argon2)).ok : false;
    if (!ok) {
      await recordAudit(ctx, data, {
        action: "share.access_denied",
        actor: guestActor(opened),
        outcome: "denied",
        target: { type: "share", id: share.id },
        details: { projectId: share.projectId, reason: body.password ? "wrong_password" : "no_password" },
      });
      fail("invalid_credentials", "That password is not right.");
    }
    await attempt.refund();
  }
  const guestToken = `kura_g.${data.tenantId}.${randomSecret(32)}`;
  const now = Date.now();
  const expiresAt = new Date(Math.min(now + GUEST_SESSION_MS, Date.parse(share.expiresAt))).toISOString();
  await data.db.batch([
    data.db.insert(shareGuestSessions).values({ tokenHash: await sha256Hex(guestToken), tenantId: data.tenantId, linkId: link.id, expiresAt }),
    data.db
      .update(shareLinks)
      .set({ accesses: sql`${shareLinks.accesses} + 1`, lastAccessAt: new Date(now).toISOString() })
      .where(and(eq(shareLinks.tenantId, data.tenantId), eq(shareLinks.id, link.id))),
  ]);
  await recordAudit(ctx, data, {
    action: "share.accessed",
    actor: guestActor(opened),
    target: { type: "share", id: share.id },
    details: { projectId: share.projectId },
  });
  return { guestToken, expiresAt };
}

/** The live link and a guest session of it from `Authorization: Bearer <guestToken>` (401 without one). */
async function requireGuest(ctx: Ctx, token: string, request: Request): Promise<Opened> {
  const opened = await openLink(ctx, token);
  const bearer = bearerToken(request) ?? "";
  const match = GUEST_TOKEN.exec(bearer);
  if (!match || match[1] !== opened.data.tenantId) fail("unauthenticated", "Open the share first (POST …/session).");
  const session = await opened.data.db
    .select({ linkId: shareGuestSessions.linkId })
    .from(shareGuestSessions)
    .where(
      and(
        eq(shareGuestSessions.tenantId, opened.data.tenantId),
        eq(shareGuestSessions.tokenHash, await sha256Hex(bearer)),
        gt(shareGuestSessions.expiresAt, new Date().toISOString()),
      ),
    )
    .get();
  if (!session || session.linkId !== opened.link.id) fail("unauthenticated", "Open the share first (POST …/session).");
  return opened;
}

/** The share's assets: its selection, or its collection as it is now. */
function sharedAssetsQuery(o: Opened) {
  const { data, share } = o;
  const base = data.db.select(assetListColumns).from(assets);
  return share.collectionId
    ? base.innerJoin(
        collectionAssets,
        and(eq(collectionAssets.tenantId, assets.tenantId), eq(collectionAssets.assetId, assets.id), eq(collectionAssets.collectionId, share.collectionId)),
      )
    : base.innerJoin(shareAssets, and(eq(shareAssets.tenantId, assets.tenantId), eq(shareAssets.assetId, assets.id), eq(shareAssets.shareId, share.id)));
}

const guestView = (row: Parameters<typeof assetView>[0]) => {
  const a = assetView(row);
  return { id: a.id, name: a.name, kind: a.kind, size: a.size, contentType: a.contentType, hasThumbnail: a.hasThumbnail, technical: a.technical };
};

/** GET /public/shares/{token}/assets: what the share holds, by name. */
export async function listGuestAssets(ctx: Ctx, token: string, request: Request) {
  const opened = await requireGuest(ctx, token, request);
  const rows = await sharedAssetsQuery(opened)
    .where(and(eq(assets.tenantId, opened.data.tenantId), eq(assets.projectId, opened.share.projectId)))
    .orderBy(assets.nameKey, assets.id)
    .limit(1000)
    .all();
  return { items: rows.map(guestView), nextCursor: null };
}

async function sharedAsset(o: Opened, assetId: string) {
  const row = await sharedAssetsQuery(o)
    .where(and(eq(assets.tenantId, o.data.tenantId), eq(assets.projectId, o.share.projectId), eq(assets.id, assetId)))
    .get();
  if (!row) fail("not_found", "No such asset in this share.");
  return row;
}

/**
 * GET /public/shares/{token}/assets/{id}/original: only with a download scope and original
 * downloads allowed. The cap counts completed downloads of the link: a slot is reserved in one
 * statement (so a burst cannot pass the cap), counted when the last byte has gone, and given back
 * when the download stops early.
 */
export async function downloadGuestOriginal(ctx: Ctx, token: string, assetId: string, request: Request) {
  const opened = await requireGuest(ctx, token, request);
  const { data, link, share } = opened;
  const asset = await sharedAsset(opened, assetId);
  if (!share.scope.endsWith("_download") || !share.downloadOriginal) fail("forbidden", "This share does not allow downloads of originals.");
  const object = await data.storage.get(assetKeys.original(asset.id));
  if (!object) fail("not_found", "The file of this asset is not stored.");
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
          actor: guestActor(opened),
          target: { type: "asset", id: asset.id, name: asset.name },
          details: { projectId: share.projectId, shareId: share.id, size: asset.size },
        });
      },
      () => data.db.delete(shareDownloadSlots).where(slot).run(),
    ),
  );
  return new Response(readable, {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(object.size),
      "Content-Disposition": contentDisposition(asset.name),
      "Cache-Control": "private, no-store",
    },
  });
}
