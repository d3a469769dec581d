import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { parseQuery } from "~/.server/http/validation.server";
import { tenantData } from "~/.server/db/tenant-data.server";
import { usageReport } from "~/.server/assets/usage.server";
import { defineApi } from "~/api/operations";
import { allow } from "~/policy/access";
import { UsageQuerySchema, UsageSchema } from "~/schemas/assets";

export const access = allow.tenantAdmin();

export const api = defineApi({
  GET: {
    summary: "Storage usage: totals, per project, and a daily history (tenant_admin)",
    tags: ["Audit, usage, notices"],
    query: UsageQuerySchema,
    responses: { 200: { description: "Usage", schema: UsageSchema } },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { days } = parseQuery(request, api.GET.query);
  return json(await usageReport(context.env, await tenantData(context), days));
}
