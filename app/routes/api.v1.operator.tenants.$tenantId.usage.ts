import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { fail, json } from "~/.server/http/errors.server";
import { parseParams, parseQuery } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { getTenant } from "~/.server/tenants/tenants.server";
import { tenantUsageHistory } from "~/.server/usage/snapshots.server";
import { UsageHistoryQuerySchema, UsageHistorySchema } from "~/schemas/usage-operator";
import { TenantIdParamsSchema } from "~/schemas/tenant";
import { allow } from "~/policy/access";

export const access = allow.operator();

export const api = defineApi({
  GET: {
    summary: "A tenant's daily storage snapshots",
    description: "The daily totals (with the quota of each day) for the last `days` days, and each project's figures on the newest day, by id.",
    tags: ["Operator"],
    params: TenantIdParamsSchema,
    query: UsageHistoryQuerySchema,
    responses: { 200: { description: "The snapshots", schema: UsageHistorySchema }, 404: { description: "No such tenant" } },
  },
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tenantId } = parseParams(params, api.GET.params);
  const { days } = parseQuery(request, UsageHistoryQuerySchema);
  if (!(await getTenant(context.env, tenantId))) fail("not_found", "No such tenant.");
  return json(await tenantUsageHistory(context.env, tenantId, days));
}
