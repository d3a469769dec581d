import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { fail, json } from "~/.server/http/errors.server";
import { parseParams } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { listGenerations } from "~/.server/backups/generations.server";
import { getTenant } from "~/.server/tenants/tenants.server";
import { BackupListSchema } from "~/schemas/backups";
import { TenantIdParamsSchema } from "~/schemas/tenant";
import { allow } from "~/policy/access";

export const access = allow.operator();

export const api = defineApi({
  GET: {
    summary: "A tenant's backup generations",
    tags: ["Operator"],
    params: TenantIdParamsSchema,
    responses: { 200: { description: "Newest first", schema: BackupListSchema } },
  },
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { tenantId } = parseParams(params, api.GET.params);
  if (!(await getTenant(context.env, tenantId))) fail("not_found", "No such tenant.");
  const items = (await listGenerations(context.env, tenantId)).map(({ generation, createdAt, bytes }) => ({ generation, createdAt, bytes }));
  return json({ items });
}
