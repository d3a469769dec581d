import { fail, json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { runRestoreNow } from "~/.server/backups/backup-job.server";
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
      "stay revoked. The audit log is not rolled back: the restore is recorded in it (ADR 0025).",
    tags: ["Operator"],
    params: TenantIdParamsSchema,
    body: RestoreBodySchema,
    responses: {
      200: { description: "Restored", schema: RestoreResponseSchema },
      404: { description: "No such tenant, or no such generation of it" },
      409: { description: "The tenant is not active, or a backup of it is running" },
    },
  },
});

export const action = methodAction({
  POST: async ({ request, params, context }) => {
    const { tenantId } = parseParams(params, api.POST.params);
    const { generation } = await parseJsonBody(request, api.POST.body);
    const tenant = await getTenant(context.env, tenantId);
    if (!tenant) fail("not_found", "No such tenant.");
    if (tenant.status !== "active") fail("conflict", "Only an active tenant can be restored.");
    const outcome = await runRestoreNow(context.env, tenantId, generation);
    if (outcome === null) fail("not_found", "The tenant has no backup generation of that day.");
    if (outcome === "busy") fail("conflict", "A backup of this tenant is running; restore when it has finished.");
    context.logger.info("tenant restored", { tenantId, generation });
    await recordOperatorAction(context, { action: "tenant.restored", targetType: "tenant", targetId: tenantId, details: { generation } });
    return json({ tenantId, generation, restoredAt: new Date().toISOString() });
  },
});
