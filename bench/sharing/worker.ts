/**
 * Sharing benchmark (issue #14): the floor worker, and the seeder.
 *
 * Bound to the app's two D1 databases (binding names and database_ids of CONTROL_DB and
 * TENANT_DB_S0), so under the same --persist-to directory it opens the very same local SQLite
 * files as Kura. `/floor/*` runs the statements of Kura's guest door and share listing on them
 * with none of Kura's work around them (no request pipeline, no production-limits checker, no
 * query builder, no row mapping beyond the answer's fields):
 *
 *  - `/floor/assets/<shareToken>` (Bearer guest token): the guest asset list, the same JSON shape
 *    as `GET /api/v1/public/shares/<token>/assets`;
 *  - `/floor/page/<shareToken>` (the portal's cookie): a minimal HTML page of the same rows as
 *    the guest portal `/s/<token>` server-renders (its first 50, and the share's count).
 *
 * Both run, one after the other as Kura awaits them, what `openLink`, `sessionOf`
 * (app/.server/sharing/guest-access.server.ts) and `sharedAssetsQuery` / `listGuestAssets` / `guestFirstPage`
 * (guest.server.ts) send: the token's SHA-256 looked up in the control plane's share_link_index,
 * the tenant with its shard (the statement of tenant-data.server.ts), the link and the share, the
 * guest session by the guest token's SHA-256, then the share's assets. The SQL text is drizzle's
 * for those builders (printed with toSQL). Only a share of a selection (share_assets) is served,
 * as the benchmark makes; a collection's share joins collection_assets instead.
 *
 * `/seed` is the assets benchmark's seeder (realistic rows after upload and processing);
 * `/seed/thumbnails` gives images and videos the thumbnail that processing stores for them.
 * None of this is deployed.
 */
import { seed } from "../assets/worker";

type Env = { TENANT_DB_S0: D1Database; CONTROL_DB: D1Database };

const INDEX = 'select "token_hash", "tenant_id", "created_at" from "share_link_index" where "share_link_index"."token_hash" = ?';
const TENANT = `SELECT t.id AS id, t.slug AS slug, t.name AS name, t.status AS status, t.moving_to AS movingTo, t.shard_key AS shardKey, s.binding AS binding
  FROM tenants t JOIN shards s ON s.key = t.shard_key WHERE t.id = ?`;
const LINK =
  'select "id", "tenant_id", "share_id", "token_hash", "recipient_email", "accesses", "downloads", "last_access_at", "revoked_at", "created_at" from "share_links" where ("share_links"."tenant_id" = ? and "share_links"."token_hash" = ?)';
const SHARE =
  'select "id", "tenant_id", "project_id", "collection_id", "scope", "download_original", "download_proxy", "comments", "approval", "watermark", "verify_email", "upload_folder_id", "expires_at", "password_hash", "max_downloads", "paused", "revoked_at", "created_by", "created_at", "updated_at" from "shares" where ("shares"."tenant_id" = ? and "shares"."id" = ?)';
const SESSION =
  'select "token_hash", "tenant_id", "link_id", "expires_at", "guest_email", "code_hash", "code_expires_at", "verified_at", "created_at" from "share_guest_sessions" where ("share_guest_sessions"."tenant_id" = ? and "share_guest_sessions"."token_hash" = ? and "share_guest_sessions"."expires_at" > ?)';
/** Every column of assets, as Kura selects them (drizzle's getTableColumns). */
const ASSET_COLUMNS =
  '"assets"."rid", "assets"."id", "assets"."tenant_id", "assets"."project_id", "assets"."folder_id", "assets"."name", "assets"."name_key", "assets"."size", "assets"."content_type", "assets"."kind", "assets"."status", "assets"."problem", "assets"."sha256", "assets"."etag", "assets"."technical", "assets"."duration_seconds", "assets"."width", "assets"."height", "assets"."metadata", "assets"."tags", "assets"."color_label", "assets"."search_text", "assets"."thumbnail_content_type", "assets"."thumbnail_size", "assets"."thumbnail_claim", "assets"."created_at", "assets"."created_by", "assets"."updated_at", "assets"."processed_at", "assets"."attempts", "assets"."derived_bytes"';
