import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { commitAudited, type AuditContext } from "../audit/record.server";
import { requireProjectPermission } from "../access/permissions.server";
import { randomSecret, sha256Hex } from "../auth/crypto.server";
import { hashPassword } from "../auth/password.server";
import { controlDb } from "../db/control.server";
import { shareLinkIndex } from "../db/control-schema";
import { assets, collections, folders, shareAssets, shareLinks, shares } from "../db/tenant-schema";
import { collectionSizeStatement } from "../review/collections.server";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { inJsonArray } from "../db/chunks.server";
import { rawStatement } from "../db/raw-statement.server";
import { fail } from "../http/errors.server";
import { checkField } from "../http/validation.server";
import { newId } from "../ids/ids";
import type { KuraContext } from "../context";
import { CreateShareBodySchema, UpdateShareBodySchema, type SharePolicy } from "~/schemas/review";
import { sharePolicyOf } from "../tenants/settings.server";
import { sendMail } from "../mail/mail.server";
import { shareLinkMail } from "../mail/templates.server";
import { JAPAN_TIME_ZONE } from "~/i18n/time-zone";

/**
 * Shares, the team's side (issue #14): a selection of a project's assets or a live collection,
 * with a scope, a mandatory expiry, an optional password and download cap, and one link per
 * recipient (or one anonymous link). A link's token is 160 random bits; only its SHA-256 is kept,
 * in the tenant's `share_links` and in the control plane's index that leads a URL to its tenant.
 * Creating needs `share.create`; pausing, changing and revoking too (or `project.manage_members`).
 */

type Ctx = AuditContext & Pick<KuraContext, "config" | "publicOrigin" | "waitUntil">;
type Row = typeof shares.$inferSelect;
type LinkRow = typeof shareLinks.$inferSelect;

const DAY_MS = 86_400_000;

export function shareState(r: Pick<Row, "paused" | "revokedAt" | "expiresAt">, now = Date.now()) {
  if (r.revokedAt) return "revoked" as const;
  if (Date.parse(r.expiresAt) <= now) return "expired" as const;
  return r.paused ? ("paused" as const) : ("active" as const);
}

export function shareView(
  r: Row,
  links: Pick<LinkRow, "id" | "recipientEmail" | "accesses" | "downloads" | "lastAccessAt" | "revokedAt">[],
  assetCount: number,
) {
  return {
    id: r.id,
    projectId: r.projectId,
    collectionId: r.collectionId,
    assetCount,
    scope: r.scope,
    downloadOriginal: r.downloadOriginal,
    downloadProxy: r.downloadProxy,
    comments: r.comments,
    approval: r.approval,
    watermark: r.watermark,
    verifyEmail: r.verifyEmail,
    uploadFolderId: r.uploadFolderId,
    expiresAt: r.expiresAt,
    hasPassword: r.passwordHash !== null,
    maxDownloads: r.maxDownloads,
    paused: r.paused,
    state: shareState(r),
    createdAt: r.createdAt,
    links: links.map((l) => ({
      id: l.id,
      recipientEmail: l.recipientEmail,
      accesses: l.accesses,
      downloads: l.downloads,
      lastAccessAt: l.lastAccessAt,
      revoked: l.revokedAt !== null,
    })),
  };
}

/** The public URL of a link: the origin and the token, nothing else. */
export function shareUrl(origin: string, token: string) {
  return `${origin.replace(/\/+$/, "")}/s/${token}`;
}

/** The longest a share may last under the policy: its maximum, or its default when that is locked. */
export function longestExpiryDays(policy: SharePolicy): number {
  return policy.locked.expiry ? Math.min(policy.defaultExpiryDays, policy.maxExpiryDays) : policy.maxExpiryDays;
}

