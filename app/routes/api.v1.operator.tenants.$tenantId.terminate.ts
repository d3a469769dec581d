import { fail, json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseParams } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { terminateTenant } from "~/.server/offboarding/terminate.server";
import { TerminateResponseSchema } from "~/schemas/offboarding";
import { TenantIdParamsSchema } from "~/schemas/tenant";
import { allow } from "~/policy/access";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";

export const access = allow.operator();

export const api = defineApi({
  POST: {
    summary: "Terminate a tenant's contract",
    description:
      "From this moment every session, API token and share link of the tenant stops working. The purge (ADR 0026) may start " +
      "once `purgeAfter` has passed. Terminating a terminated tenant answers its first termination.",
    tags: ["Operator"],
    params: TenantIdParamsSchema,
    responses: {
      202: { description: "Terminated; the purge is scheduled", schema: TerminateResponseSchema },
      404: { description: "No such tenant" },
      409: { description: "The tenant is already purged" },
    },
  },
});

export const action = methodAction({
  POST: async ({ params, context }) => {
    const { tenantId } = parseParams(params, api.POST.params);
    const result = await terminateTenant(context.env, context.logger, tenantId);
    if (result === null) fail("not_found", "No such tenant.");
    if (result === "purged") fail("conflict", "The tenant is already purged.");
    await recordOperatorAction(context, { action: "tenant.terminated", targetType: "tenant", targetId: tenantId, details: { purgeAfter: result.purgeAfter } });
    return json(result, { status: 202 });
  },
});
