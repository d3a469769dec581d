import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { fail, json } from "~/.server/http/errors.server";
import { parseParams } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { TenantDetailSchema, TenantIdParamsSchema } from "~/schemas/tenant";
import { getTenant } from "~/.server/tenants/tenants.server";
import { allow } from "~/policy/access";

export const access = allow.operator();

export const api = defineApi({
  GET: {
    summary: "One tenant: contract state, quota and usage (never content)",
    tags: ["Operator"],
    params: TenantIdParamsSchema,
    responses: { 200: { description: "The tenant", schema: TenantDetailSchema } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { tenantId } = parseParams(params, api.GET.params);
  const tenant = await getTenant(context.env, tenantId);
  if (!tenant) fail("not_found", "No such tenant.");
  return json(tenant);
}