/** An expiry in the future and within the longest the tenant's policy allows. */
function checkExpiry(expiresAt: string, policy: SharePolicy): string {
  const at = Date.parse(expiresAt);
  const now = Date.now();
  const days = longestExpiryDays(policy);
  if (at <= now) {
    fail("validation_failed", "The expiry is in the past.", {
      fields: [{ path: "expiresAt", message: "Choose a time in the future.", reason: "share_expiry_past" }],
    });
  }
  if (at > now + days * DAY_MS) {
    fail("validation_failed", `Shares of this organisation last at most ${days} days.`, {
      fields: [{ path: "expiresAt", message: `At most ${days} days from now.`, reason: "share_expiry_too_long", params: { days } }],
    });
  }
  return new Date(at).toISOString();
}

type PolicyReason = "share_password_required" | "share_recipients_required" | "share_downloads_off";
const refuse = (path: string, message: string, reason: PolicyReason): never => fail("validation_failed", message, { fields: [{ path, message, reason }] });

/** The tenant admin's locked choices (an unlocked one is only the share form's default). */
function checkPolicy(policy: SharePolicy, share: { scope?: string | undefined; password?: boolean; recipients?: boolean }) {
  if (share.password === false && policy.passwordRequired && policy.locked.password)
    refuse("password", "This organisation requires a password on every share.", "share_password_required");
  if (share.recipients === false && !policy.anonymousLinks && policy.locked.anonymousLinks) {
    refuse("recipients", "This organisation allows only per-recipient links: name the recipients.", "share_recipients_required");
  }
  if (share.scope?.endsWith("_download") && !policy.downloads && policy.locked.downloads)
    refuse("scope", "This organisation does not allow downloads from shares.", "share_downloads_off");
}

async function assetCountOf(data: TenantData, r: Row): Promise<number> {
  const row = r.collectionId
    ? await collectionSizeStatement(data, r.collectionId).get()
    : await data.db
        .select({ n: sql<number>`COUNT(*)` })
        .from(shareAssets)
        .where(and(eq(shareAssets.tenantId, data.tenantId), eq(shareAssets.shareId, r.id)))
        .get();
  return row?.n ?? 0;
}

/** A share's links in a stable order: as created, then by recipient (a share's links are created together). */
const linksOf = (data: TenantData, shareId: string) =>
  data.db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.tenantId, data.tenantId), eq(shareLinks.shareId, shareId)))
    .orderBy(shareLinks.createdAt, shareLinks.recipientEmail, shareLinks.id)
    .all();

async function requireProjectFolder(data: TenantData, projectId: string, folderId: string) {
  const folder = await data.db
    .select({ id: folders.id })
    .from(folders)
    .where(and(eq(folders.tenantId, data.tenantId), eq(folders.projectId, projectId), eq(folders.id, folderId)))
    .get();
  if (!folder) fail("not_found", "No such folder in this project.");
}

