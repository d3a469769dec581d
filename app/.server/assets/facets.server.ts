import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import type { TenantScope } from "../access/permissions.server";
import { assets, assetTags } from "../db/tenant-schema";

/**
 * Tag facets of the browse page (ADR 0021): each tag with the number of
 * assets the list would show if the tag were added to its filter. So the
 * count is taken over the list's own scope (the folder's own assets, the
 * unfiled ones at the root, or the whole project) and over the tags already
 * chosen, never project-wide while the list shows one folder.
 */
export type FacetScope = { folderId: string | null } | "project";

export function tagFacetsStatement(scope: TenantScope, projectId: string, where: { scope: FacetScope; tags: readonly string[] }, limit = 100) {
  const count = sql<number>`count(*)`;
  const chosen = where.tags.map(
    (tag) =>
      sql`EXISTS (SELECT 1 FROM asset_tags AS chosen WHERE chosen.tenant_id = ${scope.tenantId} AND chosen.asset_id = ${assetTags.assetId} AND chosen.tag = ${tag})`,
  );
  const base = [eq(assetTags.tenantId, scope.tenantId), eq(assetTags.projectId, projectId), ...chosen];
  if (where.scope === "project") {
    return scope.db
      .select({ tag: assetTags.tag, count })
      .from(assetTags)
      .where(and(...base))
      .groupBy(assetTags.tag)
      .orderBy(desc(count), asc(assetTags.tag))
      .limit(limit);
  }
  const folderId = where.scope.folderId;
  return scope.db
    .select({ tag: assetTags.tag, count })
    .from(assetTags)
    .innerJoin(assets, and(eq(assets.tenantId, scope.tenantId), eq(assets.id, assetTags.assetId)))
    .where(and(...base, folderId ? eq(assets.folderId, folderId) : isNull(assets.folderId)))
    .groupBy(assetTags.tag)
    .orderBy(desc(count), asc(assetTags.tag))
    .limit(limit);
}

export function facetsOf(rows: { tag: string; count: number }[]) {
  return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
}
