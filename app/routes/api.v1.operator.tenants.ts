import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { json } from "~/.server/http/errors.server";
import { methodAction } from "~/.server/http/methods.server";
import { PageQuerySchema, pageOf } from "~/schemas/common";
import { parseJsonBody, parseQuery } from "~/.server/http/validation.server";
import { defineApi } from "~/api/operations";
import { CreateTenantBodySchema, CreateTenantResponseSchema, TenantDetailSchema } from "~/schemas/tenant";
import { createTenant, listTenants, toSummary } from "~/.server/tenants/tenants.server";
import { allow } from "~/policy/access";
import { recordOperatorAction } from "~/.server/operator/operator-audit.server";

export const access = allow.operator();

export const api = defineApi({
  GET: {
    summary: "List tenants (contracts), oldest first",
    tags: ["Operator"],
    query: PageQuerySchema,
    responses: { 200: { description: "A page of tenants", schema: pageOf(TenantDetailSchema) } },
  },
  POST: {
    summary: "Create a tenant",
    description:
      "Creates the tenant in the control plane, its settings in a tenant-data shard and its first " +
      "tenant admin. The admin's single-use setup link (7 days) is e-mailed to `adminEmail`; " +
      "`adminSetupToken` is the same token, for `POST /auth/setup`.",
    tags: ["Operator"],
    body: CreateTenantBodySchema,
    responses: {
      201: { description: "Created", schema: CreateTenantResponseSchema },
      409: { description: "Duplicate slug" },
    },
  },
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const page = parseQuery(request, api.GET.query);
  return json(await listTenants(context.env, page));
}

export const action = methodAction({
  POST: async ({ request, context }) => {
    const input = await parseJsonBody(request, api.POST.body);
    const { tenant, adminSetupToken } = await createTenant(context, input);
    context.logger.info("tenant created", { tenantId: tenant.id });
    await recordOperatorAction(context, { action: "tenant.created", targetType: "tenant", targetId: tenant.id, details: { slug: tenant.slug } });
    return json({ tenant: toSummary(tenant), adminSetupToken }, { status: 201 });
  },
});