/** POST /shares (share.create): 201 with the first link's URL, every link, and a made password once. */
export async function createShare(ctx: Ctx, body: z.output<typeof CreateShareBodySchema>) {
  body = checkField(CreateShareBodySchema, body, "");
  const { data, principal } = await requireProjectPermission(ctx, body.projectId, "share.create");
  const policy = await sharePolicyOf(data);
  const expiresAt = checkExpiry(body.expiresAt, policy);
  checkPolicy(policy, { scope: body.scope, password: Boolean(body.password || body.generatePassword), recipients: Boolean(body.recipients) });
  // Links go to people outside: never built from the request's Host (PUBLIC_BASE_URL, as e-mailed links).
  const origin = ctx.publicOrigin;
  if (!origin) fail("service_unavailable", "Share links cannot be made: PUBLIC_BASE_URL is not configured.");
  let collectionName: string | null = null;
  if (body.collectionId) {
    const collection = await data.db
      .select({ id: collections.id, name: collections.name })
      .from(collections)
      .where(and(eq(collections.tenantId, data.tenantId), eq(collections.projectId, body.projectId), eq(collections.id, body.collectionId)))
      .get();
    if (!collection) fail("not_found", "No such collection in this project.");
    collectionName = collection.name;
  }
  if (body.uploadFolderId) await requireProjectFolder(data, body.projectId, body.uploadFolderId);
  const assetIds = [...new Set(body.assetIds ?? [])];
  if (assetIds.length > 0) {
    const found = await data.db
      .select({ n: sql<number>`COUNT(*)` })
      .from(assets)
      .where(and(eq(assets.tenantId, data.tenantId), eq(assets.projectId, body.projectId), inJsonArray(assets.id, assetIds)))
      .get();
    if ((found?.n ?? 0) !== assetIds.length) fail("not_found", "Some of these assets are not in this project.");
  }
  const password = body.generatePassword ? randomSecret(10) : body.password;
  const passwordHash = password ? await hashPassword(password, ctx.config.argon2) : null;
  const id = newId("share");
  const recipients = body.recipients ? [...new Set(body.recipients)] : [null];
  const links = await Promise.all(
    recipients.map(async (recipientEmail) => {
      const token = randomSecret(20);
      return { token, row: { id: newId("shareLink"), tenantId: data.tenantId, shareId: id, tokenHash: await sha256Hex(token), recipientEmail } };
    }),
  );
  // The index first: a link the control plane does not know cannot be reached, so a failure later leaves nothing usable.
  await controlDb(ctx.env)
    .insert(shareLinkIndex)
    .values(links.map((l) => ({ tokenHash: l.row.tokenHash, tenantId: data.tenantId })))
    .run();
  await commitAudited(
    ctx,
    data,
    [
      data.db.insert(shares).values({
        id,
        tenantId: data.tenantId,
        projectId: body.projectId,
        collectionId: body.collectionId ?? null,
        scope: body.scope,
        downloadOriginal: body.downloadOriginal ?? true,
        downloadProxy: body.downloadProxy ?? true,
        comments: body.comments ?? false,
        approval: body.approval ?? false,
        watermark: body.watermark ?? false,
        verifyEmail: body.verifyEmail ?? false,
        uploadFolderId: body.uploadFolderId ?? null,
        expiresAt,
        passwordHash,
        maxDownloads: body.maxDownloads ?? null,
        createdBy: principal.userId,
      }),
      data.db.insert(shareLinks).values(links.map((l) => l.row)),
      ...(assetIds.length > 0
        ? [
            rawStatement(
              data.db,
              sql`INSERT INTO ${shareAssets} (tenant_id, share_id, asset_id) SELECT ${data.tenantId}, ${id}, value FROM json_each(${JSON.stringify(assetIds)})`,
            ),
          ]
        : []),
    ] as const,
    {
      action: "share.created",
      target: { type: "share", id },
      details: {
        projectId: body.projectId,
        scope: body.scope,
        expiresAt,
        recipients: links.filter((l) => l.row.recipientEmail).length,
        anonymous: recipients[0] === null,
        password: passwordHash !== null,
        maxDownloads: body.maxDownloads ?? null,
        notify: body.notify === true,
      },
    },
  );
  if (body.notify) {
    // After the commit: a link is e-mailed only once it works. The mail module keeps the link out of
    // the stored copy wherever a real provider delivers it; nothing here logs it.
    for (const link of links) {
      if (!link.row.recipientEmail) continue;
      await sendMail(
        ctx,
        shareLinkMail({
          to: link.row.recipientEmail,
          tenantName: data.tenant.name,
          tenantId: data.tenantId,
          sender: principal.name || principal.email,
          holds: collectionName !== null ? { collection: collectionName } : { files: assetIds.length },
          link: shareUrl(origin, link.token),
          expiresAt,
          timeZone: principal.timeZone ?? principal.tenantTimeZone ?? JAPAN_TIME_ZONE,
          password: passwordHash !== null,
          verifyEmail: body.verifyEmail === true,
          message: body.message,
        }),
      );
    }
  }
  return {
    id,
    url: shareUrl(origin, links[0]!.token),
    ...(body.generatePassword ? { password: password! } : {}),
    links: links.map((l) => ({ recipientEmail: l.row.recipientEmail, url: shareUrl(origin, l.token) })),
  };
}

/** The share of the caller's tenant under its project's check (other tenants' and projects': 404). */
async function requireShare(ctx: Ctx, shareId: string, capability: "asset.view" | "share.create") {
  const data = await tenantData(ctx);
  const row = await data.db
    .select()
    .from(shares)
    .where(and(eq(shares.tenantId, data.tenantId), eq(shares.id, shareId)))
    .get();
  if (!row) fail("not_found", "No such share.");
  const access = await requireProjectPermission(ctx, row.projectId, capability, { target: { type: "share", id: shareId }, notFound: "No such share." });
  return { ...access, data, row };
}

