import type { AuditContext } from "../audit/record.server";
import { requireAssetPermission } from "../assets/assets.server";
import { approvalsOf } from "../sharing/guest.server";

/** GET /assets/{id}/approvals (asset.view): what share guests said of the asset, for the team. */
export async function listApprovals(ctx: AuditContext, assetId: string) {
  const { data, asset } = await requireAssetPermission(ctx, assetId, "asset.view");
  return approvalsOf(data, asset.id);
}
