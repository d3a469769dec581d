import { fail, json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { requireMoveTarget, runRestoreNow } from "~/.server/backups/backup-job.server";
import { getTenant } from "~/.server/tenants/tenants.server";
import { RestoreBodySchema, RestoreResponseSchema } from "~/schemas/backups";
import { TenantIdParamsSchema } from "~/schemas/tenant";
import { allow } from "~/policy/access";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";

export const access = allow.operator();

export const api = defineApi({
  POST: {
    summary: "Restore a tenant from one of its backup generations",
    description:
      "The tenant's database rows become exactly those of the backup (other tenants untouched). Every session and unused " +
      "setup or reset link of the tenant ends, uploads in progress are cancelled, and API tokens revoked since the backup " +
      "stay revoked. The audit log is not rolled back: the restore is recorded in it (ADR 0025). With `shard` naming another " +
      "shard than the tenant's, the rows are restored there and the tenant moves to it (ADR 0028).",
    tags: ["Operator"],
    params: TenantIdParamsSchema,
    body: RestoreBodySchema,
    responses: {
      200: { description: "Restored", schema: RestoreResponseSchema },
      400: { description: "No such shard in the shard map" },
      404: { description: "No such tenant, or no such generation of it" },
      409: { description: "The tenant is not active, or another job of it (a backup, restore or move) is running" },
      503: { description: "A restore into another shard failed and was undone: the tenant works on its old shard" },
    },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { tenantId } = parseParams(params, api.POST.params);
    const { generation, shard } = await parseJsonBody(request, api.POST.body);
    const tenant = await getTenant(context.env, tenantId);
    if (!tenant) fail("not_found", "No such tenant.");
    if (tenant.status !== "active") fail("conflict", "Only an active tenant can be restored.");
    const from = tenant.shard;
    const into = shard ?? from;
    // Another shard than the tenant's: the restore is a move there, with a move's checks.
    if (into !== from) await requireMoveTarget(context.env, tenantId, into);
    const outcome = await runRestoreNow(context.env, tenantId, generation, into);
    if (outcome === null) fail("not_found", "The tenant has no backup generation of that day.");
    if (outcome === "busy") fail("conflict", "Another job of this tenant (a backup, restore or move) is running; restore when it has finished.");
    if (outcome === "failed") fail("service_unavailable", "The restore into the other shard failed and was undone; the tenant works on its old shard.");
    context.logger.info("tenant restored", { tenantId, generation, from, into });
    await recordOperatorAction(context, {
      action: into === from ? "tenant.restored" : "tenant.moved",
      targetType: "tenant",
      targetId: tenantId,
      details: into === from ? { generation } : { generation, from, to: into },
    });
    return json({ tenantId, generation, restoredAt: new Date().toISOString(), shard: into });
  },
});
