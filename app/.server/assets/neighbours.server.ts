import { and, asc, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { AuditContext } from "../audit/record.server";
import { assets } from "../db/tenant-schema";
import { requireAssetPermission } from "./assets.server";

/**
 * The files before and after an asset in its folder, by name (the browse page's name order), for
 * the player's previous/next. Same guard as the asset itself: asset.view on its project.
 */
export async function assetNeighbours(ctx: AuditContext, assetId: string): Promise<{ previous: string | null; next: string | null }> {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "asset.view");
  const sameFolder = and(
    eq(assets.tenantId, data.tenantId),
    eq(assets.projectId, asset.projectId),
    asset.folderId === null ? isNull(assets.folderId) : eq(assets.folderId, asset.folderId),
  );
  const before = or(lt(assets.nameKey, asset.nameKey), and(eq(assets.nameKey, asset.nameKey), lt(assets.id, asset.id)));
  const after = or(gt(assets.nameKey, asset.nameKey), and(eq(assets.nameKey, asset.nameKey), gt(assets.id, asset.id)));
  const [previous, next] = await Promise.all([
    data.db.select({ id: assets.id }).from(assets).where(and(sameFolder, before)).orderBy(desc(assets.nameKey), desc(assets.id)).limit(1).get(),
    data.db.select({ id: assets.id }).from(assets).where(and(sameFolder, after)).orderBy(asc(assets.nameKey), asc(assets.id)).limit(1).get(),
  ]);
  return { previous: previous?.id ?? null, next: next?.id ?? null };
}