const SHARED_ASSETS_FROM =
  'from "assets" inner join "share_assets" on ("share_assets"."tenant_id" = "assets"."tenant_id" and "share_assets"."asset_id" = "assets"."id" and "share_assets"."share_id" = ?) where ("assets"."tenant_id" = ? and "assets"."project_id" = ?)';
/** A first page (no cursor) of `listGuestAssets`: the share's assets by name, one more than the page. */
const SHARED_ASSETS = `select ${ASSET_COLUMNS} ${SHARED_ASSETS_FROM} order by "assets"."name_key", "assets"."id" limit ?`;
/** `guestFirstPage` (the portal's first page): the cards' columns only, in the same order. */
const SHARED_CARDS = `select "assets"."id", "assets"."name", "assets"."name_key", "assets"."kind", "assets"."size", "assets"."status", "assets"."thumbnail_size" ${SHARED_ASSETS_FROM} order by "assets"."name_key", "assets"."id" limit ?`;
/** `guestFirstPage`'s count of the share's assets, in the same D1 batch as its page. */
const SHARED_COUNT = `select count(*) ${SHARED_ASSETS_FROM}`;

type AssetRow = {
  id: string;
  name: string;
  kind: string;
  size: number;
  content_type: string;
  status: string;
  technical: string;
  thumbnail_size: number | null;
};

async function sha256Hex(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The first `limit` rows of the share (a row more is read, as Kura reads it to know whether a page
 * follows) for a live link and a verified, unexpired session of it; null where Kura answers 404
 * or 401. `counted`: the portal's first page (the cards' columns), with the share's count in the same batch.
 */
async function sharedRows(env: Env, shareToken: string, guestToken: string | null, limit: number, counted: boolean) {
  if (!guestToken) return null;
  const tokenHash = await sha256Hex(shareToken);
  const index = await env.CONTROL_DB.prepare(INDEX).bind(tokenHash).first<{ tenant_id: string }>();
  if (!index) return null;
  const tenant = await env.CONTROL_DB.prepare(TENANT).bind(index.tenant_id).first<{ id: string; name: string; status: string }>();
  if (!tenant || tenant.status !== "active") return null;
  // The one shard of this local setup: Kura finds the same binding by the name in the shard row.
  const db = env.TENANT_DB_S0;
  const link = await db.prepare(LINK).bind(tenant.id, tokenHash).first<{ id: string; share_id: string; revoked_at: string | null }>();
  if (!link || link.revoked_at) return null;
  const share = await db
    .prepare(SHARE)
    .bind(tenant.id, link.share_id)
    .first<{ id: string; project_id: string; paused: number; revoked_at: string | null; expires_at: string }>();
  if (!share || share.revoked_at || share.paused || Date.parse(share.expires_at) <= Date.now()) return null;
  const session = await db
    .prepare(SESSION)
    .bind(tenant.id, await sha256Hex(guestToken), new Date().toISOString())
    .first<{ link_id: string; verified_at: string | null }>();
  if (!session || session.link_id !== link.id || !session.verified_at) return null;
  const page = db.prepare(counted ? SHARED_CARDS : SHARED_ASSETS).bind(share.id, tenant.id, share.project_id, limit + 1);
  const [{ results }, total] = counted
    ? await db.batch<AssetRow | { "count(*)": number }>([page, db.prepare(SHARED_COUNT).bind(share.id, tenant.id, share.project_id)])
    : [await page.all<AssetRow>()];
  const rows = results as AssetRow[];
  return { tenant, rows: rows.slice(0, limit), more: rows.length > limit, total: (total?.results[0] as { "count(*)": number } | undefined)?.["count(*)"] ?? 0 };
}