export async function getShare(ctx: Ctx, shareId: string) {
  const { data, row } = await requireShare(ctx, shareId, "share.create");
  return shareView(row, await linksOf(data, row.id), await assetCountOf(data, row));
}

/** PATCH /shares/{id}: pause or resume, change scope or expiry; the URLs stay. A revoked share cannot change. */
export async function updateShare(ctx: Ctx, shareId: string, body: z.output<typeof UpdateShareBodySchema>) {
  const { data, row } = await requireShare(ctx, shareId, "share.create");
  body = checkField(UpdateShareBodySchema, body, "");
  if (row.revokedAt) fail("conflict", "This share has been revoked.", { reason: "share_revoked" });
  const policy = await sharePolicyOf(data);
  checkPolicy(policy, { scope: body.scope });
  if (body.uploadFolderId) await requireProjectFolder(data, row.projectId, body.uploadFolderId);
  const { expiresAt, ...rest } = body;
  const changes = {
    ...rest,
    ...(expiresAt !== undefined ? { expiresAt: checkExpiry(expiresAt, policy) } : {}),
    updatedAt: new Date().toISOString(),
  };
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(shares)
        .set(changes)
        .where(and(eq(shares.tenantId, data.tenantId), eq(shares.id, row.id))),
    ],
    {
      action: "share.updated",
      target: { type: "share", id: row.id },
      details: { projectId: row.projectId, ...body },
    },
  );
  return getShare(ctx, row.id);
}

/**
 * DELETE /shares/{id}: revoked at once, for every link. The links' tokens leave the control
 * plane's index first (so nothing, not even a restore of an older backup, can lead to them again);
 * the rows stay for their counters and the audit trail.
 */
export async function revokeShare(ctx: Ctx, shareId: string) {
  const { data, row } = await requireShare(ctx, shareId, "share.create");
  if (row.revokedAt) return;
  const links = await linksOf(data, row.id);
  if (links.length > 0) {
    await controlDb(ctx.env)
      .delete(shareLinkIndex)
      .where(
        inJsonArray(
          shareLinkIndex.tokenHash,
          links.map((l) => l.tokenHash),
        ),
      )
      .run();
  }
  const now = new Date().toISOString();
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(shares)
        .set({ revokedAt: now, updatedAt: now })
        .where(and(eq(shares.tenantId, data.tenantId), eq(shares.id, row.id))),
      data.db
        .update(shareLinks)
        .set({ revokedAt: now })
        .where(and(eq(shareLinks.tenantId, data.tenantId), eq(shareLinks.shareId, row.id))),
    ],
    { action: "share.revoked", target: { type: "share", id: row.id }, details: { projectId: row.projectId, links: links.length } },
  );
}

/**
 * DELETE /shares/{id}/links/{linkId}: one recipient's link stops (the others go on); its token
 * leaves the control plane's index like a revoked share's.
 */
export async function revokeShareLink(ctx: Ctx, shareId: string, linkId: string) {
  const { data, row } = await requireShare(ctx, shareId, "share.create");
  const link = (await linksOf(data, row.id)).find((l) => l.id === linkId);
  if (!link) fail("not_found", "No such link of this share.");
  if (link.revokedAt) return;
  await controlDb(ctx.env).delete(shareLinkIndex).where(eq(shareLinkIndex.tokenHash, link.tokenHash)).run();
  await commitAudited(
    ctx,
    data,
    [
      data.db
        .update(shareLinks)
        .set({ revokedAt: new Date().toISOString() })
        .where(and(eq(shareLinks.tenantId, data.tenantId), eq(shareLinks.id, link.id))),
    ],
    {
      action: "share.link_revoked",
      target: { type: "share", id: row.id },
      details: { projectId: row.projectId, linkId: link.id, recipient: link.recipientEmail },
    },
  );
}
