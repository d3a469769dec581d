import { and, count, desc, eq, gt, isNotNull, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { AuditContext } from "../audit/record.server";
import { requireProjectPermission, requireTenantAdmin, requireTenantPrincipal } from "../access/permissions.server";
import { inJsonArray } from "../db/chunks.server";
import { rawStatement } from "../db/raw-statement.server";
import { collectionAssets, collections, folders, projects, shareAssets, shareLinks, shares } from "../db/tenant-schema";
import { folderPathsOf } from "../assets/folders.server";
import { tenantData, type TenantData } from "../db/tenant-data.server";
import { decodeCursor, encodeCursor } from "../http/cursor.server";
import { sharePolicyOf } from "../tenants/settings.server";
import { shareView } from "./shares.server";
import type { ListedShare } from "~/components/sharing/types";
import type { SharePolicy, SHARE_STATES } from "~/schemas/review";

/**
 * Lists of shares for the team (issue #14): a project's (share.create on it) and the whole
 * tenant's (tenant admins), newest first, a page at a time, each share with its state, what it
 * holds and every link's counters. One page costs two round trips whatever its size: the page,
 * then its links, counts and first names in one batch, each bound by one JSON array
 * (inJsonArray), so D1's 100 bound parameters are never approached.
 */

type Ctx = AuditContext;
type State = (typeof SHARE_STATES)[number];
type Page = { limit: number; cursor?: string | undefined };

/** How many asset names a listed selection share shows (the rest is a count). */
const NAMES_SHOWN = 3;

/** The SQL of a derived state, as shareState computes it: revoked, else expired, else paused or active. */
function stateIs(state: State, nowIso: string): SQL | undefined {
  const live = and(isNull(shares.revokedAt), gt(shares.expiresAt, nowIso));
  switch (state) {
    case "revoked":
      return isNotNull(shares.revokedAt);
    case "expired":
      return and(isNull(shares.revokedAt), lte(shares.expiresAt, nowIso));
    case "paused":
      return and(live, eq(shares.paused, true));
    case "active":
      return and(live, eq(shares.paused, false));
  }
}

async function sharePage(data: TenantData, filter: { projectId?: string | undefined; state?: State | undefined }, page: Page) {
  const after = page.cursor ? decodeCursor(page.cursor, ["createdAt", "id"]) : null;
  const rows = await data.db
    .select({ share: shares, projectName: projects.name, collectionName: collections.name })
    .from(shares)
    .innerJoin(projects, and(eq(projects.tenantId, shares.tenantId), eq(projects.id, shares.projectId)))
    .leftJoin(collections, and(eq(collections.tenantId, shares.tenantId), eq(collections.id, shares.collectionId)))
    .where(
      and(
        eq(shares.tenantId, data.tenantId),
        filter.projectId ? eq(shares.projectId, filter.projectId) : undefined,
        filter.state ? stateIs(filter.state, new Date().toISOString()) : undefined,
        after ? or(lt(shares.createdAt, after.createdAt), and(eq(shares.createdAt, after.createdAt), lt(shares.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(shares.createdAt), desc(shares.id))
    .limit(page.limit + 1)
    .all();
  const items = rows.slice(0, page.limit);
  const last = rows.length > page.limit ? items.at(-1)?.share : undefined;
  return { items, nextCursor: last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}

/** The page's links, asset counts and first names, in one batch. */
async function pageDetails(data: TenantData, rows: { share: typeof shares.$inferSelect }[]) {
  const shareIds = rows.map((r) => r.share.id);
  const collectionIds = [...new Set(rows.flatMap((r) => (r.share.collectionId ? [r.share.collectionId] : [])))];
  const selectionIds = rows.filter((r) => !r.share.collectionId).map((r) => r.share.id);
  const [links, selectionCounts, collectionCounts, names] = await data.db.batch([
    data.db
      .select({
        id: shareLinks.id,
        shareId: shareLinks.shareId,
        recipientEmail: shareLinks.recipientEmail,
        accesses: shareLinks.accesses,
        downloads: shareLinks.downloads,
        lastAccessAt: shareLinks.lastAccessAt,
        revokedAt: shareLinks.revokedAt,
      })
      .from(shareLinks)
      .where(and(eq(shareLinks.tenantId, data.tenantId), inJsonArray(shareLinks.shareId, shareIds)))
      .orderBy(shareLinks.createdAt, shareLinks.recipientEmail, shareLinks.id),
    data.db
      .select({ id: shareAssets.shareId, n: count() })
      .from(shareAssets)
      .where(and(eq(shareAssets.tenantId, data.tenantId), inJsonArray(shareAssets.shareId, selectionIds)))
      .groupBy(shareAssets.shareId),
    data.db
      .select({ id: collectionAssets.collectionId, n: count() })
      .from(collectionAssets)
      .where(and(eq(collectionAssets.tenantId, data.tenantId), inJsonArray(collectionAssets.collectionId, collectionIds)))
      .groupBy(collectionAssets.collectionId),
    // The first names of each selection, by name (a window over the page's shares only).
    rawStatement(
      data.db,
      sql`SELECT share_id, name FROM (
            SELECT sa.share_id AS share_id, a.name AS name, row_number() OVER (PARTITION BY sa.share_id ORDER BY a.name, a.id) AS n
            FROM share_assets sa JOIN assets a ON a.tenant_id = sa.tenant_id AND a.id = sa.asset_id
            WHERE sa.tenant_id = ${data.tenantId} AND sa.share_id IN (SELECT value FROM json_each(${JSON.stringify(selectionIds)}))
          ) WHERE n <= ${NAMES_SHOWN} ORDER BY share_id, n`,
    ),
  ] as const);
  const countOf = new Map<string, number>([...selectionCounts, ...collectionCounts].map((c) => [c.id, c.n]));
  const namesOf = new Map<string, string[]>();
  for (const row of (names as { results?: { share_id: string; name: string }[] }).results ?? [])
    namesOf.set(row.share_id, [...(namesOf.get(row.share_id) ?? []), row.name]);
  return { links, countOf, namesOf };
}

async function listShares(data: TenantData, filter: { projectId?: string | undefined; state?: State | undefined }, page: Page) {
  const { items, nextCursor } = await sharePage(data, filter, page);
  if (items.length === 0) return { items: [] as ListedShare[], nextCursor };
  const { links, countOf, namesOf } = await pageDetails(data, items);
  return {
    items: items.map((r): ListedShare => ({
      ...shareView(
        r.share,
        links.filter((l) => l.shareId === r.share.id),
        countOf.get(r.share.collectionId ?? r.share.id) ?? 0,
      ),
      projectName: r.projectName,
      collectionName: r.collectionName,
      assetNames: namesOf.get(r.share.id) ?? [],
    })),
    nextCursor,
  };
}

/** GET /projects/{id}/shares and the project's shares screen (share.create on the project). */
export async function listProjectSharesPage(ctx: Ctx, projectId: string, query: Page & { state?: State | undefined }) {
  const { data, project } = await requireProjectPermission(ctx, projectId, "share.create");
  return { project: { id: project.id, name: project.name }, ...(await listShares(data, { projectId, state: query.state }, query)) };
}

/** GET /shares and the admin's shares screen: every share of the tenant (tenant admins only). */
export async function listTenantShares(ctx: Ctx, query: Page & { state?: State | undefined; projectId?: string | undefined }) {
  await requireTenantAdmin(ctx, "share.list_all");
  const data = await tenantData(ctx);
  return listShares(data, { projectId: query.projectId, state: query.state }, query);
}

/** The tenant's share policy for the share forms (any signed-in user of the tenant: it only says what the forms offer). */
export async function sharePolicyForForms(ctx: Ctx): Promise<SharePolicy> {
  return sharePolicyOf(await tenantData(ctx));
}

/**
 * The upload folder choices of the listed shares' projects, by project (paths from the root), for
 * the screens' settings forms: any project's for a tenant admin, else one project's with
 * share.create on it (the project's screen).
 */
export async function uploadFolderChoices(ctx: Ctx, projectIds: readonly string[]): Promise<Record<string, { id: string; path: string }[]>> {
  const ids = [...new Set(projectIds)];
  if (ids.length === 0) return {};
  const principal = requireTenantPrincipal(ctx);
  if (principal.tenantRole !== "tenant_admin") {
    if (ids.length > 1) await requireTenantAdmin(ctx, "share.folders");
    await requireProjectPermission(ctx, ids[0]!, "share.create");
  }
  const data = await tenantData(ctx);
  const rows = await data.db
    .select({ id: folders.id, name: folders.name, parentId: folders.parentId, projectId: folders.projectId })
    .from(folders)
    .where(and(eq(folders.tenantId, data.tenantId), inJsonArray(folders.projectId, ids)))
    .limit(5000)
    .all();
  return Object.fromEntries(
    ids.map((projectId) => [
      projectId,
      folderPathsOf(rows.filter((r) => r.projectId === projectId)).items.map((f) => ({ id: f.id, path: f.path.join(" / ") })),
    ]),
  );
}