/** The guest API's asset object (guestAssetView). */
const item = (r: AssetRow) => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  size: r.size,
  contentType: r.content_type,
  status: r.status,
  hasThumbnail: r.thumbnail_size !== null,
  technical: JSON.parse(r.technical) as unknown,
});

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The portal's cookie for this link (guestCookieName): kura_guest_ and 16 hex characters of SHA-256("cookie:" + token). */
async function cookieToken(request: Request, shareToken: string): Promise<string | null> {
  const name = `kura_guest_${(await sha256Hex(`cookie:${shareToken}`)).slice(0, 16)}`;
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=") || null;
  }
  return null;
}

const bearer = (request: Request) => /^Bearer (.+)$/.exec(request.headers.get("Authorization") ?? "")?.[1] ?? null;

/** The portal's first page: as many files as Kura's (GUEST_PORTAL_PAGE), and the share's count. */
const PAGE = 50;

async function floorPage(env: Env, request: Request, token: string): Promise<Response> {
  const found = await sharedRows(env, token, await cookieToken(request, token), PAGE, true);
  if (!found) return new Response("not found", { status: 404 });
  const items = found.rows.map((r) => {
    const thumb = r.thumbnail_size !== null ? `<img src="/web/v1/public/shares/${token}/assets/${r.id}/thumbnail" alt="" loading="lazy">` : "";
    return `<li data-asset-id="${r.id}"><a href="/s/${token}/${r.id}">${thumb}${escapeHtml(r.name)}</a> ${r.size} bytes</li>`;
  });
  const name = escapeHtml(found.tenant.name);
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${name}</title></head><body><h1>${name} (${found.total} files)</h1><ul>${items.join("")}</ul>${found.more ? "<button>more</button>" : ""}</body></html>`;
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const route = /^\/floor\/(assets|page)\/([a-z2-7]{32})$/.exec(url.pathname);
    if (route?.[1] === "assets") {
      // The first page at the size asked for (`limit`, as Kura's 1..200); the bench's share fits in
      // one page, so there is no cursor to make (the script checks both answers are the same).
      const limit = Math.min(200, Math.max(1, Number(url.searchParams.get("limit") ?? 50)));
      const found = await sharedRows(env, route[2]!, bearer(request), limit, false);
      if (found?.more) return new Response("the floor serves shares of one page only", { status: 500 });
      return found ? Response.json({ items: found.rows.map(item), nextCursor: null }) : new Response("not found", { status: 404 });
    }
    if (route?.[1] === "page") return floorPage(env, request, route[2]!);
    const db = env.TENANT_DB_S0;
    switch (url.pathname) {
      case "/seed":
        return seed(env, url);
      case "/seed/thumbnails": {
        // What processing leaves on an image or a video: a stored JPEG thumbnail of some tens of KB.
        const out = await db
          .prepare(
            "UPDATE assets SET thumbnail_content_type = 'image/jpeg', thumbnail_size = 18000 + (rid * 7919) % 40000 WHERE tenant_id = ?1 AND project_id = ?2 AND kind IN ('image', 'video')",
          )
          .bind(url.searchParams.get("tenant") ?? "", url.searchParams.get("project") ?? "")
          .run();
        return Response.json({ thumbnails: out.meta.changes });
      }
      case "/ids": {
        const { results } = await db
          .prepare("SELECT id FROM assets WHERE tenant_id = ?1 AND project_id = ?2 ORDER BY rid")
          .bind(url.searchParams.get("tenant") ?? "", url.searchParams.get("project") ?? "")
          .all<{ id: string }>();
        return Response.json(results.map((r) => r.id));
      }
      case "/explain": {
        const s = url.searchParams;
        const plan = await db
          .prepare(s.get("counted") ? `EXPLAIN QUERY PLAN ${SHARED_COUNT}` : `EXPLAIN QUERY PLAN ${SHARED_ASSETS}`)
          .bind(s.get("share") ?? "", s.get("tenant") ?? "", s.get("project") ?? "", ...(s.get("counted") ? [] : [201]))
          .all<{ detail: string }>();
        return Response.json(plan.results.map((p) => p.detail));
      }
      case "/status":
        return Response.json({ ok: true });
    }
    return new Response("not found", { status: 404 });
  },
};
