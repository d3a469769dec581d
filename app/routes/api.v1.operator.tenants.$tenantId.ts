import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { fail, json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { parseJsonBody, parseParams } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { TenantDetailSchema, TenantIdParamsSchema, UpdateTenantContractBodySchema } from "~/schemas/tenant";
import { getTenant, updateTenantContract } from "~/.server/tenants/tenants.server";
import { allow } from "~/policy/access";

export const access = allow.operator();

export const api = defineApi({
  GET: {
    summary: "One tenant: contract state, quota and usage (never content)",
    tags: ["Operator"],
    params: TenantIdParamsSchema,
    responses: { 200: { description: "The tenant", schema: TenantDetailSchema } },
  },
  PATCH: {
    summary: "Change a tenant's contract: storage quota and admin contact",
    description: "The quota holds from the next upload. A purged tenant keeps only its certificate's facts: 409.",
    tags: ["Operator"],
    params: TenantIdParamsSchema,
    body: UpdateTenantContractBodySchema,
    responses: {
      200: { description: "The tenant as changed", schema: TenantDetailSchema },
      404: { description: "No such tenant" },
      409: { description: "The tenant is purged" },
    },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { tenantId } = parseParams(params, api.GET.params);
  const tenant = await getTenant(context.env, tenantId);
  if (!tenant) fail("not_found", "No such tenant.");
  return json(tenant);
}

export const action = methodAction({
  PATCH: async ({ request, params, context }) => {
    const { tenantId } = parseParams(params, api.PATCH.params);
    const patch = await parseJsonBody(request, api.PATCH.body);
    const updated = await updateTenantContract(context, tenantId, patch);
    return json(updated);
  },
});
