import { tenantData } from "../db/tenant-data.server";
import { fail } from "../http/errors.server";
import { recordAudit, type AuditContext } from "./record.server";

type DenialCode = "forbidden" | "not_found" | "ip_not_allowed";

/**
 * Refuses a signed-in user for a reason of authorization, and records it as
 * `access.denied` in the user's own tenant log first. (A 404 for another
 * tenant's id is recorded where the guard decides it, e.g. a project the
 * user holds no grant on; a plain lookup miss is not an authorization event.)
 */
export async function denyAccess(
  ctx: AuditContext,
  p: { code: DenialCode; message: string; target: { type: string; id: string | null }; details?: Record<string, unknown> },
): Promise<never> {
  if (ctx.principal.type === "tenant_user") {
    // The denied user's own tenant (the one door; null once it is no longer active).
    const data = await tenantData(ctx).catch(() => null);
    if (data) {
      await recordAudit(ctx, data, {
        action: "access.denied",
        outcome: "denied",
        target: p.target,
        details: { code: p.code, ...p.details },
      });
    }
  }
  fail(p.code, p.message);
}
