import { and, eq } from "drizzle-orm";
import { shareApprovals, shareAssets } from "../db/tenant-schema";
import { inJsonArray } from "../db/chunks.server";
import type { TenantData } from "../db/tenant-data.server";

/**
 * What shares hold of assets being deleted, for the deletion's batch: their place in shares of a
 * selection and guests' verdicts on them (which name the guest: nothing of theirs outlives the file).
 */
export function deleteShareLinksOfAssetsStatements(data: Pick<TenantData, "db" | "tenantId">, assetIds: readonly string[]) {
  return [
    data.db.delete(shareAssets).where(and(eq(shareAssets.tenantId, data.tenantId), inJsonArray(shareAssets.assetId, assetIds))),
    data.db.delete(shareApprovals).where(and(eq(shareApprovals.tenantId, data.tenantId), inJsonArray(shareApprovals.assetId, assetIds))),
  ] as const;
}
