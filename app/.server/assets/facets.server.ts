import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type { TenantScope } from "../access/permissions.server";
import { assets, assetTags } from "../db/tenant-schema";

/**
 * Tag facets of the browse page (ADR 0021): each tag with the number of
 * assets the list would show if the tag were added to its filter. So the
 * count is taken over the list's own conditions (`listed`, from
 * search.server's listFilters): its scope (the folder's own assets, the
 * unfiled ones at the root, or the whole project), the search text, kind,
 * dates, metadata and the tags already chosen.
 */
export function tagFacetsStatement(scope: TenantScope, projectId: string, listed: readonly SQL[], limit = 100) {
  const count = sql<number>`count(*)`;
  return scope.db
    .select({ tag: assetTags.tag, count })
    .from(assetTags)
    .innerJoin(assets, and(eq(assets.tenantId, scope.tenantId), eq(assets.id, assetTags.assetId)))
    .where(and(eq(assetTags.tenantId, scope.tenantId), eq(assetTags.projectId, projectId), ...listed))
    .groupBy(assetTags.tag)
    .orderBy(desc(count), asc(assetTags.tag))
    .limit(limit);
}

export function facetsOf(rows: { tag: string; count: number }[]) {
  return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
}
